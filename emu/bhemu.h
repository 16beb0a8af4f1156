/* libbhemu: a functional model of one Tenstorrent Blackhole chip behind its PCIe port.
 *
 * Shaped like Tenstorrent's libttsim (config-space and BAR accesses, a clock, host-memory
 * callbacks for device-initiated transfers), with three differences: it is instantiable
 * (all state hangs off a bhemu handle, several chips per process), it never exits the
 * process (device faults are recorded and reported through bhemu_fault_pop), and every
 * call returns 0 or a negative errno value.
 *
 * Time is deterministic: nothing runs outside bhemu_clock(), which advances every core of
 * the chip by the same number of cycles in a fixed order. The library is single-threaded;
 * calls on one handle must be serialised by the caller.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bhemu bhemu;

enum bhemu_board {
    BHEMU_P100A = 0, /* 120 Tensix (2 of 14 columns disabled), 7 of 8 DRAM banks */
    BHEMU_P150A = 1, /* 140 Tensix, 8 DRAM banks */
};

struct bhemu_config {
    uint32_t board;            /* enum bhemu_board */
    uint32_t tensix_cols_off;  /* bit x set: NOC0 Tensix column x disabled (harvested) */
    uint32_t dram_banks_off;   /* bit b set: DRAM bank b disabled */
    uint32_t threads;          /* host threads the clock may use (0 or 1: the caller's
                                * alone; at most BHEMU_MAX_THREADS); results and cycle
                                * counts do not depend on it */
};
#define BHEMU_MAX_THREADS 64

/* The board's default harvesting: P100A disables NOC0 columns 14 and 16 and DRAM bank 7. */
void bhemu_config_default(uint32_t board, struct bhemu_config *cfg);

/* Create a chip. P100A needs exactly two Tensix columns and one DRAM bank off; P150A none.
 * Returns 0, -EINVAL for an invalid configuration, -ENOMEM. */
int bhemu_create(const struct bhemu_config *cfg, bhemu **out);
void bhemu_destroy(bhemu *emu);

/* ---- PCIe port ---- */
/* 32-bit config-space read: offset 0 = vendor | device << 16, 0x10/0x18/0x20 = BAR0/2/4
 * base addresses (64-bit BARs, low then high word). Returns all-ones past the header. */
uint32_t bhemu_pci_config_read32(bhemu *emu, uint32_t offset);

/* Read or write `len` bytes at `offset` of BAR `bar` (0 or 4; BAR2 is not modelled).
 * BAR0 holds the 202 2 MiB TLB windows, the TLB config registers at 0x1FC00000 (12-byte
 * entries, written as 32-bit words), the PCIe tile's NIU registers and the ARC APB window;
 * BAR4 holds the 8 4 GiB windows. An access through a window becomes a NoC request from the
 * PCIe tile to the tile its TLB entry names. Reads of absent targets return all-ones and
 * record a fault. Returns 0, -EINVAL (bad bar/offset/len), -EFAULT (access reached nothing;
 * reads are still filled with all-ones). */
int bhemu_bar_read(bhemu *emu, unsigned bar, uint64_t offset, void *dst, size_t len);
int bhemu_bar_write(bhemu *emu, unsigned bar, uint64_t offset, const void *src, size_t len);

/* ---- Host memory reachable by the device ----
 * A NoC access with address bit 60 set to the PCIe tile (translated (19,24)) reaches host
 * memory at offset addr & (2^58 - 1). Registered regions are searched first; the callbacks
 * serve the rest. Without either, such an access faults the core that made it. */
struct bhemu_host_mem_ops {
    int (*read)(void *ctx, uint64_t addr, void *dst, size_t len);
    int (*write)(void *ctx, uint64_t addr, const void *src, size_t len);
    void *ctx;
};
void bhemu_set_host_mem_ops(bhemu *emu, const struct bhemu_host_mem_ops *ops);
/* Make [addr, addr + len) of the device's host window alias `mem`. Up to 16 regions,
 * non-overlapping. Returns 0, -EINVAL, -ENOSPC. */
int bhemu_map_host_region(bhemu *emu, uint64_t addr, void *mem, size_t len);
int bhemu_unmap_host_region(bhemu *emu, uint64_t addr);

/* ---- Time ---- */
/* Advance every core by n cycles. Cores parked on memory nobody writes cost nothing. */
int bhemu_clock(bhemu *emu, uint64_t n);
uint64_t bhemu_now(const bhemu *emu);

/* ---- Faults ---- */
enum bhemu_fault_cause {
    BHEMU_FAULT_ILLEGAL_INSN = 1,  /* undecodable or unsupported instruction */
    BHEMU_FAULT_FETCH,             /* instruction fetch outside L1 or misaligned */
    BHEMU_FAULT_LOAD,              /* load from an unmapped or disallowed address */
    BHEMU_FAULT_STORE,             /* store to an unmapped or read-only address */
    BHEMU_FAULT_MISALIGNED,        /* misaligned load/store */
    BHEMU_FAULT_NOC,               /* NoC request to an absent/harvested tile or bad range */
    BHEMU_FAULT_ECALL,             /* ecall / ebreak */
    BHEMU_FAULT_HOST,              /* host access (BAR) reached nothing */
    BHEMU_FAULT_TENSIX,            /* the Tensix coprocessor refused an instruction (addr:
                                    * the instruction word) */
};

struct bhemu_fault {
    uint32_t cause;     /* enum bhemu_fault_cause */
    int32_t core;       /* enum bh_core (0 BRISC .. 4 TRISC2), -1 for a host access */
    uint32_t x, y;      /* translated coordinates of the tile (PCIe tile for host faults) */
    uint32_t pc;        /* core's PC at the fault */
    uint64_t addr;      /* faulting address (data, fetch or NoC address) */
    uint64_t cycle;     /* chip time of the fault */
    char what[96];      /* short human description */
};
/* Pop the oldest unread fault. Returns 1 and fills *f, or 0 when none is pending.
 * The queue keeps the first 256 unread faults; later ones are counted in dropped. */
int bhemu_fault_pop(bhemu *emu, struct bhemu_fault *f);

/* ---- Inspection (zero-time backdoor, for tests, tools and fault reports) ---- */
enum bhemu_core_state {
    BHEMU_CORE_RESET = 0,  /* held in soft reset */
    BHEMU_CORE_RUNNING,
    BHEMU_CORE_PARKED,     /* spinning on memory nothing has written since */
    BHEMU_CORE_FAULTED,    /* stopped by a fault until reset again */
};
struct bhemu_core_info {
    uint32_t state;        /* enum bhemu_core_state */
    uint32_t pc;
    uint64_t instret;      /* instructions retired since the last reset release */
    uint32_t regs[32];
};
/* Tile-local access by translated coordinates, bypassing the NoC and costing no time:
 * L1, DRAM bank, ARC and the Tensix MMIO registers that are storage. */
int bhemu_tile_read(bhemu *emu, uint32_t x, uint32_t y, uint64_t addr, void *dst, size_t len);
int bhemu_tile_write(bhemu *emu, uint32_t x, uint32_t y, uint64_t addr, const void *src,
                     size_t len);
int bhemu_core_info(bhemu *emu, uint32_t x, uint32_t y, uint32_t core,
                    struct bhemu_core_info *info);

struct bhemu_stats {
    uint64_t cycles;          /* chip time */
    uint64_t instret;         /* instructions retired by all cores */
    uint64_t noc_requests;    /* NoC requests issued by cores and the PCIe tile */
    uint64_t noc_bytes;       /* payload bytes moved */
    uint64_t noc_cycles;      /* modelled cost: latency + bytes / bandwidth, summed */
    uint64_t bar_reads, bar_writes, bar_bytes;
    uint64_t faults, faults_dropped;
    uint32_t cores_running, cores_parked;
};
void bhemu_get_stats(const bhemu *emu, struct bhemu_stats *st);

#ifdef __cplusplus
}
#endif
