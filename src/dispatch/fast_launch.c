/* Enqueueing a launch. Up to TTM_LAUNCH_SLOTS launches are in flight: while launch N
 * runs, N+1's images and messages are already written (seed 002 "Asynchronous
 * Dispatch"). Each launch takes a region of the workers' kernel-config ring; when that
 * region overlaps one of a launch still running, or the launch-message slot is still in
 * use, the launch's first command (a WAIT) makes the dispatcher stall until it is free
 * (seed 002: "Kernel N and N+1 too large"). */
#include "fast.h"

#define CFG_RING TTM_L1_KERNEL_CONFIG_SIZE

static int later(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) > 0;
}

int fast_enqueue_program(struct ttm_device *dev, struct ttm_program *p, struct wait_budget *b)
{
    struct fast *f = dev->fast;
    const struct fast_stream *s;
    int rc = fast_stream_get(dev, p, &s);
    if (rc)
        return rc;
    uint32_t region = fast_stream_region(s);
    uint32_t j = f->launches, slot = j % TTM_LAUNCH_SLOTS;
    uint32_t pos = f->cfg_wr % CFG_RING;
    uint32_t start = f->cfg_wr + (pos + region > CFG_RING ? CFG_RING - pos : 0);
    uint32_t end = start + region;
    /* The launch slot frees when launch j - 8 finishes; the config region when every
     * launch whose region it overwrites has: the ring holds the CFG_RING bytes before
     * `end`, so a region starting before end - CFG_RING is overwritten. */
    uint32_t wait_for = 0;
    for (uint32_t k = 1; k <= TTM_LAUNCH_SLOTS && k <= j; k++) {
        const struct inflight *in = &f->inflight[(j - k) % TTM_LAUNCH_SLOTS];
        if ((k == TTM_LAUNCH_SLOTS || later(end - CFG_RING, in->cfg_start)) &&
            later(in->done, wait_for))
            wait_for = in->done;
    }
    if ((rc = fast_stream_emit(f, s, TTM_L1_KERNEL_CONFIG + start % CFG_RING, slot, wait_for,
                               f->done_target, b)) ||
        (rc = cq_flush(&f->q, b)))
        return rc;
    f->done_target += f->n_workers;
    f->inflight[slot] = (struct inflight){start, f->done_target};
    f->cfg_wr = end;
    f->launches++;
    return 0;
}

int fast_emit_after_launches(struct fast *f, uint8_t id, struct wait_budget *b,
                             struct ttm_cq_cmd **out)
{
    int rc = cq_cmd(&f->q, sizeof **out, b, out);
    if (rc)
        return rc;
    (*out)->id = id;
    (*out)->arg[0] = f->done_target & BH_STREAM_COUNTER_MASK;
    return 0;
}
