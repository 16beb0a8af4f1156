/* After a timeout or a refused record: say what is stuck and where, reboot the workers
 * and the dispatch cores, and forget what was queued, so the next call finds the device
 * as it was after opening (ttm.h: "the device is reset and usable afterwards"). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/err.h"
#include "fast.h"
#include "hang.h"

static int reset(struct ttm_device *dev)
{
    struct fast *f = dev->fast;
    int rc = chip_boot(&dev->chip, DISPATCH_TIMEOUT_MS);
    cq_reset(&f->q);
    f->launches = f->done_target = f->cfg_wr = 0;
    memset(f->inflight, 0, sizeof f->inflight);
    f->events_done = f->next_event; /* what was outstanding is gone */
    f->reads_len = f->reads_head = 0;
    f->error = 0;
    return rc ? rc : fast_boot(dev);
}

/* The timeout's story: which workers still run and where the dispatcher is. */
static int describe_hang(struct ttm_device *dev, uint32_t timeout_ms)
{
    struct ttm_chip *c = &dev->chip;
    char msg[1536] = "", where[160];
    uint32_t *cores = calloc(c->n_workers, sizeof *cores), *stuck = calloc(c->n_workers, sizeof *stuck);
    if (!cores || !stuck) {
        free(cores);
        free(stuck);
        return err_set(-ENOMEM, "out of memory");
    }
    for (uint32_t i = 0; i < c->n_workers; i++)
        cores[i] = i;
    uint32_t n = hang_describe(c, cores, c->n_workers, msg, sizeof msg, stuck);
    free(cores);
    free(stuck);
    cq_describe(&dev->fast->q, where, sizeof where);
    return err_set(-ETIMEDOUT, "fast dispatch: not done within %u ms; %u workers still running%s%s; %s",
                   timeout_ms, n, n ? ": " : "", msg, where);
}

int fast_recover(struct ttm_device *dev, int rc, uint32_t timeout_ms)
{
    char msg[1536];
    if (rc == -ETIMEDOUT && describe_hang(dev, timeout_ms) == -ENOMEM)
        return -ENOMEM;
    if (rc == -EPROTO)
        err_set(rc, "%s", dev->fast->error_msg);
    snprintf(msg, sizeof msg, "%s", err_get());
    int rrc = reset(dev);
    if (rrc)
        return err_wrap(rrc, "resetting after: %s", msg);
    err_set(rc, "%s", msg);
    return rc;
}
