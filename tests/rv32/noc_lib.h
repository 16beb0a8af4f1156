/* NoC helpers for rv32 test programs: program one command buffer of NIU0 or NIU1 and fire
 * it, read the NIU's counters, wait on L1 words and counters (device-facts 4.1-4.7).
 *
 * Coordinates are translated ones, packed as the NIU's HI registers take them:
 * NOC_XY(x, y) for one tile, NOC_RECT(start, end) for a multicast rectangle. Every request
 * first waits for its command buffer to be free, as firmware must; `flags` are extra
 * NOC_CTRL bits (BH_NOC_CMD_RESP_MARKED for non-posted, BH_NOC_CMD_BRCST_SRC_INCLUDE, ...).
 *
 * Define NOC_FIRE_PC_SLOT to an L1 address before including this file to have every fire
 * record there the PC of the auipc two instructions before the store that fires, so the
 * host can predict the PC a NoC fault reports (fire PC = slot + 8).
 */
#pragma once

#include <stdint.h>

#include "ttm/blackhole.h"

#define NOC_XY(x, y) ((uint32_t)(x) | (uint32_t)(y) << 6)
/* Multicast coordinate word: end x[5:0] y[11:6], start x[17:12] y[23:18]. */
#define NOC_RECT(sx, sy, ex, ey) (NOC_XY(ex, ey) | NOC_XY(sx, sy) << 12)

/* tt-metal's virtual channels: unicast requests VC 1, multicasts VC 4 (device-facts 4.2). */
#define NOC_CTRL_UNICAST (BH_NOC_CMD_VC_STATIC | BH_NOC_CMD_STATIC_VC(1))
/* Multicasts reserve their path, as TT-Metal's do (ttsim refuses them otherwise). */
#define NOC_CTRL_MCAST (BH_NOC_CMD_VC_STATIC | BH_NOC_CMD_STATIC_VC(4) | BH_NOC_CMD_PATH_RESERVE)

#define NOC_COUNTERS 12 /* status counters 0x0..0xB */

static inline volatile uint32_t *noc_reg(unsigned noc, unsigned cb, uint32_t off)
{
    return (volatile uint32_t *)(uintptr_t)(BH_NIU0_BASE + noc * BH_NIU_SIZE +
                                            cb * BH_NIU_CMDBUF_STRIDE + off);
}

static inline uint32_t noc_counter(unsigned noc, unsigned idx)
{
    return *noc_reg(noc, 0, BH_NOC_STATUS(idx));
}

/* This tile's translated coordinates as NOC_XY packs them. */
static inline uint32_t noc_my_xy(unsigned noc)
{
    return *noc_reg(noc, 0, BH_NOC_ID_LOGICAL);
}

static inline void noc_wait_ready(unsigned noc, unsigned cb)
{
    while (*noc_reg(noc, cb, BH_NOC_CMD_CTRL))
        ;
}

static inline void noc_fire(unsigned noc, unsigned cb)
{
    volatile uint32_t *r = noc_reg(noc, cb, BH_NOC_CMD_CTRL);
#ifdef NOC_FIRE_PC_SLOT
    uint32_t pc;
    __asm__ volatile("auipc %0, 0\n\t"
                     "sw %0, 0(%1)\n\t"
                     "sw %2, 0(%3)"
                     : "=&r"(pc)
                     : "r"(NOC_FIRE_PC_SLOT), "r"(1), "r"(r)
                     : "memory");
#else
    __asm__ volatile("" ::: "memory"); /* the data in L1 must be written before the fire */
    *r = 1;
#endif
}

static inline void noc_set_targ(unsigned noc, unsigned cb, uint32_t xy, uint64_t addr)
{
    *noc_reg(noc, cb, BH_NOC_TARG_ADDR_LO) = (uint32_t)addr;
    *noc_reg(noc, cb, BH_NOC_TARG_ADDR_MID) = (uint32_t)(addr >> 32) & BH_NOC_MID_MASK;
    *noc_reg(noc, cb, BH_NOC_TARG_ADDR_HI) = xy;
}

static inline void noc_set_ret(unsigned noc, unsigned cb, uint32_t xy, uint64_t addr)
{
    *noc_reg(noc, cb, BH_NOC_RET_ADDR_LO) = (uint32_t)addr;
    *noc_reg(noc, cb, BH_NOC_RET_ADDR_MID) = (uint32_t)(addr >> 32) & BH_NOC_MID_MASK;
    *noc_reg(noc, cb, BH_NOC_RET_ADDR_HI) = xy;
}

/* Read len bytes at (xy, addr) into this tile's L1 at dst. */
static inline void noc_read(unsigned noc, unsigned cb, uint32_t xy, uint64_t addr, uint32_t dst,
                            uint32_t len)
{
    noc_wait_ready(noc, cb);
    noc_set_targ(noc, cb, xy, addr);
    noc_set_ret(noc, cb, noc_my_xy(noc), dst);
    *noc_reg(noc, cb, BH_NOC_AT_LEN_BE) = len;
    *noc_reg(noc, cb, BH_NOC_CTRL) = BH_NOC_CMD_RD | BH_NOC_CMD_RESP_MARKED | NOC_CTRL_UNICAST;
    noc_fire(noc, cb);
}

/* Write len bytes of this tile's L1 at src to (xy, addr). */
static inline void noc_write(unsigned noc, unsigned cb, uint32_t src, uint32_t xy, uint64_t addr,
                             uint32_t len, uint32_t flags)
{
    noc_wait_ready(noc, cb);
    noc_set_targ(noc, cb, noc_my_xy(noc), src);
    noc_set_ret(noc, cb, xy, addr);
    *noc_reg(noc, cb, BH_NOC_AT_LEN_BE) = len;
    *noc_reg(noc, cb, BH_NOC_CTRL) = BH_NOC_CMD_WR | NOC_CTRL_UNICAST | flags;
    noc_fire(noc, cb);
}

/* Write len bytes of L1 at src to addr of every Tensix tile in rect (NOC_RECT). */
static inline void noc_mcast_write(unsigned noc, unsigned cb, uint32_t src, uint32_t rect,
                                   uint64_t addr, uint32_t len, uint32_t flags)
{
    noc_wait_ready(noc, cb);
    noc_set_targ(noc, cb, noc_my_xy(noc), src);
    noc_set_ret(noc, cb, rect, addr);
    *noc_reg(noc, cb, BH_NOC_AT_LEN_BE) = len;
    *noc_reg(noc, cb, BH_NOC_CTRL) =
        BH_NOC_CMD_WR | BH_NOC_CMD_BRCST_PACKET | NOC_CTRL_MCAST | flags;
    noc_fire(noc, cb);
}

/* Atomic increment of the word at (xy, addr) by incr within its low width + 1 bits; the old
 * value lands in this tile's L1 at ret (device-facts 4.7). */
static inline void noc_atomic_inc(unsigned noc, unsigned cb, uint32_t xy, uint32_t addr,
                                  uint32_t incr, unsigned width, uint32_t ret, uint32_t flags)
{
    noc_wait_ready(noc, cb);
    noc_set_targ(noc, cb, xy, addr);
    noc_set_ret(noc, cb, noc_my_xy(noc), ret);
    *noc_reg(noc, cb, BH_NOC_AT_LEN_BE) =
        BH_NOC_AT_INS_INCR_GET << 12 | (width & 0x1F) << 2 | (addr >> 2 & 3);
    *noc_reg(noc, cb, BH_NOC_AT_DATA) = incr;
    *noc_reg(noc, cb, BH_NOC_CTRL) = BH_NOC_CMD_AT | NOC_CTRL_UNICAST | flags;
    noc_fire(noc, cb);
}

/* 32-bit inline write of val to (xy, addr); on Blackhole only register targets are safe.
 * The return address names this tile (ttsim refuses any other). */
static inline void noc_inline_write(unsigned noc, unsigned cb, uint32_t xy, uint64_t addr,
                                    uint32_t val, uint32_t flags)
{
    noc_wait_ready(noc, cb);
    noc_set_targ(noc, cb, xy, addr);
    noc_set_ret(noc, cb, noc_my_xy(noc), 0);
    *noc_reg(noc, cb, BH_NOC_AT_LEN_BE) = 0xFu << (addr & 0xC);
    *noc_reg(noc, cb, BH_NOC_AT_DATA) = val;
    *noc_reg(noc, cb, BH_NOC_CTRL) =
        BH_NOC_CMD_WR | BH_NOC_CMD_WR_INLINE | NOC_CTRL_UNICAST | flags;
    noc_fire(noc, cb);
}

/* Barriers: wait until counter idx reaches want (wrap-safe comparison). */
static inline void noc_wait_counter(unsigned noc, unsigned idx, uint32_t want)
{
    while ((int32_t)(noc_counter(noc, idx) - want) < 0)
        ;
}

static inline void noc_wait_reads(unsigned noc, uint32_t issued)
{
    noc_wait_counter(noc, BH_NIU_MST_RD_RESP_RECEIVED, issued);
}

static inline void noc_wait_write_acks(unsigned noc, uint32_t expected)
{
    noc_wait_counter(noc, BH_NIU_MST_WR_ACK_RECEIVED, expected);
}

static inline void noc_wait_atomics(unsigned noc, uint32_t expected)
{
    noc_wait_counter(noc, BH_NIU_MST_ATOMIC_RESP_RECEIVED, expected);
}

/* ---- overlay stream registers (device-facts 3.4, 6) ---- */
static inline volatile uint32_t *stream_reg(unsigned stream, unsigned index)
{
    return (volatile uint32_t *)(uintptr_t)(BH_STREAM_BASE + stream * BH_STREAM_STRIDE + 4 * index);
}

/* NoC address of another tile's SPACE_AVAILABLE_UPDATE register of `stream`. */
static inline uint32_t stream_update_addr(unsigned stream)
{
    return BH_STREAM_BASE + stream * BH_STREAM_STRIDE + 4 * BH_STREAM_SPACE_AVAILABLE_UPDATE;
}

/* ---- local memory ---- */
static inline volatile uint32_t *l1_word(uint32_t addr)
{
    return (volatile uint32_t *)(uintptr_t)addr;
}

static inline void wait_word_eq(uint32_t addr, uint32_t want)
{
    while (*l1_word(addr) != want)
        ;
}

/* A busy loop the spin detector cannot park: its registers change every iteration. */
static inline void spin_cycles(uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        __asm__ volatile("" : "+r"(i));
}
