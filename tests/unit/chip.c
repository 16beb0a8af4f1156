/* The chip layer on the emulator: TLB window encoding, host NoC access, multicast, grid
 * discovery with several harvest masks, firmware boot. */
#include <errno.h>
#include <string.h>

#include "chip/chip.h"
#include "fake_kmd.h"
#include "test.h"
#include "ttm.h"

static int open_emu(struct ttm_chip *c, uint32_t board, uint32_t cols, uint32_t banks)
{
    struct ttm_device_opts o = {.argsz = sizeof o, .emu_board = board,
                                .emu_tensix_cols_off = cols, .emu_dram_banks_off = banks};
    return chip_open(c, pcie_backend("emu"), &o);
}

static uint64_t get_bits(const uint32_t w[3], unsigned pos, unsigned width)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < width; i++, pos++)
        v |= (uint64_t)(w[pos / 32] >> (pos % 32) & 1) << i;
    return v;
}

TEST(tlb_window_encoding_matches_the_register_layout)
{
    struct ttm_chip c;
    CHECK_EQ(open_emu(&c, TTM_BOARD_P150A, 0, 0), 0);
    uint32_t v = 0x12345678;
    CHECK_EQ(chip_write(&c, 3, 7, 0x123450, &v, 4), 0);
    /* Find the window that was used and decode its config words. */
    int id = -1;
    for (unsigned i = 0; i < c.n_win; i++)
        if (c.win[i].valid && c.win[i].x1 == 3 && c.win[i].y1 == 7)
            id = (int)c.win[i].id;
    CHECK(id >= 0);
    uint32_t w[3];
    for (int i = 0; i < 3; i++)
        CHECK_EQ(c.pcie.ops->bar_read(&c.pcie, 0, BH_TLB_CFG_BASE + 12 * id + 4 * i, &w[i], 4), 0);
    const struct bh_tlb_layout *l = bh_tlb_layout(0);
    CHECK_EQ(get_bits(w, 0, l->addr_bits), 0x123450 >> 21);
    CHECK_EQ(get_bits(w, l->x_end, 6), 3);
    CHECK_EQ(get_bits(w, l->y_end, 6), 7);
    CHECK_EQ(get_bits(w, l->mcast, 1), 0);
    CHECK_EQ(get_bits(w, l->ordering, 2), 1);
    uint32_t back = 0;
    CHECK_EQ(chip_read32(&c, 3, 7, 0x123450, &back), 0);
    CHECK_EQ(back, v);
    chip_close(&c);
}

TEST(tlb_windows_are_reused_and_retargeted)
{
    struct ttm_chip c;
    CHECK_EQ(open_emu(&c, TTM_BOARD_P150A, 0, 0), 0);
    /* 300 targets for 201 windows: least recently used ones get retargeted, and every
     * write must still land where it was aimed. */
    for (uint64_t i = 0; i < 300; i++)
        CHECK_EQ(chip_write32(&c, c.dram_x[0], c.dram_y[0], i * BH_TLB_2M_SIZE + 4 * i,
                              (uint32_t)i + 1), 0);
    for (uint64_t i = 0; i < 300; i++) {
        uint32_t v;
        CHECK_EQ(chip_read32(&c, c.dram_x[0], c.dram_y[0], i * BH_TLB_2M_SIZE + 4 * i, &v), 0);
        CHECK_EQ(v, i + 1);
    }
    unsigned valid = 0;
    for (unsigned i = 0; i < c.n_win; i++)
        valid += c.win[i].valid;
    CHECK_EQ(c.n_win, CHIP_TLB_WINDOWS);
    CHECK_EQ(valid, CHIP_TLB_WINDOWS);
    chip_close(&c);
}

/* A backend that hands out only a few windows, as a card's driver does when other
 * processes hold the rest. */
static unsigned windows_left, alloc_calls;
static int scarce_tlb_alloc(struct ttm_pcie *p, uint64_t size, uint32_t *id)
{
    alloc_calls++;
    if (!windows_left)
        return -ENOSPC;
    windows_left--;
    return pcie_backend("emu")->tlb_alloc(p, size, id);
}

TEST(few_tlb_windows_are_enough)
{
    struct ttm_pcie_ops scarce = *pcie_backend("emu");
    scarce.tlb_alloc = scarce_tlb_alloc;
    struct ttm_device_opts o = {.argsz = sizeof o, .emu_board = TTM_BOARD_P150A};
    struct ttm_chip c;
    windows_left = 2;
    alloc_calls = 0;
    CHECK_EQ(chip_open(&c, &scarce, &o), 0);
    for (uint64_t i = 0; i < 20; i++)
        CHECK_EQ(chip_write32(&c, c.dram_x[0], c.dram_y[0], i * BH_TLB_2M_SIZE, (uint32_t)i + 7), 0);
    for (uint64_t i = 0; i < 20; i++) {
        uint32_t v;
        CHECK_EQ(chip_read32(&c, c.dram_x[0], c.dram_y[0], i * BH_TLB_2M_SIZE, &v), 0);
        CHECK_EQ(v, i + 7);
    }
    CHECK_EQ(c.n_win, 2);
    /* Once the backend has said no, the chip retargets what it has instead of asking
     * again at every miss. */
    CHECK_EQ(alloc_calls, 3);
    chip_close(&c);
    /* With none at all the chip cannot be reached, and says so. */
    windows_left = 0;
    CHECK_EQ(chip_open(&c, &scarce, &o), -ENOSPC);
}

TEST(access_spanning_windows_and_multicast)
{
    struct ttm_chip c;
    CHECK_EQ(open_emu(&c, TTM_BOARD_P100A, 0, 0), 0);
    static uint8_t big[3 << 20], back[3 << 20];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (uint8_t)(i * 7 + 1);
    /* DRAM bank 2, across two 2 MiB window boundaries. */
    CHECK_EQ(chip_write(&c, c.dram_x[2], c.dram_y[2], 0x1FF000, big, sizeof big), 0);
    CHECK_EQ(chip_read(&c, c.dram_x[2], c.dram_y[2], 0x1FF000, back, sizeof back), 0);
    CHECK(!memcmp(big, back, sizeof big));
    /* Logical columns 5..8 straddle the translated gap at x 8/9: split into runs. */
    uint32_t v = 0xA5A5A5A5;
    CHECK_EQ(chip_write_workers(&c, 5, 1, 8, 3, 0x50000, &v, 4), 0);
    for (uint32_t y = 0; y < c.grid_y; y++) {
        for (uint32_t x = 0; x < c.grid_x; x++) {
            struct chip_worker w = chip_worker_at(&c, x, y);
            uint32_t got;
            CHECK_EQ(chip_read32(&c, w.x, w.y, 0x50000, &got), 0);
            bool inside = x >= 5 && x <= 8 && y >= 1 && y <= 3;
            CHECK_EQ(got, inside ? v : 0);
        }
    }
    chip_close(&c);
}

TEST(grid_comes_from_telemetry_for_several_masks)
{
    static const struct { uint32_t board, cols, banks, grid_x, dram; } cases[] = {
        {TTM_BOARD_P150A, 0, 0, 14, 8},
        {TTM_BOARD_P100A, 0, 0, 12, 7},                          /* the board default */
        {TTM_BOARD_P100A, 1u << 1 | 1u << 10, 1u << 0, 12, 7},
        {TTM_BOARD_P100A, 1u << 7 | 1u << 16, 1u << 5, 12, 7},
    };
    for (unsigned n = 0; n < sizeof cases / sizeof cases[0]; n++) {
        struct ttm_chip c;
        CHECK_EQ(open_emu(&c, cases[n].board, cases[n].cols, cases[n].banks), 0);
        CHECK_EQ(c.grid_x, cases[n].grid_x);
        CHECK_EQ(c.grid_y, 10);
        CHECK_EQ(c.n_dram, cases[n].dram);
        CHECK_EQ(c.board, cases[n].board);
        /* Logical columns are the translated columns in order, whatever was harvested. */
        CHECK_EQ(c.col_x[0], 1);
        CHECK_EQ(c.col_x[7], 10);
        struct wait_budget b;
        wait_budget_start(&b, 5000);
        CHECK_EQ(chip_boot(&c, &b), 0);
        for (uint32_t i = 0; i < c.n_workers; i++) {
            struct chip_worker w = chip_worker_at(&c, i % c.grid_x, i / c.grid_x);
            uint8_t id[4];
            CHECK_EQ(chip_read(&c, w.x, w.y, TTM_L1_MAILBOX + 16, id, 4), 0);
            CHECK_EQ(id[0], i % c.grid_x);
            CHECK_EQ(id[1], i / c.grid_x);
        }
        chip_close(&c);
    }
}

TEST(unknown_backends_and_absent_cards_say_so)
{
    CHECK(pcie_backend("nope") == NULL);
    struct ttm_chip c;
    struct fake_kmd_config none = {.version = FAKE_KMD_2_10};
    CHECK_EQ(fake_kmd_install(&none), 0);
    struct ttm_device_opts o = {.argsz = sizeof o, .device_id = 7}; /* the fake has 0 and 1 */
    CHECK_EQ(chip_open(&c, pcie_backend("kmd"), &o), -ENOENT);
    fake_kmd_uninstall();
    CHECK(strstr(err_get(), "no /dev/tenstorrent/7"));
    CHECK_EQ(open_emu(&c, TTM_BOARD_P100A, 1u << 3, 0), -EINVAL); /* one column is not a P100A */
}
