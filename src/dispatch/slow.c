/* Slow dispatch: the host writes each core's kernel-config image, launch message and GO
 * through TLB windows and polls GO for DONE (seed 003 "Mailboxes"; host-facts 5.4).
 *
 * Cores that run the same kernels with the same circular buffers form a kernel group and
 * share one image layout; everything but the unique runtime args is identical within a
 * group and goes by multicast, one per rectangle of the group's cores. Kernel images are
 * written at every launch, which also resets their .data and .bss.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../api/internal.h"
#include "../util/err.h"

#define BASE TTM_L1_KERNEL_CONFIG

struct group {
    struct ttm_kernel *k[2];                 /* BRISC, NCRISC kernel (or NULL) */
    struct ttm_cb *cb[TTM_MAX_CBS];
    struct core_set cores;
    uint16_t rta_off[2], crta_off[2], cb_off, sem_off;
    uint32_t text_off[2], size, cb_mask;
};

struct launch {
    struct ttm_device *dev;
    struct ttm_program *prog;
    struct group *groups;
    uint32_t n_groups;
    uint32_t *cores;                         /* every launched core, ascending */
    uint32_t n_cores, next_done;
};

static uint32_t align16(uint32_t v)
{
    return (v + 15) & ~15u;
}

/* The kernel on `proc` and the CB of each index at core i decide its group. */
static void core_key(const struct ttm_program *p, uint32_t i, struct group *g)
{
    memset(g, 0, sizeof *g);
    for (uint32_t n = 0; n < p->n_kernels; n++) {
        struct ttm_kernel *k = p->kernels[n];
        if (core_set_has(&k->cores, i))
            g->k[k->proc == TTM_PROC_BRISC ? 0 : 1] = k;
    }
    for (uint32_t n = 0; n < p->n_cbs; n++)
        if (core_set_has(&p->cbs[n]->cores, i))
            g->cb[p->cbs[n]->index] = p->cbs[n];
}

static int layout(struct group *g)
{
    uint32_t off = 0;
    for (int j = 0; j < 2; j++) {
        g->rta_off[j] = (uint16_t)off;
        off += g->k[j] ? 4 * g->k[j]->max_args : 0;
    }
    off = align16(off);
    for (int j = 0; j < 2; j++) {
        g->crta_off[j] = (uint16_t)off;
        off += g->k[j] ? 4 * g->k[j]->n_common : 0;
    }
    off = align16(off);
    g->cb_off = (uint16_t)off;
    for (uint32_t i = 0; i < TTM_MAX_CBS; i++) {
        if (g->cb[i]) {
            g->cb_mask |= 1u << i;
            off = g->cb_off + 16 * (i + 1);
        }
    }
    off = align16(off);
    g->sem_off = (uint16_t)off;
    off += 16 * TTM_MAX_SEMS;
    for (int j = 0; j < 2; j++) {
        off = align16(off);
        g->text_off[j] = off;
        off += g->k[j] ? g->k[j]->image.size : 0;
    }
    g->size = align16(off);
    if (g->size > TTM_L1_KERNEL_CONFIG_SIZE)
        return err_set(-E2BIG, "kernel-config image of %u bytes exceeds the %u reserved",
                       g->size, TTM_L1_KERNEL_CONFIG_SIZE);
    if (g->k[0] && g->k[1] && g->k[0]->noc == g->k[1]->noc)
        return err_set(-EINVAL, "kernels %s and %s share a core and both use NoC %u; give "
                                "them different NoCs", g->k[0]->name, g->k[1]->name, g->k[0]->noc);
    return 0;
}

static int build_groups(struct launch *l)
{
    const struct ttm_chip *c = &l->dev->chip;
    l->groups = calloc(c->n_workers, sizeof *l->groups);
    l->cores = calloc(c->n_workers, sizeof *l->cores);
    if (!l->groups || !l->cores)
        return err_set(-ENOMEM, "out of memory");
    for (uint32_t i = 0; i < c->n_workers; i++) {
        struct group key;
        core_key(l->prog, i, &key);
        if (!key.k[0] && !key.k[1])
            continue;
        uint32_t g = 0;
        while (g < l->n_groups && (memcmp(l->groups[g].k, key.k, sizeof key.k) ||
                                   memcmp(l->groups[g].cb, key.cb, sizeof key.cb)))
            g++;
        if (g == l->n_groups)
            l->groups[l->n_groups++] = key;
        core_set_add(&l->groups[g].cores, i);
        l->cores[l->n_cores++] = i;
    }
    if (!l->n_cores)
        return err_set(-EINVAL, "program %u has no kernels", l->prog->id);
    for (uint32_t g = 0; g < l->n_groups; g++) {
        int rc = layout(&l->groups[g]);
        if (rc)
            return rc;
    }
    return 0;
}

/* Call fn once per rectangle of logical cores covering the set: runs of adjacent columns
 * in a row, stacked while the next row has the same run. */
static int for_each_rect(const struct ttm_chip *c, const struct core_set *s,
                         int (*fn)(void *arg, uint32_t x0, uint32_t y0, uint32_t x1, uint32_t y1),
                         void *arg)
{
    struct core_set left = *s;
    for (uint32_t y = 0; y < c->grid_y; y++) {
        for (uint32_t x = 0; x < c->grid_x; x++) {
            if (!core_set_has(&left, y * c->grid_x + x))
                continue;
            uint32_t x1 = x, y1 = y;
            while (x1 + 1 < c->grid_x && core_set_has(&left, y * c->grid_x + x1 + 1))
                x1++;
            for (bool full = true; full && y1 + 1 < c->grid_y;) {
                for (uint32_t xx = x; xx <= x1 && full; xx++)
                    full = core_set_has(&left, (y1 + 1) * c->grid_x + xx);
                if (full)
                    y1++;
            }
            for (uint32_t yy = y; yy <= y1; yy++)
                for (uint32_t xx = x; xx <= x1; xx++)
                    left.bits[(yy * c->grid_x + xx) / 64] &= ~(1ull << ((yy * c->grid_x + xx) % 64));
            int rc = fn(arg, x, y, x1, y1);
            if (rc)
                return rc;
            x = x1;
        }
    }
    return 0;
}

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
    uint8_t *img = calloc(1, g->size);
    if (!img)
        return err_set(-ENOMEM, "out of memory");
    for (int j = 0; j < 2; j++) {
        const struct ttm_kernel *k = g->k[j];
        if (!k)
            continue;
        memcpy(img + g->crta_off[j], k->common, 4 * k->n_common);
        memcpy(img + g->text_off[j], k->image.data, k->image.size);
        xip_relocate(&k->image, img + g->text_off[j], BASE + g->text_off[j]);
    }
    struct ttm_cb_config *cbc = (struct ttm_cb_config *)(img + g->cb_off);
    for (uint32_t i = 0; i < TTM_MAX_CBS; i++) {
        const struct ttm_cb *cb = g->cb[i];
        if (cb)
            cbc[i] = (struct ttm_cb_config){(uint32_t)cb->addr, cb->total_size,
                                            cb->total_size / cb->page_size, cb->page_size};
    }
    /* Shared part: common args, CB configs, semaphores (zeroed), kernel images. */
    uint32_t shared = g->crta_off[0];
    struct mcast m = {c, BASE + shared, img + shared, g->size - shared};
    int rc = for_each_rect(c, &g->cores, mcast_rect, &m);
    /* Unique runtime args, core by core. */
    for (uint32_t n = 0; !rc && n < l->n_cores; n++) {
        uint32_t i = l->cores[n];
        if (!core_set_has(&g->cores, i) || !shared)
            continue;
        memset(img, 0, shared);
        for (int j = 0; j < 2; j++)
            if (g->k[j] && g->k[j]->args)
                memcpy(img + g->rta_off[j], &g->k[j]->args[(size_t)i * TTM_MAX_ARGS],
                       4 * g->k[j]->n_args[i]);
        struct chip_worker w = chip_worker_at(c, i % c->grid_x, i / c->grid_x);
        rc = chip_write(c, w.x, w.y, BASE, img, shared);
    }
    free(img);
    if (rc)
        return rc;
    m = (struct mcast){c, TTM_L1_MAILBOX + offsetof(struct ttm_mailbox, launch), msg, sizeof *msg};
    if ((rc = for_each_rect(c, &g->cores, mcast_rect, &m)))
        return rc;
    uint32_t go = TTM_GO_WORD(TTM_RUN_MSG_GO);
    m = (struct mcast){c, TTM_L1_MAILBOX, &go, sizeof go};
    return for_each_rect(c, &g->cores, mcast_rect, &m);
}

static void launch_msg(const struct ttm_program *p, const struct group *g,
                       struct ttm_launch_msg *msg)
{
    memset(msg, 0, sizeof *msg);
    msg->kernel_config_base = BASE;
    for (int j = 0; j < 2; j++) {
        msg->rta_offset[j] = g->rta_off[j];
        msg->crta_offset[j] = g->crta_off[j];
        if (g->k[j]) {
            msg->kernel_text_offset[j] = g->text_off[j] + g->k[j]->image.entry_offset;
            msg->enables |= (uint8_t)(1u << j);
            msg->noc[j] = (uint8_t)g->k[j]->noc;
        }
    }
    msg->local_cb_offset = g->cb_off;
    msg->remote_cb_offset = g->sem_off;
    msg->sem_offset = g->sem_off;
    msg->local_cb_mask = g->cb_mask;
    msg->mode = TTM_DISPATCH_MODE_HOST;
    msg->host_id = p->id;
}

static int all_done(void *arg)
{
    struct launch *l = arg;
    struct ttm_chip *c = &l->dev->chip;
    uint32_t start = l->next_done;
    while (l->next_done < l->n_cores) {
        uint32_t i = l->cores[l->next_done], go;
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

static const char *postcode_name(uint32_t pc)
{
    switch (pc) {
    case TTM_PC_BOOT: return "booting";
    case TTM_PC_IDLE: return "idle";
    case TTM_PC_SETUP: return "setting up";
    case TTM_PC_KERNEL: return "in its kernel";
    case TTM_PC_WAIT_NCRISC: return "waiting for NCRISC";
    }
    return "unknown";
}

/* Say which cores did not finish and where they are, then re-boot them so the device
 * can be used again. */
static int report_hang(struct launch *l, uint32_t timeout_ms)
{
    struct ttm_chip *c = &l->dev->chip;
    char msg[1024];
    size_t used = 0;
    uint32_t *stuck = calloc(l->n_cores, sizeof *stuck), n_stuck = 0;
    if (!stuck)
        return err_set(-ENOMEM, "out of memory");
    for (uint32_t n = l->next_done; n < l->n_cores; n++) {
        uint32_t i = l->cores[n], go = 0, pcs[2] = {0, 0};
        struct chip_worker w = chip_worker_at(c, i % c->grid_x, i / c->grid_x);
        struct ttm_mailbox mb;
        if (chip_read32(c, w.x, w.y, TTM_L1_MAILBOX, &go) || TTM_GO_SIGNAL(go) == TTM_RUN_MSG_DONE)
            continue;
        chip_read(c, w.x, w.y, TTM_L1_MAILBOX, &mb, offsetof(struct ttm_mailbox, launches));
        for (int j = 0; j < 2; j++)
            chip_read32(c, w.x, w.y, BH_PC_SNAPSHOT + 4 * j, &pcs[j]);
        if (n_stuck < 8 && used < sizeof msg) {
            int k = snprintf(msg + used, sizeof msg - used,
                             "%s(%u,%u): BRISC pc 0x%x %s, NCRISC pc 0x%x %s", n_stuck ? "; " : "",
                             i % c->grid_x, i / c->grid_x, pcs[0], postcode_name(mb.postcode[0]),
                             pcs[1], postcode_name(mb.postcode[1]));
            used += k > 0 ? (size_t)k : 0;
        }
        stuck[n_stuck++] = i;
    }
    char faults[512] = "";
    if (c->pcie.ops->take_faults)
        c->pcie.ops->take_faults(&c->pcie, faults, sizeof faults);
    int rc = chip_reboot_workers(c, stuck, n_stuck, timeout_ms);
    free(stuck);
    err_set(-ETIMEDOUT, "program %u: %u of %u cores did not finish within %u ms: %s%s%s%s",
            l->prog->id, n_stuck, l->n_cores, timeout_ms, msg, n_stuck > 8 ? "; ..." : "",
            faults[0] ? "; device faults: " : "", faults);
    return rc ? rc : -ETIMEDOUT;
}

int slow_launch(struct ttm_device *dev, struct ttm_program *prog, uint32_t timeout_ms)
{
    struct launch l = {.dev = dev, .prog = prog};
    struct ttm_chip *c = &dev->chip;
    int rc = build_groups(&l);
    for (uint32_t g = 0; !rc && g < l.n_groups; g++) {
        struct ttm_launch_msg msg;
        launch_msg(prog, &l.groups[g], &msg);
        rc = write_group(c, &l, &l.groups[g], &msg);
    }
    if (!rc) {
        rc = chip_poll(c, all_done, &l, timeout_ms);
        if (rc == -ETIMEDOUT)
            rc = report_hang(&l, timeout_ms);
    }
    free(l.groups);
    free(l.cores);
    return rc;
}
