/* Blackhole chip facts: the one place every part of ttm takes them from — the host
 * runtime, the emulator, our firmware and kernels (C and C++, x86 and rv32).
 *
 * Every number here is a hardware fact; the comment beside it names where it was read
 * (tags as in docs/facts/: ISA = tt-isa-documentation BlackholeA0, UMD = tt-umd
 * blackhole_implementation.hpp / coordinate manager, KMD = tt-kmd, TTSIM = Tenstorrent's
 * simulator register tables, TTM = tt-metal headers). The rest of ttm takes coordinates
 * and register addresses from here; what it chooses itself (our L1 map, our command
 * queue) is in ttm/kernel/abi.h. Tables are static inline functions, so the header
 * stands alone: nothing to link.
 */
#ifndef TTM_BLACKHOLE_H
#define TTM_BLACKHOLE_H

#include <stdint.h>

/* ---- Grid (UMD GRID_SIZE; ISA NoC/MemoryMap.md NOC_NODE_ID width 17, height 12) ---- */
#define BH_GRID_X 17
#define BH_GRID_Y 12
#define BH_TENSIX_COLS 14         /* NOC0 x in {1..7, 10..16} (UMD T6_X_LOCATIONS) */
#define BH_TENSIX_ROWS 10         /* NOC0 y in 2..11 */
#define BH_TENSIX_Y0 2
#define BH_DRAM_BANKS 8           /* 8 x 4 GiB GDDR6 (ISA README) */
#define BH_DRAM_PORTS 3           /* three NoC tiles per bank, one shared store */
#define BH_DRAM_BANK_SIZE (1ull << 32)

/* Translated-coordinate space (UMD translated start constants; TTSIM tile.cpp). */
#define BH_XLAT_DRAM_X0 17        /* DRAM banks: x 17 and 18, y 12..23 */
#define BH_XLAT_DRAM_Y0 12
#define BH_XLAT_PCIE_X 19
#define BH_XLAT_PCIE_Y 24
#define BH_ARC_X 8                /* ARC is not translated (UMD ARC_CORES_NOC0) */
#define BH_ARC_Y 0
#define BH_PCIE_NOC0_X 2          /* the active PCIe tile (TTSIM maps (19,24) to (2,0)) */
#define BH_PCIE_NOC0_Y 0

/* NOC0 x of Tensix column k, in ascending order (UMD T6_X_LOCATIONS). Translated Tensix x
 * uses the same list: the k-th enabled column gets bh_tensix_x(k). */
static inline uint32_t bh_tensix_x(uint32_t k)
{
    static const uint8_t x[BH_TENSIX_COLS] = {1, 2, 3, 4, 5, 6, 7, 10, 11, 12, 13, 14, 15, 16};
    return x[k];
}

/* NOC0 x of the column that bit i of telemetry tag ENABLED_TENSIX_COL refers to
 * (UMD HARVESTING_NOC_LOCATIONS: die order, not x order). */
static inline uint32_t bh_harvest_bit_x(uint32_t i)
{
    static const uint8_t x[BH_TENSIX_COLS] = {1, 16, 2, 15, 3, 14, 4, 13, 5, 12, 6, 11, 7, 10};
    return x[i];
}

/* Translated coordinates of port `port` of the DRAM bank with logical id `bank`: enabled
 * banks take ids 0.. at x 17 (0-3) and 18 (4-7), each bank three consecutive y from
 * 12 + 3 * (id % 4) (UMD blackhole_coordinate_manager; device-facts 1.5, 1.7). */
static inline uint32_t bh_dram_x(uint32_t bank)
{
    return BH_XLAT_DRAM_X0 + bank / 4;
}

static inline uint32_t bh_dram_y(uint32_t bank, uint32_t port)
{
    return BH_XLAT_DRAM_Y0 + 3 * (bank % 4) + port;
}

/* NoC requests to rows 0 and 1 are not translated: they reach the tile at those physical
 * NOC0 coordinates (device-facts 1.5; ttsim's remap_virtual_coordinate leaves rows 0-1
 * alone). Entry i is a tile there that also has translated coordinates, as ttsim maps
 * them: the DRAM ports of physical columns 0 and 9 (translated columns 18 and 17, rows
 * 12 and 13) and PCIe 0. Returns 0 past the last. */
#define BH_UNTRANSLATED_ROWS 2u
struct bh_xy_alias {
    uint8_t phys_x, phys_y, xlat_x, xlat_y;
};
static inline int bh_untranslated_alias(uint32_t i, struct bh_xy_alias *a)
{
    static const struct bh_xy_alias t[] = {
        {0, 0, 18, 12}, {0, 1, 18, 13}, {9, 0, 17, 12}, {9, 1, 17, 13},
        {2, 0, BH_XLAT_PCIE_X, BH_XLAT_PCIE_Y},
    };
    if (i >= sizeof t / sizeof t[0])
        return 0;
    *a = t[i];
    return 1;
}

/* ---- Tensix tile address map (ISA TensixTile/BabyRISCV/README.md; TTSIM tile_regs) ---- */
#define BH_L1_SIZE 0x180000u      /* 1536 KiB */
#define BH_LDM_BASE 0xFFB00000u   /* each core's local data RAM, fast path */
#define BH_LDM_SIZE_DM 0x2000u    /* BRISC, NCRISC: 8 KiB */
#define BH_LDM_SIZE_T 0x1000u     /* TRISC0-2: 4 KiB */
#define BH_LDM_ALIAS_BASE 0xFFB14000u /* slow-path aliases, 0x2000 apart: B, NC, T0, T1, T2 */
#define BH_LDM_ALIAS_STRIDE 0x2000u
#define BH_DEBUG_REGS 0xFFB12000u
#define BH_DEBUG_REGS_SIZE 0x2000u
#define BH_SOFT_RESET_0 0xFFB121B0u
#define BH_WALL_CLOCK_0 0xFFB121F0u   /* low word; reading it latches the high word */
#define BH_WALL_CLOCK_1 0xFFB121F4u   /* live high word */
#define BH_WALL_CLOCK_1_AT 0xFFB121F8u /* high word latched by the last WALL_CLOCK_0 read */
#define BH_DISABLE_RESET 0xFFB12224u
#define BH_DBG_BUS_CTRL 0xFFB12054u    /* write-only; bits 31, 30, 28, 27, 24 reserved (TTSIM) */
#define BH_DBG_BUS_CTRL_RESERVED 0xD9000000u
#define BH_TRISC0_RESET_PC 0xFFB12228u /* +4 per TRISC */
#define BH_TRISC_RESET_PC_OVERRIDE 0xFFB12234u
#define BH_NCRISC_RESET_PC 0xFFB12238u
#define BH_NCRISC_RESET_PC_OVERRIDE 0xFFB1223Cu
#define BH_PC_SNAPSHOT 0xFFB13138u    /* B, NC, T0, T1, T2 at +4 each (ISA memory map) */
#define BH_NIU0_BASE 0xFFB20000u
#define BH_NIU1_BASE 0xFFB30000u
#define BH_NIU_SIZE 0x10000u
#define BH_NIU_BASE(noc) (BH_NIU0_BASE + BH_NIU_SIZE * (noc))
#define BH_STREAM_BASE 0xFFB40000u    /* 64 overlay streams x 0x1000 */
#define BH_STREAM_STRIDE 0x1000u
#define BH_STREAMS 64

/* ---- The Tensix coprocessor as its cores see it (ISA TensixTile/BabyRISCV/
 * PushTensixInstruction.md, SyncUnit.md, ManualTTSync.md, BackendConfiguration.md;
 * compute-facts 2) ---- */
#define BH_TENSIX_GPR_BASE 0xFFE00000u   /* 64 GPRs per thread, 0x100 apart (BRISC: all) */
#define BH_TENSIX_GPRS 64u
#define BH_INSTRN_BUF_BASE 0xFFE40000u   /* a store pushes one instruction to the thread */
#define BH_PC_BUF_BASE 0xFFE80000u
#define BH_TT_DONE_CHECK (BH_PC_BUF_BASE + 4u)  /* load: waits until the thread is idle */
#define BH_TT_SEM(i) (BH_PC_BUF_BASE + 0x20u + 4u * (i)) /* load: value; store 0 post, 1 get */
#define BH_TT_SEMS 8u
#define BH_TENSIX_CFG_BASE 0xFFEF0000u   /* backend configuration, bank 0, word i at +4i */
#define BH_CFG_IC_INVALIDATE 185u        /* RISCV_IC_INVALIDATE: a write drops the I-caches */
#define BH_CFG_IC_INVALIDATE_ALL 0x1Fu   /* of BRISC, TRISC0-2, NCRISC (bits 0-4) */
#define BH_TT_THREADS 3u                 /* unpack, math, pack: pushed by TRISC0-2 */
/* A RISC-V word whose low two bits are not 0b11 is a Tensix instruction rotated left by
 * two; valid instructions are below 0xC0000000 (PushTensixInstruction.md). */
#define BH_TT_ROTL2(insn) ((((insn) << 2) | ((insn) >> 30)) & 0xFFFFFFFFu)

/* The five RISC-V cores of a Tensix tile, in the order the hardware numbers them (PC
 * snapshots, local-RAM aliases, ISA SoftReset.md). */
enum bh_core { BH_BRISC, BH_NCRISC, BH_TRISC0, BH_TRISC1, BH_TRISC2, BH_CORES_PER_TILE };

/* SOFT_RESET_0 bits of the five cores (ISA TensixTile/SoftReset.md). */
#define BH_RESET_BRISC 0x00800u
#define BH_RESET_TRISC0 0x01000u
#define BH_RESET_TRISC1 0x02000u
#define BH_RESET_TRISC2 0x04000u
#define BH_RESET_NCRISC 0x40000u
#define BH_RESET_ALL_RISCS 0x47800u   /* reset value (TTSIM soft_reset_0) */
/* Default reset PCs (ISA SoftReset.md); BRISC always starts at 0. */
#define BH_NCRISC_DEFAULT_PC 0x12000u
#define BH_TRISC0_DEFAULT_PC 0x06000u
#define BH_TRISC1_DEFAULT_PC 0x0A000u
#define BH_TRISC2_DEFAULT_PC 0x0E000u

/* What the hardware says about each core (ISA SoftReset.md, BabyRISCV/README.md). */
struct bh_core_desc {
    const char *name;
    uint32_t reset_bit;           /* in SOFT_RESET_0 */
    uint32_t ldm_size;            /* local data RAM at BH_LDM_BASE */
    uint32_t default_pc;          /* where it starts without an override */
    uint32_t pc_reg;              /* reset-PC register; 0: the PC is fixed (BRISC) */
    uint32_t pc_override_reg;     /* register whose bit pc_override_bit selects pc_reg */
    uint32_t pc_override_bit;
};

static inline const struct bh_core_desc *bh_core_desc(uint32_t core)
{
    static const struct bh_core_desc d[BH_CORES_PER_TILE] = {
        {"BRISC", BH_RESET_BRISC, BH_LDM_SIZE_DM, 0, 0, 0, 0},
        {"NCRISC", BH_RESET_NCRISC, BH_LDM_SIZE_DM, BH_NCRISC_DEFAULT_PC, BH_NCRISC_RESET_PC,
         BH_NCRISC_RESET_PC_OVERRIDE, 1u << 0},
        {"TRISC0", BH_RESET_TRISC0, BH_LDM_SIZE_T, BH_TRISC0_DEFAULT_PC, BH_TRISC0_RESET_PC,
         BH_TRISC_RESET_PC_OVERRIDE, 1u << 0},
        {"TRISC1", BH_RESET_TRISC1, BH_LDM_SIZE_T, BH_TRISC1_DEFAULT_PC, BH_TRISC0_RESET_PC + 4,
         BH_TRISC_RESET_PC_OVERRIDE, 1u << 1},
        {"TRISC2", BH_RESET_TRISC2, BH_LDM_SIZE_T, BH_TRISC2_DEFAULT_PC, BH_TRISC0_RESET_PC + 8,
         BH_TRISC_RESET_PC_OVERRIDE, 1u << 2},
    };
    return &d[core];
}

/* ---- NIU registers (ISA NoC/MemoryMap.md; TTM noc_parameters.h) ---- */
#define BH_NIU_CMDBUF_STRIDE 0x800u
#define BH_NIU_CMDBUFS 4
#define BH_NOC_TARG_ADDR_LO 0x00u     /* then _MID +4, _HI (coordinates) +8 */
#define BH_NOC_TARG_ADDR_MID 0x04u
#define BH_NOC_TARG_ADDR_HI 0x08u
#define BH_NOC_RET_ADDR_LO 0x0Cu
#define BH_NOC_RET_ADDR_MID 0x10u
#define BH_NOC_RET_ADDR_HI 0x14u
#define BH_NOC_PACKET_TAG 0x18u
#define BH_NOC_CTRL 0x1Cu
#define BH_NOC_AT_LEN_BE 0x20u
#define BH_NOC_AT_LEN_BE_1 0x24u
#define BH_NOC_AT_DATA 0x28u
#define BH_NOC_BRCST_EXCLUDE 0x2Cu
#define BH_NOC_CMD_CTRL 0x40u         /* write 1 to fire; reads 0 when reprogrammable */
#define BH_NOC_NODE_ID 0x44u
#define BH_NOC_ENDPOINT_ID 0x48u
#define BH_NOC_CLEAR_OUTSTANDING_REQ_CNT 0x60u
#define BH_NOC_CFG(i) (0x100u + 4u * (i))
#define BH_NIU_CFG_0 BH_NOC_CFG(0)
#define BH_NIU_CFG_0_TRANSLATE (1u << 14)  /* coordinate translation on (host-facts 2.2) */
#define BH_ROUTER_CFG_1 BH_NOC_CFG(2)      /* columns opted out of broadcasts */
#define BH_ROUTER_CFG_3 BH_NOC_CFG(4)      /* rows opted out of broadcasts */
/* Their reset values opt out the non-Tensix NOC0 columns 0, 8, 9 and rows 0, 1 (TTSIM
 * sim.h). */
#define BH_ROUTER_CFG_1_RESET 0x301u
#define BH_ROUTER_CFG_3_RESET 0x003u
#define BH_NOC_ENDPOINT_TENSIX 0x0100u     /* NOC_ENDPOINT_ID of a Tensix tile (host-facts 2.5) */
#define BH_NOC_ID_LOGICAL BH_NOC_CFG(0x12) /* this tile's translated x | y << 6 */
#define BH_NOC_STATUS(i) (0x200u + 4u * (i))

/* NOC_CTRL bits (ISA NoC/MemoryMap.md). */
#define BH_NOC_CMD_RD 0u
#define BH_NOC_CMD_AT 1u
#define BH_NOC_CMD_WR 2u
#define BH_NOC_CMD_TYPE_MASK 3u
#define BH_NOC_CMD_WR_BE (1u << 2)
#define BH_NOC_CMD_WR_INLINE (1u << 3)
#define BH_NOC_CMD_RESP_MARKED (1u << 4)   /* non-posted: count an ack / response */
#define BH_NOC_CMD_BRCST_PACKET (1u << 5)
#define BH_NOC_CMD_VC_LINKED (1u << 6)
#define BH_NOC_CMD_VC_STATIC (1u << 7)
#define BH_NOC_CMD_PATH_RESERVE (1u << 8)
#define BH_NOC_CMD_BRCST_SRC_INCLUDE (1u << 17)
#define BH_NOC_CMD_STATIC_VC(vc) ((uint32_t)(vc) << 13)

/* Status counters, index for BH_NOC_STATUS (ISA NoC/Counters.md). */
enum bh_noc_counter {
    BH_NIU_MST_ATOMIC_RESP_RECEIVED = 0x0,
    BH_NIU_MST_WR_ACK_RECEIVED = 0x1,
    BH_NIU_MST_RD_RESP_RECEIVED = 0x2,
    BH_NIU_MST_CMD_ACCEPTED = 0x4,
    BH_NIU_MST_RD_REQ_SENT = 0x5,
    BH_NIU_MST_POSTED_ATOMIC_SENT = 0x7,
    BH_NIU_MST_NONPOSTED_ATOMIC_SENT = 0x8,
    BH_NIU_MST_NONPOSTED_WR_REQ_SENT = 0xA,
    BH_NIU_MST_POSTED_WR_REQ_SENT = 0xB,
    BH_NIU_MST_REQS_OUTSTANDING_ID0 = 0x10, /* +trid, 16 of them */
    BH_NIU_MST_WRITE_REQS_OUTGOING_ID0 = 0x20,
};

/* Atomic opcodes in NOC_AT_LEN_BE[15:12] (TTM noc_parameters.h; ISAWH NoC/Atomics.md). */
#define BH_NOC_AT_INS_INCR_GET 1u
#define BH_NOC_AT_INS_SWAP_4B 7u

/* 64-bit software NoC address: local [35:0], x [41:36], y [47:42]; multicast adds
 * start x [53:48], start y [59:54]; bit 60 selects host memory behind the PCIe tile
 * (TTM noc_parameters.h NOC_ADDR_LOCAL_BITS = 36, NOC_XY_PCIE_ENCODING). In the NIU the
 * coordinate word (HI register) is x[5:0] y[11:6] (start x[17:12] start y[23:18]). */
#define BH_NOC_ADDR_LOCAL_BITS 36
#define BH_NOC_PCIE_HOST_BIT (1ull << 60)
#define BH_HOST_WINDOW_SIZE (1ull << 58)  /* host offset: the address bits below 58 (host-facts 3) */
#define BH_NOC_MID_MASK 0x1000000Fu   /* MID carries addr[35:32] and the PCIe bit 60 */
#define BH_NOC_MAX_BURST 16384u       /* bytes per request (TTM NOC_MAX_BURST_SIZE) */

/* Overlay stream registers we use (TTSIM tile_regs noc_overlay_stream; TTM
 * noc_overlay_parameters.h). Index = byte offset / 4 within a stream. */
#define BH_STREAM_REMOTE_SRC 4u
#define BH_STREAM_REMOTE_DEST_BUF_START 8u
#define BH_STREAM_REMOTE_DEST_BUF_SIZE 10u    /* a write also sets SPACE_AVAILABLE (TTSIM) */
#define BH_STREAM_SPACE_AVAILABLE_UPDATE 270u /* write v: space_available += v >> 6 */
#define BH_STREAM_SPACE_AVAILABLE_UPDATE_SHIFT 6
#define BH_STREAM_SPACE_AVAILABLE 297u        /* read-only counter */
#define BH_STREAM_COUNTER_MASK 0x1FFFFu       /* 17-bit registers (TTSIM) */
#define BH_STREAM_REG(stream, reg)                                                      \
    (BH_STREAM_BASE + BH_STREAM_STRIDE * (uint32_t)(stream) + 4u * (uint32_t)(reg))

/* ---- PCIe BARs and TLB windows (KMD blackhole.c; UMD blackhole_implementation.hpp) ---- */
#define BH_BAR0_SIZE (1ull << 29)
#define BH_TLB_2M_SIZE (1ull << 21)
#define BH_TLB_2M_COUNT 202            /* ids 0..201, window i at BAR0 + i * 2 MiB */
#define BH_TLB_2M_KMD_WINDOW (BH_TLB_2M_COUNT - 1) /* tt-kmd keeps it for its own NoC
                                                   * accesses (host-facts 1.4) */
#define BH_TLB_4G_SIZE (1ull << 32)
#define BH_TLB_4G_COUNT 8              /* ids 202..209, window j at BAR4 + j * 4 GiB */
#define BH_BAR4_SIZE (BH_TLB_4G_COUNT * BH_TLB_4G_SIZE)
#define BH_TLB_CFG_BASE 0x1FC00000u    /* BAR0: 12-byte entry per id */
#define BH_TLB_CFG_ENTRY 12u
#define BH_PCIE_NIU_BAR0 0x1FD00000u   /* PCIe tile NOC2AXI: NOC0 NIU at +0x4000, NOC1 +0x14000 */
#define BH_PCIE_NIU0_OFF 0x4000u
#define BH_PCIE_NIU1_OFF 0x14000u
#define BH_ARC_APB_BAR0 0x1FF00000u    /* = ARC NoC address 0x80000000 + offset */
#define BH_ARC_APB_SIZE 0x100000u
/* TLB ordering field: 1 = strict, full AXI ordering (UMD tlb.hpp; KMD's own window). */
#define BH_TLB_ORDERING_STRICT 1u

/* TLB entry bit positions within the 96-bit register (KMD blackhole.c TLB_2M_REG /
 * TLB_4G_REG): the 2 MiB entry is addr[42:0] x_end[48:43] y_end[54:49] x_start[60:55]
 * y_start[66:61] noc[68:67] mcast[69] ordering[71:70] linked[72] static_vc[73]; the
 * 4 GiB entry has the same fields after a 32-bit address. */
struct bh_tlb_layout {
    uint8_t addr_bits;   /* local address upper bits = noc_addr >> log2(window size) */
    uint8_t x_end, y_end, x_start, y_start; /* 6 bits each */
    uint8_t noc_sel;     /* 2 bits */
    uint8_t mcast, ordering /* 2 bits */, linked, static_vc_en;
};

static inline const struct bh_tlb_layout *bh_tlb_layout(int is_4g)
{
    static const struct bh_tlb_layout l[2] = {{43, 43, 49, 55, 61, 67, 69, 70, 72, 73},
                                              {32, 32, 38, 44, 50, 56, 58, 59, 61, 62}};
    return &l[is_4g ? 1 : 0];
}

/* ---- ARC tile (KMD telemetry.h; UMD telemetry.hpp; host fact sheet 2.9) ---- */
#define BH_ARC_NOC_BASE 0x80000000u
#define BH_ARC_RESET_UNIT 0x80030000u
#define BH_ARC_SCRATCH_RAM(n) (0x80030400u + 4u * (n))
#define BH_ARC_BOOT_STATUS BH_ARC_SCRATCH_RAM(2)      /* (v & 7) == 5: ready */
#define BH_ARC_TELEMETRY_DATA_PTR BH_ARC_SCRATCH_RAM(12)
#define BH_ARC_TELEMETRY_TABLE_PTR BH_ARC_SCRATCH_RAM(13)
#define BH_ARC_NIU0_BASE 0x80050000u     /* NOC0 NIU; NOC1 at +0x8000 (host-facts 2.9) */
#define BH_ARC_NIU1_BASE 0x80058000u
#define BH_ARC_CSM_BASE 0x10000000u
#define BH_ARC_CSM_SIZE 0x80000u

enum bh_telemetry_tag {
    BH_TAG_BOARD_ID_HIGH = 1,
    BH_TAG_BOARD_ID_LOW = 2,
    BH_TAG_ASIC_ID = 3,
    BH_TAG_AICLK = 14,
    BH_TAG_AXICLK = 15,
    BH_TAG_ARCCLK = 16,
    BH_TAG_GDDR_STATUS = 22,         /* 2 bits a channel: 01 trained (kmd-facts 2.12) */
    BH_TAG_FLASH_BUNDLE_VERSION = 28,/* major << 24 | minor << 16 | patch << 8 */
    BH_TAG_TIMER_HEARTBEAT = 32,
    BH_TAG_ENABLED_TENSIX_COL = 34,  /* 14 bits, die order (bh_harvest_bit_x) */
    BH_TAG_ENABLED_ETH = 35,
    BH_TAG_ENABLED_GDDR = 36,        /* 8 bits, one per bank */
    BH_TAG_ENABLED_L2CPU = 37,
    BH_TAG_PCIE_USAGE = 38,
    BH_TAG_NOC_TRANSLATION = 40,
};

/* Board UPIs as found in BOARD_ID (UMD cluster_descriptor_types.hpp): upi = (hi >> 4) &
 * BH_UPI_MASK, bits 36-55 of the 64-bit id. */
#define BH_UPI_MASK 0xFFFFFu
#define BH_UPI_P100A 0x43u
#define BH_UPI_P150A 0x40u

/* PCI identity (KMD enumerate.h). */
#define BH_PCI_VENDOR 0x1E52u
#define BH_PCI_DEVICE 0xB140u

/* Core clock for converting cycles to time (ISA BabyRISCV/README.md: 1.35 GHz). */
#define BH_AICLK_MHZ 1350u

#endif
