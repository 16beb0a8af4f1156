/* What the dispatcher sends back through the completion ring: events reached, data read,
 * and the refusal of a malformed record (after which the dispatcher stops). Reads are
 * answered in the order they were queued. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/err.h"
#include "fast.h"

static int on_completion(void *arg, const struct ttm_cq_completion *e, const uint8_t *data)
{
    struct fast *f = arg;
    switch (e->kind) {
    case TTM_CQ_DONE_EVENT:
        f->events_done = e->id;
        return 0;
    case TTM_CQ_DONE_TIMESTAMP:
        return 0;
    case TTM_CQ_DONE_READ: {
        if (!f->reads_len || f->reads[f->reads_head].id != e->id)
            return err_set(-EIO, "read answer %u arrived, none was expected", e->id);
        struct pending_read *r = &f->reads[f->reads_head];
        if (e->data_len != r->len)
            return err_set(-EIO, "read answer %u carries %u bytes, %u were asked for", e->id,
                           e->data_len, r->len);
        memcpy(r->dst, data, r->len);
        f->reads_head = (f->reads_head + 1) % f->reads_cap;
        f->reads_len--;
        return 0;
    }
    case TTM_CQ_DONE_ERROR: {
        static const char *const why[] = {"", "bad record header", "unknown command",
                                          "command length out of range", "target out of range"};
        f->error = -EPROTO;
        snprintf(f->error_msg, sizeof f->error_msg,
                 "the dispatcher refused record %u: %s (command at byte %u)", e->id,
                 e->value < 5 ? why[e->value] : "unknown error", e->offset);
        return 0;
    }
    }
    return err_set(-EIO, "completion entry of unknown kind %u", e->kind);
}

int fast_drain(struct fast *f)
{
    return cq_drain(&f->q, on_completion, f);
}

int fast_expect_read(struct fast *f, uint32_t id, uint8_t *dst, uint32_t len)
{
    if (f->reads_len == f->reads_cap) {
        uint32_t cap = f->reads_cap ? 2 * f->reads_cap : 64;
        struct pending_read *n = malloc(cap * sizeof *n);
        if (!n)
            return err_set(-ENOMEM, "out of memory");
        for (uint32_t i = 0; i < f->reads_len; i++)
            n[i] = f->reads[(f->reads_head + i) % f->reads_cap];
        free(f->reads);
        f->reads = n;
        f->reads_cap = cap;
        f->reads_head = 0;
    }
    f->reads[(f->reads_head + f->reads_len++) % f->reads_cap] = (struct pending_read){id, dst, len};
    return 0;
}
