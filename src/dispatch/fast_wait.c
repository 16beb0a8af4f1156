/* Waiting on the command queue, and the events and finish built on it. A wait flushes
 * the record being built, then drains completions until its condition holds. Progress
 * (completions arriving, the dispatcher moving to the next record) restarts the timeout;
 * a timeout or a refused record is recovered from (fast_recover.c). */
#include <errno.h>
#include <string.h>

#include "../util/err.h"
#include "fast.h"

struct waiter {
    struct fast *f;
    int (*done)(const struct fast *f, uint64_t arg);
    uint64_t arg;
    uint32_t dp_records;       /* records the dispatcher had run at the last look */
};

static int poll_once(void *arg)
{
    struct waiter *w = arg;
    int rc = fast_drain(w->f);
    if (rc < 0)
        return rc;
    if (w->f->error)
        return w->f->error;
    if (w->done(w->f, w->arg))
        return 1;
    if (rc > 0)
        return 2;
    /* A long run of records answers nothing until its end: the dispatcher moving on to
     * the next record is progress too (a slow model could otherwise time out). */
    uint32_t dp = w->dp_records;
    if (!cq_dispatcher_records(&w->f->q, &dp) && dp != w->dp_records) {
        w->dp_records = dp;
        return 2;
    }
    return 0;
}

int fast_wait(struct ttm_device *dev, int (*done)(const struct fast *, uint64_t), uint64_t arg,
              uint32_t timeout_ms)
{
    struct fast *f = dev->fast;
    int rc = cq_flush(&f->q, timeout_ms);
    struct waiter w = {f, done, arg, 0};
    if (!rc)
        rc = chip_poll(&dev->chip, poll_once, &w, timeout_ms);
    if (rc == -ETIMEDOUT || rc == -EPROTO)
        return fast_recover(dev, rc, timeout_ms);
    return rc;
}

static int event_done(const struct fast *f, uint64_t id)
{
    return f->events_done >= id;
}

int fast_reads_done(const struct fast *f, uint64_t unused)
{
    (void)unused;
    return f->reads_len == 0;
}

int fast_record_event(struct ttm_device *dev, uint64_t *event)
{
    struct fast *f = dev->fast;
    struct ttm_cq_cmd *c;
    int rc = fast_emit_after_launches(f, TTM_CQ_EVENT, &c);
    if (rc)
        return rc;
    c->arg[1] = (uint32_t)++f->next_event;
    *event = f->next_event;
    return cq_flush(&f->q, DISPATCH_TIMEOUT_MS);
}

int fast_event_wait(struct ttm_device *dev, uint64_t event, uint32_t timeout_ms)
{
    if (event > dev->fast->next_event)
        return err_set(-EINVAL, "event %llu was never recorded", (unsigned long long)event);
    return fast_wait(dev, event_done, event, timeout_ms);
}

int fast_event_query(struct ttm_device *dev, uint64_t event)
{
    struct fast *f = dev->fast;
    if (event > f->next_event)
        return err_set(-EINVAL, "event %llu was never recorded", (unsigned long long)event);
    int rc = cq_flush(&f->q, DISPATCH_TIMEOUT_MS);
    if (!rc && (rc = fast_drain(f)) >= 0)
        rc = f->error ? fast_recover(dev, f->error, 0) : 0;
    return rc < 0 ? rc : f->events_done >= event;
}

int fast_finish(struct ttm_device *dev, uint32_t timeout_ms)
{
    uint64_t ev;
    int rc = fast_record_event(dev, &ev);
    if (!rc)
        rc = fast_wait(dev, event_done, ev, timeout_ms);
    if (!rc && dev->fast->reads_len)
        rc = fast_wait(dev, fast_reads_done, 0, timeout_ms);
    return rc;
}
