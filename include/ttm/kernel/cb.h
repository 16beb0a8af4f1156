/* Circular buffers from a data-movement kernel (device-facts 3.4; the ring itself is
 * cb_ring.h). */
#ifndef TTM_KERNEL_CB_H
#define TTM_KERNEL_CB_H

#include <stdint.h>

#include "cb_ring.h"
#include "noc.h"

/* ---- Producer ---- */
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
