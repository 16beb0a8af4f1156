/* Harvesting as a host discovers it: the ARC telemetry names the enabled Tensix columns
 * and DRAM banks (host-facts 2.9), and the translated coordinates (host-facts 2.6) reach
 * exactly the enabled tiles. Checked for both boards and several P100A masks. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "ttm/blackhole.h"
#include "emu_util.h"
#include "test.h"

#define MiB (1ull << 20)
#define COL(x) (1u << (x))

/* Windows this file uses: KMD's own one for ARC accesses (host-facts 2.4), one for
 * workers, one 4 GiB window for DRAM. */
#define WIN_ARC 201u
#define WIN_TILE 0u
#define WIN_DRAM BH_TLB_2M_COUNT

static void put_bits(uint32_t w[3], unsigned pos, unsigned width, uint64_t v)
{
    for (unsigned i = 0; i < width; i++)
        if (v >> i & 1)
            w[(pos + i) / 32] |= 1u << ((pos + i) % 32);
}

/* Point window `id` at (x, y), local address `addr` rounded down to the window size,
 * through the 32-bit TLB registers (host-facts 2.3). */
static int tlb_point(bhemu *emu, unsigned id, uint32_t x, uint32_t y, uint64_t addr)
{
    int big = id >= BH_TLB_2M_COUNT;
    const struct bh_tlb_layout *l = bh_tlb_layout(big);
    uint32_t w[3] = {0, 0, 0};
    put_bits(w, 0, l->addr_bits, addr >> (big ? 32 : 21));
    put_bits(w, l->x_end, 6, x);
    put_bits(w, l->y_end, 6, y);
    for (unsigned i = 0; i < 3; i++) {
        int rc = bhemu_bar_write(emu, 0, BH_TLB_CFG_BASE + BH_TLB_CFG_ENTRY * id + 4 * i, &w[i], 4);
        if (rc)
            return rc;
    }
    return 0;
}

/* One 32-bit access to (x, y) at `addr` through a 2 MiB window. */
static int tile_rd32(bhemu *emu, uint32_t x, uint32_t y, uint64_t addr, uint32_t *v)
{
    int rc = tlb_point(emu, WIN_TILE, x, y, addr);
    if (rc)
        return rc;
    return bhemu_bar_read(emu, 0, WIN_TILE * BH_TLB_2M_SIZE + addr % BH_TLB_2M_SIZE, v, 4);
}

static int tile_wr32(bhemu *emu, uint32_t x, uint32_t y, uint64_t addr, uint32_t v)
{
    int rc = tlb_point(emu, WIN_TILE, x, y, addr);
    if (rc)
        return rc;
    return bhemu_bar_write(emu, 0, WIN_TILE * BH_TLB_2M_SIZE + addr % BH_TLB_2M_SIZE, &v, 4);
}

/* A word of the ARC tile (8,0), read as KMD does: through a 2 MiB window. */
static uint32_t arc_rd32(bhemu *emu, uint32_t addr)
{
    uint32_t v = 0xFFFFFFFFu;
    if (tlb_point(emu, WIN_ARC, BH_ARC_X, BH_ARC_Y, addr) == 0)
        bhemu_bar_read(emu, 0, WIN_ARC * BH_TLB_2M_SIZE + addr % BH_TLB_2M_SIZE, &v, 4);
    return v;
}

/* Walk the telemetry table for `tag` (host-facts 2.9). Returns 1 and the value when found. */
static int telemetry(bhemu *emu, uint32_t tag, uint32_t *val)
{
    uint32_t table = arc_rd32(emu, BH_ARC_TELEMETRY_TABLE_PTR);
    uint32_t data = arc_rd32(emu, BH_ARC_TELEMETRY_DATA_PTR);
    uint32_t count = arc_rd32(emu, table + 4);
    for (uint32_t i = 0; i < count && i < 256; i++) {
        uint32_t entry = arc_rd32(emu, table + 8 + 4 * i);
        if ((entry & 0xFFFF) == tag) {
            *val = arc_rd32(emu, data + 4 * (entry >> 16));
            return 1;
        }
    }
    return 0;
}

static unsigned popcount(uint32_t v)
{
    unsigned n = 0;
    for (; v; v &= v - 1)
        n++;
    return n;
}

/* Drain the fault queue, counting host faults. Returns -1 if any other fault shows up. */
static int host_faults(bhemu *emu)
{
    struct bhemu_fault f;
    int n = 0;
    while (bhemu_fault_pop(emu, &f) == 1) {
        if ((f.cause != BHEMU_FAULT_HOST && f.cause != BHEMU_FAULT_NOC) || f.core != -1)
            return -1;
        n++;
    }
    return n;
}

static void check_telemetry(bhemu *emu, const struct bhemu_config *cfg)
{
    uint32_t v;
    CHECK_EQ(arc_rd32(emu, BH_ARC_BOOT_STATUS) & 7, 5);
    uint32_t table = arc_rd32(emu, BH_ARC_TELEMETRY_TABLE_PTR);
    CHECK(table >= BH_ARC_CSM_BASE && table < BH_ARC_CSM_BASE + BH_ARC_CSM_SIZE);
    CHECK(((arc_rd32(emu, table) >> 16) & 0xFF) <= 1); /* KMD accepts major <= 1 */

    CHECK(telemetry(emu, BH_TAG_BOARD_ID_HIGH, &v));
    CHECK_EQ(v >> 4, cfg->board == BHEMU_P150A ? BH_UPI_P150A : BH_UPI_P100A);
    CHECK(telemetry(emu, BH_TAG_NOC_TRANSLATION, &v));
    CHECK_EQ(v, 1);

    /* UMD: tensix harvest = ~ENABLED_TENSIX_COL & 0x3FFF, bit i = NOC0 column
     * bh_harvest_bit_x(i). */
    CHECK(telemetry(emu, BH_TAG_ENABLED_TENSIX_COL, &v));
    CHECK_EQ(v & ~0x3FFFu, 0);
    uint32_t cols_off = 0;
    for (unsigned i = 0; i < BH_TENSIX_COLS; i++)
        if (!(v >> i & 1))
            cols_off |= COL(bh_harvest_bit_x(i));
    CHECK_EQ(cols_off, cfg->tensix_cols_off);

    CHECK(telemetry(emu, BH_TAG_ENABLED_GDDR, &v));
    CHECK_EQ(~v & 0xFF, cfg->dram_banks_off);
    CHECK_EQ(v & ~0xFFu, 0);
}

/* Every translated worker coordinate: enabled columns answer with their own L1, the
 * harvested tail (the highest translated x values) reads all-ones and faults. */
static void check_workers(bhemu *emu, const struct bhemu_config *cfg)
{
    unsigned enabled = BH_TENSIX_COLS - popcount(cfg->tensix_cols_off);
    unsigned answered = 0;
    for (unsigned k = 0; k < BH_TENSIX_COLS; k++) {
        for (uint32_t y = BH_TENSIX_Y0; y < BH_TENSIX_Y0 + BH_TENSIX_ROWS; y++) {
            uint32_t x = bh_tensix_x(k), v = 0;
            int wr = tile_wr32(emu, x, y, 0x1000, x << 8 | y);
            int rd = tile_rd32(emu, x, y, 0x1000, &v);
            if (k < enabled) {
                CHECK_EQ(wr, 0);
                CHECK_EQ(rd, 0);
                CHECK_EQ(host_faults(emu), 0);
                answered++;
            } else {
                CHECK_EQ(wr, -EFAULT);
                CHECK_EQ(rd, -EFAULT);
                CHECK_EQ(v, 0xFFFFFFFFu);
                CHECK_EQ(host_faults(emu), 2);
            }
        }
    }
    CHECK_EQ(answered, enabled * BH_TENSIX_ROWS);
    /* Each marker survived, so no two coordinates reach the same tile; and the k-th
     * enabled NOC0 column answers at translated x bh_tensix_x(k), as its NOC_NODE_ID
     * (physical, x[5:0] y[11:6]) tells. */
    unsigned k = 0;
    for (unsigned c = 0; c < BH_TENSIX_COLS; c++) {
        uint32_t px = bh_tensix_x(c);
        if (cfg->tensix_cols_off & COL(px))
            continue;
        for (uint32_t y = BH_TENSIX_Y0; y < BH_TENSIX_Y0 + BH_TENSIX_ROWS; y++) {
            uint32_t x = bh_tensix_x(k), v = 0;
            CHECK_EQ(tile_rd32(emu, x, y, 0x1000, &v), 0);
            CHECK_EQ(v, x << 8 | y);
            CHECK_EQ(tile_rd32(emu, x, y, BH_NIU0_BASE + BH_NOC_NODE_ID, &v), 0);
            CHECK_EQ(v & 0xFFF, px | y << 6);
        }
        k++;
    }
}

/* Logical DRAM bank l sits at translated x 17 + l / 4, y 12 + 3 * (l % 4) + port; a
 * disabled bank's slot is logical 7 (host-facts 2.6, device-facts 1.5). */
static uint32_t dram_x(unsigned l)
{
    return BH_XLAT_DRAM_X0 + l / 4;
}

static uint32_t dram_y(unsigned l, unsigned port)
{
    return BH_XLAT_DRAM_Y0 + BH_DRAM_PORTS * (l % 4) + port;
}

static int dram_rd32(bhemu *emu, unsigned l, unsigned port, uint64_t addr, uint32_t *v)
{
    int rc = tlb_point(emu, WIN_DRAM, dram_x(l), dram_y(l, port), 0);
    if (rc)
        return rc;
    return bhemu_bar_read(emu, 4, addr, v, 4);
}

static void check_dram(bhemu *emu, const struct bhemu_config *cfg)
{
    unsigned banks = BH_DRAM_BANKS - popcount(cfg->dram_banks_off);
    const uint64_t addr = 0x7654320;
    for (unsigned l = 0; l < banks; l++) {
        uint32_t v = 0xD0000000u | l;
        CHECK_EQ(tlb_point(emu, WIN_DRAM, dram_x(l), dram_y(l, 0), 0), 0);
        CHECK_EQ(bhemu_bar_write(emu, 4, addr, &v, 4), 0);
    }
    /* Each bank kept its own marker and shows it on all three ports. */
    for (unsigned l = 0; l < banks; l++) {
        for (unsigned port = 0; port < BH_DRAM_PORTS; port++) {
            uint32_t v = 0;
            CHECK_EQ(dram_rd32(emu, l, port, addr, &v), 0);
            CHECK_EQ(v, 0xD0000000u | l);
        }
    }
    CHECK_EQ(host_faults(emu), 0);
    for (unsigned l = banks; l < BH_DRAM_BANKS; l++) {
        for (unsigned port = 0; port < BH_DRAM_PORTS; port++) {
            uint32_t v = 0;
            CHECK_EQ(dram_rd32(emu, l, port, addr, &v), -EFAULT);
            CHECK_EQ(v, 0xFFFFFFFFu);
            CHECK_EQ(host_faults(emu), 1);
        }
    }
}

static void check_board(uint32_t board, uint32_t cols_off, uint32_t banks_off)
{
    struct bhemu_config cfg = {board, cols_off, banks_off, 1};
    bhemu *emu = NULL;
    CHECK_EQ(bhemu_create(&cfg, &emu), 0);
    check_telemetry(emu, &cfg);
    check_workers(emu, &cfg);
    check_dram(emu, &cfg);
    bhemu_destroy(emu);
}

TEST(harvest_default_configs)
{
    struct bhemu_config cfg;
    bhemu_config_default(BHEMU_P100A, &cfg);
    CHECK_EQ(cfg.board, BHEMU_P100A);
    CHECK_EQ(cfg.tensix_cols_off, COL(14) | COL(16));
    CHECK_EQ(cfg.dram_banks_off, 1u << 7);
    bhemu_config_default(BHEMU_P150A, &cfg);
    CHECK_EQ(cfg.board, BHEMU_P150A);
    CHECK_EQ(cfg.tensix_cols_off, 0);
    CHECK_EQ(cfg.dram_banks_off, 0);
}

TEST(harvest_p150a_full_chip)
{
    check_board(BHEMU_P150A, 0, 0);
}

TEST(harvest_p100a_default)
{
    struct bhemu_config cfg;
    bhemu_config_default(BHEMU_P100A, &cfg);
    check_board(cfg.board, cfg.tensix_cols_off, cfg.dram_banks_off);
}

TEST(harvest_p100a_edge_columns_bank0)
{
    check_board(BHEMU_P100A, COL(1) | COL(10), 1u << 0);
}

TEST(harvest_p100a_adjacent_columns_bank4)
{
    check_board(BHEMU_P100A, COL(5) | COL(6), 1u << 4);
}

TEST(harvest_invalid_configs_rejected)
{
    static const struct bhemu_config bad[] = {
        {BHEMU_P100A, COL(14), 1u << 7, 1},                      /* one column */
        {BHEMU_P100A, COL(1) | COL(14) | COL(16), 1u << 7, 1},   /* three columns */
        {BHEMU_P100A, COL(14) | COL(16), 0, 1},                  /* no bank */
        {BHEMU_P100A, COL(14) | COL(16), 3u << 6, 1},            /* two banks */
        {BHEMU_P100A, COL(14) | COL(16), 1u << 8, 1},            /* bank 8 does not exist */
        {BHEMU_P100A, COL(8) | COL(14), 1u << 7, 1},             /* x 8 is not Tensix */
        {BHEMU_P100A, COL(0) | COL(14), 1u << 7, 1},             /* x 0 is DRAM */
        {BHEMU_P100A, COL(9) | COL(14), 1u << 7, 1},             /* x 9 is DRAM */
        {BHEMU_P100A, COL(17) | COL(14), 1u << 7, 1},            /* off the grid */
        {BHEMU_P150A, 0, 1u << 3, 1},                            /* P150A: a bank */
        {BHEMU_P150A, COL(3) | COL(4), 0, 1},                    /* P150A: columns */
        {2, 0, 0, 1},                                            /* no such board */
        {BHEMU_P150A, 0, 0, BHEMU_MAX_THREADS + 1},              /* too many threads */
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bhemu *emu = NULL;
        int rc = bhemu_create(&bad[i], &emu);
        if (rc == 0)
            bhemu_destroy(emu);
        /* The index rides in the upper bits so a failure names the configuration. */
        CHECK_EQ(i << 8 | (unsigned)-rc, i << 8 | EINVAL);
    }
}
