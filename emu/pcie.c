/* The chip's PCIe port as a host sees it: config space, the BAR0/BAR4 address decoding,
 * and the TLB windows that turn BAR accesses into NoC requests from the PCIe tile
 * (host-facts 2.2-2.4). The device's way back to host memory is host.c. */
#include <errno.h>
#include <string.h>

#include "emu.h"

/* Config space. The BAR bases are fixed, distinct and aligned to each BAR's size (BAR4 is
 * 32 GiB): BAR0 at 64 GiB, BAR2 at 64 GiB + 512 MiB, BAR4 at 96 GiB. Nothing uses them but a
 * host that wants to print or compare them. */
#define PCI_CFG_ID 0x00u
#define PCI_CFG_BAR0 0x10u
#define PCI_CFG_BAR2 0x18u
#define PCI_CFG_BAR4 0x20u
#define PCI_CFG_HEADER_END 0x40u
#define PCI_BAR_MEM64 0x4u              /* memory BAR, type 10b: 64-bit */
#define PCIE_BAR0_BASE 0x1000000000ull
#define PCIE_BAR2_BASE 0x1020000000ull
#define PCIE_BAR4_BASE 0x1800000000ull

/* BAR0 layout (host-facts 2.2, 2.3). */
#define TLB_2M_WINDOWS_END (BH_TLB_2M_COUNT * BH_TLB_2M_SIZE)
#define TLB_CFG_END (BH_TLB_CFG_BASE + (BH_TLB_2M_COUNT + BH_TLB_4G_COUNT) * BH_TLB_CFG_ENTRY)
/* Strided-multicast registers of 2 MiB windows 0..31 follow the entries; their format is
 * unknown and KMD only writes 0 to them, so they read 0 and ignore writes. */
#define TLB_STRIDE_REGS 32u
#define TLB_STRIDE_END (TLB_CFG_END + 4u * TLB_STRIDE_REGS)
#define PCIE_NIU_SIZE 0x100000u

static const struct emu_src host_src = {.tile = NULL, .unit = NULL};

uint32_t bhemu_pci_config_read32(bhemu *emu, uint32_t offset)
{
    (void)emu;
    switch (offset) {
    case PCI_CFG_ID:
        return BH_PCI_VENDOR | BH_PCI_DEVICE << 16;
    case PCI_CFG_BAR0:
        return (uint32_t)PCIE_BAR0_BASE | PCI_BAR_MEM64;
    case PCI_CFG_BAR0 + 4:
        return (uint32_t)(PCIE_BAR0_BASE >> 32);
    case PCI_CFG_BAR2:
        return (uint32_t)PCIE_BAR2_BASE | PCI_BAR_MEM64;
    case PCI_CFG_BAR2 + 4:
        return (uint32_t)(PCIE_BAR2_BASE >> 32);
    case PCI_CFG_BAR4:
        return (uint32_t)PCIE_BAR4_BASE | PCI_BAR_MEM64;
    case PCI_CFG_BAR4 + 4:
        return (uint32_t)(PCIE_BAR4_BASE >> 32);
    }
    /* The rest of the header is not modelled; past it, and misaligned, nothing answers. */
    return offset < PCI_CFG_HEADER_END && offset % 4 == 0 ? 0 : 0xFFFFFFFFu;
}

/* ---- TLB windows ---- */

/* What a TLB entry points at. */
struct tlb_target {
    uint64_t addr;          /* tile-local address of the window's first byte */
    uint32_t x, y;          /* unicast target, or multicast rectangle end */
    uint32_t x0, y0;        /* multicast rectangle start */
    bool mcast;
};

/* Bits [pos, pos + width) of the 96-bit entry held as three little-endian words; no field
 * is wider than 43 bits. */
static uint64_t tlb_bits(const uint32_t w[3], unsigned pos, unsigned width)
{
    uint64_t lo = w[0] | (uint64_t)w[1] << 32;
    uint64_t v;
    if (pos >= 64)
        v = w[2] >> (pos - 64);
    else if (pos + width <= 64)
        v = lo >> pos;
    else
        v = lo >> pos | (uint64_t)w[2] << (64 - pos);
    return v & ((1ull << width) - 1);
}

static bool tlb_is_4g(unsigned id)
{
    return id >= BH_TLB_2M_COUNT;
}

static uint64_t tlb_size(unsigned id)
{
    return tlb_is_4g(id) ? BH_TLB_4G_SIZE : BH_TLB_2M_SIZE;
}

/* The address field holds the local address >> log2(window size) (host-facts 2.3, 2.4).
 * noc_sel is ignored: with translation on, both NoCs take the same translated coordinates
 * (device-facts 1.5). */
static void tlb_decode(const struct bhemu *emu, unsigned id, struct tlb_target *t)
{
    const struct bh_tlb_layout *l = bh_tlb_layout(tlb_is_4g(id));
    const uint32_t *w = emu->tlb[id];
    unsigned shift = tlb_is_4g(id) ? 32 : 21;
    t->addr = tlb_bits(w, 0, l->addr_bits) << shift;
    t->x = (uint32_t)tlb_bits(w, l->x_end, 6);
    t->y = (uint32_t)tlb_bits(w, l->y_end, 6);
    t->x0 = (uint32_t)tlb_bits(w, l->x_start, 6);
    t->y0 = (uint32_t)tlb_bits(w, l->y_start, 6);
    t->mcast = tlb_bits(w, l->mcast, 1);
}

/* An access through window `id` at `off` into it becomes one NoC request from the PCIe
 * tile. Multicast windows only write (host-facts 2.3). */
static int window_access(struct bhemu *emu, unsigned id, uint64_t off, void *buf, size_t len,
                         bool write)
{
    if (len > tlb_size(id) - off)
        return -EINVAL;
    struct tlb_target t;
    tlb_decode(emu, id, &t);
    uint64_t addr = t.addr + off;
    if (t.mcast) {
        unsigned n_dests;
        if (!write)
            return -EINVAL;
        return bhe_noc_mcast_write(emu, t.x0, t.y0, t.x, t.y, addr, buf, len, &host_src, NULL,
                                   &n_dests);
    }
    if (write)
        return bhe_noc_write(emu, t.x, t.y, addr, buf, len, &host_src);
    return bhe_noc_read(emu, t.x, t.y, addr, buf, len, &host_src);
}

/* ---- BAR0 registers ---- */

/* TLB entries are three 32-bit registers each. Like Tenstorrent's simulator, only aligned
 * 32-bit accesses are accepted: anything else is rejected and changes nothing. */
static int tlb_cfg_access(struct bhemu *emu, uint64_t off, void *buf, size_t len, bool write)
{
    if (len != 4 || off % 4)
        return -EINVAL;
    if (off >= TLB_CFG_END) {
        if (!write)
            memset(buf, 0, 4);
        return 0;
    }
    uint32_t word = (uint32_t)(off - BH_TLB_CFG_BASE) / 4;
    uint32_t *reg = &emu->tlb[word / 3][word % 3];
    if (write)
        memcpy(reg, buf, 4);
    else
        memcpy(buf, reg, 4);
    return 0;
}

/* The PCIe tile's NIUs as a host sees them: NOC_NODE_ID (UMD finds the active PCIe tile
 * from its x), the NOC_CFG registers (NIU_CFG_0 bit 14 = translation on) and the status
 * counters KMD exports (host-facts 1.5, 2.2). The model cannot change routing, so these are
 * read-only here: writes are dropped. */
static int pcie_niu_access(struct bhemu *emu, uint64_t off, void *buf, size_t len, bool write)
{
    unsigned noc;
    if (off - BH_PCIE_NIU0_OFF < BH_NIU_SIZE)
        noc = 0;
    else if (off - BH_PCIE_NIU1_OFF < BH_NIU_SIZE)
        noc = 1;
    else
        return -EINVAL;
    const struct niu *n = &emu->pcie_niu[noc];
    uint64_t reg = off - (noc ? BH_PCIE_NIU1_OFF : BH_PCIE_NIU0_OFF);
    uint32_t val;
    if (len != 4 || reg % 4)
        return -EINVAL;
    if (reg == BH_NOC_NODE_ID)
        val = bhe_niu_node_id(BH_PCIE_NOC0_X, BH_PCIE_NOC0_Y, noc);
    else if (reg - BH_NOC_CFG(0) < sizeof n->cfg)
        val = n->cfg[(reg - BH_NOC_CFG(0)) / 4];
    else if (reg - BH_NOC_STATUS(0) < sizeof n->status)
        val = n->status[(reg - BH_NOC_STATUS(0)) / 4];
    else
        return -EINVAL;
    if (!write)
        memcpy(buf, &val, 4);
    return 0;
}

/* The ARC APB window: BAR0 0x1FF00000 + off is ARC NoC address 0x80000000 + off. */
static int arc_apb_access(struct bhemu *emu, uint64_t off, void *buf, size_t len, bool write)
{
    uint64_t addr = BH_ARC_NOC_BASE + off;
    int rc = bhe_arc_access(emu, addr, buf, len, write, &host_src);
    if (rc == -EFAULT)
        bhe_fault(emu, BHEMU_FAULT_HOST, &host_src, addr, "host %s of %zu bytes at ARC 0x%llx",
                  write ? "write" : "read", len, (unsigned long long)addr);
    return rc;
}

/* [off, off + len) lies inside [base, end). */
static bool bar_within(uint64_t off, size_t len, uint64_t base, uint64_t end)
{
    return off >= base && off < end && len <= end - off;
}

static int bar0_access(struct bhemu *emu, uint64_t off, void *buf, size_t len, bool write)
{
    if (off < TLB_2M_WINDOWS_END)
        return window_access(emu, (unsigned)(off / BH_TLB_2M_SIZE), off % BH_TLB_2M_SIZE, buf,
                             len, write);
    if (bar_within(off, len, BH_TLB_CFG_BASE, TLB_STRIDE_END))
        return tlb_cfg_access(emu, off, buf, len, write);
    if (bar_within(off, len, BH_PCIE_NIU_BAR0, BH_PCIE_NIU_BAR0 + PCIE_NIU_SIZE))
        return pcie_niu_access(emu, off - BH_PCIE_NIU_BAR0, buf, len, write);
    if (bar_within(off, len, BH_ARC_APB_BAR0, BH_ARC_APB_BAR0 + BH_ARC_APB_SIZE))
        return arc_apb_access(emu, off - BH_ARC_APB_BAR0, buf, len, write);
    return -EINVAL;
}

static int bar_check(unsigned bar, uint64_t off, const void *buf, size_t len)
{
    uint64_t size;
    if (bar == 0)
        size = BH_BAR0_SIZE;
    else if (bar == 4)
        size = BH_BAR4_SIZE;
    else
        return -EINVAL;
    if (!buf || !len || off >= size || len > size - off)
        return -EINVAL;
    return 0;
}

/* buf is only written when write is false. */
static int bar_access(struct bhemu *emu, unsigned bar, uint64_t off, void *buf, size_t len,
                      bool write)
{
    if (bar == 0)
        return bar0_access(emu, off, buf, len, write);
    return window_access(emu, BH_TLB_2M_COUNT + (unsigned)(off / BH_TLB_4G_SIZE),
                         off % BH_TLB_4G_SIZE, buf, len, write);
}

int bhemu_bar_read(bhemu *emu, unsigned bar, uint64_t offset, void *dst, size_t len)
{
    int rc = bar_check(bar, offset, dst, len);
    if (rc)
        return rc;
    emu->st.bar_reads++;
    emu->st.bar_bytes += len;
    rc = bar_access(emu, bar, offset, dst, len, false);
    /* A read nobody answers completes with all-ones, as on a real PCIe link. */
    if (rc == -EFAULT)
        memset(dst, 0xFF, len);
    return rc;
}

int bhemu_bar_write(bhemu *emu, unsigned bar, uint64_t offset, const void *src, size_t len)
{
    int rc = bar_check(bar, offset, src, len);
    if (rc)
        return rc;
    emu->st.bar_writes++;
    emu->st.bar_bytes += len;
    return bar_access(emu, bar, offset, (void *)src, len, true);
}
