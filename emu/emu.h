/* Internal structures of the chip model. Nothing here is global: every piece of state is
 * reachable from one struct bhemu, so several chips can live in one process. Every
 * function with external linkage is named bhe_*, so none can clash with an embedder's.
 *
 * How the files call each other (a file calls only those to its right):
 *
 *   chip.c     creation, the node registry, inspection   -> tensix, dram, arc, host, niu
 *   sched.c    the clock: runs units in a fixed order     -> rv32, park
 *   rv32.c     the RISC-V interpreter                     -> cop, tensix, rv32_decode, park,
 *                                                            fault
 *   cop.c      the Tensix coprocessor: FIFOs, its registers, sync and scalar
 *              instructions; cop_unpack/math/sfpu/pack.c its data path
 *                                                         -> tensix, rv32_decode, park, fault
 *   tensix.c   a Tensix tile's address space (a table of register ranges)
 *                                                         -> niu, rv32_decode, park, fault
 *   niu.c      NIU registers and the requests they fire   -> noc, tensix, fault
 *   noc.c      transfers between nodes, through the node registry   -> fault
 *   pcie.c     config space, BARs, TLB windows            -> noc, arc, niu, fault
 *   arc.c      the ARC tile                               -> niu (NOC_NODE_ID)
 *   fault.c    the fault queue                            -> park
 *   host.c, dram.c, park.c, rv32_decode.c, map_pool.c       call nothing
 *
 * The one cycle is tensix.c <-> niu.c, and it is the chip's own recursion: a core's store
 * to an NIU register (tensix -> niu) fires a request whose answer lands in the same
 * tile's L1 (niu -> tensix), where it may wake a core parked on it. Requests to other
 * nodes go through the registry (noc.c), a table of access functions filled by chip.c.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bhemu.h"
#include "fp32.h"
#include "ttm/blackhole.h"

#define EMU_MAX_TENSIX (BH_TENSIX_COLS * BH_TENSIX_ROWS)
#define EMU_PAGE_SHIFT 12
#define EMU_L1_PAGES (BH_L1_SIZE >> EMU_PAGE_SHIFT)
#define EMU_DEC_SLOTS (1u << (EMU_PAGE_SHIFT - 2))   /* decode-cache slots per page */
#define EMU_FAULT_QUEUE 256
#define EMU_HOST_REGIONS 16
#define EMU_WATCH 8           /* locations a parked unit can wait on */
/* Faults a tile can make in one parallel phase of the clock: one per core (a fault stops
 * it) and one per coprocessor thread (a refused instruction stops the thread). */
#define EMU_TILE_FAULTS (BH_CORES_PER_TILE + BH_TT_THREADS)

/* Cycles between switches from one runnable unit to the next while several run. Smaller
 * gives finer interleaving of units that talk to each other, larger less overhead. */
#define EMU_QUANTUM 64

/* Approximate NoC cost model (device-facts 4.x: 64-byte flits, one flit per cycle). */
#define EMU_NOC_LATENCY 64
#define EMU_NOC_BYTES_PER_CYCLE 64

/* ---- Units: what the clock steps ---- */

/* The kinds of unit a tile has; the scheduler runs each through its kind's run function
 * (sched.c). The Tensix coprocessor is not one: it runs inside the pushes of the cores
 * that drive it (cop.c). */
enum unit_kind { UNIT_RISCV };

/* Why a unit's run ended before its budget did. */
enum unit_stop {
    UNIT_RAN,      /* the budget is used up */
    UNIT_PARK,     /* it waits on its watch locations: nothing it does changes until one
                    * of them is written */
    UNIT_HALT,     /* a fault or a side effect (its own reset) stopped it */
    UNIT_SERIAL,   /* it reached a request that leaves its tile during the parallel phase:
                    * it runs on from that instruction in the serial phase (sched.c) */
};

/* What a side effect sets in emu_unit.stop to end the current run. */
enum unit_stop_why {
    STOP_HALT = 1,     /* a fault or its own reset */
    STOP_SERIAL,       /* a NoC request in the parallel phase: the instruction runs again
                        * in the serial phase */
};

/* Locations a parked unit can watch: an L1 byte address, a core's local RAM, a stream
 * register of the tile. */
#define EMU_LOC_L1(a) ((uint32_t)(a))
#define EMU_LOC_LDM(core, off) (0x10000000u | ((uint32_t)(core) << 16) | (uint32_t)(off))
#define EMU_LOC_STREAM(off) (0x20000000u | (uint32_t)(off))
#define EMU_LOC_COP 0x30000000u    /* the Tensix coprocessor: its FIFOs and semaphores */
#define EMU_LOC_NONE 0xFFFFFFFFu   /* a register whose value changes by itself */

struct emu_unit {
    uint8_t kind;            /* enum unit_kind */
    uint8_t state;           /* enum bhemu_core_state */
    uint8_t index;           /* within the tile: enum bh_core for the RISC-V cores */
    uint8_t in_runq;
    uint8_t stop;            /* enum unit_stop_why: set by a side effect to end the run */
    uint8_t ended;           /* enum unit_stop: why its last run ended */
    uint8_t n_watch;
    uint32_t order;          /* place in the fixed order units run in within a quantum */
    uint32_t pc;
    uint32_t stall;          /* extra cycles charged by side effects (NoC requests) */
    uint64_t time;           /* its clock; runs ahead of the chip by at most a quantum */
    int64_t run_done;        /* cycles into the current run at the last slow access */
    struct tensix_tile *tile;
    uint32_t watch[EMU_WATCH];  /* EMU_LOC_* words, while parked or being probed */
};

/* ---- RISC-V core ---- */

/* One pre-decoded instruction; op 0 means "not decoded yet". rd 0 is decoded as 32, a
 * scratch register, so x0 stays zero without a check per instruction. */
struct rv_insn {
    uint8_t op;
    uint8_t rd, rs1, rs2;
    int32_t imm;
};

enum probe_state { PROBE_IDLE, PROBE_ARMED, PROBE_RECORDING };
#define EMU_NO_PC 1u   /* never a jump target: the cores fetch only whole words */

struct rv_core {
    struct emu_unit u;       /* first: a core is a unit */
    uint32_t x[33];
    uint32_t f[32];          /* the F subset's registers, as bit patterns */
    uint32_t ldm_size;
    uint8_t *ldm;
    bool ldm_written;        /* since it was last cleared: a reset clears only then, so
                              * booting a fresh chip touches no page of it */
    uint64_t instret;
    uint32_t csr_cfg0;       /* 0x7C0, the one CSR modelled (rv32.c) */

    /* Spin detection (rv32.c): the probe records the loads of one loop iteration in
     * u.watch. */
    uint8_t probe;
    uint8_t probe_retries;
    uint8_t probe_others;    /* backward jumps elsewhere since the snapshot */
    uint8_t probe_impure_runs;  /* runs left that skip probe_impure_pc */
    uint32_t probe_impure_pc;   /* a loop found storing: not snapshot again for a while */
    uint32_t probe_pc;
    uint32_t probe_regs[32];
};

/* A core released from reset starts at `pc` with cleared registers (ISA SoftReset.md). */
static inline void bhe_rv_reset(struct rv_core *c, uint32_t pc)
{
    for (unsigned i = 0; i < 33; i++)
        c->x[i] = 0;
    for (unsigned i = 0; i < 32; i++)
        c->f[i] = 0;
    c->u.pc = pc;
    c->u.stop = 0;
    c->u.stall = 0;
    c->instret = 0;
    c->probe = PROBE_IDLE;
    c->probe_impure_runs = 0;
    c->probe_impure_pc = EMU_NO_PC;
}

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
    uint8_t parked;        /* bit u.index: that unit is parked */
    uint8_t parked_on_cop; /* of those, the ones whose watch list has EMU_LOC_COP */
    uint64_t watched_pages[EMU_L1_PAGES / 64];  /* bit p: a parked unit watches L1 page p */
    uint8_t *mem;          /* one lazily-backed mapping: L1, then the five local RAMs */
    uint8_t *l1;
    struct rv_insn *dec[EMU_L1_PAGES];  /* decoded instructions per L1 page once code on
                                         * it has run (NULL before), in dec_slots */
    struct rv_insn *dec_slots;          /* EMU_L1_PAGES pages of EMU_DEC_SLOTS slots */
    struct rv_core core[BH_CORES_PER_TILE];
    struct emu_unit *units[BH_CORES_PER_TILE];  /* the tile's units, by u->index (its
                                                 * bit in `parked`) */
    uint32_t soft_reset;
    uint32_t trisc_reset_pc[3], trisc_pc_override;
    uint32_t ncrisc_reset_pc, ncrisc_pc_override;
    uint32_t wall_clock_hi_at;
    struct niu niu[2];
    uint32_t stream_src[BH_STREAMS], stream_start[BH_STREAMS], stream_size[BH_STREAMS];
    uint32_t stream_avail[BH_STREAMS];
    struct tt_cop *cop;    /* the Tensix coprocessor (cop.h): one block, made at its
                            * first use and freed when all three TRISCs are held */

    /* The clock's parallel phase (sched.c): what the tile's units do there stays here
     * until the serial phase hands it to the chip in tile order. */
    struct emu_unit *running;   /* the unit in its run function during that phase */
    uint64_t ran;               /* cycles its units ran in the last parallel phase */
    uint8_t woken;              /* bit u.index: made runnable during that phase */
    uint8_t n_staged;           /* faults recorded during that phase */
    uint16_t staged_dropped;    /* ... and those that did not fit */
    struct bhemu_fault staged[EMU_TILE_FAULTS];
};

struct dram_bank {
    uint8_t *mem;          /* 4 GiB reserved, backed only where touched */
    uint64_t written_lo, written_hi;  /* the range written since it was reserved */
    bool enabled;
    uint8_t phys_bank;
};

struct arc_tile {
    uint8_t *csm;          /* 512 KiB */
    uint32_t scratch[64];
    uint32_t reset_unit[0x400];   /* plain storage for the rest of the reset unit */
};

struct host_region {
    uint64_t addr, len;
    uint8_t *mem;
};

/* Who makes a memory access: a unit (for fault reports, wake-ups and time) or the
 * host/NoC. */
struct emu_src {
    struct tensix_tile *tile; /* NULL for the PCIe tile (host) */
    struct emu_unit *unit;    /* NULL for NoC-delivered or host accesses */
    bool include_self;        /* a multicast from `tile` also lands on `tile` */
};

static inline struct emu_src bhe_unit_src(struct emu_unit *u)
{
    struct emu_src s = {u->tile, u, false};
    return s;
}

/* ---- Nodes: what answers at each NoC coordinate ---- */

enum node_kind { NODE_NONE, NODE_TENSIX, NODE_DRAM, NODE_PCIE, NODE_ARC, NODE_HARVESTED };

/* One endpoint of the NoC. `access` serves an access of len bytes at the node-local
 * address addr, made by src; it returns 0 or -EFAULT (nothing answers there). The NoC and
 * the inspection calls reach every node through this one function. */
struct emu_node {
    uint8_t kind;            /* enum node_kind */
    void *ctx;               /* the tile, bank or chip */
    int (*access)(void *ctx, uint64_t addr, void *buf, size_t len, bool write,
                  const struct emu_src *src);
};

/* "Nothing", every Tensix and DRAM-port coordinate (enabled or harvested), PCIe, ARC. */
#define EMU_MAX_NODES (1 + EMU_MAX_TENSIX + BH_DRAM_BANKS * BH_DRAM_PORTS + 2)
_Static_assert(EMU_MAX_NODES <= 256, "route[][] holds node indices in a byte");

struct bhemu {
    struct bhemu_config cfg;
    uint64_t now;
    uint8_t route[64][64];        /* by translated (x, y): index into nodes, 0 = none */
    struct emu_node nodes[EMU_MAX_NODES];
    unsigned n_nodes;
    unsigned n_tensix;
    struct tensix_tile *tensix;   /* n_tensix tiles, enabled ones only */
    struct dram_bank dram[BH_DRAM_BANKS];  /* indexed by physical bank */
    struct arc_tile arc;
    uint32_t tlb[BH_TLB_2M_COUNT + BH_TLB_4G_COUNT][3];
    struct niu pcie_niu[2];

    struct bhemu_host_mem_ops host_ops;
    struct host_region host_regions[EMU_HOST_REGIONS];

    /* runnable units in their fixed order; units made runnable during a quantum wait in
     * pending */
    struct emu_unit **runq;
    unsigned runq_len;
    struct emu_unit **pending;
    unsigned pending_len;
    /* The run queue by tile: tile k's units are runq[groups[k] .. groups[k + 1]). */
    unsigned *groups;
    unsigned n_groups;
    struct emu_unit *running;     /* the unit inside its run function in the serial phase */
    bool parallel;                /* the clock is in its parallel phase (sched.c) */
    uint64_t slice_end;           /* where the current slice ends */
    struct emu_threads *threads;  /* host threads for the parallel phase; NULL: the caller alone */
    uint64_t last_work;           /* unit cycles the last parallel phase ran */

    uint8_t *xfer;                /* staging buffer for one NoC request */

    struct bhemu_fault faults[EMU_FAULT_QUEUE];
    unsigned fault_head, fault_len;
    struct bhemu_stats st;
};

static inline const struct emu_node *bhe_node(const struct bhemu *emu, uint32_t x, uint32_t y)
{
    return &emu->nodes[x < 64 && y < 64 ? emu->route[x][y] : 0];
}

/* The present for whoever acts on tile t: the running unit's own clock (in the parallel
 * phase only the tile's own units act on it), else the chip's. */
static inline uint64_t bhe_time(const struct tensix_tile *t)
{
    const struct emu_unit *u = t->emu->running ? t->emu->running : t->running;
    return u ? u->time + (uint64_t)u->run_done : t->emu->now;
}

/* A unit woken at time `at` while another runs alone (a solo chunk, sched.c) must not see
 * that one's later stores before their time: the chunk ends at the next quantum boundary
 * after the wake, where the woken unit joins the run queue, and the running unit stops
 * there (BHE_CLAMP_TO_SLICE in its run loop). */
static inline void bhe_end_solo(struct bhemu *emu, uint64_t at)
{
    if (emu->runq_len != 1 || emu->slice_end - emu->now <= EMU_QUANTUM)
        return;
    uint64_t end = emu->now + ((at - emu->now) / EMU_QUANTUM + 1) * EMU_QUANTUM;
    if (end < emu->slice_end)
        emu->slice_end = end;
}

/* The present as the maker of an access sees it. */
static inline uint64_t bhe_src_time(const struct bhemu *emu, const struct emu_src *src)
{
    if (src && src->unit)
        return src->unit->time + (uint64_t)src->unit->run_done;
    return emu->now;
}

/* fault.c: record a fault against src; the unit that made it stops until reset. */
void bhe_fault(struct bhemu *emu, uint32_t cause, const struct emu_src *src, uint64_t addr,
               const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* fault.c: hand the faults tile t recorded during the parallel phase to the chip's
 * queue. */
void bhe_fault_flush(struct tensix_tile *t);

/* threads.c: host threads that run a batch of jobs side by side; fn(ctx, j) for each job j
 * in [0, jobs), the caller taking part. */
struct emu_threads;
int bhe_threads_create(unsigned threads, struct emu_threads **out);
void bhe_threads_destroy(struct emu_threads *p);
void bhe_threads_run(struct emu_threads *p, void (*fn)(void *ctx, unsigned job), void *ctx,
                  unsigned jobs);

/* park.c: unit states. A unit that becomes runnable joins the run queue at the next
 * quantum; a parked one costs nothing until a write reaches one of its watch locations. */
void bhe_make_runnable(struct emu_unit *u);
void bhe_park(struct emu_unit *u);
void bhe_stop(struct emu_unit *u, uint8_t state);
void bhe_wake(struct tensix_tile *t, uint32_t loc, uint32_t len);
/* Whether a parked unit of t may watch the L1 word at a (the store path's first test). */
static inline bool bhe_l1_watched(const struct tensix_tile *t, uint32_t a)
{
    return t->watched_pages[a >> EMU_PAGE_SHIFT >> 6] >> (a >> EMU_PAGE_SHIFT & 63) & 1;
}
static inline void bhe_note_write(struct tensix_tile *t, uint32_t loc, uint32_t len)
{
    if (t->parked)
        bhe_wake(t, loc, len);
}

/* rv32.c: run for up to `budget` cycles; returns the cycles used and leaves why the run
 * ended in c->u.ended. */
int64_t bhe_rv_run(struct rv_core *c, int64_t budget);

/* rv32_decode.c: the per-tile decode cache. */
struct rv_insn *bhe_rv_decode_page(struct tensix_tile *t, uint32_t pc);
void bhe_rv_invalidate(struct tensix_tile *t, uint32_t addr, uint32_t len);

/* map_pool.c: a zeroed mapping of `size` bytes, reused across chips in the process (NULL:
 * out of memory). Give it back with the range [lo, hi) that may have been written. */
void *bhe_map_get(size_t size);
void bhe_map_put(void *m, size_t size, size_t lo, size_t hi);

/* tensix.c: a Tensix tile's address space as its cores and the NoC see it. */
int bhe_tensix_create(struct bhemu *emu, struct tensix_tile *t);
void bhe_tensix_destroy(struct tensix_tile *t);
/* A register word of the tile (an address outside L1 and the core's own local RAM).
 * A load also says where a parked unit would watch for the value to change (*watch, an
 * EMU_LOC_* word, EMU_LOC_NONE when the value changes by itself). Returns false and
 * records a fault when nothing answers. */
bool bhe_tensix_reg_load(struct tensix_tile *t, uint32_t addr, uint32_t *val, uint32_t *watch,
                         const struct emu_src *src);
bool bhe_tensix_reg_store(struct tensix_tile *t, uint32_t addr, uint32_t val,
                          const struct emu_src *src);
/* Node access (struct emu_node): L1 any size, registers one aligned word. */
int bhe_tensix_access(void *tile, uint64_t addr, void *buf, size_t len, bool write,
                      const struct emu_src *src);

/* niu.c: NIU `noc` (0 or 1) of tile t; a command fired by a store to NOC_CMD_CTRL runs to
 * completion before the store returns. Offsets are within the NIU. */
bool bhe_niu_load(struct tensix_tile *t, unsigned noc, uint32_t off, uint32_t *val);
bool bhe_niu_store(struct tensix_tile *t, unsigned noc, uint32_t off, uint32_t val,
                   const struct emu_src *src);
void bhe_niu_init(struct niu *n);
/* NOC_NODE_ID of a tile at NOC0 coordinates (px, py) as seen on NIU `noc`. */
uint32_t bhe_niu_node_id(uint32_t px, uint32_t py, unsigned noc);

/* noc.c: one NoC transfer between any two nodes, addressed by translated coordinates.
 * Returns 0 or -EFAULT (fault recorded against src). */
int bhe_noc_read(struct bhemu *emu, uint32_t x, uint32_t y, uint64_t addr, void *dst,
                 size_t len, const struct emu_src *src);
int bhe_noc_write(struct bhemu *emu, uint32_t x, uint32_t y, uint64_t addr, const void *data,
                  size_t len, const struct emu_src *src);
/* An atomic increment of the word at addr: *old gets its value before. */
int bhe_noc_atomic_inc(struct bhemu *emu, uint32_t x, uint32_t y, uint64_t addr, uint32_t add,
                       uint32_t *old, const struct emu_src *src);
/* The columns and rows (bit i: coordinate i) a NIU's broadcasts skip. */
struct noc_mcast_mask {
    uint32_t cols, rows;
};
/* A write to every Tensix tile of the rectangle: with `mask` (a NIU's request) opted-out
 * columns and rows are skipped and any other tile refused; without (the host's TLB
 * multicast) the Tensix tiles are written. *n_dests: how many took it. */
int bhe_noc_mcast_write(struct bhemu *emu, uint32_t x0, uint32_t y0, uint32_t x1, uint32_t y1,
                        uint64_t addr, const void *data, size_t len, const struct emu_src *src,
                        const struct noc_mcast_mask *mask, unsigned *n_dests);
uint64_t bhe_noc_cost(size_t bytes);

/* fp32.c: single precision as the cores compute it (values as IEEE bit patterns); the
 * multiply-add with its fast sums and products in fp32.h. */
enum fp32_cmp { FP32_EQ, FP32_LT, FP32_LE };
uint32_t bhe_fp32_compare(uint32_t a, uint32_t b, enum fp32_cmp op); /* 1 or 0 */
uint32_t bhe_fp32_min_max(uint32_t a, uint32_t b, bool max);
uint32_t bhe_fp32_classify(uint32_t v);
uint32_t bhe_fp32_to_i32(uint32_t v);
uint32_t bhe_fp32_to_u32(uint32_t v);
uint32_t bhe_fp32_from_i32(uint32_t v);
uint32_t bhe_fp32_from_u32(uint32_t v);

/* cop.c: the Tensix coprocessor as the tile's cores reach it. Push one instruction from
 * core c (a store push names the thread for BRISC); -EAGAIN: a .ttinsn push finds the
 * FIFO full, retry once EMU_LOC_COP is written; -ENOSPC: a store push overflows it;
 * -EFAULT: NCRISC has no thread. Faults of the instructions themselves are recorded
 * against the core whose thread ran them. */
int bhe_cop_push(struct tensix_tile *t, struct rv_core *c, uint32_t insn, unsigned thread,
                 bool store);
/* A word in 0xFFE00000-0xFFEFFFFF: 0, -EFAULT (refused; *why may say why), -EAGAIN (the
 * done check: retry once EMU_LOC_COP is written) or -ENOMEM. */
int bhe_cop_load(struct tensix_tile *t, struct rv_core *c, uint32_t addr, uint32_t *v,
                 uint32_t *watch);
int bhe_cop_store(struct tensix_tile *t, struct rv_core *c, uint32_t addr, uint32_t v,
                  const char **why);
#define EMU_COP_REGS_BASE 0xFFE00000u
#define EMU_COP_REGS_END 0xFFF00000u

/* dram.c */
void bhe_dram_destroy(struct dram_bank *b);
int bhe_dram_access(void *bank, uint64_t addr, void *buf, size_t len, bool write,
                    const struct emu_src *src);

/* arc.c */
int bhe_arc_create(struct bhemu *emu);
void bhe_arc_destroy(struct bhemu *emu);
int bhe_arc_access(void *emu, uint64_t addr, void *buf, size_t len, bool write,
                   const struct emu_src *src);

/* host.c: host memory behind the PCIe tile (NoC address bit 60). */
int bhe_host_access(void *emu, uint64_t addr, void *buf, size_t len, bool write,
                    const struct emu_src *src);
