/* TLB windows: the host reaches a tile by pointing one of BAR0's 2 MiB windows at it
 * (host-facts 2.3-2.4). Windows are kept programmed and reused, least recently used ones
 * retargeted; a config register is written as three 32-bit words, the only access size
 * Tenstorrent's simulator accepts for them. */
#include <errno.h>
#include <string.h>

#include "../util/err.h"
#include "chip.h"

/* Ordering field: 1 = strict, full AXI ordering (UMD tlb.hpp; KMD's own window uses it). */
#define TLB_ORDERING_STRICT 1u

static void put_bits(uint32_t w[3], unsigned pos, unsigned width, uint64_t v)
{
    for (unsigned i = 0; i < width; i++, pos++)
        if (v >> i & 1)
            w[pos / 32] |= 1u << (pos % 32);
}

static int program(struct ttm_chip *chip, unsigned id, const struct tlb_window *t)
{
    const struct bh_tlb_layout *l = bh_tlb_layout(0);
    uint32_t w[3] = {0, 0, 0};
    put_bits(w, 0, l->addr_bits, t->base >> 21);
    put_bits(w, l->x_end, 6, t->x1);
    put_bits(w, l->y_end, 6, t->y1);
    put_bits(w, l->x_start, 6, t->mcast ? t->x0 : 0);
    put_bits(w, l->y_start, 6, t->mcast ? t->y0 : 0);
    put_bits(w, l->mcast, 1, t->mcast);
    put_bits(w, l->ordering, 2, TLB_ORDERING_STRICT);
    for (unsigned i = 0; i < 3; i++) {
        int rc = chip->pcie.ops->bar_write(&chip->pcie, 0, BH_TLB_CFG_BASE + BH_TLB_CFG_ENTRY * id + 4 * i,
                                           &w[i], 4);
        if (rc)
            return err_set(rc, "cannot program TLB window %u", id);
    }
    return 0;
}

static bool window_is(const struct tlb_window *t, const struct tlb_window *want)
{
    return t->valid && t->mcast == want->mcast && t->base == want->base && t->x1 == want->x1 &&
           t->y1 == want->y1 && (!t->mcast || (t->x0 == want->x0 && t->y0 == want->y0));
}

/* The window covering `base` of the given target, programming one if needed. The last
 * window used is tried first: hot paths (queue doorbells, polls) hit the same one. */
static int window_for(struct ttm_chip *chip, const struct tlb_window *want, unsigned *id)
{
    unsigned victim = 0;
    uint64_t oldest = UINT64_MAX;
    if (window_is(&chip->win[chip->tlb_last], want)) {
        chip->win[chip->tlb_last].last_use = ++chip->tlb_clock;
        *id = chip->tlb_last;
        return 0;
    }
    for (unsigned i = 0; i < CHIP_TLB_WINDOWS; i++) {
        struct tlb_window *t = &chip->win[i];
        if (window_is(t, want)) {
            t->last_use = ++chip->tlb_clock;
            *id = chip->tlb_last = i;
            return 0;
        }
        uint64_t age = t->valid ? t->last_use : 0;
        if (age < oldest) {
            oldest = age;
            victim = i;
        }
    }
    int rc = program(chip, victim, want);
    if (rc) {
        chip->win[victim].valid = false;
        return rc;
    }
    chip->win[victim] = *want;
    chip->win[victim].valid = true;
    chip->win[victim].last_use = ++chip->tlb_clock;
    *id = chip->tlb_last = victim;
    return 0;
}

static int access(struct ttm_chip *chip, struct tlb_window want, uint64_t addr, void *buf,
                  size_t len, bool write)
{
    while (len) {
        want.base = addr & ~(BH_TLB_2M_SIZE - 1);
        uint64_t off = addr - want.base;
        size_t n = len < BH_TLB_2M_SIZE - off ? len : (size_t)(BH_TLB_2M_SIZE - off);
        unsigned id;
        int rc = window_for(chip, &want, &id);
        if (rc)
            return rc;
        uint64_t bar_off = id * BH_TLB_2M_SIZE + off;
        if (write) {
            rc = chip->pcie.ops->bar_write(&chip->pcie, 0, bar_off, buf, n);
            chip->bar_bytes_written += n;
        } else {
            rc = chip->pcie.ops->bar_read(&chip->pcie, 0, bar_off, buf, n);
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
