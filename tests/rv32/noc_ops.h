/* Host side of noc_script (noc_script.c): building the list of NoC requests and waits a
 * tile runs. Used by the emulator's NoC tests and the randomized differential test. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "noc_abi.h"

#define NOC_XY(x, y) ((uint32_t)(x) | (uint32_t)(y) << 6)
#define NOC_RECT(sx, sy, ex, ey) (NOC_XY(ex, ey) | NOC_XY(sx, sy) << 12)

struct script {
    uint32_t n;
    bool overflow;
    uint32_t op[NOC_MAX_OPS][NOC_OP_WORDS];
};

static inline uint32_t *op_new(struct script *s, uint32_t kind, unsigned noc, unsigned cb)
{
    static uint32_t spill[NOC_OP_WORDS];
    if (s->n == NOC_MAX_OPS) {
        s->overflow = true;
        return spill;
    }
    uint32_t *w = s->op[s->n++];
    memset(w, 0, sizeof s->op[0]);
    w[NOC_OPW_KIND] = kind;
    w[NOC_OPW_NOC] = noc;
    w[NOC_OPW_CB] = cb;
    return w;
}

static inline void op_remote(uint32_t *w, uint32_t xy, uint64_t raddr)
{
    w[NOC_OPW_XY] = xy;
    w[NOC_OPW_RADDR_LO] = (uint32_t)raddr;
    w[NOC_OPW_RADDR_HI] = (uint32_t)(raddr >> 32);
}

static inline void op_read(struct script *s, unsigned noc, unsigned cb, uint32_t xy, uint64_t raddr,
                    uint32_t laddr, uint32_t len)
{
    uint32_t *w = op_new(s, NOC_OP_READ, noc, cb);
    op_remote(w, xy, raddr);
    w[NOC_OPW_LADDR] = laddr;
    w[NOC_OPW_LEN] = len;
}

/* A write (xy one tile) or a multicast (xy a NOC_RECT) of len bytes of L1 at laddr. */
static inline void op_send(struct script *s, uint32_t kind, unsigned noc, unsigned cb,
                           uint32_t laddr, uint32_t xy, uint64_t raddr, uint32_t len,
                           uint32_t flags)
{
    uint32_t *w = op_new(s, kind, noc, cb);
    op_remote(w, xy, raddr);
    w[NOC_OPW_LADDR] = laddr;
    w[NOC_OPW_LEN] = len;
    w[NOC_OPW_FLAGS] = flags;
}

static inline void op_write(struct script *s, unsigned noc, unsigned cb, uint32_t laddr, uint32_t xy,
                     uint64_t raddr, uint32_t len, uint32_t flags)
{
    op_send(s, NOC_OP_WRITE, noc, cb, laddr, xy, raddr, len, flags);
}

static inline void op_mcast(struct script *s, unsigned noc, unsigned cb, uint32_t laddr, uint32_t rect,
                     uint32_t raddr, uint32_t len, uint32_t flags)
{
    op_send(s, NOC_OP_MCAST, noc, cb, laddr, rect, raddr, len, flags);
}

static inline void op_atomic(struct script *s, unsigned noc, unsigned cb, uint32_t xy, uint32_t raddr,
                      uint32_t incr, uint32_t width, uint32_t ret, uint32_t flags)
{
    uint32_t *w = op_new(s, NOC_OP_ATOMIC, noc, cb);
    op_remote(w, xy, raddr);
    w[NOC_OPW_DATA] = incr;
    w[NOC_OPW_ARG] = width;
    w[NOC_OPW_LADDR] = ret;
    w[NOC_OPW_FLAGS] = flags;
}

static inline void op_inline(struct script *s, unsigned noc, unsigned cb, uint32_t xy, uint64_t raddr,
                      uint32_t data, uint32_t flags)
{
    uint32_t *w = op_new(s, NOC_OP_INLINE, noc, cb);
    op_remote(w, xy, raddr);
    w[NOC_OPW_DATA] = data;
    w[NOC_OPW_FLAGS] = flags;
}

static inline void op_wait_counter(struct script *s, unsigned noc, uint32_t idx, uint32_t want)
{
    uint32_t *w = op_new(s, NOC_OP_WAIT_COUNTER, noc, 0);
    w[NOC_OPW_ARG] = idx;
    w[NOC_OPW_DATA] = want;
}

static inline void op_wait_since(struct script *s, unsigned noc, uint32_t idx, uint32_t advance)
{
    uint32_t *w = op_new(s, NOC_OP_WAIT_SINCE, noc, 0);
    w[NOC_OPW_ARG] = idx;
    w[NOC_OPW_DATA] = advance;
}

static inline void op_snap(struct script *s, unsigned noc, uint32_t laddr)
{
    uint32_t *w = op_new(s, NOC_OP_SNAP, noc, 0);
    w[NOC_OPW_LADDR] = laddr;
}

/* regs: TARG_LO, TARG_MID, TARG_HI, RET_LO, RET_MID, RET_HI, CTRL, AT_LEN_BE, AT_DATA. */
static inline void op_raw(struct script *s, unsigned noc, unsigned cb, const uint32_t regs[9])
{
    uint32_t *w = op_new(s, NOC_OP_RAW, noc, cb);
    memcpy(&w[NOC_OPW_RAW], regs, 9 * sizeof *regs);
}

