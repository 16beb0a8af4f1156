/* The chip: boards and harvesting, the translated-coordinate routing table, faults, and
 * the zero-time inspection entry points. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu.h"

/* Tensix columns a board may disable: every NOC0 Tensix x. */
static uint32_t tensix_col_mask(void)
{
    uint32_t m = 0;
    for (unsigned k = 0; k < BH_TENSIX_COLS; k++)
        m |= 1u << bh_tensix_x(k);
    return m;
}

void bhemu_config_default(uint32_t board, struct bhemu_config *cfg)
{
    cfg->board = board;
    cfg->tensix_cols_off = board == BHEMU_P100A ? (1u << 14 | 1u << 16) : 0;
    cfg->dram_banks_off = board == BHEMU_P100A ? 1u << 7 : 0;
}

/* P100A: two of fourteen Tensix columns and one of eight DRAM banks fused off; P150A:
 * everything enabled (ISA README product table; device-facts 1.2-1.3). */
static bool config_valid(const struct bhemu_config *cfg)
{
    if (cfg->tensix_cols_off & ~tensix_col_mask())
        return false;
    if (cfg->dram_banks_off & ~((1u << BH_DRAM_BANKS) - 1))
        return false;
    int cols = __builtin_popcount(cfg->tensix_cols_off);
    int banks = __builtin_popcount(cfg->dram_banks_off);
    switch (cfg->board) {
    case BHEMU_P100A: return cols == 2 && banks == 1;
    case BHEMU_P150A: return cols == 0 && banks == 0;
    }
    return false;
}

static void set_route(struct bhemu *emu, uint32_t x, uint32_t y, uint8_t kind, uint16_t index)
{
    emu->route[x][y].kind = kind;
    emu->route[x][y].index = index;
}

const struct route *emu_route(const struct bhemu *emu, uint32_t x, uint32_t y)
{
    static const struct route none = {ROUTE_NONE, 0};
    return (x < 64 && y < 64) ? &emu->route[x][y] : &none;
}

/* Translated coordinates as ARC firmware programs them (device-facts 1.5; UMD coordinate
 * manager): enabled Tensix columns pack into x = 1..7, 10.. in NOC0 order and the
 * harvested ones take the highest x values; enabled DRAM banks take logical ids 0.. at
 * x 17 (0-3) and 18 (4-7), y 12 + 3 * (id % 4) + port, the disabled bank the last slot. */
static int build_tiles(struct bhemu *emu)
{
    unsigned col = 0;
    for (unsigned k = 0; k < BH_TENSIX_COLS; k++) {
        uint32_t px = bh_tensix_x(k);
        if (emu->cfg.tensix_cols_off >> px & 1)
            continue;
        for (unsigned r = 0; r < BH_TENSIX_ROWS; r++) {
            struct tensix_tile *t = &emu->tensix[emu->n_tensix];
            t->index = (uint16_t)emu->n_tensix;
            t->x = bh_tensix_x(col);
            t->y = (uint8_t)(BH_TENSIX_Y0 + r);
            t->px = (uint8_t)px;
            t->py = t->y;
            int rc = tensix_create(emu, t);
            if (rc)
                return rc;
            set_route(emu, t->x, t->y, ROUTE_TENSIX, t->index);
            emu->n_tensix++;
        }
        col++;
    }
    for (unsigned k = col; k < BH_TENSIX_COLS; k++)
        for (unsigned r = 0; r < BH_TENSIX_ROWS; r++)
            set_route(emu, bh_tensix_x(k), BH_TENSIX_Y0 + r, ROUTE_HARVESTED, 0);

    unsigned logical = 0;
    for (unsigned b = 0; b < BH_DRAM_BANKS; b++) {
        emu->dram[b].phys_bank = (uint8_t)b;
        emu->dram[b].enabled = !(emu->cfg.dram_banks_off >> b & 1);
        if (!emu->dram[b].enabled)
            continue;
        int rc = dram_create(&emu->dram[b]);
        if (rc)
            return rc;
        for (unsigned p = 0; p < BH_DRAM_PORTS; p++)
            set_route(emu, bh_dram_x(logical), bh_dram_y(logical, p), ROUTE_DRAM, (uint16_t)b);
        logical++;
    }
    for (; logical < BH_DRAM_BANKS; logical++)
        for (unsigned p = 0; p < BH_DRAM_PORTS; p++)
            set_route(emu, bh_dram_x(logical), bh_dram_y(logical, p), ROUTE_HARVESTED, 0);

    set_route(emu, BH_XLAT_PCIE_X, BH_XLAT_PCIE_Y, ROUTE_PCIE, 0);
    set_route(emu, BH_ARC_X, BH_ARC_Y, ROUTE_ARC, 0);
    return 0;
}

int bhemu_create(const struct bhemu_config *cfg, bhemu **out)
{
    *out = NULL;
    if (!cfg || !config_valid(cfg))
        return -EINVAL;
    struct bhemu *emu = calloc(1, sizeof *emu);
    if (!emu)
        return -ENOMEM;
    emu->cfg = *cfg;
    unsigned max_cores = EMU_MAX_TENSIX * BH_CORES_PER_TILE;
    emu->tensix = calloc(EMU_MAX_TENSIX, sizeof *emu->tensix);
    emu->runq = calloc(max_cores, sizeof *emu->runq);
    emu->pending = calloc(max_cores, sizeof *emu->pending);
    emu->xfer = malloc(BH_NOC_MAX_BURST);
    niu_init(&emu->pcie_niu[0]);
    niu_init(&emu->pcie_niu[1]);
    int rc = -ENOMEM;
    if (emu->tensix && emu->runq && emu->pending && emu->xfer && !(rc = build_tiles(emu)) &&
        !(rc = arc_create(emu))) {
        emu->n_cores = emu->n_tensix * BH_CORES_PER_TILE;
        *out = emu;
        return 0;
    }
    bhemu_destroy(emu);
    return rc;
}

void bhemu_destroy(bhemu *emu)
{
    if (!emu)
        return;
    for (unsigned i = 0; emu->tensix && i < EMU_MAX_TENSIX; i++)
        tensix_destroy(&emu->tensix[i]);
    for (unsigned b = 0; b < BH_DRAM_BANKS; b++)
        dram_destroy(&emu->dram[b]);
    arc_destroy(emu);
    free(emu->tensix);
    free(emu->runq);
    free(emu->pending);
    free(emu->xfer);
    free(emu);
}

/* ---- faults ---- */

void emu_fault(struct bhemu *emu, uint32_t cause, const struct emu_src *src, uint64_t addr,
               const char *fmt, ...)
{
    struct rv_core *c = src ? src->core : NULL;
    struct tensix_tile *t = src ? src->tile : NULL;
    emu->st.faults++;
    if (emu->fault_len < EMU_FAULT_QUEUE) {
        struct bhemu_fault *f = &emu->faults[(emu->fault_head + emu->fault_len++) % EMU_FAULT_QUEUE];
        va_list ap;
        memset(f, 0, sizeof *f);
        f->cause = cause;
        f->core = c ? c->id : -1;
        f->x = t ? t->x : BH_XLAT_PCIE_X;
        f->y = t ? t->y : BH_XLAT_PCIE_Y;
        f->pc = c ? c->pc : 0;
        f->addr = addr;
        f->cycle = c ? c->time + (uint64_t)c->run_done : emu->now;
        va_start(ap, fmt);
        vsnprintf(f->what, sizeof f->what, fmt, ap);
        va_end(ap);
    } else {
        emu->st.faults_dropped++;
    }
    /* The core that caused it stops until it is reset again; the host never exits. */
    if (c) {
        sched_stop(c, BHEMU_CORE_FAULTED);
        c->stop = 1;
    }
}

int bhemu_fault_pop(bhemu *emu, struct bhemu_fault *f)
{
    if (!emu->fault_len)
        return 0;
    *f = emu->faults[emu->fault_head];
    emu->fault_head = (emu->fault_head + 1) % EMU_FAULT_QUEUE;
    emu->fault_len--;
    return 1;
}

/* ---- inspection ---- */

static int backdoor(bhemu *emu, uint32_t x, uint32_t y, uint64_t addr, void *buf, size_t len,
                    bool write)
{
    const struct route *r = emu_route(emu, x, y);
    struct emu_src host = emu_host_src();
    int rc;
    if (!len)
        return 0;
    switch (r->kind) {
    case ROUTE_TENSIX: rc = tensix_access(&emu->tensix[r->index], addr, buf, len, write, &host); break;
    case ROUTE_DRAM: rc = dram_access(&emu->dram[r->index], addr, buf, len, write); break;
    case ROUTE_ARC: rc = arc_access(emu, addr, buf, len, write); break;
    case ROUTE_PCIE: rc = pcie_host_access(emu, addr, buf, len, write); break;
    default: return -ENODEV;
    }
    return rc ? -EFAULT : 0;
}

int bhemu_tile_read(bhemu *emu, uint32_t x, uint32_t y, uint64_t addr, void *dst, size_t len)
{
    return backdoor(emu, x, y, addr, dst, len, false);
}

int bhemu_tile_write(bhemu *emu, uint32_t x, uint32_t y, uint64_t addr, const void *src,
                     size_t len)
{
    return backdoor(emu, x, y, addr, (void *)src, len, true);
}

int bhemu_core_info(bhemu *emu, uint32_t x, uint32_t y, uint32_t core,
                    struct bhemu_core_info *info)
{
    const struct route *r = emu_route(emu, x, y);
    if (r->kind != ROUTE_TENSIX)
        return -ENODEV;
    if (core >= BH_CORES_PER_TILE)
        return -EINVAL;
    const struct rv_core *c = &emu->tensix[r->index].core[core];
    info->state = c->state;
    info->pc = c->pc;
    info->instret = c->instret;
    memcpy(info->regs, c->x, sizeof info->regs);
    return 0;
}

void bhemu_get_stats(const bhemu *emu, struct bhemu_stats *st)
{
    *st = emu->st;
    st->cycles = emu->now;
    st->instret = 0;
    st->cores_running = st->cores_parked = 0;
    for (unsigned i = 0; i < emu->n_tensix; i++) {
        for (unsigned k = 0; k < BH_CORES_PER_TILE; k++) {
            const struct rv_core *c = &emu->tensix[i].core[k];
            st->instret += c->instret;
            st->cores_running += c->state == BHEMU_CORE_RUNNING;
            st->cores_parked += c->state == BHEMU_CORE_PARKED;
        }
    }
}
