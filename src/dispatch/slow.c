/* Slow dispatch: the host writes each core's kernel-config image, launch message and GO
 * through TLB windows and polls GO for DONE (seed 003 "Mailboxes"; host-facts 5.4), and
 * moves buffer data itself.
 *
 * Cores that run the same kernels with the same circular buffers form a kernel group and
 * share one image layout; everything but the unique runtime args is identical within a
 * group and goes by multicast, one per rectangle of the group's cores. Kernel images are
 * written at every launch, which also resets their .data and .bss.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../chip/banks.h"
#include "../util/err.h"
#include "dispatch.h"
#include "groups.h"
#include "hang.h"

/* One launch at a time: its semaphores at the start of the config area, every group's
 * image after them. */
#define SEMS TTM_L1_KERNEL_CONFIG
#define BASE (TTM_L1_KERNEL_CONFIG + TTM_SEM_BLOCK)

struct launch {
    struct ttm_device *dev;
    struct ttm_program *prog;
    struct plan plan;
    uint32_t next_done;
};

struct mcast {
    struct ttm_chip *chip;
    uint64_t addr;
    const void *data;
    size_t len;
};

static int mcast_rect(void *arg, uint32_t x0, uint32_t y0, uint32_t x1, uint32_t y1)
{
    struct mcast *m = arg;
    return chip_write_workers(m->chip, x0, y0, x1, y1, m->addr, m->data, m->len);
}

static int write_group(struct ttm_chip *c, struct launch *l, const struct group *g,
                       const struct ttm_launch_msg *msg)
{
    uint8_t *img = malloc(g->size);
    if (!img)
        return err_set(-ENOMEM, "out of memory");
    group_image(g, BASE, img);
    /* Shared part: common args, CB configs, kernel images. */
    uint32_t shared = g->crta_off[0];
    struct mcast m = {c, BASE + shared, img + shared, g->size - shared};
    int rc = for_each_rect(c, &g->cores, mcast_rect, &m);
    /* Unique runtime args, core by core. */
    for (uint32_t n = 0; !rc && shared && n < l->plan.n_cores; n++) {
        uint32_t i = l->plan.cores[n];
        if (!core_set_has(&g->cores, i))
            continue;
        group_args(g, i, img);
        struct chip_worker w = chip_worker_at(c, i % c->grid_x, i / c->grid_x);
        rc = chip_write(c, w.x, w.y, BASE, img, shared);
    }
    free(img);
    if (rc)
        return rc;
    if (g->has_sems) {
        uint8_t sems[TTM_SEM_BLOCK];
        group_sems(g, sems);
        m = (struct mcast){c, SEMS, sems, sizeof sems};
        if ((rc = for_each_rect(c, &g->cores, mcast_rect, &m)))
            return rc;
    }
    m = (struct mcast){c, TTM_L1_MAILBOX + offsetof(struct ttm_mailbox, launch), msg, sizeof *msg};
    if ((rc = for_each_rect(c, &g->cores, mcast_rect, &m)))
        return rc;
    uint32_t go = TTM_GO_WORD(TTM_RUN_MSG_GO);
    m = (struct mcast){c, TTM_L1_MAILBOX, &go, sizeof go};
    return for_each_rect(c, &g->cores, mcast_rect, &m);
}

static int all_done(void *arg)
{
    struct launch *l = arg;
    struct ttm_chip *c = &l->dev->chip;
    uint32_t start = l->next_done;
    while (l->next_done < l->plan.n_cores) {
        uint32_t i = l->plan.cores[l->next_done], go;
        struct chip_worker w = chip_worker_at(c, i % c->grid_x, i / c->grid_x);
        int rc = chip_read32(c, w.x, w.y, TTM_L1_MAILBOX, &go);
        if (rc)
            return rc;
        if (TTM_GO_SIGNAL(go) != TTM_RUN_MSG_DONE)
            return l->next_done > start ? 2 : 0;
        l->next_done++;
    }
    return 1;
}

/* After a timeout or a fault (rc): say which cores did not finish, where they are and
 * what faulted, then re-boot them so the device can be used again. The reboot has a
 * budget of its own, as long as the launch's. */
static int report_hang(struct launch *l, int rc, uint32_t timeout_ms)
{
    struct ttm_chip *c = &l->dev->chip;
    uint32_t n = l->plan.n_cores - l->next_done;
    uint32_t *stuck = calloc(n ? n : 1, sizeof *stuck);
    char msg[1536];
    if (!stuck)
        return err_set(-ENOMEM, "out of memory");
    uint32_t n_stuck = hang_describe(c, l->plan.cores + l->next_done, n, msg, sizeof msg, stuck);
    struct wait_budget reboot;
    wait_budget_start(&reboot, timeout_ms);
    int rrc = chip_reboot_workers(c, stuck, n_stuck, &reboot);
    free(stuck);
    if (rc == -EFAULT)
        err_set(rc, "program %u: device code faulted; %u of %u cores had not finished: %s",
                l->prog->id, n_stuck, l->plan.n_cores, msg);
    else
        err_set(rc, "program %u: %u of %u cores did not finish within %u ms: %s", l->prog->id,
                n_stuck, l->plan.n_cores, timeout_ms, msg);
    return rrc ? rrc : rc;
}

static int slow_launch(struct ttm_device *dev, struct ttm_program *prog, uint32_t timeout_ms)
{
    struct launch l = {.dev = dev, .prog = prog};
    struct ttm_chip *c = &dev->chip;
    int rc = plan_build(dev, prog, &l.plan);
    for (uint32_t g = 0; !rc && g < l.plan.n_groups; g++) {
        struct ttm_launch_msg msg;
        group_launch_msg(prog, &l.plan.groups[g], BASE, SEMS, TTM_DISPATCH_MODE_HOST, &msg);
        rc = write_group(c, &l, &l.plan.groups[g], &msg);
    }
    if (!rc) {
        struct wait_budget b;
        wait_budget_start(&b, timeout_ms);
        rc = chip_poll(c, all_done, &l, &b);
        if (rc == -ETIMEDOUT || rc == -EFAULT)
            rc = report_hang(&l, rc, timeout_ms);
    }
    plan_free(&l.plan);
    return rc;
}

/* The host moves [offset, offset + size) itself through TLB windows, one run within a
 * page at a time. */
static int transfer(struct ttm_buffer *b, uint64_t offset, void *host, uint64_t size, bool write)
{
    struct ttm_chip *c = &b->dev->chip;
    bool dram = b->type == TTM_BUFFER_DRAM;
    uint8_t *p = host;
    while (size) {
        struct bank_span sp;
        chip_bank_span(c, dram, b->addr, b->page_size, offset, size, UINT32_MAX, &sp);
        int rc = write ? chip_write(c, sp.x, sp.y, sp.addr, p, sp.len)
                       : chip_read(c, sp.x, sp.y, sp.addr, p, sp.len);
        if (rc)
            return err_wrap(rc, "buffer %s", write ? "write" : "read");
        p += sp.len;
        offset += sp.len;
        size -= sp.len;
    }
    return 0;
}

static int slow_write_buffer(struct ttm_buffer *b, uint64_t offset, const void *src,
                             uint64_t size, int blocking)
{
    (void)blocking; /* always: there is no queue to leave it in */
    return transfer(b, offset, (void *)src, size, true);
}

static int slow_read_buffer(struct ttm_buffer *b, uint64_t offset, void *dst, uint64_t size,
                            int blocking)
{
    (void)blocking;
    return transfer(b, offset, dst, size, false);
}

static int slow_open(struct ttm_device *dev)
{
    struct wait_budget b;
    wait_budget_start(&b, DISPATCH_TIMEOUT_MS);
    return chip_boot(&dev->chip, &b);
}

static void slow_close(struct ttm_device *dev)
{
    (void)dev;
}

/* One launch at a time: each core holds only its own group's image. */
static int slow_check_program(const struct ttm_device *dev, const struct ttm_program *prog)
{
    return plan_check(dev, prog, false);
}

const struct dispatch_ops dispatch_slow_ops = {
    .mode = TTM_DISPATCH_SLOW,
    .check_program = slow_check_program,
    .open = slow_open,
    .close = slow_close,
    .launch = slow_launch,
    .write_buffer = slow_write_buffer,
    .read_buffer = slow_read_buffer,
};
