/* The PCIe port as a host driver sees it: config space, BAR decoding, TLB windows
 * (host-facts 2.2-2.4) and host memory reached by the device through the PCIe tile
 * (host-facts 3). Everything goes through the public API, the way a runtime would. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "ttm/blackhole.h"
#include "emu_util.h"
#include "test.h"

#define MiB (1ull << 20)
#define GiB (1ull << 30)

/* What a TLB entry should point at. */
struct tlb {
    uint64_t addr;          /* tile-local address the window starts at (window-aligned) */
    uint32_t x, y;          /* unicast target, or multicast rectangle end */
    uint32_t x0, y0;        /* multicast rectangle start */
    int mcast;
};

static void put_bits(uint32_t w[3], unsigned pos, unsigned width, uint64_t v)
{
    for (unsigned i = 0; i < width; i++)
        if (v >> i & 1)
            w[(pos + i) / 32] |= 1u << ((pos + i) % 32);
}

static int is_4g(unsigned id)
{
    return id >= BH_TLB_2M_COUNT;
}

/* Encode an entry (host-facts 2.3) and write it as three 32-bit registers. */
static int tlb_program(bhemu *emu, unsigned id, const struct tlb *t)
{
    const struct bh_tlb_layout *l = bh_tlb_layout(is_4g(id));
    uint32_t w[3] = {0, 0, 0};
    put_bits(w, 0, l->addr_bits, t->addr >> (is_4g(id) ? 32 : 21));
    put_bits(w, l->x_end, 6, t->x);
    put_bits(w, l->y_end, 6, t->y);
    put_bits(w, l->x_start, 6, t->x0);
    put_bits(w, l->y_start, 6, t->y0);
    put_bits(w, l->mcast, 1, (uint64_t)t->mcast);
    for (unsigned i = 0; i < 3; i++) {
        int rc = bhemu_bar_write(emu, 0, BH_TLB_CFG_BASE + BH_TLB_CFG_ENTRY * id + 4 * i, &w[i], 4);
        if (rc)
            return rc;
    }
    return 0;
}

static int tlb_unicast(bhemu *emu, unsigned id, uint32_t x, uint32_t y, uint64_t addr)
{
    uint64_t size = is_4g(id) ? BH_TLB_4G_SIZE : BH_TLB_2M_SIZE;
    struct tlb t = {addr & ~(size - 1), x, y, 0, 0, 0};
    return tlb_program(emu, id, &t);
}

/* BAR and offset of byte `off` of window `id` (host-facts 1.5: 2 MiB window i at i * 2 MiB
 * of BAR0, 4 GiB window 202 + j at j * 4 GiB of BAR4). */
static unsigned win_bar(unsigned id)
{
    return is_4g(id) ? 4 : 0;
}

static uint64_t win_off(unsigned id, uint64_t off)
{
    if (is_4g(id))
        return (id - BH_TLB_2M_COUNT) * BH_TLB_4G_SIZE + off;
    return id * BH_TLB_2M_SIZE + off;
}

/* Access tile-local address `addr` through window `id`, already pointing at it. */
static int win_read(bhemu *emu, unsigned id, uint64_t addr, void *dst, size_t len)
{
    uint64_t size = is_4g(id) ? BH_TLB_4G_SIZE : BH_TLB_2M_SIZE;
    return bhemu_bar_read(emu, win_bar(id), win_off(id, addr & (size - 1)), dst, len);
}

static int win_write(bhemu *emu, unsigned id, uint64_t addr, const void *src, size_t len)
{
    uint64_t size = is_4g(id) ? BH_TLB_4G_SIZE : BH_TLB_2M_SIZE;
    return bhemu_bar_write(emu, win_bar(id), win_off(id, addr & (size - 1)), src, len);
}

static void fill(uint8_t *buf, size_t len, uint8_t seed)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = (uint8_t)(seed + 7 * i);
}

static int all_bytes(const uint8_t *buf, size_t len, uint8_t v)
{
    for (size_t i = 0; i < len; i++)
        if (buf[i] != v)
            return 0;
    return 1;
}

static uint32_t bar0_rd32(bhemu *emu, uint64_t off)
{
    uint32_t v = 0;
    bhemu_bar_read(emu, 0, off, &v, 4);
    return v;
}

static uint32_t node_id(uint32_t x, uint32_t y, int noc0)
{
    return x | y << 6 | 17u << 12 | 12u << 19 | (uint32_t)noc0 << 28;
}

TEST(pci_config_space)
{
    bhemu *emu = eu_create_default(BHEMU_P150A);
    CHECK(emu);
    CHECK_EQ(bhemu_pci_config_read32(emu, 0), 0x1E52u | 0xB140u << 16);
    uint64_t base[3];
    for (unsigned i = 0; i < 3; i++) {
        uint32_t lo = bhemu_pci_config_read32(emu, 0x10 + 8 * i);
        uint32_t hi = bhemu_pci_config_read32(emu, 0x14 + 8 * i);
        CHECK_EQ(lo & 0x7, 0x4);  /* memory BAR, 64-bit */
        base[i] = ((uint64_t)hi << 32 | lo) & ~0xFull;
        CHECK(base[i] != 0);
    }
    CHECK(base[0] != base[1] && base[1] != base[2] && base[0] != base[2]);
    CHECK_EQ(base[0] % BH_BAR0_SIZE, 0);
    CHECK_EQ(base[2] % BH_BAR4_SIZE, 0);
    CHECK_EQ(bhemu_pci_config_read32(emu, 0x40), 0xFFFFFFFFu);
    CHECK_EQ(bhemu_pci_config_read32(emu, 0xFFC), 0xFFFFFFFFu);
    bhemu_destroy(emu);
}

TEST(tlb_2m_window_to_l1)
{
    bhemu *emu = eu_create_default(BHEMU_P150A);
    CHECK(emu);
    const unsigned id = 7;
    CHECK_EQ(tlb_unicast(emu, id, 1, 2, 0x100000), 0);
    /* The registers read back as written. */
    uint32_t w[3] = {0, 0, 0};
    put_bits(w, bh_tlb_layout(0)->x_end, 6, 1);
    put_bits(w, bh_tlb_layout(0)->y_end, 6, 2);
    for (unsigned i = 0; i < 3; i++)
        CHECK_EQ(bar0_rd32(emu, BH_TLB_CFG_BASE + 12 * id + 4 * i), w[i]);

    uint8_t data[256], back[256];
    fill(data, sizeof data, 0x11);
    CHECK_EQ(win_write(emu, id, 0x100000, data, sizeof data), 0);
    memset(back, 0, sizeof back);
    CHECK_EQ(win_read(emu, id, 0x100000, back, sizeof back), 0);
    CHECK(memcmp(back, data, sizeof data) == 0);
    memset(back, 0, sizeof back);
    CHECK_EQ(bhemu_tile_read(emu, 1, 2, 0x100000, back, sizeof back), 0);
    CHECK(memcmp(back, data, sizeof data) == 0);
    bhemu_destroy(emu);
}

TEST(tlb_2m_retarget_isolates_tiles)
{
    bhemu *emu = eu_create_default(BHEMU_P150A);
    CHECK(emu);
    const unsigned id = 0;
    uint8_t a[64], b[64], back[64];
    fill(a, sizeof a, 0x20);
    fill(b, sizeof b, 0x90);
    CHECK_EQ(tlb_unicast(emu, id, 1, 2, 0x100000), 0);
    CHECK_EQ(win_write(emu, id, 0x100000, a, sizeof a), 0);

    CHECK_EQ(tlb_unicast(emu, id, 12, 7, 0x100000), 0);
    CHECK_EQ(win_read(emu, id, 0x100000, back, sizeof back), 0);
    CHECK(all_bytes(back, sizeof back, 0));
    CHECK_EQ(win_write(emu, id, 0x100000, b, sizeof b), 0);

    CHECK_EQ(bhemu_tile_read(emu, 1, 2, 0x100000, back, sizeof back), 0);
    CHECK(memcmp(back, a, sizeof a) == 0);
    CHECK_EQ(bhemu_tile_read(emu, 12, 7, 0x100000, back, sizeof back), 0);
    CHECK(memcmp(back, b, sizeof b) == 0);
    bhemu_destroy(emu);
}

/* DRAM bank b's ports: translated x 17 (banks 0-3) or 18, y 12 + 3 * (b % 4) + port
 * (host-facts 2.6). */
static uint32_t dram_x(unsigned bank)
{
    return 17 + bank / 4;
}

static uint32_t dram_y(unsigned bank, unsigned port)
{
    return 12 + 3 * (bank % 4) + port;
}

TEST(tlb_4g_window_to_dram_bank)
{
    bhemu *emu = eu_create_default(BHEMU_P150A);
    CHECK(emu);
    const uint64_t addr = 3 * GiB + 0x123440;
    const unsigned w0 = BH_TLB_2M_COUNT + 3, w1 = BH_TLB_2M_COUNT + 5;
    uint8_t data[96], back[96];
    fill(data, sizeof data, 0x5A);
    for (unsigned bank = 1; bank < 8; bank += 4) {
        CHECK_EQ(tlb_unicast(emu, w0, dram_x(bank), dram_y(bank, 0), 0), 0);
        CHECK_EQ(win_write(emu, w0, addr, data, sizeof data), 0);
        /* Another port of the same bank sees the data... */
        CHECK_EQ(tlb_unicast(emu, w1, dram_x(bank), dram_y(bank, 2), 0), 0);
        memset(back, 0, sizeof back);
        CHECK_EQ(win_read(emu, w1, addr, back, sizeof back), 0);
        CHECK(memcmp(back, data, sizeof data) == 0);
        /* ...so does a 2 MiB window whose address field selects the 2 MiB page... */
        CHECK_EQ(tlb_unicast(emu, 9, dram_x(bank), dram_y(bank, 1), addr), 0);
        memset(back, 0, sizeof back);
        CHECK_EQ(win_read(emu, 9, addr, back, sizeof back), 0);
        CHECK(memcmp(back, data, sizeof data) == 0);
        /* ...but not the next bank. */
        CHECK_EQ(tlb_unicast(emu, w1, dram_x(bank + 1), dram_y(bank + 1, 2), 0), 0);
        CHECK_EQ(win_read(emu, w1, addr, back, sizeof back), 0);
        CHECK(all_bytes(back, sizeof back, 0));
        CHECK_EQ(bhemu_tile_read(emu, dram_x(bank), dram_y(bank, 1), addr, back, sizeof back),
                 0);
        CHECK(memcmp(back, data, sizeof data) == 0);
    }
    /* The last bytes of a bank are reachable; a read never written is zero. */
    CHECK_EQ(tlb_unicast(emu, w0, dram_x(6), dram_y(6, 0), 0), 0);
    CHECK_EQ(win_write(emu, w0, 4 * GiB - 8, data, 8), 0);
    CHECK_EQ(win_read(emu, w0, 4 * GiB - 8, back, 8), 0);
    CHECK(memcmp(back, data, 8) == 0);
    CHECK_EQ(win_read(emu, w0, 2 * GiB, back, 64), 0);
    CHECK(all_bytes(back, 64, 0));
    bhemu_destroy(emu);
}

TEST(tlb_multicast_rectangle)
{
    bhemu *emu = eu_create_default(BHEMU_P150A);
    CHECK(emu);
    const unsigned id = 30;
    const uint64_t addr = 0x30000;
    struct tlb t = {0, 4, 5, 2, 3, 1};
    CHECK_EQ(tlb_program(emu, id, &t), 0);
    uint8_t data[128], back[128];
    fill(data, sizeof data, 0x33);
    CHECK_EQ(win_write(emu, id, addr, data, sizeof data), 0);
    for (uint32_t x = 1; x <= 5; x++) {
        for (uint32_t y = 2; y <= 6; y++) {
            int inside = x >= 2 && x <= 4 && y >= 3 && y <= 5;
            memset(back, 0xEE, sizeof back);
            CHECK_EQ(bhemu_tile_read(emu, x, y, addr, back, sizeof back), 0);
            if (inside)
                CHECK(memcmp(back, data, sizeof data) == 0);
            else
                CHECK(all_bytes(back, sizeof back, 0));
        }
    }
    /* A multicast window cannot be read. */
    CHECK_EQ(win_read(emu, id, addr, back, 4), -EINVAL);
    bhemu_destroy(emu);
}

TEST(tlb_config_needs_aligned_32bit_access)
{
    bhemu *emu = eu_create_default(BHEMU_P150A);
    CHECK(emu);
    const uint64_t reg = BH_TLB_CFG_BASE + BH_TLB_CFG_ENTRY * 11;
    uint32_t w[3] = {0x12345678, 0x9ABCDEF0, 0x0F0F0F0F}, back[3] = {1, 1, 1};
    CHECK_EQ(bhemu_bar_write(emu, 0, reg, w, 12), -EINVAL);
    CHECK_EQ(bhemu_bar_write(emu, 0, reg, w, 8), -EINVAL);
    CHECK_EQ(bhemu_bar_write(emu, 0, reg, w, 2), -EINVAL);
    CHECK_EQ(bhemu_bar_write(emu, 0, reg + 2, w, 4), -EINVAL);
    CHECK_EQ(bhemu_bar_read(emu, 0, reg, back, 12), -EINVAL);
    for (unsigned i = 0; i < 3; i++)
        CHECK_EQ(bar0_rd32(emu, reg + 4 * i), 0);
    /* The same words written one at a time stick; so does the last 4 GiB entry. */
    for (unsigned i = 0; i < 3; i++)
        CHECK_EQ(bhemu_bar_write(emu, 0, reg + 4 * i, &w[i], 4), 0);
    for (unsigned i = 0; i < 3; i++)
        CHECK_EQ(bar0_rd32(emu, reg + 4 * i), w[i]);
    const uint64_t last = BH_TLB_CFG_BASE + BH_TLB_CFG_ENTRY * (BH_TLB_2M_COUNT + 7) + 8;
    CHECK_EQ(bhemu_bar_write(emu, 0, last, &w[0], 4), 0);
    CHECK_EQ(bar0_rd32(emu, last), w[0]);
    bhemu_destroy(emu);
}

/* Pop one fault and check it is the host's. Returns 1 when it is. */
static int pop_host_fault(bhemu *emu)
{
    struct bhemu_fault f;
    if (bhemu_fault_pop(emu, &f) != 1)
        return 0;
    return (f.cause == BHEMU_FAULT_HOST || f.cause == BHEMU_FAULT_NOC) && f.core == -1;
}

TEST(tlb_absent_target_reads_all_ones)
{
    bhemu *emu = eu_create_default(BHEMU_P150A);
    CHECK(emu);
    const unsigned id = 100;
    CHECK_EQ(tlb_unicast(emu, id, 30, 30, 0), 0);
    uint8_t back[16];
    memset(back, 0, sizeof back);
    CHECK_EQ(win_read(emu, id, 0x40, back, sizeof back), -EFAULT);
    CHECK(all_bytes(back, sizeof back, 0xFF));
    CHECK(pop_host_fault(emu));
    CHECK_EQ(win_write(emu, id, 0x40, back, sizeof back), -EFAULT);
    CHECK(pop_host_fault(emu));
    struct bhemu_fault f;
    CHECK_EQ(bhemu_fault_pop(emu, &f), 0);
    bhemu_destroy(emu);
}

TEST(tlb_window_crossing_rejected)
{
    bhemu *emu = eu_create_default(BHEMU_P150A);
    CHECK(emu);
    uint8_t data[8] = {1, 2, 3, 4, 5, 6, 7, 8}, back[8];
    /* Two windows back to back over one DRAM bank: a single access may not span them. */
    CHECK_EQ(tlb_unicast(emu, 4, 17, 12, 0), 0);
    CHECK_EQ(tlb_unicast(emu, 5, 17, 12, BH_TLB_2M_SIZE), 0);
    CHECK_EQ(bhemu_bar_write(emu, 0, 5 * BH_TLB_2M_SIZE - 4, data, 8), -EINVAL);
    CHECK_EQ(bhemu_bar_read(emu, 0, 5 * BH_TLB_2M_SIZE - 4, back, 8), -EINVAL);
    CHECK_EQ(bhemu_tile_read(emu, 17, 12, BH_TLB_2M_SIZE - 4, back, 8), 0);
    CHECK(all_bytes(back, 8, 0));
    /* The last window of BAR0 ends at the first register hole. */
    CHECK_EQ(bhemu_bar_write(emu, 0, 202 * BH_TLB_2M_SIZE - 4, data, 8), -EINVAL);
    CHECK_EQ(tlb_unicast(emu, BH_TLB_2M_COUNT, 17, 12, 0), 0);
    CHECK_EQ(bhemu_bar_write(emu, 4, BH_TLB_4G_SIZE - 4, data, 8), -EINVAL);
    CHECK_EQ(bhemu_bar_write(emu, 4, BH_TLB_4G_SIZE - 8, data, 8), 0);
    bhemu_destroy(emu);
}

TEST(bar_ranges_and_holes)
{
    bhemu *emu = eu_create_default(BHEMU_P150A);
    CHECK(emu);
    uint32_t v = 0;
    CHECK_EQ(bhemu_bar_read(emu, 2, 0, &v, 4), -EINVAL);
    CHECK_EQ(bhemu_bar_read(emu, 1, 0, &v, 4), -EINVAL);
    CHECK_EQ(bhemu_bar_read(emu, 5, 0, &v, 4), -EINVAL);
    CHECK_EQ(bhemu_bar_read(emu, 0, BH_BAR0_SIZE, &v, 4), -EINVAL);
    CHECK_EQ(bhemu_bar_read(emu, 0, BH_BAR0_SIZE - 2, &v, 4), -EINVAL);
    CHECK_EQ(bhemu_bar_read(emu, 4, BH_BAR4_SIZE, &v, 4), -EINVAL);
    CHECK_EQ(bhemu_bar_read(emu, 0, UINT64_MAX - 1, &v, 4), -EINVAL);
    CHECK_EQ(bhemu_bar_read(emu, 4, UINT64_MAX - 1, &v, 4), -EINVAL);
    CHECK_EQ(bhemu_bar_read(emu, 0, 0, &v, 0), -EINVAL);
    CHECK_EQ(bhemu_bar_read(emu, 0, 0, NULL, 4), -EINVAL);
    /* Holes: after the windows, the legacy ARC CSM window, after the TLB registers. */
    CHECK_EQ(bhemu_bar_read(emu, 0, 202 * BH_TLB_2M_SIZE, &v, 4), -EINVAL);
    CHECK_EQ(bhemu_bar_read(emu, 0, 0x1FE80000, &v, 4), -EINVAL);
    CHECK_EQ(bhemu_bar_write(emu, 0, 0x1FC01000, &v, 4), -EINVAL);
    CHECK_EQ(bhemu_bar_read(emu, 0, BH_PCIE_NIU_BAR0, &v, 4), -EINVAL);
    bhemu_destroy(emu);
}

TEST(pcie_niu_registers)
{
    bhemu *emu = eu_create_default(BHEMU_P100A);
    CHECK(emu);
    const uint64_t niu0 = BH_PCIE_NIU_BAR0 + BH_PCIE_NIU0_OFF;
    const uint64_t niu1 = BH_PCIE_NIU_BAR0 + BH_PCIE_NIU1_OFF;
    /* UMD finds the active PCIe tile from NOC_NODE_ID's x (host-facts 2.2). */
    CHECK_EQ(bar0_rd32(emu, niu0 + BH_NOC_NODE_ID), node_id(BH_PCIE_NOC0_X, BH_PCIE_NOC0_Y, 1));
    CHECK_EQ(bar0_rd32(emu, niu1 + BH_NOC_NODE_ID),
             node_id(16 - BH_PCIE_NOC0_X, 11 - BH_PCIE_NOC0_Y, 0));
    CHECK(bar0_rd32(emu, niu0 + BH_NIU_CFG_0) & 1u << 14);
    CHECK(bar0_rd32(emu, niu1 + BH_NIU_CFG_0) & 1u << 14);
    uint64_t wide;
    CHECK_EQ(bhemu_bar_read(emu, 0, niu0 + BH_NOC_NODE_ID, &wide, 8), -EINVAL);
    bhemu_destroy(emu);
}

/* BAR0 offset of ARC NoC address `addr` through the APB window (host-facts 2.9). */
static uint64_t apb(uint32_t addr)
{
    return BH_ARC_APB_BAR0 + (uint64_t)(addr - BH_ARC_NOC_BASE);
}

TEST(arc_apb_window)
{
    bhemu *emu = eu_create_default(BHEMU_P100A);
    CHECK(emu);
    CHECK_EQ(bar0_rd32(emu, apb(BH_ARC_BOOT_STATUS)) & 7, 5);
    CHECK_EQ(bar0_rd32(emu, apb(0x80050044u)), node_id(BH_ARC_X, BH_ARC_Y, 1));
    CHECK_EQ(bar0_rd32(emu, apb(0x80058044u)), node_id(16 - BH_ARC_X, 11 - BH_ARC_Y, 0));
    /* Scratch RAM is storage. */
    uint32_t v = 0xCAFEF00D;
    CHECK_EQ(bhemu_bar_write(emu, 0, apb(BH_ARC_SCRATCH_RAM(40)), &v, 4), 0);
    CHECK_EQ(bar0_rd32(emu, apb(BH_ARC_SCRATCH_RAM(40))), 0xCAFEF00D);
    /* Misaligned register access, and nothing modelled: all-ones and a host fault. */
    CHECK_EQ(bhemu_bar_read(emu, 0, apb(BH_ARC_BOOT_STATUS + 2), &v, 4), -EFAULT);
    CHECK(pop_host_fault(emu));
    v = 0;
    CHECK_EQ(bhemu_bar_read(emu, 0, apb(0x80090000u), &v, 4), -EFAULT);
    CHECK_EQ(v, 0xFFFFFFFFu);
    CHECK(pop_host_fault(emu));
    bhemu_destroy(emu);
}

TEST(bar_stats)
{
    bhemu *emu = eu_create_default(BHEMU_P150A);
    CHECK(emu);
    struct bhemu_stats a, b;
    uint8_t buf[40] = {0};
    CHECK_EQ(tlb_unicast(emu, 2, 3, 4, 0), 0);
    bhemu_get_stats(emu, &a);
    CHECK_EQ(win_write(emu, 2, 0x200, buf, sizeof buf), 0);
    CHECK_EQ(win_read(emu, 2, 0x200, buf, 24), 0);
    bhemu_get_stats(emu, &b);
    CHECK_EQ(b.bar_writes - a.bar_writes, 1);
    CHECK_EQ(b.bar_reads - a.bar_reads, 1);
    CHECK_EQ(b.bar_bytes - a.bar_bytes, 64);
    bhemu_destroy(emu);
}

/* ---- Host memory through the PCIe tile ---- */

#define HOST_BIT (1ull << 60)

struct fake_host {
    uint8_t mem[4096];     /* host addresses 0x10000.. */
    unsigned reads, writes;
};

static int fake_read(void *ctx, uint64_t addr, void *dst, size_t len)
{
    struct fake_host *h = ctx;
    if (addr < 0x10000 || addr - 0x10000 + len > sizeof h->mem)
        return -EFAULT;
    memcpy(dst, h->mem + (addr - 0x10000), len);
    h->reads++;
    return 0;
}

static int fake_write(void *ctx, uint64_t addr, const void *src, size_t len)
{
    struct fake_host *h = ctx;
    if (addr < 0x10000 || addr - 0x10000 + len > sizeof h->mem)
        return -EFAULT;
    memcpy(h->mem + (addr - 0x10000), src, len);
    h->writes++;
    return 0;
}

/* Point 2 MiB window `id` at host address `addr` behind the PCIe tile (translated
 * (19,24), host-facts 3). A host loops its own memory through the chip this way. */
static int tlb_host(bhemu *emu, unsigned id, uint64_t addr)
{
    return tlb_unicast(emu, id, BH_XLAT_PCIE_X, BH_XLAT_PCIE_Y, HOST_BIT | addr);
}

TEST(host_regions_map_and_unmap)
{
    bhemu *emu = eu_create_default(BHEMU_P150A);
    CHECK(emu);
    static uint8_t mem[17][64];
    CHECK_EQ(bhemu_map_host_region(emu, 0x1000, NULL, 64), -EINVAL);
    CHECK_EQ(bhemu_map_host_region(emu, 0x1000, mem[0], 0), -EINVAL);
    CHECK_EQ(bhemu_map_host_region(emu, (1ull << 58) - 32, mem[0], 64), -EINVAL);
    for (unsigned i = 0; i < 16; i++)
        CHECK_EQ(bhemu_map_host_region(emu, 0x1000 * (i + 1), mem[i], 64), 0);
    CHECK_EQ(bhemu_map_host_region(emu, 0x1000 + 32, mem[16], 64), -EINVAL);
    CHECK_EQ(bhemu_map_host_region(emu, 0x1000 - 32, mem[16], 64), -EINVAL);
    CHECK_EQ(bhemu_map_host_region(emu, 0x100000, mem[16], 64), -ENOSPC);
    CHECK_EQ(bhemu_unmap_host_region(emu, 0x1008), -EINVAL);
    CHECK_EQ(bhemu_unmap_host_region(emu, 0x3000), 0);
    CHECK_EQ(bhemu_map_host_region(emu, 0x100000, mem[16], 64), 0);
    bhemu_destroy(emu);
}

TEST(host_memory_through_pcie_tile)
{
    bhemu *emu = eu_create_default(BHEMU_P150A);
    CHECK(emu);
    static struct fake_host host;
    static uint8_t region[256];
    memset(&host, 0, sizeof host);
    memset(region, 0, sizeof region);
    uint8_t data[64], back[64];
    fill(data, sizeof data, 0x42);

    /* Nothing registered: the access reaches nothing. */
    CHECK_EQ(tlb_host(emu, 40, 0x10000), 0);
    CHECK_EQ(win_write(emu, 40, 0x10000, data, sizeof data), -EFAULT);
    CHECK(pop_host_fault(emu));

    /* A region is plain memory. */
    CHECK_EQ(bhemu_map_host_region(emu, 0x10100, region, sizeof region), 0);
    CHECK_EQ(win_write(emu, 40, 0x10100 + 16, data, sizeof data), 0);
    CHECK(memcmp(region + 16, data, sizeof data) == 0);

    /* The callbacks serve the rest, also around a region inside one access. */
    struct bhemu_host_mem_ops ops = {fake_read, fake_write, &host};
    bhemu_set_host_mem_ops(emu, &ops);
    CHECK_EQ(win_write(emu, 40, 0x10100 - 32, data, sizeof data), 0);
    CHECK(memcmp(host.mem + 0xE0, data, 32) == 0);
    CHECK(memcmp(region, data + 32, 32) == 0);
    CHECK(all_bytes(host.mem + 0x100, 32, 0));
    CHECK_EQ(host.writes, 1);
    memcpy(host.mem + 0x200, data, sizeof data);
    memset(back, 0, sizeof back);
    CHECK_EQ(win_read(emu, 40, 0x10200, back, sizeof back), 0);
    CHECK(memcmp(back, data, sizeof data) == 0);

    /* A callback failing ends the access; without the host bit nothing answers. */
    CHECK_EQ(win_read(emu, 40, 0x1FFFC0, back, sizeof back), -EFAULT);
    CHECK(pop_host_fault(emu));
    CHECK_EQ(tlb_unicast(emu, 41, BH_XLAT_PCIE_X, BH_XLAT_PCIE_Y, 0x10000), 0);
    CHECK_EQ(win_read(emu, 41, 0x10200, back, sizeof back), -EFAULT);
    CHECK(pop_host_fault(emu));

    bhemu_set_host_mem_ops(emu, NULL);
    CHECK_EQ(win_read(emu, 40, 0x10200, back, sizeof back), -EFAULT);
    CHECK(pop_host_fault(emu));
    bhemu_destroy(emu);
}
