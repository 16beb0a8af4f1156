/* The state of a circular buffer as every core of the tile sees it (device-facts 3.4),
 * shared by the data-movement API (cb.h) and the compute API (compute.h).
 *
 * A CB is a ring of num_pages pages in this tile's L1 with one producer and one consumer,
 * which may be different cores of the tile. Each keeps its own running count in its
 * kernel context (struct ttm_cb_state) and publishes it in one overlay stream register
 * of the tile (TTM_CB_STREAM(cb)): the producer writes pages pushed to
 * TTM_CB_PUSHED_REG, the consumer pages popped to TTM_CB_POPPED_REG. Counts are 16-bit
 * and compared wrapping, so they may run on for ever.
 */
#ifndef TTM_KERNEL_CB_RING_H
#define TTM_KERNEL_CB_RING_H

#include <stdint.h>

#include "abi.h"
#include "args.h"

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

static inline int cb_pages_reservable_at_back(uint32_t cb, uint32_t n)
{
    const struct ttm_cb_state *s = ttm_cb(cb);
    uint16_t used = (uint16_t)(s->pushed - ttm_cb_count(cb, TTM_CB_POPPED_REG));
    return (uint32_t)used + n <= s->num_pages;
}

static inline int cb_pages_available_at_front(uint32_t cb, uint32_t n)
{
    const struct ttm_cb_state *s = ttm_cb(cb);
    return (uint16_t)(ttm_cb_count(cb, TTM_CB_PUSHED_REG) - s->popped) >= n;
}

#endif
