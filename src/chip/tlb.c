/* TLB windows: the host reaches a tile by pointing one of BAR0's 2 MiB windows at it
 * (host-facts 2.3-2.4). Window ids come from the backend (on a card, tt-kmd hands them
 * out, and other processes may hold some); the chip takes them as it needs them, up to
 * CHIP_TLB_WINDOWS, keeps them pointed where they were last used, and retargets the least
 * recently used one when none points where an access goes and no more can be had. */
#include <errno.h>
#include <string.h>

#include "../util/err.h"
#include "chip.h"

static bool window_is(const struct tlb_window *t, const struct tlb_window *want)
{
    return t->valid && t->mcast == want->mcast && t->base == want->base && t->x1 == want->x1 &&
           t->y1 == want->y1 && (!t->mcast || (t->x0 == want->x0 && t->y0 == want->y0));
}

/* Whether the window reaches memory (a worker's L1, a DRAM bank) rather than registers:
 * only memory may take combined writes on a card (kmd-facts R1). Before the grid is
 * known, everything is treated as registers. */
static bool reaches_memory(const struct ttm_chip *chip, const struct tlb_window *t)
{
    if (t->mcast)
        return t->base < BH_L1_SIZE;
    for (uint32_t b = 0; b < chip->n_dram; b++)
        if (t->x1 == chip->dram_x[b] && t->y1 == chip->dram_y[b])
            return true;
    if (t->base >= BH_L1_SIZE || t->y1 < BH_TENSIX_Y0 || t->y1 >= BH_TENSIX_Y0 + chip->grid_y)
        return false;
    for (uint32_t c = 0; c < chip->grid_x; c++)
        if (t->x1 == chip->col_x[c])
            return true;
    return false;
}

static int configure(struct ttm_chip *chip, struct tlb_window *t)
{
    struct pcie_tlb_cfg cfg = {
        .addr = t->base,
        .x_end = t->x1,
        .y_end = t->y1,
        .x_start = t->mcast ? t->x0 : 0,
        .y_start = t->mcast ? t->y0 : 0,
        .mcast = t->mcast,
        .ordering = BH_TLB_ORDERING_STRICT,
        .memory = reaches_memory(chip, t),
    };
    int rc = chip->pcie.ops->tlb_configure(&chip->pcie, t->id, &cfg);
    return rc ? err_wrap(rc, "cannot program TLB window %u", t->id) : 0;
}

/* The window covering `base` of the given target, pointing one there if needed. The
 * last window used is tried first: hot paths (queue doorbells, polls) hit the same one. */
static int window_for(struct ttm_chip *chip, const struct tlb_window *want, struct tlb_window **out)
{
    struct tlb_window *last = &chip->win[chip->tlb_last];
    if (chip->n_win && window_is(last, want)) {
        last->last_use = ++chip->tlb_clock;
        *out = last;
        return 0;
    }
    unsigned victim = 0;
    uint64_t oldest = UINT64_MAX;
    for (unsigned i = 0; i < chip->n_win; i++) {
        struct tlb_window *t = &chip->win[i];
        if (window_is(t, want)) {
            t->last_use = ++chip->tlb_clock;
            chip->tlb_last = i;
            *out = t;
            return 0;
        }
        if (t->last_use < oldest) {
            oldest = t->last_use;
            victim = i;
        }
    }
    int rc = -ENOSPC;
    if (chip->n_win < CHIP_TLB_WINDOWS && (!chip->tlb_full || !chip->n_win)) {
        uint32_t id;
        rc = chip->pcie.ops->tlb_alloc(&chip->pcie, BH_TLB_2M_SIZE, &id);
        if (!rc) {
            victim = chip->n_win++;
            chip->win[victim].id = id;
        } else {
            chip->tlb_full = true; /* from now on, retarget the windows we have */
        }
    }
    if (!chip->n_win)
        return err_wrap(rc, "no TLB window to reach the chip through");
    struct tlb_window *t = &chip->win[victim];
    uint32_t keep = t->id;
    *t = *want;
    t->id = keep;
    t->valid = true;
    t->last_use = ++chip->tlb_clock;
    if ((rc = configure(chip, t))) {
        t->valid = false; /* points nowhere known: the first to be retargeted */
        t->last_use = 0;
        return rc;
    }
    chip->tlb_last = victim;
    *out = t;
    return 0;
}

static int access(struct ttm_chip *chip, struct tlb_window want, uint64_t addr, void *buf,
                  size_t len, bool write)
{
    while (len) {
        want.base = addr & ~(BH_TLB_2M_SIZE - 1);
        uint64_t off = addr - want.base;
        size_t n = len < BH_TLB_2M_SIZE - off ? len : (size_t)(BH_TLB_2M_SIZE - off);
        struct tlb_window *t = NULL;
        int rc = window_for(chip, &want, &t);
        if (rc)
            return rc;
        if (write) {
            rc = chip->pcie.ops->tlb_write(&chip->pcie, t->id, off, buf, n);
            chip->bar_bytes_written += n;
        } else {
            rc = chip->pcie.ops->tlb_read(&chip->pcie, t->id, off, buf, n);
        }
        if (rc)
            return err_set(rc, "NoC %s of %zu bytes at (%u,%u) 0x%llx failed",
                           write ? "write" : "read", n, want.x1, want.y1,
                           (unsigned long long)addr);
        buf = (uint8_t *)buf + n;
        addr += n;
        len -= n;
    }
    return 0;
}

void chip_tlb_release(struct ttm_chip *chip)
{
    for (unsigned i = 0; i < chip->n_win; i++)
        chip->pcie.ops->tlb_free(&chip->pcie, chip->win[i].id);
    chip->n_win = 0;
    chip->tlb_full = false;
}

int chip_read(struct ttm_chip *chip, uint32_t x, uint32_t y, uint64_t addr, void *dst,
              size_t len)
{
    struct tlb_window w = {.x1 = (uint8_t)x, .y1 = (uint8_t)y};
    return access(chip, w, addr, dst, len, false);
}

int chip_write(struct ttm_chip *chip, uint32_t x, uint32_t y, uint64_t addr, const void *src,
               size_t len)
{
    struct tlb_window w = {.x1 = (uint8_t)x, .y1 = (uint8_t)y};
    return access(chip, w, addr, (void *)src, len, true);
}

int chip_write_mcast(struct ttm_chip *chip, uint32_t x0, uint32_t y0, uint32_t x1, uint32_t y1,
                     uint64_t addr, const void *src, size_t len)
{
    struct tlb_window w = {.mcast = true, .x0 = (uint8_t)x0, .y0 = (uint8_t)y0,
                           .x1 = (uint8_t)x1, .y1 = (uint8_t)y1};
    return access(chip, w, addr, (void *)src, len, true);
}

int chip_read32(struct ttm_chip *chip, uint32_t x, uint32_t y, uint64_t addr, uint32_t *val)
{
    return chip_read(chip, x, y, addr, val, 4);
}

int chip_write32(struct ttm_chip *chip, uint32_t x, uint32_t y, uint64_t addr, uint32_t val)
{
    return chip_write(chip, x, y, addr, &val, 4);
}

unsigned chip_worker_rects(const struct ttm_chip *chip, uint32_t lx0, uint32_t ly0, uint32_t lx1,
                           uint32_t ly1, struct chip_rect *out)
{
    /* Translated columns run 1..7 then 10..: a rectangle spanning the gap would include
     * the non-Tensix columns 8 and 9, so there is one rectangle per run of adjacent
     * columns. */
    unsigned n = 0;
    uint32_t start = lx0;
    for (uint32_t lx = lx0; lx <= lx1; lx++) {
        if (lx < lx1 && chip->col_x[lx + 1] == chip->col_x[lx] + 1)
            continue;
        out[n++] = (struct chip_rect){chip->col_x[start], (uint8_t)(BH_TENSIX_Y0 + ly0),
                                      chip->col_x[lx], (uint8_t)(BH_TENSIX_Y0 + ly1)};
        start = lx + 1;
    }
    return n;
}

int chip_write_workers(struct ttm_chip *chip, uint32_t lx0, uint32_t ly0, uint32_t lx1,
                       uint32_t ly1, uint64_t addr, const void *src, size_t len)
{
    struct chip_rect r[CHIP_MAX_RECTS];
    unsigned n = chip_worker_rects(chip, lx0, ly0, lx1, ly1, r);
    for (unsigned i = 0; i < n; i++) {
        int rc = (r[i].x0 == r[i].x1 && r[i].y0 == r[i].y1)
                     ? chip_write(chip, r[i].x0, r[i].y0, addr, src, len)
                     : chip_write_mcast(chip, r[i].x0, r[i].y0, r[i].x1, r[i].y1, addr, src, len);
        if (rc)
            return rc;
    }
    return 0;
}
