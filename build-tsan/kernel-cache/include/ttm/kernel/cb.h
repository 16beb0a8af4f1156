/* Circular buffers from a data-movement kernel (device-facts 3.4).
 *
 * A CB is a ring of num_pages pages in this tile's L1 with one producer and one consumer,
 * which may be different cores of the tile. Each keeps its own running count in its
 * kernel context (struct ttm_cb_state) and publishes it in one overlay stream register
 * of the tile (TTM_CB_STREAM(cb)): the producer writes pages pushed to
 * TTM_CB_PUSHED_REG, the consumer pages popped to TTM_CB_POPPED_REG. Counts are 16-bit
 * and compared wrapping, so they may run on for ever.
 */
#ifndef TTM_KERNEL_CB_H
#define TTM_KERNEL_CB_H

#include <stdint.h>

#include "abi.h"
#include "args.h"
#include "noc.h"

static inline struct ttm_cb_state *ttm_cb(uint32_t cb)
{
    return &ttm_kctx()->cb[cb];
}

static inline volatile uint32_t *ttm_cb_reg(uint32_t cb, uint32_t reg)
{
    return (volatile uint32_t *)(uintptr_t)BH_STREAM_REG(TTM_CB_STREAM(cb), reg);
}

/* Whole-word register loads: the core faults on narrower MMIO loads. */
static inline uint16_t ttm_cb_count(uint32_t cb, uint32_t reg)
{
    uint32_t v = *ttm_cb_reg(cb, reg);
    return (uint16_t)v;
}

/* Pointer advance by n pages, back to the start at the end of the ring. */
static inline uint32_t ttm_cb_advance(const struct ttm_cb_state *s, uint32_t ptr, uint32_t n)
{
    ptr += n * s->page_size;
    return ptr >= s->fifo_limit ? ptr - s->fifo_size : ptr;
}

/* ---- Producer ---- */
static inline int cb_pages_reservable_at_back(uint32_t cb, uint32_t n)
{
    const struct ttm_cb_state *s = ttm_cb(cb);
    uint16_t used = (uint16_t)(s->pushed - ttm_cb_count(cb, TTM_CB_POPPED_REG));
    return (uint32_t)used + n <= s->num_pages;
}

static inline void cb_reserve_back(uint32_t cb, uint32_t n)
{
    while (!cb_pages_reservable_at_back(cb, n))
        ;
}

/* Publish n pages. The fence orders the core's stores of the page data before the
 * count the consumer polls. */
static inline void cb_push_back(uint32_t cb, uint32_t n)
{
    struct ttm_cb_state *s = ttm_cb(cb);
    s->pushed = (uint16_t)(s->pushed + n);
    s->wr_ptr = ttm_cb_advance(s, s->wr_ptr, n);
    ttm_fence();
    *ttm_cb_reg(cb, TTM_CB_PUSHED_REG) = s->pushed;
}

static inline uint32_t get_write_ptr(uint32_t cb)
{
    return ttm_cb(cb)->wr_ptr;
}

/* ---- Consumer ---- */
static inline int cb_pages_available_at_front(uint32_t cb, uint32_t n)
{
    const struct ttm_cb_state *s = ttm_cb(cb);
    return (uint16_t)(ttm_cb_count(cb, TTM_CB_PUSHED_REG) - s->popped) >= n;
}

/* Wait for n pages, then fence so no L0 data-cache line older than the producer's data
 * is read (device-facts 2.1). */
static inline void cb_wait_front(uint32_t cb, uint32_t n)
{
    while (!cb_pages_available_at_front(cb, n))
        ;
    ttm_fence();
}

static inline void cb_pop_front(uint32_t cb, uint32_t n)
{
    struct ttm_cb_state *s = ttm_cb(cb);
    s->popped = (uint16_t)(s->popped + n);
    s->rd_ptr = ttm_cb_advance(s, s->rd_ptr, n);
    ttm_fence(); /* reads of the pages finish before the producer may overwrite them */
    *ttm_cb_reg(cb, TTM_CB_POPPED_REG) = s->popped;
}

static inline uint32_t get_read_ptr(uint32_t cb)
{
    return ttm_cb(cb)->rd_ptr;
}

#endif
