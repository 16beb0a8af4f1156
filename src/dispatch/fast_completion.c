/* What the dispatcher sends back through the completion ring: events reached, data read,
 * and the refusal of a malformed record (after which the dispatcher stops: -EPROTO).
 * Reads are answered in the order they were queued; an answer nothing asked for is a
 * corrupt ring (-EIO). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/err.h"
#include "fast.h"

int fast_on_completion(void *arg, const struct ttm_cq_completion *e, const uint8_t *data)
{
    struct fast *f = arg;
    switch (e->kind) {
    case TTM_CQ_DONE_EVENT: {
        /* The next ids in order: the answer's low 32 bits say how far it has come. */
        uint32_t step = e->id - (uint32_t)f->events_done;
        if (!step || step > f->next_event - f->events_done)
            return err_set(-EIO, "event answer %u: no such event is outstanding (%llu done, "
                                 "%llu recorded)", e->id, (unsigned long long)f->events_done,
                           (unsigned long long)f->next_event);
        f->events_done += step;
        return 0;
    }
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
        snprintf(f->error_msg, sizeof f->error_msg,
                 "the dispatcher refused record %u: %s (command at byte %u)", e->id,
                 e->value < 5 ? why[e->value] : "unknown error", e->offset);
        return err_set(-EPROTO, "%s", f->error_msg);
    }
    }
    return err_set(-EIO, "completion entry of unknown kind %u", e->kind);
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
