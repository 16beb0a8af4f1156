/* From events to what a timeline shows, and the names and times both renderings use.
 * Each begin event pairs with the next end event of its kind on the same track (a ring is
 * written in order by one processor, and drained in order); a begin left open at the end
 * of the trace is dropped, and so is an end without a begin (tracing began mid-way). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "trace.h"
#include "ttm/kernel/abi.h"

/* The begin event an end event closes, 0 for an instant. */
static unsigned begin_of(unsigned what)
{
    switch (what) {
    case TTM_TR_DONE: return TTM_TR_GO;
    case TTM_TR_KERNEL_END: return TTM_TR_KERNEL_BEGIN;
    case TTM_TR_FETCH_END: return TTM_TR_FETCH_BEGIN;
    case TTM_TR_DELIVERED: return TTM_TR_FETCH_END;    /* fetched, then delivered */
    case TTM_TR_RECORD_END: return TTM_TR_RECORD_BEGIN;
    case TTM_TR_WAIT_END: return TTM_TR_WAIT_BEGIN;
    default: return 0;
    }
}

static bool is_begin(unsigned what)
{
    return what == TTM_TR_GO || what == TTM_TR_KERNEL_BEGIN || what == TTM_TR_FETCH_BEGIN ||
           what == TTM_TR_FETCH_END || what == TTM_TR_RECORD_BEGIN || what == TTM_TR_WAIT_BEGIN;
}

struct open_spans {
    uint64_t at[TTM_TR_WHAT_END];
    bool open[TTM_TR_WHAT_END];
    uint64_t last_done;        /* workers: the last DONE, for the flow to the next GO */
    bool done_seen;
};

/* The events of one track, in the order they were recorded. */
static int track_items(const struct trace *tr, uint32_t track, const size_t *order, size_t n,
                       int (*visit)(void *, const struct trace_item *), void *ctx)
{
    struct open_spans os = {0}, *o = &os;
    for (size_t i = 0; i < n; i++) {
        const struct trace_event *e = &tr->ev[order[i]];
        struct trace_item it = {TRACE_SPAN, 0, e->seq, track, e->arg, e->t, e->t, NULL};
        unsigned b = begin_of(e->what);
        int rc = 0;
        if (b && o->open[b]) {
            it.what = (uint16_t)b;
            it.t0 = o->at[b];
            o->open[b] = false;
            rc = visit(ctx, &it);
        } else if (!b && !is_begin(e->what)) {
            it.shape = TRACE_INSTANT;
            it.what = e->what;
            rc = visit(ctx, &it);
        }
        if (!rc && e->what == TTM_TR_GO && o->done_seen) {
            struct trace_item f = {TRACE_FLOW, TTM_TR_DONE, e->seq, track, e->arg, o->last_done,
                                   e->t, NULL};
            rc = visit(ctx, &f);
        }
        if (rc)
            return rc;
        if (is_begin(e->what)) {
            o->at[e->what] = e->t;
            o->open[e->what] = true;
        }
        if (e->what == TTM_TR_DONE) {
            o->last_done = e->t;
            o->done_seen = true;
        }
    }
    return 0;
}

int trace_items(const struct trace *tr, int (*visit)(void *, const struct trace_item *),
                void *ctx)
{
    /* The events grouped by track, each group in recorded order (a counting sort). */
    size_t *start = calloc((size_t)tr->n_tracks + 1, sizeof *start);
    size_t *order = malloc((tr->n_ev ? tr->n_ev : 1) * sizeof *order);
    int rc = start && order ? 0 : err_set(-ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < tr->n_ev; i++)
        start[tr->ev[i].track + 1]++;
    for (uint32_t k = 0; !rc && k < tr->n_tracks; k++)
        start[k + 1] += start[k];
    for (size_t i = 0; !rc && i < tr->n_ev; i++)
        order[start[tr->ev[i].track]++] = i;
    for (uint32_t k = 0; !rc && k < tr->n_tracks; k++) {
        size_t first = k ? start[k - 1] : 0;
        rc = track_items(tr, k, order + first, start[k] - first, visit, ctx);
    }
    free(start);
    free(order);
    if (rc)
        return rc;
    for (size_t i = 0; i < tr->n_calls; i++) {
        const struct trace_call *c = &tr->calls[i];
        struct trace_item it = {TRACE_SPAN, 0, 0, UINT32_MAX, 0, c->t0, c->t1, c->name};
        int rc = visit(ctx, &it);
        if (rc)
            return rc;
    }
    return 0;
}

const char *trace_item_name(const struct trace_item *it)
{
    if (it->call)
        return it->call;
    if (it->shape == TRACE_FLOW)
        return "DONE to GO";
    switch (it->what) {
    case TTM_TR_GO: return "launch";
    case TTM_TR_KERNEL_BEGIN: return "kernel";
    case TTM_TR_FETCH_BEGIN: return "fetch record";
    case TTM_TR_FETCH_END: return "deliver record";
    case TTM_TR_RECORD_BEGIN: return "record";
    case TTM_TR_WAIT_BEGIN: return "wait for DONEs";
    case TTM_TR_GO_QUEUED: return "GO queued";
    case TTM_TR_GO_SENT: return "GO sent";
    default: return "event";
    }
}

double trace_us(const struct trace *tr, uint64_t t)
{
    return (double)(int64_t)(t - tr->t0) / tr->mhz;
}

void trace_track_name(const struct trace_track *k, char *buf, size_t len)
{
    static const char *const roles[] = {"", "prefetcher", "dispatcher", "dispatch subordinate"};
    if (k->role == TRACE_WORKER)
        snprintf(buf, len, "(%u,%u) %s", k->lx, k->ly, bh_core_desc(k->proc)->name);
    else
        snprintf(buf, len, "%s", roles[k->role]);
}
