/* Internal structures of the chip model. Nothing here is global: every piece of state is
 * reachable from one struct bhemu, so several chips can live in one process. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ttm/blackhole.h"
#include "bhemu.h"

#define EMU_MAX_TENSIX (BH_TENSIX_COLS * BH_TENSIX_ROWS)
#define EMU_PAGE_SHIFT 12
#define EMU_L1_PAGES (BH_L1_SIZE >> EMU_PAGE_SHIFT)
#define EMU_FAULT_QUEUE 256
#define EMU_HOST_REGIONS 16
#define EMU_PROBE_LOADS 8

/* Cycles between switches from one runnable core to the next while several run. Smaller
 * gives finer interleaving of cores that talk to each other, larger less overhead. */
#define EMU_QUANTUM 64

/* Approximate NoC cost model (device-facts 4.x: 64-byte flits, one flit per cycle). */
#define EMU_NOC_LATENCY 64
#define EMU_NOC_BYTES_PER_CYCLE 64

/* ---- RISC-V core ---- */

/* One pre-decoded instruction; op 0 means "not decoded yet". rd 0 is decoded as 32, a
 * scratch register, so x0 stays zero without a check per instruction. */
struct rv_insn {
    uint8_t op;
    uint8_t rd, rs1, rs2;
    int32_t imm;
};

enum probe_state { PROBE_IDLE, PROBE_ARMED, PROBE_RECORDING };

struct rv_core {
    uint32_t x[33];
    uint32_t pc;
    uint8_t state;      /* enum bhemu_core_state */
    uint8_t id;         /* enum bh_core */
    uint8_t stop;       /* set by an MMIO side effect to leave the interpreter loop */
    uint8_t in_runq;
    uint32_t stall;          /* extra cycles charged by MMIO side effects (NoC requests) */
    int64_t run_done;        /* cycles into the current run at the last slow access */
    uint32_t ldm_size;
    uint8_t *ldm;
    struct tensix_tile *tile;
    uint64_t time;      /* this core's clock; runs ahead of the chip by at most a quantum */
    uint64_t instret;
    uint32_t csr_cfg0;       /* 0x7C0, the one CSR modelled (rv32.c) */
    uint32_t global_index;   /* order in which cores run within a quantum */

    /* Spin detection (see sched.c): state of the probe and the loads of one iteration. */
    uint8_t probe;
    uint8_t probe_nloads;
    uint8_t probe_retries;
    uint8_t probe_others;    /* backward jumps elsewhere since the snapshot */
    uint32_t probe_pc;
    uint32_t probe_regs[32];
    uint32_t probe_loads[EMU_PROBE_LOADS];   /* watch locations (see emu_loc_*) */
};

/* Locations a parked core can watch: L1 byte address, a core's local RAM, stream regs. */
#define EMU_LOC_L1(a) ((uint32_t)(a))
#define EMU_LOC_LDM(core, off) (0x10000000u | ((uint32_t)(core) << 16) | (uint32_t)(off))
#define EMU_LOC_STREAM(off) (0x20000000u | (uint32_t)(off))

/* ---- NIU ---- */
struct niu {
    uint32_t cmd[BH_NIU_CMDBUFS][16];  /* registers at cmdbuf offsets 0x00..0x3C */
    uint32_t cfg[0x20];                /* NOC_CFG(i), offsets 0x100.. */
    uint32_t status[0x40];             /* counters, offsets 0x200.. */
};

/* ---- Tiles ---- */
struct tensix_tile {
    struct bhemu *emu;
    uint8_t x, y;          /* translated coordinates (what the NoC routes on) */
    uint8_t px, py;        /* NOC0 physical coordinates */
    uint16_t index;
    uint8_t parked;        /* bit c: core c parked */
    uint8_t *mem;          /* one lazily-backed mapping: L1, then the five local RAMs */
    uint8_t *l1;
    struct rv_insn *dec[EMU_L1_PAGES];  /* decoded instructions per L1 page, lazily */
    struct rv_core core[BH_CORES_PER_TILE];
    uint32_t soft_reset, disable_reset;
    uint32_t trisc_reset_pc[3], trisc_pc_override;
    uint32_t ncrisc_reset_pc, ncrisc_pc_override;
    uint32_t wall_clock_hi_at;
    uint32_t dbg_regs[0x100];          /* plain storage for the debug registers we accept */
    struct niu niu[2];
    uint32_t stream_src[BH_STREAMS], stream_start[BH_STREAMS], stream_size[BH_STREAMS];
    uint32_t stream_avail[BH_STREAMS];
};

struct dram_bank {
    uint8_t *mem;          /* 4 GiB reserved, backed only where touched */
    bool enabled;
    uint8_t phys_bank;
};

struct arc_tile {
    uint8_t *csm;          /* 512 KiB */
    uint32_t scratch[64];
    uint32_t reset_unit[0x400];   /* plain storage for the rest of the reset unit */
};

enum route_kind { ROUTE_NONE, ROUTE_TENSIX, ROUTE_DRAM, ROUTE_PCIE, ROUTE_ARC, ROUTE_HARVESTED };

struct route {
    uint8_t kind;   /* enum route_kind */
    uint16_t index; /* tensix tile index or DRAM bank index */
};

struct host_region {
    uint64_t addr, len;
    uint8_t *mem;
};

struct bhemu {
    struct bhemu_config cfg;
    uint64_t now;
    struct route route[64][64];   /* by translated (x, y) */
    unsigned n_tensix;
    struct tensix_tile *tensix;   /* n_tensix tiles, enabled ones only */
    struct dram_bank dram[BH_DRAM_BANKS];  /* indexed by physical bank */
    struct arc_tile arc;
    uint32_t tlb[BH_TLB_2M_COUNT + BH_TLB_4G_COUNT][3];
    struct niu pcie_niu[2];

    struct bhemu_host_mem_ops host_ops;
    struct host_region host_regions[EMU_HOST_REGIONS];

    /* runnable cores in global order; cores woken during a quantum wait in pending */
    struct rv_core **runq;
    unsigned runq_len;
    struct rv_core **pending;
    unsigned pending_len;
    unsigned n_cores;
    struct rv_core *running;      /* the core inside rv_run, if any */

    uint8_t *xfer;                /* staging buffer for one NoC request */

    struct bhemu_fault faults[EMU_FAULT_QUEUE];
    unsigned fault_head, fault_len;
    struct bhemu_stats st;
};

/* Who makes a memory access: a core (for fault reports and wake-ups) or the host/NoC. */
struct emu_src {
    struct tensix_tile *tile; /* NULL for the PCIe tile (host) */
    struct rv_core *core;     /* NULL for NoC-delivered or host accesses */
    bool include_self;        /* a multicast from `tile` also lands on `tile` */
};

static inline struct emu_src emu_core_src(struct rv_core *c)
{
    struct emu_src s = {c->tile, c, false};
    return s;
}

static inline struct emu_src emu_host_src(void)
{
    struct emu_src s = {NULL, NULL, false};
    return s;
}

/* chip.c */
void emu_fault(struct bhemu *emu, uint32_t cause, const struct emu_src *src, uint64_t addr,
               const char *fmt, ...) __attribute__((format(printf, 5, 6)));
const struct route *emu_route(const struct bhemu *emu, uint32_t x, uint32_t y);

/* sched.c */
/* The present for whoever is acting: the running core's own clock, else the chip's. */
static inline uint64_t emu_time(const struct bhemu *emu)
{
    return emu->running ? emu->running->time + (uint64_t)emu->running->run_done : emu->now;
}
void sched_make_runnable(struct rv_core *c);
void sched_wake(struct tensix_tile *t, uint32_t loc, uint32_t len);
void sched_park(struct rv_core *c);
void sched_stop(struct rv_core *c, uint8_t state);
static inline void sched_note_write(struct tensix_tile *t, uint32_t loc, uint32_t len)
{
    if (t->parked)
        sched_wake(t, loc, len);
}

/* rv32.c */
int64_t rv_run(struct rv_core *c, int64_t budget);
void rv_reset(struct rv_core *c, uint32_t pc);
void rv_invalidate(struct tensix_tile *t, uint32_t addr, uint32_t len);

/* tensix.c: the tile's address space as seen by its cores and by the NoC. */
int tensix_create(struct bhemu *emu, struct tensix_tile *t);
void tensix_destroy(struct tensix_tile *t);
/* MMIO word access from a core (addr outside L1 and the core's own LDM). Returns false and
 * records a fault when nothing answers. *volatile_read tells the spin detector the value
 * changes with time. */
bool tensix_mmio_load(struct rv_core *c, uint32_t addr, uint32_t *val, bool *volatile_read);
bool tensix_mmio_store(struct rv_core *c, uint32_t addr, uint32_t val);
/* Access from outside the tile (NoC, host backdoor). MMIO must be one aligned word. */
int tensix_access(struct tensix_tile *t, uint64_t addr, void *buf, size_t len, bool write,
                  const struct emu_src *src);

/* noc.c */
/* NIU register access at offset `off` of NIU `noc` (0 or 1) of tile t; a command fired by
 * a store to NOC_CMD_CTRL runs to completion before the store returns. */
bool niu_load(struct tensix_tile *t, unsigned noc, uint32_t off, uint32_t *val,
              bool *volatile_read);
bool niu_store(struct tensix_tile *t, unsigned noc, uint32_t off, uint32_t val,
               const struct emu_src *src);
void niu_init(struct niu *n);
/* NOC_NODE_ID of a tile at NOC0 coordinates (px, py) as seen on NIU `noc`. */
uint32_t niu_node_id(uint32_t px, uint32_t py, unsigned noc);
/* One NoC transfer between any two endpoints, addressed by translated coordinates.
 * Returns 0 or -EFAULT (fault recorded against src). */
int noc_read(struct bhemu *emu, uint32_t x, uint32_t y, uint64_t addr, void *dst, size_t len,
             const struct emu_src *src);
int noc_write(struct bhemu *emu, uint32_t x, uint32_t y, uint64_t addr, const void *data,
              size_t len, const struct emu_src *src);
int noc_mcast_write(struct bhemu *emu, uint32_t x0, uint32_t y0, uint32_t x1, uint32_t y1,
                    uint64_t addr, const void *data, size_t len, const struct emu_src *src,
                    unsigned *n_dests);
uint64_t noc_cost(size_t bytes);

/* dram.c */
int dram_create(struct dram_bank *b);
void dram_destroy(struct dram_bank *b);
int dram_access(struct dram_bank *b, uint64_t addr, void *buf, size_t len, bool write);

/* arc.c */
int arc_create(struct bhemu *emu);
void arc_destroy(struct bhemu *emu);
int arc_access(struct bhemu *emu, uint64_t addr, void *buf, size_t len, bool write);

/* pcie.c */
int pcie_host_access(struct bhemu *emu, uint64_t addr, void *buf, size_t len, bool write);
