/* The compute kernel API: the one header a compute kernel includes, with TT-Metal's
 * names (compute_kernel_api: cb_api.h, reg_api.h, tile_move_copy.h, eltwise_binary.h,
 * matmul.h, pack.h, eltwise_unary/binop_with_scalar.h).
 *
 *   #include <ttm/kernel/compute.h>
 *   void kernel_main(void) { ... }
 *
 * The source is built three times, once per TRISC, with TRISC_UNPACK, TRISC_MATH or
 * TRISC_PACK defined; each call below does its own thread's part and nothing on the
 * others, so one kernel_main describes the whole pipeline (compute-facts 7):
 *
 *   unpack (TRISC0): waits for input CB pages, unpacks tiles from L1 into SrcA/SrcB
 *   math   (TRISC1): moves and computes Src into Dst, runs the SFPU on Dst
 *   pack   (TRISC2): packs Dst tiles into output CB pages
 *
 * Dst holds two halves of 8 bf16 tiles (4 with fp32 accumulation): math fills one
 * between tile_regs_acquire and tile_regs_commit while pack drains the other between
 * tile_regs_wait and tile_regs_release, handed over on semaphore 1 (compute-facts 2.5).
 * Tiles are 32x32 as four 16x16 faces, row-major in each (compute-facts 3.1).
 *
 * Numerics are the hardware's (compute-facts 5): the SFPU flushes denormals, its results
 * are truncated to bf16 when stored, the packer turns NaN into infinity of the same
 * sign. Math fidelity (TTM_MATH_FIDELITY) and fp32 Dst (TTM_FP32_DEST_ACC) are kernel
 * options (struct ttm_kernel_opts).
 *
 * Input CBs hold bfloat16 pages, or float32 pages unpacked to bfloat16; the output CB
 * bfloat16 or float32 pages.
 */
#ifndef TTM_KERNEL_COMPUTE_H
#define TTM_KERNEL_COMPUTE_H

#include <stdbool.h>
#include <stdint.h>

#include "abi.h"
#include "args.h"
#include "cb_ring.h"
#include "kernel.h"
#include "print.h"
#include "tensix.h"

#if TTM_PROC == 2
#define TRISC_UNPACK 1
#elif TTM_PROC == 3
#define TRISC_MATH 1
#elif TTM_PROC == 4
#define TRISC_PACK 1
#else
#error "<ttm/kernel/compute.h> is for compute kernels (ttm_kernel_create_compute)"
#endif

#ifndef TTM_MATH_FIDELITY
#define TTM_MATH_FIDELITY 4
#endif
#ifndef TTM_FP32_DEST_ACC
#define TTM_FP32_DEST_ACC 0
#endif

/* Code for one thread only, as TT-Metal's UNPACK(), MATH(), PACK(). */
#ifdef TRISC_UNPACK
#define UNPACK(x) x
#else
#define UNPACK(x)
#endif
#ifdef TRISC_MATH
#define MATH(x) x
#else
#define MATH(x)
#endif
#ifdef TRISC_PACK
#define PACK(x) x
#else
#define PACK(x)
#endif

#define TTM_INLINE static inline __attribute__((always_inline))

/* ---- Instruction words (compute-facts 4.7; fields from ttsim's tensix_isa) ---- */
#define TT_SETC16(reg, v) (0xB2000000u | (uint32_t)(reg) << 16 | (uint32_t)(v))
#define TT_SEMINIT(max, init, sem) (0xA3000000u | (max) << 20 | (init) << 16 | (1u << (sem)) << 2)
#define TT_SEMPOST(sem) (0xA4000000u | (1u << (sem)) << 2)
#define TT_SEMGET(sem) (0xA5000000u | (1u << (sem)) << 2)
#define TT_SEMWAIT(stall, sem, cond) (0xA6000000u | (stall) << 15 | (1u << (sem)) << 2 | (cond))
#define TT_STALLWAIT(stall, wait) (0xA2000000u | (stall) << 15 | (wait))
#define TT_ZEROACC(mode, where) (0x10000000u | (mode) << 19 | (where))
#define TT_SETRWC(clear_ab, mask) (0x37000000u | (clear_ab) << 22 | (mask))
#define TT_SETADCXX(sets, x0, x1) (0x5E000000u | (sets) << 21 | (x1) << 10 | (x0))
#define TT_SETADCXY_ZERO(sets) (0x51000000u | (sets) << 21 | 0xBu)  /* x0, y0, y1 */
#define TT_SETADCZW_ZERO(sets) (0x54000000u | (sets) << 21 | 0xFu)
#define TT_UNPACR(srcb) (0x420000C1u | (srcb) << 23)  /* last, thread override, dvalid */
#define TT_UNPACR_NOP_ZERO_SRCB 0x43800101u           /* pop, set dvalid, SrcB */
#define TT_MOVA2D(src, dst) (0x12002000u | (src) << 17 | (dst))
#define TT_PACR(addr_mode, last) (0x41000000u | (addr_mode) << 15 | (last))
#define TT_SFPLOAD(lreg, mod, am, addr) (0x70000000u | (lreg) << 20 | (mod) << 16 | (am) << 13 | (addr))
#define TT_SFPSTORE(lreg, mod, am, addr) (0x72000000u | (lreg) << 20 | (mod) << 16 | (am) << 13 | (addr))
#define TT_SFPLOADI(lreg, mod, imm) (0x71000000u | (lreg) << 20 | (mod) << 16 | (imm))
#define TT_SFPADDI(lreg, imm16) (0x75000000u | (imm16) << 8 | (lreg) << 4)
#define TT_SFPMULI(lreg, imm16) (0x74000000u | (imm16) << 8 | (lreg) << 4)
#define TT_SFPADD(a, b, c, dest, mod) (0x85000000u | (a) << 16 | (b) << 12 | (c) << 8 | (dest) << 4 | (mod))
#define TT_SFPMUL(a, b, c, dest, mod) (0x86000000u | (a) << 16 | (b) << 12 | (c) << 8 | (dest) << 4 | (mod))
#define TT_SFPENCC_ALL 0x8A00300Au
#define TT_SFPSETCC(c, mod) (0x7B000000u | (c) << 8 | (mod))
#define TT_SFPMOV(c, dest, mod) (0x7C000000u | (c) << 8 | (dest) << 4 | (mod))
#define TT_SFPABS(c, dest, mod) (0x7D000000u | (c) << 8 | (dest) << 4 | (mod))
#define TT_ELW(op, dst, am, clear) ((op) << 24 | (clear) << 22 | (am) << 14 | (dst))
#define TT_NOP 0x02000000u

/* Semaphore 1 hands Dst halves from math to pack (TT-Metal's MATH_PACK). */
#define TTM_SEM_MATH_PACK 1u
/* STALLWAIT / SEMWAIT block and condition masks (compute-facts 2.2). */
#define TT_BLOCK_SYNC (1u << 1)
#define TT_BLOCK_PACK (1u << 2)
#define TT_BLOCK_FPU (1u << 6)
#define TT_BLOCK_CFG (1u << 7)
#define TT_BLOCK_SFPU (1u << 8)
#define TT_BLOCK_MISC 1u
#define TT_WAIT_PACK (1u << 3)
#define TT_WAIT_MATH (1u << 4)
#define TT_WAIT_SFPU (1u << 11)
/* Address-counter sets: unpacker 0, unpacker 1, packer. */
#define TT_ADC_UNP_A 1u
#define TT_ADC_UNP_B 2u
#define TT_ADC_PACK 4u
/* ADDR_MODs the math thread sets up: the element-wise unit's next fidelity phase (5)
 * and its next 8 rows (6), and the SFPU's tile walk, two Dst rows per vector (7). */
#define TT_ADDR_MOD_PHASE 5u
#define TT_ADDR_MOD_ROWS 6u
#define TT_ADDR_MOD_SFPU 7u
/* Fidelity phases of a multiply (compute-facts 4.5): LoFi one, HiFi2-4 two to four. */
#define TTM_FIDELITY_PHASES (TTM_MATH_FIDELITY ? TTM_MATH_FIDELITY : 1)
/* SFPU loads and stores: bf16 from 16-bit Dst, fp32 from 32-bit. */
#define TTM_SFPU_MOD (TTM_FP32_DEST_ACC ? 3u : 2u)
#define TT_OP_MVMUL 0x26u
#define TT_OP_ELWMUL 0x27u
#define TT_OP_ELWADD 0x28u
#define TT_OP_ELWSUB 0x30u
#define TTM_UNROLL _Pragma("clang loop unroll(full)")

#define TTM_TILE_DATUMS 1024u
/* Dst rows per tile: 64 for bf16; fp32 values take two 16-bit rows (compute-facts 3.3),
 * so a half holds 8 tiles, or 4 with fp32 Dst. */
#define TTM_DST_TILE_ROWS 64u
#define TTM_DST_HALF_ROWS 512u
#define TTM_DST_TILES (TTM_FP32_DEST_ACC ? 4u : 8u)

/* A Dst tile index past the half: a link error when it is a constant ("undefined
 * reference to ttm_dst_tile_out_of_range"), else the tile is taken modulo the half. */
void ttm_dst_tile_out_of_range(void);
#define TTM_DST_TILE(dst)                                                               \
    ((__builtin_constant_p(dst) && (dst) >= TTM_DST_TILES ? ttm_dst_tile_out_of_range() \
                                                          : (void)0),                   \
     (dst) % TTM_DST_TILES)

/* ---- State of this kernel's thread ---- */
struct ttm_compute_state {
    uint32_t dst_half;     /* math: the half it fills; pack: the half it drains */
    uint32_t packed;       /* pack: tiles packed into the output CB since its last push */
};

static struct ttm_compute_state ttm_cs;

TTM_INLINE uint32_t ttm_cb_format(uint32_t cb)
{
    return ((const volatile uint8_t *)(uintptr_t)ttm_kctx()->cb_formats)[cb];
}

/* Config words are written by this core's stores, which do not wait for instructions
 * already pushed: tensix_sync() first wherever a pushed one may still read the word. */

/* What the packer reads from Dst (and the math configuration must say Dst holds): fp32
 * only when Dst is 32-bit and the output is float32 (mode 0x100); else bf16, widened for a
 * float32 output from 16-bit Dst (0x50) or rounded from 32-bit Dst (0x155) (compute-facts
 * 4.6). */
TTM_INLINE uint32_t ttm_pack_in_format(uint32_t out)
{
    return TTM_FP32_DEST_ACC && ttm_cb_format(out) == TTM_TT_FORMAT_FLOAT32
               ? TTM_TT_FORMAT_FLOAT32
               : TTM_TT_FORMAT_BFLOAT16;
}

/* ---- Initialisation: each thread sets the configuration words it owns ---- */

#ifdef TRISC_MATH
/* The element-wise unit's ADDR_MODs: the next fidelity phase (5) and the next 8 rows (6).
 * mm_init takes 5 for its own walk, so every element-wise init sets both again. */
TTM_INLINE void ttm_eltwise_addr_mods(void)
{
    TTI(TT_SETC16(12 + TT_ADDR_MOD_PHASE, 0));
    TTI(TT_SETC16(28 + TT_ADDR_MOD_PHASE, 1u << 13));  /* fidelity += 1 */
    TTI(TT_SETC16(12 + TT_ADDR_MOD_ROWS, 0x0808));     /* SrcA += 8, SrcB += 8 */
    TTI(TT_SETC16(28 + TT_ADDR_MOD_ROWS, 1u << 15));   /* fidelity back to 0 */
}
#endif

#ifdef TRISC_UNPACK
/* Unpacker u: tiles of CB cb unpacked whole (1024 datums into 64 Src rows) to bf16. */
TTM_INLINE void ttm_unpack_config(uint32_t u, uint32_t cb)
{
    uint32_t in = ttm_cb_format(cb);
    uint32_t desc0 = in | 1u << 4 | (u ? 256u << 16 : 0);   /* format, uncompressed */
    tt_cfg_write(u ? 112 : 64, desc0);
    tt_cfg_write(u ? 113 : 65, 0x00040001u);                 /* y 1, z 4 */
    tt_cfg_write(u ? 120 : 72, TTM_TT_FORMAT_BFLOAT16 | 2u << 4); /* out bf16, throttle 2 */
    tt_cfg_write(u ? 121 : 73, 0x000F000Fu);                 /* no zero compression */
    tt_cfg_write(u ? 59 : 57, 512u);                         /* Src z stride */
}
#endif

/* The whole pipeline's configuration for inputs in0 (SrcA), in1 (SrcB) and output out
 * (TT-Metal's binary_op_init_common). */
TTM_INLINE void compute_init(uint32_t in0, uint32_t in1, uint32_t out)
{
#ifdef TRISC_UNPACK
    (void)out;
    tensix_sync();
    ttm_unpack_config(0, in0);
    ttm_unpack_config(1, in1);
    tt_cfg_write(50, 0x100);          /* add the counters to the SrcA context address */
    tt_cfg_write(84, 0x00400040u);    /* SrcA context address 64: row 0 */
    tt_cfg_write(86, 0x01000100u);    /* SrcA tile x dimension 256 */
    tt_cfg_write(92, 0);
    TTI(TT_SETC16(5, 4));             /* SRCA_SET_SetOvrdWithAddr: unpack to Src */
    TTI(TT_SETADCXY_ZERO(TT_ADC_UNP_A | TT_ADC_UNP_B));
    TTI(TT_SETADCZW_ZERO(TT_ADC_UNP_A | TT_ADC_UNP_B));
    TTI(TT_SETADCXX(TT_ADC_UNP_A | TT_ADC_UNP_B, 0, TTM_TILE_DATUMS - 1));
#elif defined(TRISC_MATH)
    (void)in0, (void)in1, (void)out;
    tensix_sync();
    tt_cfg_write(0, 0);
    /* SrcA and SrcB bf16; fp32 Dst and SFPU when asked; the packer's input format. */
    tt_cfg_write(1, 5u << 17 | 5u << 21 | ttm_pack_in_format(out) << 25 |
                        (uint32_t)TTM_FP32_DEST_ACC * (3u << 29));
    tt_cfg_write(2, 0);
    TTI(TT_SETC16(1, 0));                           /* Dst half 0 */
    ttm_eltwise_addr_mods();
    TTI(TT_SETC16(12 + TT_ADDR_MOD_SFPU, 0));
    TTI(TT_SETC16(28 + TT_ADDR_MOD_SFPU, 2));          /* Dst += 2 */
    TTI(TT_SETRWC(0, 0xF));                         /* counters and fidelity to 0 */
    TTI(TT_SFPENCC_ALL);
    TTI(TT_ZEROACC(3, 0));                          /* all of Dst reads as zero */
    TTI(TT_SEMINIT(2, 0, TTM_SEM_MATH_PACK));
    ttm_cs.dst_half = 0;
#else
    (void)in0, (void)in1;
    tensix_sync();
    uint32_t in = ttm_pack_in_format(out);
    tt_cfg_write(12, (in == TTM_TT_FORMAT_FLOAT32 ? 64u : 32u) << 16); /* one Dst row */
    tt_cfg_write(13, 0);
    tt_cfg_write(18, TTM_FP32_DEST_ACC);            /* read 32-bit Dst */
    tt_cfg_write(20, 0);
    tt_cfg_write(24, 0xFFFF);                       /* every column of every row */
    tt_cfg_write(28, 16u << 8);                     /* 16 rows per plane */
    tt_cfg_write(68, 0);
    tt_cfg_write(70, 1u | ttm_cb_format(out) << 4 | in << 8);
    tt_cfg_write(71, 0);
    tt_cfg_write(180, 0);
    TTI(TT_SETC16(37, 4));                          /* ADDR_MOD_PACK 0: next 4 rows */
    TTI(TT_SETC16(38, 0x820));                      /* ADDR_MOD_PACK 1: back to row 0 */
    TTI(TT_SETADCXY_ZERO(TT_ADC_PACK));
    TTI(TT_SETADCZW_ZERO(TT_ADC_PACK));
    TTI(TT_SETADCXX(TT_ADC_PACK, 0, 15));
    ttm_cs.dst_half = 0;
    ttm_cs.packed = 0;
#endif
}

TTM_INLINE void binary_op_init_common(uint32_t in0, uint32_t in1, uint32_t out)
{
    compute_init(in0, in1, out);
}

/* TT-Metal's init for SFPU kernels: one input, one output. */
TTM_INLINE void init_sfpu(uint32_t in, uint32_t out)
{
    compute_init(in, in, out);
}

/* ---- Circular buffers: the unpack thread consumes, the pack thread produces ---- */

TTM_INLINE void cb_wait_front(uint32_t cb, uint32_t n)
{
    UNPACK(while (!cb_pages_available_at_front(cb, n));)
    (void)cb, (void)n;
}

/* The pages are free once every unpack of them has finished. */
TTM_INLINE void cb_pop_front(uint32_t cb, uint32_t n)
{
#ifdef TRISC_UNPACK
    struct ttm_cb_state *s = ttm_cb(cb);
    tensix_sync();
    s->popped = (uint16_t)(s->popped + n);
    s->rd_ptr = ttm_cb_advance(s, s->rd_ptr, n);
    *ttm_cb_reg(cb, TTM_CB_POPPED_REG) = s->popped;
#else
    (void)cb, (void)n;
#endif
}

TTM_INLINE void cb_reserve_back(uint32_t cb, uint32_t n)
{
    PACK(while (!cb_pages_reservable_at_back(cb, n));)
    (void)cb, (void)n;
}

/* The pages are published once every pack into them has finished. */
TTM_INLINE void cb_push_back(uint32_t cb, uint32_t n)
{
#ifdef TRISC_PACK
    struct ttm_cb_state *s = ttm_cb(cb);
    tensix_sync();
    s->pushed = (uint16_t)(s->pushed + n);
    s->wr_ptr = ttm_cb_advance(s, s->wr_ptr, n);
    *ttm_cb_reg(cb, TTM_CB_PUSHED_REG) = s->pushed;
    ttm_cs.packed = 0;
#else
    (void)cb, (void)n;
#endif
}

/* ---- Dst hand-over between math and pack (compute-facts 2.5) ---- */

/* Math: wait until a Dst half is free. */
TTM_INLINE void tile_regs_acquire(void)
{
    MATH(TTI(TT_SEMWAIT(TT_BLOCK_SYNC | TT_BLOCK_FPU | TT_BLOCK_SFPU, TTM_SEM_MATH_PACK, 2));)
}

/* Math: the half is done; hand it to pack and move to the other. */
TTM_INLINE void tile_regs_commit(void)
{
#ifdef TRISC_MATH
    TTI(TT_STALLWAIT(TT_BLOCK_SYNC, TT_WAIT_MATH | TT_WAIT_SFPU));
    TTI(TT_SEMPOST(TTM_SEM_MATH_PACK));
    TTI(TT_STALLWAIT(TT_BLOCK_CFG, TT_WAIT_MATH | TT_WAIT_SFPU));
    if ((ttm_cs.dst_half ^= 1))
        TTI(TT_SETC16(1, TTM_DST_HALF_ROWS));
    else
        TTI(TT_SETC16(1, 0));
#endif
}

/* Pack: wait until math has committed a half. */
TTM_INLINE void tile_regs_wait(void)
{
    PACK(TTI(TT_SEMWAIT(TT_BLOCK_MISC | TT_BLOCK_PACK, TTM_SEM_MATH_PACK, 1));)
}

/* Pack: the half is packed; clear it and give it back to math. */
TTM_INLINE void tile_regs_release(void)
{
#ifdef TRISC_PACK
    TTI(TT_STALLWAIT(TT_BLOCK_FPU, TT_WAIT_PACK));
    if (ttm_cs.dst_half)
        TTI(TT_ZEROACC(2, 1));
    else
        TTI(TT_ZEROACC(2, 0));
    TTI(TT_SEMGET(TTM_SEM_MATH_PACK));
    ttm_cs.dst_half ^= 1;
#endif
}

/* TT-Metal's older names: acquire makes pack wait for math too, release hands over and
 * gives back in one. */
#define acquire_dst() (tile_regs_acquire(), tile_regs_wait())
#define release_dst() (tile_regs_commit(), tile_regs_release())

/* ---- Unpack ---- */

#ifdef TRISC_UNPACK
/* Unpack tile `tile` of the CB's front pages into SrcA (u 0) or SrcB (u 1). */
TTM_INLINE void ttm_unpack_tile(uint32_t u, uint32_t cb, uint32_t tile)
{
    const struct ttm_cb_state *s = ttm_cb(cb);
    uint32_t addr = ttm_cb_advance(s, s->rd_ptr, tile);
    tensix_sync(); /* the last unpack has read the base address */
    tt_cfg_write(u ? 124 : 76, (addr >> 4) - 1);
    if (u)
        TTI(TT_UNPACR(1));
    else
        TTI(TT_UNPACR(0));
}
#endif

/* ---- Copy ---- */

/* Switch the SrcA unpacker to CB cb's format (TT-Metal's copy_tile_to_dst_init_short). */
TTM_INLINE void copy_tile_init(uint32_t cb)
{
    UNPACK(tensix_sync(); ttm_unpack_config(0, cb);)
    (void)cb;
}

#define copy_tile_to_dst_init_short(cb) copy_tile_init(cb)

#ifdef TRISC_MATH
/* One element-wise operation over a whole tile into Dst tile dst: 8 rows at a time,
 * each row block once per fidelity phase for a multiply, the Src banks handed back to
 * the unpackers after the last (compute-facts 4.4). */
TTM_INLINE void ttm_eltwise(uint32_t op, uint32_t dst)
{
    uint32_t d = TTM_DST_TILE_ROWS * TTM_DST_TILE(dst);
    TTM_UNROLL for (uint32_t r = 0; r < 64; r += 8) {
        if (op == TT_OP_ELWMUL)
            TTM_UNROLL for (uint32_t p = 1; p < TTM_FIDELITY_PHASES; p++)
                tt_push(TT_ELW(op, d + r, TT_ADDR_MOD_PHASE, 0u));
        tt_push(TT_ELW(op, d + r, TT_ADDR_MOD_ROWS, r == 56 ? 3u : 0u));
    }
}
#endif

/* Tile `tile` of CB cb's front pages into Dst tile dst. With fp32 Dst the copy is an
 * ELWADD of zero, since MOVA2D writes 16-bit rows (compute-facts 4.4). */
TTM_INLINE void copy_tile(uint32_t cb, uint32_t tile, uint32_t dst)
{
#ifdef TRISC_UNPACK
    ttm_unpack_tile(0, cb, tile);
    if (TTM_FP32_DEST_ACC)
        TTI(TT_UNPACR_NOP_ZERO_SRCB);
#endif
#ifdef TRISC_MATH
    if (TTM_FP32_DEST_ACC) {
        ttm_eltwise(TT_OP_ELWADD, dst);
    } else {
        TTM_UNROLL for (uint32_t r = 0; r < 64; r += 8)
            tt_push(TT_MOVA2D(r, TTM_DST_TILE_ROWS * TTM_DST_TILE(dst) + r));
        TTI(TT_SETRWC(1, 0)); /* SrcA back to the unpacker */
    }
#endif
    (void)cb, (void)tile, (void)dst;
}

/* ---- Element-wise binary operations: Dst tile dst = tile t0 of cb0 op tile t1 of cb1
 * (ELWMUL accumulates onto Dst, which tile_regs_release left zero) ---- */

/* Both unpackers to the CBs' formats, the math thread's ADDR_MODs to the element-wise
 * walk (after a matmul). */
TTM_INLINE void ttm_binary_init(uint32_t cb0, uint32_t cb1)
{
    UNPACK(tensix_sync(); ttm_unpack_config(0, cb0); ttm_unpack_config(1, cb1);)
    MATH(ttm_eltwise_addr_mods();)
    (void)cb0, (void)cb1;
}

TTM_INLINE void add_tiles_init(uint32_t cb0, uint32_t cb1) { ttm_binary_init(cb0, cb1); }
TTM_INLINE void sub_tiles_init(uint32_t cb0, uint32_t cb1) { ttm_binary_init(cb0, cb1); }
TTM_INLINE void mul_tiles_init(uint32_t cb0, uint32_t cb1) { ttm_binary_init(cb0, cb1); }

TTM_INLINE void ttm_binary(uint32_t op, uint32_t cb0, uint32_t cb1, uint32_t t0, uint32_t t1,
                           uint32_t dst)
{
    UNPACK(ttm_unpack_tile(0, cb0, t0); ttm_unpack_tile(1, cb1, t1);)
    MATH(ttm_eltwise(op, dst);)
    (void)op, (void)cb0, (void)cb1, (void)t0, (void)t1, (void)dst;
}

TTM_INLINE void add_tiles(uint32_t cb0, uint32_t cb1, uint32_t t0, uint32_t t1, uint32_t dst)
{
    ttm_binary(TT_OP_ELWADD, cb0, cb1, t0, t1, dst);
}

TTM_INLINE void sub_tiles(uint32_t cb0, uint32_t cb1, uint32_t t0, uint32_t t1, uint32_t dst)
{
    ttm_binary(TT_OP_ELWSUB, cb0, cb1, t0, t1, dst);
}

TTM_INLINE void mul_tiles(uint32_t cb0, uint32_t cb1, uint32_t t0, uint32_t t1, uint32_t dst)
{
    ttm_binary(TT_OP_ELWMUL, cb0, cb1, t0, t1, dst);
}

/* ---- Matrix multiply: Dst tile dst += tile t0 of cb0 (M x K) x tile t1 of cb1 (K x N)
 * (compute-facts 4.5). in0 goes to SrcB and in1 to SrcA, since MVMUL computes
 * Dst += SrcB x SrcA, 8 rows at a time; 16 MVMULs per fidelity phase walk the faces
 * with ADDR_MODs 1-5, which mm_init and mm_init_short set (ADDR_MOD 5 is shared with
 * the element-wise ops: each side's init sets it again). K accumulates in Dst: call matmul_tiles once per K tile before committing. */

/* Back to matmul after other operations: the unpackers' formats and the math thread's
 * ADDR_MODs 1-5 (TT-Metal's mm_init_short). */
TTM_INLINE void mm_init_short(uint32_t cb0, uint32_t cb1)
{
    UNPACK(tensix_sync(); ttm_unpack_config(0, cb1); ttm_unpack_config(1, cb0);)
#ifdef TRISC_MATH
    TTI(TT_SETC16(12 + 1, 0x0800)); /* 1: SrcB += 8, Dst += 8 */
    TTI(TT_SETC16(28 + 1, 0x0008));
    TTI(TT_SETC16(12 + 2, 0x4010)); /* 2: SrcA += 16, SrcB back to its carry, Dst += 8 */
    TTI(TT_SETC16(28 + 2, 0x0008));
    TTI(TT_SETC16(12 + 3, 0x6040)); /* 3: SrcA back, SrcB carry += 32, Dst += 8 */
    TTI(TT_SETC16(28 + 3, 0x0008));
    TTI(TT_SETC16(12 + 4, 0x7060)); /* 4: SrcA carry += 32, SrcB carry += 48, Dst back */
    TTI(TT_SETC16(28 + 4, 0x0400));
    TTI(TT_SETC16(12 + 5, 0xC0C0)); /* 5: all to 0, next fidelity phase */
    TTI(TT_SETC16(28 + 5, TTM_FIDELITY_PHASES > 1 ? 0x2C00 : 0x0C00));
#endif
    (void)cb0, (void)cb1;
}

TTM_INLINE void mm_init(uint32_t cb0, uint32_t cb1, uint32_t out)
{
    compute_init(cb1, cb0, out);
    mm_init_short(cb0, cb1);
}

TTM_INLINE void matmul_tiles(uint32_t cb0, uint32_t cb1, uint32_t t0, uint32_t t1, uint32_t dst)
{
    UNPACK(ttm_unpack_tile(1, cb0, t0); ttm_unpack_tile(0, cb1, t1);)
#ifdef TRISC_MATH
    static const uint8_t am[16] = {1, 2, 1, 3, 1, 2, 1, 4, 1, 2, 1, 3, 1, 2, 1, 5};
    uint32_t d = TTM_DST_TILE_ROWS * TTM_DST_TILE(dst);
    TTM_UNROLL for (uint32_t p = 0; p < TTM_FIDELITY_PHASES; p++)
        TTM_UNROLL for (uint32_t i = 0; i < 16; i++)
            tt_push(TT_OP_MVMUL << 24 | (uint32_t)am[i] << 14 | d);
    TTI(TT_SETRWC(3, 0xF)); /* both banks back to the unpackers; counters to 0 */
#endif
    (void)cb0, (void)cb1, (void)t0, (void)t1, (void)dst;
}

/* ---- Pack ---- */

/* Dst tile dst of the half being drained into the next page of CB cb's reserved back. */
TTM_INLINE void pack_tile(uint32_t dst, uint32_t cb)
{
#ifdef TRISC_PACK
    const struct ttm_cb_state *s = ttm_cb(cb);
    uint32_t addr = ttm_cb_advance(s, s->wr_ptr, ttm_cs.packed++);
    tensix_sync(); /* the last tile's packs have read the addresses */
    tt_cfg_write(69, (addr >> 4) - 1);
    tt_cfg_write(180, ttm_cs.dst_half * TTM_DST_HALF_ROWS + TTM_DST_TILE_ROWS * TTM_DST_TILE(dst));
    for (uint32_t i = 0; i < 15; i++)
        TTI(TT_PACR(0, 0));
    TTI(TT_PACR(1, 1));
#endif
    (void)dst, (void)cb;
}

/* ---- SFPU: scalar operations on a Dst tile, 32 lanes of 2 rows at a time ---- */

TTM_INLINE void binop_with_scalar_tile_init(void)
{
}

#define TTM_SFPU_ADD 0u
#define TTM_SFPU_SUB 1u
#define TTM_SFPU_MUL 2u

#ifdef TRISC_MATH
/* Dst tile dst op= the fp32 value whose bits are `param`. */
TTM_INLINE void ttm_sfpu_scalar(uint32_t op, uint32_t dst, uint32_t param)
{
    uint32_t base = TTM_DST_TILE_ROWS * TTM_DST_TILE(dst), hi = param >> 16;
    bool short_imm = !(param & 0xFFFF) && op != TTM_SFPU_SUB;
    if (!short_imm) { /* the full scalar in LReg1 */
        tt_push(TT_SFPLOADI(1, 8, hi));
        tt_push(TT_SFPLOADI(1, 10, param & 0xFFFF));
    }
    for (uint32_t v = 0; v < 32; v++) {
        tt_push(TT_SFPLOAD(0, TTM_SFPU_MOD, 0, base));
        if (short_imm && op == TTM_SFPU_ADD)
            tt_push(TT_SFPADDI(0, hi));
        else if (short_imm)
            tt_push(TT_SFPMULI(0, hi));
        else if (op == TTM_SFPU_MUL)
            tt_push(TT_SFPMUL(0, 1, 9, 0, 0));
        else /* L0 = 1.0 * L0 +/- L1 */
            tt_push(TT_SFPADD(10, 0, 1, 0, op == TTM_SFPU_SUB ? 2u : 0u));
        tt_push(TT_SFPSTORE(0, TTM_SFPU_MOD, TT_ADDR_MOD_SFPU, base));
    }
    TTI(TT_SETRWC(0, 4)); /* Dst counter back to 0 */
}
#endif

#define TTM_SFPU_RELU 0u
#define TTM_SFPU_ABS 1u
#define TTM_SFPU_NEG 2u

#ifdef TRISC_MATH
/* Dst tile dst = max(x, 0), |x| or -x, by moves alone: exact, NaNs' payloads kept. ReLU
 * enables the lanes holding a negative number (sign bit set: -0.0 and negative NaNs too)
 * and moves the constant 0.0 (LReg9) into them; the last enable leaves every lane on, as
 * the coprocessor starts. */
TTM_INLINE void ttm_sfpu_sign_op(uint32_t op, uint32_t dst)
{
    uint32_t base = TTM_DST_TILE_ROWS * TTM_DST_TILE(dst);
    for (uint32_t v = 0; v < 32; v++) {
        tt_push(TT_SFPLOAD(0, TTM_SFPU_MOD, 0, base));
        if (op == TTM_SFPU_RELU) {
            tt_push(TT_SFPSETCC(0, 0));
            tt_push(TT_SFPMOV(9, 0, 0));
            tt_push(TT_SFPENCC_ALL);
        } else if (op == TTM_SFPU_ABS) {
            tt_push(TT_SFPABS(0, 0, 1));
        } else {
            tt_push(TT_SFPMOV(0, 0, 1));
        }
        tt_push(TT_SFPSTORE(0, TTM_SFPU_MOD, TT_ADDR_MOD_SFPU, base));
    }
    TTI(TT_SETRWC(0, 4)); /* Dst counter back to 0 */
}
#endif

/* TT-Metal's relu_tile, abs_tile and negative_tile on Dst tile dst (after init_sfpu and
 * the tile's copy into Dst); their inits do nothing. */
TTM_INLINE void relu_tile_init(void)
{
}

TTM_INLINE void relu_tile(uint32_t dst)
{
    MATH(ttm_sfpu_sign_op(TTM_SFPU_RELU, dst);)
    (void)dst;
}

TTM_INLINE void abs_tile_init(void)
{
}

TTM_INLINE void abs_tile(uint32_t dst)
{
    MATH(ttm_sfpu_sign_op(TTM_SFPU_ABS, dst);)
    (void)dst;
}

TTM_INLINE void negative_tile_init(void)
{
}

TTM_INLINE void negative_tile(uint32_t dst)
{
    MATH(ttm_sfpu_sign_op(TTM_SFPU_NEG, dst);)
    (void)dst;
}

TTM_INLINE void add_unary_tile(uint32_t dst, uint32_t param)
{
    MATH(ttm_sfpu_scalar(TTM_SFPU_ADD, dst, param);)
    (void)dst, (void)param;
}

TTM_INLINE void sub_unary_tile(uint32_t dst, uint32_t param)
{
    MATH(ttm_sfpu_scalar(TTM_SFPU_SUB, dst, param);)
    (void)dst, (void)param;
}

TTM_INLINE void mul_unary_tile(uint32_t dst, uint32_t param)
{
    MATH(ttm_sfpu_scalar(TTM_SFPU_MUL, dst, param);)
    (void)dst, (void)param;
}

#endif
