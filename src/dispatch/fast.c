/* Fast dispatch (seeds 000, 001, 002, 004): programs, buffer transfers and events go
 * through the command queue to our prefetcher and dispatcher firmware. This file opens
 * and closes it and is its entry in the dispatch table; fast.h says which file does what. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../util/err.h"
#include "fast.h"

static void fast_close(struct ttm_device *dev)
{
    struct fast *f = dev->fast;
    if (!f)
        return;
    cq_close(&f->q);
    free(f->reads);
    free(f);
    dev->fast = NULL;
}

/* The last column of workers runs the dispatch firmware: it is taken from the workers
 * before they boot, so buffers, CBs and the bank tables leave it alone. */
static int fast_open(struct ttm_device *dev)
{
    struct ttm_chip *c = &dev->chip;
    if (c->grid_x < 2)
        return err_set(-ENODEV, "fast dispatch needs two worker columns");
    c->grid_x--;
    c->n_workers = c->grid_x * c->grid_y;
    int rc = chip_boot(c, DISPATCH_TIMEOUT_MS);
    if (rc)
        return rc;
    struct fast *f = calloc(1, sizeof *f);
    if (!f)
        return err_set(-ENOMEM, "out of memory");
    dev->fast = f;
    f->n_workers = c->n_workers;
    f->n_rects = chip_worker_rects(c, 0, 0, c->grid_x - 1, c->grid_y - 1, f->rects);
    rc = cq_open(&f->q, c, chip_worker_at(c, c->grid_x, 0), chip_worker_at(c, c->grid_x, 1));
    if (!rc)
        rc = fast_boot(dev);
    if (rc)
        fast_close(dev);
    return rc;
}

static int fast_launch(struct ttm_device *dev, struct ttm_program *prog, uint32_t timeout_ms)
{
    int rc = fast_enqueue_program(dev, prog);
    return rc ? rc : fast_finish(dev, timeout_ms);
}

int fast_submit_raw(struct ttm_device *dev, const void *cmds, uint32_t len, uint16_t n_cmds)
{
    struct fast *f = dev->fast;
    struct ttm_cq_cmd *c;
    /* Reserve the bytes as one command, then make the record count what was given. */
    int rc = cq_cmd(&f->q, (len + 15) & ~15u, DISPATCH_TIMEOUT_MS, &c);
    if (rc)
        return rc;
    memcpy(c, cmds, len);
    f->q.rec_cmds = (uint16_t)(f->q.rec_cmds - 1 + n_cmds);
    return cq_flush(&f->q, DISPATCH_TIMEOUT_MS);
}

const struct dispatch_ops dispatch_fast_ops = {
    .mode = TTM_DISPATCH_FAST,
    .open = fast_open,
    .close = fast_close,
    .launch = fast_launch,
    .write_buffer = fast_write_buffer,
    .read_buffer = fast_read_buffer,
    .enqueue_program = fast_enqueue_program,
    .record_event = fast_record_event,
    .event_wait = fast_event_wait,
    .event_query = fast_event_query,
    .finish = fast_finish,
    .args_changed = fast_args_changed,
    .program_free = fast_program_free,
};
