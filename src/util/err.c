#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define ERR_LEN 1024

static _Thread_local char err_buf[ERR_LEN];

int err_set(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err_buf, sizeof err_buf, fmt, ap);
    va_end(ap);
    return code;
}

int err_wrap(int code, const char *fmt, ...)
{
    char prev[ERR_LEN];
    va_list ap;
    memcpy(prev, err_buf, sizeof prev);
    va_start(ap, fmt);
    int n = vsnprintf(err_buf, sizeof err_buf, fmt, ap);
    va_end(ap);
    /* Append ": previous message"; a message longer than the buffer is cut at the end. */
    size_t used = n < 0 ? 0 : (size_t)n < sizeof err_buf ? (size_t)n : sizeof err_buf - 1;
    size_t room = sizeof err_buf - 1 - used;
    size_t plen = strlen(prev);
    if (room >= 2) {
        memcpy(err_buf + used, ": ", 2);
        used += 2;
        room -= 2;
        if (plen > room)
            plen = room;
        memcpy(err_buf + used, prev, plen);
        used += plen;
    }
    err_buf[used] = 0;
    return code;
}

const char *err_get(void)
{
    return err_buf;
}

void err_clear(void)
{
    err_buf[0] = 0;
}
