/* NoC programming from a Tensix core's BRISC or NCRISC: the 64-bit NoC address encoding,
 * the NIU command-buffer sequences and the NIU status counters (device-facts 4.1-4.7).
 *
 * Shared by kernels (through dataflow.h) and our firmware, so nothing here reads the
 * kernel context: every function names its NIU (`noc`, 0 or 1) and command buffer
 * (`buf`, 0..3), and the request functions return how many requests they issued so the
 * caller can keep its own counter shadows for the barriers.
 *
 * Register offsets and bits are the chip's (../blackhole.h).
 */
#ifndef TTM_KERNEL_NOC_H
#define TTM_KERNEL_NOC_H

#include <stdint.h>

#include "../blackhole.h"
#include "abi.h"

/* Requests use TT-Metal's virtual channels: unicast on VC 1, multicast on VC 4, so they
 * never share a channel with the dispatcher's (NOC_CTRL bits: device-facts 4.2). */
#define TTM_NOC_UNICAST (BH_NOC_CMD_VC_STATIC | BH_NOC_CMD_STATIC_VC(1))
/* Multicasts reserve their path, as TT-Metal's always do (multicast_path_reserve): two
 * broadcasts crossing each other without it can deadlock the mesh, and Tenstorrent's
 * simulator refuses a multicast without it ("multicast must use path reserve"). */
#define TTM_NOC_MCAST                                                                   \
    (BH_NOC_CMD_VC_STATIC | BH_NOC_CMD_STATIC_VC(4) | BH_NOC_CMD_BRCST_PACKET |        \
     BH_NOC_CMD_PATH_RESERVE)

/* Atomic increment over all 32 bits (device-facts 4.7: opcode 1 in [15:12], IntWidth 31
 * in [6:2]; the word within the 16-byte line goes in [1:0]). */
#define TTM_NOC_AT_INCR_FULL (BH_NOC_AT_INS_INCR_GET << 12 | 31u << 2)

/* ---- 64-bit NoC addresses (device-facts 4.3) ----
 * local address [35:0], x [41:36], y [47:42]; a multicast address adds the start corner
 * in x [53:48], y [59:54] (the end corner takes the unicast place); bit 60 selects host
 * memory behind the PCIe tile. Coordinates are translated ones; TTM_NOC_XY (abi.h) packs
 * them as bits 47:36 hold them. */

static inline uint64_t ttm_noc_addr(uint32_t x, uint32_t y, uint64_t local)
{
    return (uint64_t)TTM_NOC_XY(x & 0x3F, y & 0x3F) << BH_NOC_ADDR_LOCAL_BITS |
           (local & ((1ull << BH_NOC_ADDR_LOCAL_BITS) - 1));
}

/* The rectangle with corners (x0, y0) and (x1, y1), given in either order. Each NoC wants
 * its own order: NOC0 travels towards higher coordinates and needs start <= end, NOC1
 * (mirrored, device-facts 1.4) needs start >= end; the wrong order would mean a span
 * that wraps round the torus (device-facts 4.3). */
static inline uint64_t ttm_noc_mcast_addr(uint32_t noc, uint32_t x0, uint32_t y0, uint32_t x1,
                                          uint32_t y1, uint64_t local)
{
    uint32_t xlo = x0 < x1 ? x0 : x1, xhi = x0 < x1 ? x1 : x0;
    uint32_t ylo = y0 < y1 ? y0 : y1, yhi = y0 < y1 ? y1 : y0;
    uint32_t start = noc ? TTM_NOC_XY(xhi, yhi) : TTM_NOC_XY(xlo, ylo);
    uint32_t end = noc ? TTM_NOC_XY(xlo, ylo) : TTM_NOC_XY(xhi, yhi);
    return ttm_noc_addr(end & 0x3F, end >> 6, local) |
           (uint64_t)start << (BH_NOC_ADDR_LOCAL_BITS + 12);
}

/* ---- NIU access ---- */
static inline volatile uint32_t *ttm_noc_reg(uint32_t noc, uint32_t buf, uint32_t off)
{
    return (volatile uint32_t *)(uintptr_t)(BH_NIU_BASE(noc) + buf * BH_NIU_CMDBUF_STRIDE +
                                            off);
}

static inline uint32_t ttm_noc_counter(uint32_t noc, uint32_t idx)
{
    return *ttm_noc_reg(noc, 0, BH_NOC_STATUS(idx));
}

/* This tile's translated coordinates, packed as TTM_NOC_XY. */
static inline uint32_t ttm_noc_my_xy(uint32_t noc)
{
    return *ttm_noc_reg(noc, 0, BH_NOC_ID_LOGICAL) & 0xFFFu;
}

/* Orders ordinary memory accesses around the NIU's: stores into L1 that a request is
 * about to send must be issued before it fires, and a poll of an L1 word must not be
 * served from the non-coherent L0 data cache, which any fence flushes (device-facts 2.1). */
static inline void ttm_fence(void)
{
    __asm__ volatile("fence" ::: "memory");
}

/* A counter target reached, compared wrapping. Reached rather than equal: whatever else
 * uses the NIU (firmware, the tile's other data-movement core) moves its counters too. */
static inline int ttm_noc_reached(uint32_t noc, uint32_t idx, uint32_t want)
{
    return (int32_t)(ttm_noc_counter(noc, idx) - want) >= 0;
}

/* Wait for a counter, then fence: L0 data-cache lines of memory the NoC just wrote may
 * predate the write (device-facts 2.1). */
static inline void ttm_noc_wait_counter(uint32_t noc, uint32_t idx, uint32_t want)
{
    while (!ttm_noc_reached(noc, idx, want))
        ;
    ttm_fence();
}

/* A command buffer may be reprogrammed only when NOC_CMD_CTRL reads 0 (device-facts 4.4). */
static inline void ttm_noc_wait_ready(uint32_t noc, uint32_t buf)
{
    while (*ttm_noc_reg(noc, buf, BH_NOC_CMD_CTRL))
        ;
}

/* Load an address triple (LO, MID, HI/coordinates) from a NoC address: MID carries
 * address bits 35:32 and, in bit 28, the PCIe bit 60 (device-facts 1.8, 4.3). */
static inline void ttm_noc_set_addr(uint32_t noc, uint32_t buf, uint32_t lo_reg, uint64_t addr)
{
    *ttm_noc_reg(noc, buf, lo_reg) = (uint32_t)addr;
    *ttm_noc_reg(noc, buf, lo_reg + 4) = (uint32_t)(addr >> 32) & BH_NOC_MID_MASK;
    *ttm_noc_reg(noc, buf, lo_reg + 8) = (uint32_t)(addr >> BH_NOC_ADDR_LOCAL_BITS) & 0xFFFFFFu;
}

/* A NoC address of this tile's L1. */
static inline uint64_t ttm_noc_self_addr(uint32_t noc, uint32_t l1_addr)
{
    uint32_t xy = ttm_noc_my_xy(noc);
    return ttm_noc_addr(xy & 0x3F, xy >> 6, l1_addr);
}

static inline void ttm_noc_fire(uint32_t noc, uint32_t buf, uint32_t ctrl, uint32_t len_be)
{
    *ttm_noc_reg(noc, buf, BH_NOC_CTRL) = ctrl;
    *ttm_noc_reg(noc, buf, BH_NOC_AT_LEN_BE) = len_be;
    *ttm_noc_reg(noc, buf, BH_NOC_CMD_CTRL) = 1;
}

/* ---- Requests. Each waits for its buffer, so callers never have to. ---- */

/* Read `size` bytes at NoC address `src` into this tile's L1 at `dst`, in requests of at
 * most 16 KiB. src and dst must agree mod 16 (mod 64 from DRAM; device-facts 1.7). */
static inline uint32_t ttm_noc_read(uint32_t noc, uint32_t buf, uint64_t src, uint32_t dst,
                                    uint32_t size)
{
    uint32_t n = 0;
    while (size) {
        uint32_t len = size < BH_NOC_MAX_BURST ? size : BH_NOC_MAX_BURST;
        ttm_noc_wait_ready(noc, buf);
        ttm_noc_set_addr(noc, buf, BH_NOC_TARG_ADDR_LO, src);
        ttm_noc_set_addr(noc, buf, BH_NOC_RET_ADDR_LO, ttm_noc_self_addr(noc, dst));
        ttm_noc_fire(noc, buf, BH_NOC_CMD_RD | BH_NOC_CMD_RESP_MARKED | TTM_NOC_UNICAST, len);
        src += len, dst += len, size -= len, n++;
    }
    return n;
}

/* Write `size` bytes of this tile's L1 at `src` to NoC address `dst` (unicast, or a
 * multicast address when ctrl has BH_NOC_CMD_BRCST_PACKET), in requests of at most 16 KiB.
 * ctrl is BH_NOC_CMD_WR plus flags; src and dst must agree mod 16. */
static inline uint32_t ttm_noc_write(uint32_t noc, uint32_t buf, uint32_t src, uint64_t dst,
                                     uint32_t size, uint32_t ctrl)
{
    uint32_t n = 0;
    ttm_fence(); /* the data the core stored must reach L1 before the NIU reads it */
    while (size) {
        uint32_t len = size < BH_NOC_MAX_BURST ? size : BH_NOC_MAX_BURST;
        ttm_noc_wait_ready(noc, buf);
        ttm_noc_set_addr(noc, buf, BH_NOC_TARG_ADDR_LO, ttm_noc_self_addr(noc, src));
        ttm_noc_set_addr(noc, buf, BH_NOC_RET_ADDR_LO, dst);
        *ttm_noc_reg(noc, buf, BH_NOC_BRCST_EXCLUDE) = 0; /* plain rectangles only */
        ttm_noc_fire(noc, buf, ctrl, len);
        src += len, dst += len, size -= len, n++;
    }
    return n;
}

/* Writes that share all but their source and destination tile, sent from one command
 * buffer programmed once (TT-Metal's "with state" requests): the registers a request
 * leaves behind stay as they were (device-facts 4.4), so each write then stores only
 * what changes. ttm_noc_write_state sets the buffer up for `len`-byte writes (at most one
 * burst) to local address `dst` of each tile; ttm_noc_write_to then sends the bytes at
 * `src` to tile `xy` (TTM_NOC_XY, or a multicast's corners packed as the address's bits
 * 59:36 are) and returns the requests issued. Nothing else may use the buffer meanwhile. */
static inline void ttm_noc_write_state(uint32_t noc, uint32_t buf, uint64_t dst, uint32_t len,
                                       uint32_t ctrl)
{
    uint32_t me = ttm_noc_my_xy(noc);
    ttm_fence();
    ttm_noc_wait_ready(noc, buf);
    *ttm_noc_reg(noc, buf, BH_NOC_TARG_ADDR_MID) = 0;
    *ttm_noc_reg(noc, buf, BH_NOC_TARG_ADDR_HI) = me;
    ttm_noc_set_addr(noc, buf, BH_NOC_RET_ADDR_LO, dst);
    *ttm_noc_reg(noc, buf, BH_NOC_BRCST_EXCLUDE) = 0;
    *ttm_noc_reg(noc, buf, BH_NOC_CTRL) = ctrl;
    *ttm_noc_reg(noc, buf, BH_NOC_AT_LEN_BE) = len;
}

static inline uint32_t ttm_noc_write_to(uint32_t noc, uint32_t buf, uint32_t src, uint32_t xy)
{
    ttm_noc_wait_ready(noc, buf);
    *ttm_noc_reg(noc, buf, BH_NOC_TARG_ADDR_LO) = src;
    *ttm_noc_reg(noc, buf, BH_NOC_RET_ADDR_HI) = xy;
    *ttm_noc_reg(noc, buf, BH_NOC_CMD_CTRL) = 1;
    return 1;
}

/* Non-posted atomic add of `incr` to the 32-bit word at `dst` (Tensix L1); the old value
 * lands in this tile's L1 at `ret`. Atomics are always non-posted on Blackhole: posted
 * ones can hang (device-facts 4.8). */
static inline void ttm_noc_atomic_inc(uint32_t noc, uint32_t buf, uint64_t dst, uint32_t incr,
                                      uint32_t ret)
{
    ttm_noc_wait_ready(noc, buf);
    ttm_noc_set_addr(noc, buf, BH_NOC_TARG_ADDR_LO, dst);
    ttm_noc_set_addr(noc, buf, BH_NOC_RET_ADDR_LO, ttm_noc_self_addr(noc, ret));
    *ttm_noc_reg(noc, buf, BH_NOC_AT_DATA) = incr;
    ttm_noc_fire(noc, buf, BH_NOC_CMD_AT | BH_NOC_CMD_RESP_MARKED | TTM_NOC_UNICAST,
                 TTM_NOC_AT_INCR_FULL | ((uint32_t)dst >> 2 & 3));
}

/* Non-posted write of one 32-bit word carried in the request itself. Blackhole cannot do
 * this safely to L1 (device-facts 4.8): `dst` must be a register (>= 0xFF000000 or
 * another tile's NIU / stream registers). A register target takes the whole word whatever
 * the byte enables say (ttsim tile.cpp: "noc_at_len_be is ignored for inline MMIO
 * writes"), so only the low half of the 64-bit enable mask, NOC_AT_LEN_BE, is written, as
 * TT-Metal's noc_fast_write_dw_inline does; NOC_AT_LEN_BE_1 is left alone (Tenstorrent's
 * simulator does not implement it and stops on a write to it). The return address names
 * this tile, as for an atomic: TT-Metal issues inline writes from a command buffer whose
 * RET registers hold the tile's own coordinates, and ttsim refuses any other. */
static inline void ttm_noc_inline_write(uint32_t noc, uint32_t buf, uint64_t dst, uint32_t val)
{
    uint32_t be = 0xFu << ((uint32_t)dst & 0x1C);
    ttm_noc_wait_ready(noc, buf);
    ttm_noc_set_addr(noc, buf, BH_NOC_TARG_ADDR_LO, dst);
    ttm_noc_set_addr(noc, buf, BH_NOC_RET_ADDR_LO, ttm_noc_self_addr(noc, 0));
    *ttm_noc_reg(noc, buf, BH_NOC_AT_DATA) = val;
    ttm_noc_fire(noc, buf,
                 BH_NOC_CMD_WR | BH_NOC_CMD_WR_INLINE | BH_NOC_CMD_RESP_MARKED |
                     TTM_NOC_UNICAST,
                 be);
}

#endif
