/* The chip: boards and harvesting, the registry of nodes by translated coordinates, and
 * the zero-time inspection entry points. */
#include <errno.h>
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
    cfg->threads = 1;
}

/* P100A: two of fourteen Tensix columns and one of eight DRAM banks fused off; P150A:
 * everything enabled (ISA README product table; device-facts 1.2-1.3). */
static bool config_valid(const struct bhemu_config *cfg)
{
    if (cfg->tensix_cols_off & ~tensix_col_mask())
        return false;
    if (cfg->dram_banks_off & ~((1u << BH_DRAM_BANKS) - 1))
        return false;
    if (cfg->threads > BHEMU_MAX_THREADS)
        return false;
    int cols = __builtin_popcount(cfg->tensix_cols_off);
    int banks = __builtin_popcount(cfg->dram_banks_off);
    switch (cfg->board) {
    case BHEMU_P100A: return cols == 2 && banks == 1;
    case BHEMU_P150A: return cols == 0 && banks == 0;
    }
    return false;
}

/* Register what answers at translated (x, y). Node 0 is "nothing". */
static void add_node(struct bhemu *emu, uint32_t x, uint32_t y, uint8_t kind, void *ctx,
                     int (*access)(void *, uint64_t, void *, size_t, bool, const struct emu_src *))
{
    unsigned i = emu->n_nodes++;
    emu->nodes[i] = (struct emu_node){kind, ctx, access};
    emu->route[x][y] = (uint8_t)i;
}

/* Translated coordinates as ARC firmware programs them (device-facts 1.5; UMD coordinate
 * manager): enabled Tensix columns pack into x = 1..7, 10.. in NOC0 order and the
 * harvested ones take the highest x values; enabled DRAM banks take logical ids 0.. at
 * x 17 (0-3) and 18 (4-7), y 12 + 3 * (id % 4) + port, the disabled bank the last slot. */
static int build_nodes(struct bhemu *emu)
{
    unsigned col = 0;
    emu->n_nodes = 1; /* node 0: nothing answers */
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
            int rc = bhe_tensix_create(emu, t);
            if (rc)
                return rc;
            add_node(emu, t->x, t->y, NODE_TENSIX, t, bhe_tensix_access);
            emu->n_tensix++;
        }
        col++;
    }
    for (unsigned k = col; k < BH_TENSIX_COLS; k++)
        for (unsigned r = 0; r < BH_TENSIX_ROWS; r++)
            add_node(emu, bh_tensix_x(k), BH_TENSIX_Y0 + r, NODE_HARVESTED, NULL, NULL);

    unsigned logical = 0;
    for (unsigned b = 0; b < BH_DRAM_BANKS; b++) {
        emu->dram[b].phys_bank = (uint8_t)b;
        emu->dram[b].enabled = !(emu->cfg.dram_banks_off >> b & 1);
        if (!emu->dram[b].enabled)
            continue;
        for (unsigned p = 0; p < BH_DRAM_PORTS; p++)
            add_node(emu, bh_dram_x(logical), bh_dram_y(logical, p), NODE_DRAM, &emu->dram[b],
                     bhe_dram_access);
        logical++;
    }
    for (; logical < BH_DRAM_BANKS; logical++)
        for (unsigned p = 0; p < BH_DRAM_PORTS; p++)
            add_node(emu, bh_dram_x(logical), bh_dram_y(logical, p), NODE_HARVESTED, NULL, NULL);

    add_node(emu, BH_XLAT_PCIE_X, BH_XLAT_PCIE_Y, NODE_PCIE, emu, bhe_host_access);
    add_node(emu, BH_ARC_X, BH_ARC_Y, NODE_ARC, emu, bhe_arc_access);
    /* Untranslated rows: the same nodes answer at their physical coordinates. */
    struct bh_xy_alias a;
    for (uint32_t i = 0; bh_untranslated_alias(i, &a); i++)
        emu->route[a.phys_x][a.phys_y] = emu->route[a.xlat_x][a.xlat_y];
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
    unsigned max_units = EMU_MAX_TENSIX * BH_CORES_PER_TILE;
    emu->tensix = calloc(EMU_MAX_TENSIX, sizeof *emu->tensix);
    emu->runq = calloc(max_units, sizeof *emu->runq);
    emu->pending = calloc(max_units, sizeof *emu->pending);
    emu->groups = calloc(EMU_MAX_TENSIX + 1, sizeof *emu->groups);
    emu->xfer = malloc(BH_NOC_MAX_BURST);
    bhe_niu_init(&emu->pcie_niu[0]);
    bhe_niu_init(&emu->pcie_niu[1]);
    int rc = -ENOMEM;
    if (emu->tensix && emu->runq && emu->pending && emu->groups && emu->xfer &&
        !(rc = build_nodes(emu)) && !(rc = bhe_arc_create(emu)) &&
        (cfg->threads <= 1 || !(rc = bhe_threads_create(cfg->threads - 1, &emu->threads)))) {
        *out = emu;
        return 0;
    }
    bhemu_destroy(emu);
    return rc;
}

/* Giving a tile's memory back clears the pages it touched (map_pool.c): the chip's threads
 * share that out, one tile a job. */
static void destroy_tile(void *ctx, unsigned i)
{
    bhe_tensix_destroy(&((struct bhemu *)ctx)->tensix[i]);
}

void bhemu_destroy(bhemu *emu)
{
    if (!emu)
        return;
    if (emu->tensix && emu->threads)
        bhe_threads_run(emu->threads, destroy_tile, emu, EMU_MAX_TENSIX);
    else
        for (unsigned i = 0; emu->tensix && i < EMU_MAX_TENSIX; i++)
            destroy_tile(emu, i);
    bhe_threads_destroy(emu->threads);
    for (unsigned b = 0; b < BH_DRAM_BANKS; b++)
        bhe_dram_destroy(&emu->dram[b]);
    bhe_arc_destroy(emu);
    free(emu->tensix);
    free(emu->runq);
    free(emu->pending);
    free(emu->groups);
    free(emu->xfer);
    free(emu);
}

/* ---- inspection ---- */

static int backdoor(bhemu *emu, uint32_t x, uint32_t y, uint64_t addr, void *buf, size_t len,
                    bool write)
{
    const struct emu_node *n = bhe_node(emu, x, y);
    struct emu_src host = {NULL, NULL, false};
    if (!len)
        return 0;
    if (!n->access)
        return -ENODEV;
    return n->access(n->ctx, addr, buf, len, write, &host) ? -EFAULT : 0;
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
    const struct emu_node *n = bhe_node(emu, x, y);
    if (n->kind != NODE_TENSIX)
        return -ENODEV;
    if (core >= BH_CORES_PER_TILE)
        return -EINVAL;
    const struct rv_core *c = &((struct tensix_tile *)n->ctx)->core[core];
    info->state = c->u.state;
    info->pc = c->u.pc;
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
            st->cores_running += c->u.state == BHEMU_CORE_RUNNING;
            st->cores_parked += c->u.state == BHEMU_CORE_PARKED;
        }
    }
}
