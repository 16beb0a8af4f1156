/* The Tensix coprocessor of one tile, shared by the files that model it: cop.c (the
 * instruction FIFOs, the registers the cores see, sync and configuration instructions),
 * cop_unpack.c, cop_math.c, cop_sfpu.c and cop_pack.c (the data path).
 *
 * Execution is eager: an instruction pushed to an idle thread runs at once, to the end,
 * as Tenstorrent's simulator runs every instruction synchronously (compute-facts 2.1); one
 * that must wait (a semaphore, a Src bank) stays at the head of its thread's FIFO, and
 * heads are retried, in thread order, whenever an instruction finishes. For programs
 * without races this gives the results of ttsim's one-instruction-per-pipe stepping, at
 * no cost while the coprocessor is idle.
 *
 * What ttsim refuses, the model refuses as a fault against the core that pushed the
 * instruction; the rules are cited from compute-facts at each check.
 */
#pragma once

#include "emu.h"

#define COP_FIFO_STALL 53u    /* a .ttinsn push waits while this many are queued (ttsim:
                               * over 52; the hardware's FIFO holds 32) */
#define COP_FIFO_MAX 512u     /* store pushes never wait; ttsim refuses the 512th */
#define COP_CFG_WORDS 224u    /* configuration bank 0 (compute-facts 2.8) */
#define COP_THREAD_CFG 64u    /* thread configuration registers SETC16 reaches */
#define COP_DST_ROWS 1024u
#define COP_SRC_ROWS 64u
#define COP_LANES 32u
#define COP_LREGS 16u

/* What executing one instruction did. */
enum cop_exec { EXEC_DONE, EXEC_WAIT, EXEC_FAULT };

/* Register write counters of a thread (compute-facts 4.4-4.5): Src and Dst row pointers,
 * their carry registers and the fidelity phase. */
struct cop_rwc {
    uint32_t a, b, d, a_cr, b_cr, d_cr, fidelity;
};

/* Address counters: channel 0 (the L1 side) and channel 1 (the register side) of x, y,
 * z, w, and their carry registers. */
struct cop_adc {
    uint32_t v[2][4], cr[2][4];
};
enum { ADC_UNPACK0, ADC_UNPACK1, ADC_PACK, ADC_SETS };

struct cop_thread {
    uint32_t fifo[COP_FIFO_MAX];
    uint32_t head, len;
    bool dead;                        /* faulted: runs nothing until its core is reset */
    struct emu_unit *pusher;          /* the core that pushed last (TRISC, or BRISC for
                                       * thread 0) */
    uint32_t gpr[BH_TENSIX_GPRS];
    uint16_t tcfg[COP_THREAD_CFG];    /* SETC16 registers */
    struct cop_rwc rwc;
    uint8_t bias;                     /* toggled by ADDR_MOD bias increments */
    struct cop_adc adc[ADC_SETS];
};

/* A Src bank as MVMUL's multiplier takes it (cop_math.c), decoded once per bank and
 * format rather than at every MVMUL: exponent (very negative for a zero operand), sign, and
 * the mantissa slices of fidelity phase bit 0 (SrcA) or bit 1 (SrcB), row by row. */
struct mm_bank {
    int32_t exp[COP_SRC_ROWS * 16];
    int32_t neg[COP_SRC_ROWS * 16];       /* -1 for a negative operand, else 0 */
    uint32_t slice[2][COP_SRC_ROWS * 16];
};
#define MM_UNDECODED 0xFFu

struct cop_src {
    uint32_t cell[2][COP_SRC_ROWS][16];   /* two banks of fp32-layout datums */
    bool valid[2];                        /* owned by the FPU (written by an unpacker) */
    uint8_t format[2];                    /* each bank's data format, as unpacked */
    uint8_t unpack_bank, fpu_bank;
    uint8_t mm_format[2];                 /* the format mm[] was decoded for, or
                                           * MM_UNDECODED since the bank was written */
    struct mm_bank mm[2];
};

struct tt_cop {
    struct tensix_tile *tile;
    struct cop_thread th[BH_TT_THREADS];
    uint32_t cfg[COP_CFG_WORDS];
    uint8_t sem_value[BH_TT_SEMS], sem_max[BH_TT_SEMS];
    struct cop_src src[2];                /* SrcA, SrcB */
    uint16_t dst[COP_DST_ROWS][16];       /* 16-bit rows; fp32 takes two (cop_math.c) */
    uint8_t dst_written[COP_DST_ROWS];    /* 0: the row reads as zero (ZEROACC) */
    uint32_t lreg[COP_LREGS][COP_LANES];
    uint32_t lane_enabled;                /* SFPU condition codes: bit per lane */
    bool cc_enable;
    bool packing;                         /* a tile's PACRs are under way (no `last` yet) */
    uint32_t pack_addr;                   /* their next L1 byte */
    uint32_t pack_plane;                  /* 16-datum rows packed since the tile began */
    uint64_t retired;                     /* instructions finished (statistics) */
};

/* The coprocessor's block comes from the process's pool of zeroed mappings (map_pool.c):
 * every boot resets it, which would otherwise cost fresh pages each time. */
#define COP_MAP_SIZE ((sizeof(struct tt_cop) + 4095) & ~(size_t)4095)

/* Return t's coprocessor to its power-on state: its block goes back to the pool. */
static inline void cop_release(struct tensix_tile *t)
{
    bhe_map_put(t->cop, COP_MAP_SIZE, 0, COP_MAP_SIZE);
    t->cop = NULL;
}

/* The core whose instructions thread th runs (its faults are charged there): the one
 * that pushed last, its TRISC by default. */
static inline struct emu_unit *cop_core(struct tt_cop *cop, unsigned th)
{
    return cop->th[th].pusher ? cop->th[th].pusher : &cop->tile->core[BH_TRISC0 + th].u;
}

/* Record a fault against thread th's core; returns EXEC_FAULT. */
enum cop_exec cop_refuse(struct tt_cop *cop, unsigned th, uint32_t insn, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A field of an instruction word: `width` bits from bit `lo`. */
static inline uint32_t cop_field(uint32_t insn, unsigned lo, unsigned width)
{
    return (insn >> lo) & ((1u << width) - 1);
}

/* One instruction of thread th; handlers by opcode, in the data-path files. */
typedef enum cop_exec (*cop_op)(struct tt_cop *cop, unsigned th, uint32_t insn);
enum cop_exec bhe_cop_unpacr(struct tt_cop *cop, unsigned th, uint32_t insn);
enum cop_exec bhe_cop_unpacr_nop(struct tt_cop *cop, unsigned th, uint32_t insn);
enum cop_exec bhe_cop_mova2d(struct tt_cop *cop, unsigned th, uint32_t insn);
enum cop_exec bhe_cop_elw(struct tt_cop *cop, unsigned th, uint32_t insn);
enum cop_exec bhe_cop_mvmul(struct tt_cop *cop, unsigned th, uint32_t insn);
enum cop_exec bhe_cop_zeroacc(struct tt_cop *cop, unsigned th, uint32_t insn);
enum cop_exec bhe_cop_setrwc(struct tt_cop *cop, unsigned th, uint32_t insn);
enum cop_exec bhe_cop_cleardvalid(struct tt_cop *cop, unsigned th, uint32_t insn);
enum cop_exec bhe_cop_sfpload(struct tt_cop *cop, unsigned th, uint32_t insn);
enum cop_exec bhe_cop_sfpstore(struct tt_cop *cop, unsigned th, uint32_t insn);
enum cop_exec bhe_cop_sfploadi(struct tt_cop *cop, unsigned th, uint32_t insn);
enum cop_exec bhe_cop_sfp_arith(struct tt_cop *cop, unsigned th, uint32_t insn);
enum cop_exec bhe_cop_sfpencc(struct tt_cop *cop, unsigned th, uint32_t insn);
enum cop_exec bhe_cop_sfpsetcc(struct tt_cop *cop, unsigned th, uint32_t insn);
enum cop_exec bhe_cop_sfpmov(struct tt_cop *cop, unsigned th, uint32_t insn);
enum cop_exec bhe_cop_sfpnop(struct tt_cop *cop, unsigned th, uint32_t insn);
enum cop_exec bhe_cop_pacr(struct tt_cop *cop, unsigned th, uint32_t insn);

/* ---- Dst (compute-facts 3.3; ttsim's storage, reproduced because raw SFPU loads and
 * stores see it): 16-bit cells hold bf16 as sign | mantissa << 8 | exponent; a 32-bit
 * value is such a cell (its high half) and its raw low half eight rows further on. A row
 * whose flag ZEROACC cleared reads as zero. */
static inline uint16_t cop_bf16_enc(uint32_t h)
{
    return (uint16_t)((h & 0x8000u) | (h & 0x7Fu) << 8 | (h >> 7 & 0xFFu));
}

static inline uint32_t cop_bf16_dec(uint32_t c)
{
    return (c & 0x8000u) | (c & 0xFFu) << 7 | (c >> 8 & 0x7Fu);
}

static inline uint32_t cop_dst32_row(uint32_t r)
{
    return ((r & 0x1F8u) << 1) | (r & 0x207u);
}

static inline uint32_t cop_dst16_read(const struct tt_cop *cop, uint32_t row, uint32_t col)
{
    return cop->dst_written[row] ? cop->dst[row][col] : 0;
}

/* Write a cell; `mark` makes its row readable (most writers mark at every cell, the FPU
 * only at the last column of a row). */
static inline void cop_dst16_store(struct tt_cop *cop, uint32_t row, uint32_t col, uint32_t cell,
                                   bool mark)
{
    cop->dst[row][col] = (uint16_t)cell;
    cop->dst_written[row] |= mark;
}

static inline void cop_dst16_write(struct tt_cop *cop, uint32_t row, uint32_t col, uint32_t cell)
{
    cop_dst16_store(cop, row, col, cell, true);
}

/* 32-bit value of logical row r: decoded to plain fp32 bits. */
static inline uint32_t cop_dst32_read(const struct tt_cop *cop, uint32_t r, uint32_t col)
{
    uint32_t p = cop_dst32_row(r);
    if (!cop->dst_written[p])
        return 0;
    return cop_bf16_dec(cop->dst[p][col]) << 16 | cop->dst[p + 8][col];
}

static inline void cop_dst32_store(struct tt_cop *cop, uint32_t r, uint32_t col, uint32_t v,
                                   bool mark)
{
    uint32_t p = cop_dst32_row(r);
    cop->dst[p][col] = cop_bf16_enc(v >> 16);
    cop->dst[p + 8][col] = (uint16_t)v;
    cop->dst_written[p] |= mark;
}

static inline void cop_dst32_write(struct tt_cop *cop, uint32_t r, uint32_t col, uint32_t v)
{
    cop_dst32_store(cop, r, col, v, true);
}

/* Thread configuration fields (compute-facts 4; ttsim tensix_regs). */
static inline uint32_t cop_math_offset(const struct tt_cop *cop, unsigned th)
{
    return cop->th[th].tcfg[1] & 0xFFFu;  /* DEST_TARGET_REG_CFG_MATH_Offset */
}

/* Step the thread's register write counters by ADDR_MOD n, and its fidelity phase when
 * asked (ttsim math_update_counters): NULL, or why ttsim refuses it. */
const char *cop_addr_mod(struct tt_cop *cop, unsigned th, uint32_t n, bool fidelity);
