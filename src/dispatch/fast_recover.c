/* After a failure the queue cannot be trusted through (a timeout, a refused record, a
 * corrupt completion ring, a device fault): say what is stuck or faulted and where, reboot
 * the workers and the dispatch cores, and drop what was queued, so the next call finds the
 * device as it was after opening (ttm.h: what survives a reset). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/err.h"
#include "../util/grow.h"
#include "fast.h"
#include "hang.h"

/* Events recorded but not completed are dropped: remember them, so waiting on one says
 * so instead of passing or hanging. */
static int drop_events(struct fast *f)
{
    if (f->next_event == f->events_done)
        return 0;
    int rc = grow_array((void **)&f->lost, &f->cap_lost, f->n_lost + 1, sizeof *f->lost);
    if (rc)
        return rc;
    f->lost[f->n_lost++] = (struct lost_events){f->events_done + 1, f->next_event};
    f->events_done = f->next_event;
    return 0;
}

static int reset(struct ttm_device *dev, struct wait_budget *b)
{
    struct fast *f = dev->fast;
    int rc = drop_events(f);
    if (!rc)
        rc = chip_boot(&dev->chip, b);
    cq_reset(&f->q);
    f->launches = f->done_target = f->cfg_wr = 0;
    memset(f->inflight, 0, sizeof f->inflight);
    f->reads_len = f->reads_head = 0;
    return rc ? rc : fast_boot(dev, b);
}

/* The failure's story: which workers still run and what faulted, and where the
 * dispatcher is. The failure's own message (err_get) comes first. */
static int describe(struct ttm_device *dev, int rc, uint32_t timeout_ms)
{
    struct ttm_chip *c = &dev->chip;
    char first[512], msg[1536] = "", where[160];
    uint32_t *cores = calloc(c->n_workers, sizeof *cores), *stuck = calloc(c->n_workers, sizeof *stuck);
    if (!cores || !stuck) {
        free(cores);
        free(stuck);
        return err_set(-ENOMEM, "out of memory");
    }
    snprintf(first, sizeof first, "%s", err_get());
    for (uint32_t i = 0; i < c->n_workers; i++)
        cores[i] = i;
    uint32_t n = hang_describe(c, cores, c->n_workers, msg, sizeof msg, stuck);
    free(cores);
    free(stuck);
    cq_describe(&dev->fast->q, where, sizeof where);
    if (rc == -ETIMEDOUT)
        return err_set(rc, "fast dispatch: not done within %u ms (%s); %u workers still running%s%s; %s",
                       timeout_ms, first, n, n ? ": " : "", msg, where);
    return err_set(rc, "fast dispatch: %s; %u workers still running%s%s; %s", first, n,
                   n ? ": " : "", msg, where);
}

int fast_recover(struct ttm_device *dev, int rc, uint32_t timeout_ms)
{
    char msg[2048];
    if (describe(dev, rc, timeout_ms) == -ENOMEM)
        return -ENOMEM;
    snprintf(msg, sizeof msg, "%s", err_get());
    struct wait_budget b;
    wait_budget_start(&b, timeout_ms);
    int rrc = reset(dev, &b);
    if (rrc)
        return err_wrap(rrc, "resetting after: %s", msg);
    err_set(rc, "%s", msg);
    return rc;
}
