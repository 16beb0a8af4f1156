/* The ARC tile as the host and the NoC see it: the reset unit's registers (boot status and
 * the telemetry pointers live in its scratch RAM), the 512 KiB CSM holding the telemetry
 * table, and the NIU's NOC_NODE_ID. Addresses are ARC NoC-local (host-facts 2.9). The ARC
 * firmware itself is not modelled: the telemetry it would publish is built once, at chip
 * creation, from the board configuration. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "emu.h"

#define ARC_RESET_UNIT_SIZE 0x1000u
#define ARC_SCRATCH_FIRST ((BH_ARC_SCRATCH_RAM(0) - BH_ARC_RESET_UNIT) / 4u)
#define ARC_SCRATCH_WORDS 64u
#define ARC_SCRATCH_INDEX(addr) (((addr) - BH_ARC_SCRATCH_RAM(0)) / 4u)

/* UMD waits for (BOOT_STATUS & 7) == 5 before talking to the ARC (host-facts 2.9). */
#define ARC_BOOT_READY 5u

/* The firmware chooses where the telemetry lives and publishes it in SCRATCH_RAM[12]/[13];
 * any free CSM offsets do. */
#define ARC_TELEM_TABLE (BH_ARC_CSM_BASE + 0x1000u)
#define ARC_TELEM_DATA (BH_ARC_CSM_BASE + 0x1800u)
#define ARC_TELEM_VERSION 1u     /* major 0: KMD accepts major <= 1 */

/* Fixed identity of every emulated board; UMD only needs BOARD_ID_HIGH for the UPI. */
#define ARC_BOARD_SERIAL 0x00000001u
#define ARC_ASIC_ID 0u
/* Clocks in MHz, reported as the busy-state values (host-facts 2.9: AICLK busy 1350). */
#define ARC_AXICLK_MHZ 900u
#define ARC_ARCCLK_MHZ 540u
/* TIMER_HEARTBEAT counts milliseconds of chip time, so a host polling it sees it advance
 * only while the chip is clocked. */
#define ARC_HEARTBEAT_CYCLES (BH_AICLK_MHZ * 1000ull)
/* P150A: 12 usable Ethernet ports (host-facts 2.1); P100A has none. */
#define ARC_ETH_P150A 0x0FFFu
#define ARC_L2CPU_ALL 0xFu
/* GDDR training done on every channel (01 each), as ttsim reports it, harvested ones
 * included; the firmware bundle is ttsim's, 18.5.0, whose GDDR_STATUS has no self-test
 * half. */
#define ARC_GDDR_TRAINED 0x5555u
#define ARC_FW_BUNDLE 0x12050000u
/* PCIE_USAGE: two bits per instance, 1 = endpoint in use; instance 0 is the active one. */
#define ARC_PCIE_USAGE 1u

/* Telemetry values, one data word each; the table lists them in this order. */
enum arc_telem_slot {
    SLOT_BOARD_ID_HIGH,
    SLOT_BOARD_ID_LOW,
    SLOT_ASIC_ID,
    SLOT_AICLK,
    SLOT_AXICLK,
    SLOT_ARCCLK,
    SLOT_HEARTBEAT,
    SLOT_GDDR_STATUS,
    SLOT_FW_BUNDLE,
    SLOT_TENSIX_COL,
    SLOT_ETH,
    SLOT_GDDR,
    SLOT_L2CPU,
    SLOT_PCIE_USAGE,
    SLOT_NOC_TRANSLATION,
    ARC_TELEM_SLOTS
};

static const uint16_t slot_tag[ARC_TELEM_SLOTS] = {
    [SLOT_BOARD_ID_HIGH] = BH_TAG_BOARD_ID_HIGH,
    [SLOT_BOARD_ID_LOW] = BH_TAG_BOARD_ID_LOW,
    [SLOT_ASIC_ID] = BH_TAG_ASIC_ID,
    [SLOT_AICLK] = BH_TAG_AICLK,
    [SLOT_AXICLK] = BH_TAG_AXICLK,
    [SLOT_ARCCLK] = BH_TAG_ARCCLK,
    [SLOT_HEARTBEAT] = BH_TAG_TIMER_HEARTBEAT,
    [SLOT_GDDR_STATUS] = BH_TAG_GDDR_STATUS,
    [SLOT_FW_BUNDLE] = BH_TAG_FLASH_BUNDLE_VERSION,
    [SLOT_TENSIX_COL] = BH_TAG_ENABLED_TENSIX_COL,
    [SLOT_ETH] = BH_TAG_ENABLED_ETH,
    [SLOT_GDDR] = BH_TAG_ENABLED_GDDR,
    [SLOT_L2CPU] = BH_TAG_ENABLED_L2CPU,
    [SLOT_PCIE_USAGE] = BH_TAG_PCIE_USAGE,
    [SLOT_NOC_TRANSLATION] = BH_TAG_NOC_TRANSLATION,
};

/* ENABLED_TENSIX_COL bit i is NOC0 column bh_harvest_bit_x(i) (die order, device-facts 1.3). */
static uint32_t enabled_tensix_cols(uint32_t cols_off)
{
    uint32_t mask = 0;
    for (unsigned i = 0; i < BH_TENSIX_COLS; i++)
        if (!(cols_off >> bh_harvest_bit_x(i) & 1))
            mask |= 1u << i;
    return mask;
}

static void telemetry_values(const struct bhemu_config *cfg, uint32_t val[ARC_TELEM_SLOTS])
{
    bool p150 = cfg->board == BHEMU_P150A;
    /* UMD: upi = BOARD_ID_HIGH >> 4 (ttm/blackhole.h BH_UPI_*). */
    val[SLOT_BOARD_ID_HIGH] = (p150 ? BH_UPI_P150A : BH_UPI_P100A) << 4;
    val[SLOT_BOARD_ID_LOW] = ARC_BOARD_SERIAL;
    val[SLOT_ASIC_ID] = ARC_ASIC_ID;
    val[SLOT_AICLK] = BH_AICLK_MHZ;
    val[SLOT_AXICLK] = ARC_AXICLK_MHZ;
    val[SLOT_ARCCLK] = ARC_ARCCLK_MHZ;
    val[SLOT_HEARTBEAT] = 0;
    val[SLOT_GDDR_STATUS] = ARC_GDDR_TRAINED;
    val[SLOT_FW_BUNDLE] = ARC_FW_BUNDLE;
    val[SLOT_TENSIX_COL] = enabled_tensix_cols(cfg->tensix_cols_off);
    val[SLOT_ETH] = p150 ? ARC_ETH_P150A : 0;
    val[SLOT_GDDR] = ~cfg->dram_banks_off & ((1u << BH_DRAM_BANKS) - 1);
    val[SLOT_L2CPU] = ARC_L2CPU_ALL;
    val[SLOT_PCIE_USAGE] = ARC_PCIE_USAGE;
    val[SLOT_NOC_TRANSLATION] = 1;
}

static void csm_w32(struct arc_tile *arc, uint32_t addr, uint32_t val)
{
    memcpy(arc->csm + (addr - BH_ARC_CSM_BASE), &val, 4);
}

/* Table: version, entry count, then `tag | index << 16` per entry; the value of an entry
 * is the word at DATA + 4 * index (host-facts 2.9, KMD populate_telemetry_cache). */
static void telemetry_build(struct arc_tile *arc, const struct bhemu_config *cfg)
{
    uint32_t val[ARC_TELEM_SLOTS];
    telemetry_values(cfg, val);
    csm_w32(arc, ARC_TELEM_TABLE, ARC_TELEM_VERSION);
    csm_w32(arc, ARC_TELEM_TABLE + 4, ARC_TELEM_SLOTS);
    for (uint32_t i = 0; i < ARC_TELEM_SLOTS; i++) {
        csm_w32(arc, ARC_TELEM_TABLE + 8 + 4 * i, slot_tag[i] | i << 16);
        csm_w32(arc, ARC_TELEM_DATA + 4 * i, val[i]);
    }
    arc->scratch[ARC_SCRATCH_INDEX(BH_ARC_TELEMETRY_DATA_PTR)] = ARC_TELEM_DATA;
    arc->scratch[ARC_SCRATCH_INDEX(BH_ARC_TELEMETRY_TABLE_PTR)] = ARC_TELEM_TABLE;
}

int bhe_arc_create(struct bhemu *emu)
{
    struct arc_tile *arc = &emu->arc;
    memset(arc, 0, sizeof *arc);
    arc->csm = calloc(1, BH_ARC_CSM_SIZE);
    if (!arc->csm)
        return -ENOMEM;
    telemetry_build(arc, &emu->cfg);
    arc->scratch[ARC_SCRATCH_INDEX(BH_ARC_BOOT_STATUS)] = ARC_BOOT_READY;
    return 0;
}

void bhe_arc_destroy(struct bhemu *emu)
{
    free(emu->arc.csm);
    emu->arc.csm = NULL;
}

/* [addr, addr + len) lies inside [base, base + size). */
static bool arc_within(uint64_t addr, size_t len, uint64_t base, uint64_t size)
{
    return addr >= base && addr - base <= size && len <= size - (addr - base);
}

static int csm_access(struct bhemu *emu, uint64_t addr, void *buf, size_t len, bool write)
{
    uint8_t *p = emu->arc.csm + (addr - BH_ARC_CSM_BASE);
    if (write) {
        memcpy(p, buf, len);
        return 0;
    }
    csm_w32(&emu->arc, ARC_TELEM_DATA + 4 * SLOT_HEARTBEAT,
            (uint32_t)(emu->now / ARC_HEARTBEAT_CYCLES));
    memcpy(buf, p, len);
    return 0;
}

/* The reset unit is 32-bit registers; those we give meaning to are the scratch RAM words,
 * the rest is plain storage. */
static uint32_t *reset_unit_reg(struct arc_tile *arc, uint32_t index)
{
    if (index - ARC_SCRATCH_FIRST < ARC_SCRATCH_WORDS)
        return &arc->scratch[index - ARC_SCRATCH_FIRST];
    return &arc->reset_unit[index];
}

static int reset_unit_access(struct arc_tile *arc, uint64_t addr, uint8_t *buf, size_t len,
                             bool write)
{
    if (addr % 4 || len % 4)
        return -EFAULT;
    uint32_t first = (uint32_t)(addr - BH_ARC_RESET_UNIT) / 4;
    for (uint32_t i = 0; i < len / 4; i++) {
        uint32_t *reg = reset_unit_reg(arc, first + i);
        if (write)
            memcpy(reg, buf + 4 * i, 4);
        else
            memcpy(buf + 4 * i, reg, 4);
    }
    return 0;
}

/* Of the NIUs we model NOC_NODE_ID only; it is read-only, writes are dropped. */
static int arc_niu_access(uint64_t addr, void *buf, size_t len, bool write)
{
    unsigned noc = addr == BH_ARC_NIU1_BASE + BH_NOC_NODE_ID;
    if (len != 4 || (!noc && addr != BH_ARC_NIU0_BASE + BH_NOC_NODE_ID))
        return -EFAULT;
    if (!write) {
        uint32_t id = bhe_niu_node_id(BH_ARC_X, BH_ARC_Y, noc);
        memcpy(buf, &id, 4);
    }
    return 0;
}

int bhe_arc_access(void *chip, uint64_t addr, void *buf, size_t len, bool write,
                   const struct emu_src *src)
{
    struct bhemu *emu = chip;
    (void)src;
    if (arc_within(addr, len, BH_ARC_CSM_BASE, BH_ARC_CSM_SIZE))
        return csm_access(emu, addr, buf, len, write);
    if (arc_within(addr, len, BH_ARC_RESET_UNIT, ARC_RESET_UNIT_SIZE))
        return reset_unit_access(&emu->arc, addr, buf, len, write);
    return arc_niu_access(addr, buf, len, write);
}
