/* Helpers shared by the worker firmware of the five processors. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ttm/kernel/abi.h"
#include "ttm/kernel/noc.h"

#define MAILBOX ((volatile struct ttm_mailbox *)TTM_L1_MAILBOX)
#define REG32(a) (*(volatile uint32_t *)(uintptr_t)(a))

/* Poll loops re-read L1 written by others: a fence drops the core's L0 data cache line
 * (device-facts 2.1; tt-metal's invalidate_l1_cache is a fence on Blackhole). */
static inline void fw_fence(void)
{
    __asm__ volatile("fence" ::: "memory");
}

/* Fill the kernel context of processor `proc` for launch `msg` (ttm/kernel/abi.h). */
static inline void fw_prepare_kernel(const volatile struct ttm_launch_msg *msg, unsigned proc)
{
    volatile struct ttm_kctx *k = TTM_KCTX;
    uint32_t base = msg->kernel_config_base;
    /* Only the data-movement processors have a NoC of their own. */
    bool dm = proc < sizeof msg->noc;
    unsigned noc = dm ? msg->noc[proc] & 1 : 0;
    k->config_base = base;
    k->rta = base + msg->rta_offset[proc];
    k->crta = base + msg->crta_offset[proc];
    k->sem_base = msg->sem_addr;
    k->cb_formats = base + msg->cb_format_offset;
    k->proc = (uint8_t)proc;
    k->noc = (uint8_t)noc;
    k->cmd_wr = (uint8_t)TTM_CMD_BUF_WR(proc);
    k->cmd_rd = (uint8_t)TTM_CMD_BUF_RD(proc);
    k->noc_x = MAILBOX->noc_x;
    k->noc_y = MAILBOX->noc_y;
    k->logical_x = MAILBOX->logical_x;
    k->logical_y = MAILBOX->logical_y;
    /* Barriers compare the NIU's counters with these shadows, so start them equal. */
    if (dm) {
        k->reads_issued = ttm_noc_counter(noc, BH_NIU_MST_RD_RESP_RECEIVED);
        k->nonposted_issued = ttm_noc_counter(noc, BH_NIU_MST_NONPOSTED_WR_REQ_SENT);
        k->acks_expected = ttm_noc_counter(noc, BH_NIU_MST_WR_ACK_RECEIVED);
        k->atomics_expected = ttm_noc_counter(noc, BH_NIU_MST_ATOMIC_RESP_RECEIVED);
    }
    uint32_t mask = msg->local_cb_mask;
    const volatile struct ttm_cb_config *cfg =
        (const volatile struct ttm_cb_config *)(uintptr_t)(base + msg->local_cb_offset);
    for (unsigned i = 0; mask; i++, mask >>= 1) {
        if (!(mask & 1))
            continue;
        volatile struct ttm_cb_state *cb = &k->cb[i];
        cb->fifo_base = cfg[i].fifo_addr;
        cb->fifo_size = cfg[i].fifo_size;
        cb->fifo_limit = cfg[i].fifo_addr + cfg[i].fifo_size;
        cb->page_size = cfg[i].page_size;
        cb->num_pages = cfg[i].num_pages;
        cb->rd_ptr = cb->wr_ptr = cfg[i].fifo_addr;
        cb->pushed = cb->popped = 0;
    }
}

static inline uint32_t fw_wall_clock(void)
{
    return REG32(BH_WALL_CLOCK_0);
}

/* The tile's wall clock, for an event recorded a little later (fw_trace_at). */
struct fw_time {
    uint32_t lo, hi;
};
static inline struct fw_time fw_now(void)
{
    struct fw_time t;
    t.lo = REG32(BH_WALL_CLOCK_0);
    t.hi = REG32(BH_WALL_CLOCK_1_AT);
    return t;
}

/* Record an event that happened at `t` in this processor's trace ring (ttm/kernel/abi.h,
 * device timestamps): off the critical path when the work it times comes first. */
static inline void fw_trace_at(unsigned proc, unsigned what, unsigned seq, uint32_t arg,
                               struct fw_time t)
{
    volatile struct ttm_trace_ring *r = (volatile struct ttm_trace_ring *)TTM_TRACE_RING_ADDR(proc);
    uint32_t n = r->written;
    volatile struct ttm_trace_event *e = &r->ev[n % TTM_TRACE_EVENTS];
    e->t_lo = t.lo;
    e->t_hi = t.hi;
    e->what = (uint16_t)what;
    e->seq = (uint16_t)seq;
    e->arg = arg;
    r->written = n + 1;
}

/* Record an event that happens now. */
static inline void fw_trace(unsigned proc, unsigned what, unsigned seq, uint32_t arg)
{
    fw_trace_at(proc, what, seq, arg, fw_now());
}

/* A processor's trace and print rings start empty at boot. */
static inline void fw_rings_boot(unsigned proc)
{
    volatile struct ttm_print_ring *p = (volatile struct ttm_print_ring *)TTM_PRINT_RING_ADDR(proc);
    ((volatile struct ttm_trace_ring *)TTM_TRACE_RING_ADDR(proc))->written = 0;
    p->written = 0;
    p->read = 0;
}

/* The 17-bit count an overlay stream keeps in its SPACE_AVAILABLE register. */
static inline uint32_t fw_stream_count(uint32_t stream)
{
    return REG32(BH_STREAM_REG(stream, BH_STREAM_SPACE_AVAILABLE));
}

/* Has a 17-bit wrapping count reached target? (Counts in flight stay under 2^16.) */
static inline int fw_count_reached(uint32_t count, uint32_t target)
{
    return ((count - target) & BH_STREAM_COUNTER_MASK) < 0x10000u;
}

static inline void fw_run_kernel(const volatile struct ttm_launch_msg *msg, unsigned proc)
{
    void (*entry)(void) = (void (*)(void))(uintptr_t)(msg->kernel_config_base +
                                                      msg->kernel_text_offset[proc]);
    entry();
}
