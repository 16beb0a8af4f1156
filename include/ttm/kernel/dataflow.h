/* The data-movement kernel API: the one header a BRISC / NCRISC kernel includes.
 *
 *   #include <ttm/kernel/dataflow.h>
 *   void kernel_main(void) { ... }
 *
 * Names follow TT-Metal's dataflow API where they fit C. Requests go out on the kernel's
 * NoC (struct ttm_kctx noc) through its own command buffers (cmd_rd for reads, cmd_wr for
 * everything else) and are counted in the kernel context's shadows, which the firmware
 * seeded from the NIU counters; a barrier waits until the NIU's counter reaches the
 * shadow (device-facts 4.5). Writes are non-posted, so write barriers can count acks.
 * Coordinates are translated NoC coordinates, as my_x() / my_y() return them and the
 * host's ttm_core_noc_xy() gives them for any core.
 *
 * Alignment: a transfer between L1 and DRAM needs both addresses TTM_DRAM_ALIGN (64-byte)
 * aligned, L1 to L1 TTM_L1_ALIGN (16). Buffers and circular buffers start 64-byte aligned.
 */
#ifndef TTM_KERNEL_DATAFLOW_H
#define TTM_KERNEL_DATAFLOW_H

#include <stddef.h>
#include <stdint.h>

#include "abi.h"
#include "args.h"
#include "cb.h"
#include "interleaved.h"
#include "kernel.h"
#include "print.h"
#include "noc.h"


/* TT-Metal marks L1 pointers with this; here every pointer is an L1 pointer. */
#define tt_l1_ptr

/* ---- Addresses ---- */
static inline uint64_t get_noc_addr(uint32_t x, uint32_t y, uint64_t addr)
{
    return ttm_noc_addr(x, y, addr);
}

/* This tile's own L1 as seen from the NoC. */
static inline uint64_t get_noc_addr_local(uint32_t l1_addr)
{
    return ttm_noc_addr(my_x(), my_y(), l1_addr);
}

/* The rectangle between two corners, in either order, encoded for the kernel's NoC. */
static inline uint64_t get_noc_multicast_addr(uint32_t x_start, uint32_t y_start, uint32_t x_end,
                                              uint32_t y_end, uint64_t addr)
{
    return ttm_noc_mcast_addr(my_noc(), x_start, y_start, x_end, y_end, addr);
}

/* ---- Transfers (any size: split into 16 KiB requests) ----
 * Source and destination addresses must agree mod 16 (mod 64 when reading DRAM). */
static inline void noc_async_read(uint64_t src_noc_addr, uint32_t dst_l1, uint32_t size)
{
    struct ttm_kctx *k = ttm_kctx();
    k->reads_issued += ttm_noc_read(k->noc, k->cmd_rd, src_noc_addr, dst_l1, size);
}

static inline void ttm_async_write(uint32_t src_l1, uint64_t dst, uint32_t size, uint32_t ctrl,
                                   uint32_t acks_per_request)
{
    struct ttm_kctx *k = ttm_kctx();
    uint32_t n = ttm_noc_write(k->noc, k->cmd_wr, src_l1, dst, size,
                               BH_NOC_CMD_WR | BH_NOC_CMD_RESP_MARKED | ctrl);
    k->nonposted_issued += n;
    k->acks_expected += n * acks_per_request;
}

static inline void noc_async_write(uint32_t src_l1, uint64_t dst_noc_addr, uint32_t size)
{
    ttm_async_write(src_l1, dst_noc_addr, size, TTM_NOC_UNICAST, 1);
}

/* To every Tensix core of the rectangle (get_noc_multicast_addr) except this one;
 * num_dests is how many that is: each acknowledges. */
static inline void noc_async_write_multicast(uint32_t src_l1, uint64_t mcast_addr, uint32_t size,
                                             uint32_t num_dests)
{
    ttm_async_write(src_l1, mcast_addr, size, TTM_NOC_MCAST, num_dests);
}

/* The same, including this core when it lies in the rectangle (counted in num_dests). */
static inline void noc_async_write_multicast_loopback_src(uint32_t src_l1, uint64_t mcast_addr,
                                                          uint32_t size, uint32_t num_dests)
{
    ttm_async_write(src_l1, mcast_addr, size, TTM_NOC_MCAST | BH_NOC_CMD_BRCST_SRC_INCLUDE,
                    num_dests);
}

/* One 32-bit word carried in the request. Registers only (another tile's stream or NIU
 * registers): Blackhole cannot write inline to L1 safely (device-facts 4.8). */
static inline void noc_inline_dw_write(uint64_t noc_addr, uint32_t value)
{
    struct ttm_kctx *k = ttm_kctx();
    ttm_noc_inline_write(k->noc, k->cmd_wr, noc_addr, value);
    k->nonposted_issued++;
    k->acks_expected++;
}

/* ---- Barriers ---- */
static inline void noc_async_read_barrier(void)      /* reads have landed in L1 */
{
    ttm_noc_wait_counter(my_noc(), BH_NIU_MST_RD_RESP_RECEIVED, ttm_kctx()->reads_issued);
}

static inline void noc_async_write_barrier(void)     /* writes have been acknowledged */
{
    ttm_noc_wait_counter(my_noc(), BH_NIU_MST_WR_ACK_RECEIVED, ttm_kctx()->acks_expected);
}

static inline void noc_async_writes_flushed(void)    /* source buffers may be reused */
{
    ttm_noc_wait_counter(my_noc(), BH_NIU_MST_NONPOSTED_WR_REQ_SENT, ttm_kctx()->nonposted_issued);
}

static inline void noc_async_atomic_barrier(void)    /* atomics have been answered */
{
    ttm_noc_wait_counter(my_noc(), BH_NIU_MST_ATOMIC_RESP_RECEIVED, ttm_kctx()->atomics_expected);
}

static inline void noc_async_full_barrier(void)
{
    noc_async_read_barrier();
    noc_async_write_barrier();
    noc_async_atomic_barrier();
}

/* ---- Semaphores: 32-bit words in L1, 16 bytes apart (device-facts 3.3) ----
 * Made by the host's ttm_semaphore_create(), which returns the id and sets the initial
 * value at each launch; the address is the same on every core of the launch, so another
 * core's semaphore is get_noc_addr(x, y, get_semaphore(id)). In a program with
 * semaphores, an id not created on this core reads 0; in a program without any, the
 * words are not written and hold whatever a launch before left there. */
static inline uint32_t get_semaphore(uint32_t id)
{
    return ttm_kctx()->sem_base + TTM_L1_ALIGN * id;
}

/* Atomically add incr to the semaphore at noc_addr (on any worker). */
static inline void noc_semaphore_inc(uint64_t noc_addr, uint32_t incr)
{
    struct ttm_kctx *k = ttm_kctx();
    ttm_noc_atomic_inc(k->noc, k->cmd_wr, noc_addr, incr, TTM_L1_NOC_SCRATCH);
    k->atomics_expected++;
}

/* Polls fence first: the word changes under the core by NoC writes, which the L0 data
 * cache does not see (device-facts 2.1). */
static inline void noc_semaphore_wait(volatile uint32_t *sem, uint32_t value)
{
    do
        ttm_fence();
    while (*sem != value);
}

static inline void noc_semaphore_wait_min(volatile uint32_t *sem, uint32_t value)
{
    do
        ttm_fence();
    while (*sem < value);
}

static inline void noc_semaphore_set(volatile uint32_t *sem, uint32_t value)
{
    *sem = value;
}

/* Copy this core's semaphore word at src_l1 to a remote one (same address mod 16). */
static inline void noc_semaphore_set_remote(uint32_t src_l1, uint64_t dst_noc_addr)
{
    noc_async_write(src_l1, dst_noc_addr, 4);
}

static inline void noc_semaphore_set_multicast(uint32_t src_l1, uint64_t mcast_addr,
                                               uint32_t num_dests)
{
    noc_async_write_multicast(src_l1, mcast_addr, 4, num_dests);
}

#ifdef __cplusplus
/* ---- TT-Metal's C++ forms ---- */
inline uint64_t get_noc_addr(uint32_t l1_addr)
{
    return get_noc_addr_local(l1_addr);
}

template <bool DRAM>
inline void noc_async_read_page(uint32_t page, const InterleavedAddrGen<DRAM> &g, uint32_t dst_l1,
                                uint32_t offset = 0)
{
    noc_async_read(g.get_noc_addr(page, offset), dst_l1, g.page_size);
}

template <bool DRAM>
inline void noc_async_write_page(uint32_t page, const InterleavedAddrGen<DRAM> &g, uint32_t src_l1,
                                 uint32_t size, uint32_t offset = 0)
{
    noc_async_write(src_l1, g.get_noc_addr(page, offset), size);
}

template <bool DRAM>
inline void noc_async_read_tile(uint32_t page, const InterleavedAddrGen<DRAM> &g, uint32_t dst_l1)
{
    noc_async_read(g.get_noc_addr(page), dst_l1, g.page_size);
}

template <bool DRAM>
inline void noc_async_write_tile(uint32_t page, const InterleavedAddrGen<DRAM> &g, uint32_t src_l1)
{
    noc_async_write(src_l1, g.get_noc_addr(page), g.page_size);
}
#endif

#endif
