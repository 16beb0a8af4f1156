/* Fast dispatch (seeds 000, 001, 002, 004): programs, buffer transfers and events go
 * through the command queue to our prefetcher and dispatcher firmware. This file opens
 * and closes it and is its entry in the dispatch table; fast.h says which file does what.
 *
 * Every entry gives the call one wait budget (src/chip/chip.h), and a call that meets a
 * failure leaving the queue in an unknown state resets the device before it returns, so
 * the next call finds it usable (ttm.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../util/err.h"
#include "fast.h"
#include "groups.h"

static void fast_close(struct ttm_device *dev)
{
    struct fast *f = dev->fast;
    if (!f)
        return;
    cq_close(&f->q);
    free(f->reads);
    free(f->lost);
    free(f);
    dev->fast = NULL;
}

/* The last column of workers runs the dispatch firmware: it is taken from the workers
 * before they boot, so buffers, CBs and the bank tables leave it alone. */
static int fast_open(struct ttm_device *dev)
{
    struct ttm_chip *c = &dev->chip;
    struct wait_budget b;
    wait_budget_start(&b, DISPATCH_TIMEOUT_MS);
    if (c->grid_x < 2)
        return err_set(-ENODEV, "fast dispatch needs two worker columns");
    c->grid_x--;
    c->n_workers = c->grid_x * c->grid_y;
    int rc = chip_boot(c, &b);
    if (rc)
        return rc;
    struct fast *f = calloc(1, sizeof *f);
    if (!f)
        return err_set(-ENOMEM, "out of memory");
    dev->fast = f;
    f->n_workers = c->n_workers;
    f->n_rects = chip_worker_rects(c, 0, 0, c->grid_x - 1, c->grid_y - 1, f->rects);
    rc = cq_open(&f->q, c, chip_worker_at(c, c->grid_x, 0), chip_worker_at(c, c->grid_x, 1),
                 fast_on_completion, f);
    if (!rc)
        rc = fast_boot(dev, &b);
    if (rc)
        fast_close(dev);
    return rc;
}

/* Every entry ends here: a failure that leaves the queue unknown resets the device. */
static int settle(struct ttm_device *dev, int rc, uint32_t timeout_ms)
{
    return fast_needs_reset(rc) ? fast_recover(dev, rc, timeout_ms) : rc;
}

static int launch(struct ttm_device *dev, struct ttm_program *prog, uint32_t timeout_ms)
{
    struct wait_budget b;
    wait_budget_start(&b, timeout_ms);
    int rc = fast_enqueue_program(dev, prog, &b);
    return settle(dev, rc ? rc : fast_finish(dev, &b), timeout_ms);
}

static int enqueue_program(struct ttm_device *dev, struct ttm_program *prog)
{
    struct wait_budget b;
    wait_budget_start(&b, DISPATCH_TIMEOUT_MS);
    return settle(dev, fast_enqueue_program(dev, prog, &b), DISPATCH_TIMEOUT_MS);
}

static int write_buffer(struct ttm_buffer *buf, uint64_t offset, const void *src, uint64_t size,
                        int blocking)
{
    struct wait_budget b;
    wait_budget_start(&b, DISPATCH_TIMEOUT_MS);
    return settle(buf->dev, fast_write_buffer(buf, offset, src, size, blocking, &b),
                  DISPATCH_TIMEOUT_MS);
}

static int read_buffer(struct ttm_buffer *buf, uint64_t offset, void *dst, uint64_t size,
                       int blocking)
{
    struct wait_budget b;
    wait_budget_start(&b, DISPATCH_TIMEOUT_MS);
    return settle(buf->dev, fast_read_buffer(buf, offset, dst, size, blocking, &b),
                  DISPATCH_TIMEOUT_MS);
}

static int record_event(struct ttm_device *dev, uint64_t *event)
{
    struct wait_budget b;
    wait_budget_start(&b, DISPATCH_TIMEOUT_MS);
    return settle(dev, fast_record_event(dev, event, &b), DISPATCH_TIMEOUT_MS);
}

static int event_wait(struct ttm_device *dev, uint64_t event, uint32_t timeout_ms)
{
    struct wait_budget b;
    wait_budget_start(&b, timeout_ms);
    return settle(dev, fast_event_wait(dev, event, &b), timeout_ms);
}

static int event_query(struct ttm_device *dev, uint64_t event)
{
    struct wait_budget b;
    wait_budget_start(&b, DISPATCH_TIMEOUT_MS);
    return settle(dev, fast_event_query(dev, event, &b), DISPATCH_TIMEOUT_MS);
}

static int finish(struct ttm_device *dev, uint32_t timeout_ms)
{
    struct wait_budget b;
    wait_budget_start(&b, timeout_ms);
    return settle(dev, fast_finish(dev, &b), timeout_ms);
}

int fast_submit_raw(struct ttm_device *dev, const void *cmds, uint32_t len, uint16_t n_cmds)
{
    struct fast *f = dev->fast;
    struct ttm_cq_cmd *c;
    struct wait_budget b;
    wait_budget_start(&b, DISPATCH_TIMEOUT_MS);
    /* Reserve the bytes as one command, then make the record count what was given. */
    int rc = cq_cmd(&f->q, (len + 15) & ~15u, &b, &c);
    if (!rc) {
        memcpy(c, cmds, len);
        f->q.rec_cmds = (uint16_t)(f->q.rec_cmds - 1 + n_cmds);
        rc = cq_flush(&f->q, &b);
    }
    return settle(dev, rc, DISPATCH_TIMEOUT_MS);
}

void fast_set_next_event(struct ttm_device *dev, uint64_t next)
{
    dev->fast->events_done = next - 1;
    dev->fast->next_event = next - 1;
}

/* A launch's groups sit side by side in the config ring. */
static int check_program(const struct ttm_device *dev, const struct ttm_program *prog)
{
    return plan_check(dev, prog, true);
}

const struct dispatch_ops dispatch_fast_ops = {
    .mode = TTM_DISPATCH_FAST,
    .check_program = check_program,
    .open = fast_open,
    .close = fast_close,
    .launch = launch,
    .write_buffer = write_buffer,
    .read_buffer = read_buffer,
    .enqueue_program = enqueue_program,
    .record_event = record_event,
    .event_wait = event_wait,
    .event_query = event_query,
    .finish = finish,
    .args_changed = fast_args_changed,
    .program_free = fast_program_free,
};
