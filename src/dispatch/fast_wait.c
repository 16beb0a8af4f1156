/* Waiting on the command queue, and the events and finish built on it. A wait flushes
 * the record being built, then drains completions until its condition holds, within the
 * call's budget: completions arriving and the dispatcher moving to the next record are
 * progress. Events the device never ran because a reset dropped them fail with
 * -ECANCELED. */
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
    int rc = cq_drain(&w->f->q);
    if (rc < 0)
        return rc;
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
              struct wait_budget *b)
{
    struct fast *f = dev->fast;
    int rc = cq_flush(&f->q, b);
    struct waiter w = {f, done, arg, 0};
    return rc ? rc : chip_poll(&dev->chip, poll_once, &w, b);
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

int fast_record_event(struct ttm_device *dev, uint64_t *event, struct wait_budget *b)
{
    struct fast *f = dev->fast;
    struct ttm_cq_cmd *c;
    int rc = fast_emit_after_launches(f, TTM_CQ_EVENT, b, &c);
    if (rc)
        return rc;
    c->arg[1] = (uint32_t)++f->next_event;
    *event = f->next_event;
    return cq_flush(&f->q, b);
}

/* 0 for an event that may still complete; -EINVAL for one never recorded; -ECANCELED for
 * one a reset dropped. */
static int check_event(const struct fast *f, uint64_t event)
{
    if (!event || event > f->next_event)
        return err_set(-EINVAL, "event %llu was never recorded", (unsigned long long)event);
    for (unsigned i = 0; i < f->n_lost; i++)
        if (event >= f->lost[i].from && event <= f->lost[i].to)
            return err_set(-ECANCELED, "event %llu was dropped, with the work queued before "
                                       "it, when the device was reset after a failure",
                           (unsigned long long)event);
    return 0;
}

int fast_event_wait(struct ttm_device *dev, uint64_t event, struct wait_budget *b)
{
    int rc = check_event(dev->fast, event);
    return rc ? rc : fast_wait(dev, event_done, event, b);
}

int fast_event_query(struct ttm_device *dev, uint64_t event, struct wait_budget *b)
{
    struct fast *f = dev->fast;
    int rc = check_event(f, event);
    if (!rc)
        rc = cq_flush(&f->q, b);
    if (!rc && (rc = cq_drain(&f->q)) >= 0)
        rc = 0;
    /* Not yet: give a model a slice of time, so a caller polling this completes. */
    if (!rc && f->events_done < event && !(rc = chip_tick(&dev->chip)) &&
        (rc = cq_drain(&f->q)) >= 0)
        rc = 0;
    return rc < 0 ? rc : f->events_done >= event;
}

int fast_finish(struct ttm_device *dev, struct wait_budget *b)
{
    uint64_t ev;
    int rc = fast_record_event(dev, &ev, b);
    uint32_t records = dev->fast->q.seq; /* the event ends the last record flushed */
    if (!rc && !(rc = fast_wait(dev, event_done, ev, b)))
        cq_fetched(&dev->fast->q, records);
    if (!rc && dev->fast->reads_len)
        rc = fast_wait(dev, fast_reads_done, 0, b);
    return rc;
}
