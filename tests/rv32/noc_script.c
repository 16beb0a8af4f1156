/* Runs the list of NoC requests and waits the host left at NOC_OPS (noc_abi.h), then
 * records both NIUs' counters and identity registers. Each fire records its PC, so a NoC
 * fault can be matched to the request that caused it. */
#include <stdint.h>

#include "noc_abi.h"
#define NOC_FIRE_PC_SLOT NOC_RES_FIRE_PC
#include "noc_lib.h"

static uint32_t start[2][NOC_COUNTERS]; /* modelled counters when the script began */

static void run_op(const volatile uint32_t *op)
{
    unsigned noc = op[NOC_OPW_NOC] & 1, cb = op[NOC_OPW_CB] & 3;
    uint32_t flags = op[NOC_OPW_FLAGS], xy = op[NOC_OPW_XY];
    uint64_t raddr = op[NOC_OPW_RADDR_LO] | (uint64_t)op[NOC_OPW_RADDR_HI] << 32;
    uint32_t laddr = op[NOC_OPW_LADDR], len = op[NOC_OPW_LEN], data = op[NOC_OPW_DATA];
    uint32_t arg = op[NOC_OPW_ARG];

    switch (op[NOC_OPW_KIND]) {
    case NOC_OP_READ: noc_read(noc, cb, xy, raddr, laddr, len); break;
    case NOC_OP_WRITE: noc_write(noc, cb, laddr, xy, raddr, len, flags); break;
    case NOC_OP_MCAST: noc_mcast_write(noc, cb, laddr, xy, raddr, len, flags); break;
    case NOC_OP_ATOMIC:
        noc_atomic_inc(noc, cb, xy, (uint32_t)raddr, data, arg, laddr, flags);
        break;
    case NOC_OP_INLINE: noc_inline_write(noc, cb, xy, raddr, data, flags); break;
    case NOC_OP_WAIT_EQ: wait_word_eq(laddr, data); break;
    case NOC_OP_STORE: *l1_word(laddr) = data; break;
    case NOC_OP_WAIT_COUNTER: noc_wait_counter(noc, arg, data); break;
    case NOC_OP_WAIT_SINCE:
        if (arg < NOC_COUNTERS)
            noc_wait_counter(noc, arg, start[noc][arg] + data);
        break;
    case NOC_OP_SNAP:
        for (unsigned i = 0; i < NOC_COUNTERS; i++)
            if (NOC_MODELLED_COUNTERS >> i & 1)
                l1_word(laddr)[i] = noc_counter(noc, i);
        break;
    case NOC_OP_RAW: {
        static const uint32_t regs[9] = {
            BH_NOC_TARG_ADDR_LO, BH_NOC_TARG_ADDR_MID, BH_NOC_TARG_ADDR_HI,
            BH_NOC_RET_ADDR_LO,  BH_NOC_RET_ADDR_MID,  BH_NOC_RET_ADDR_HI,
            BH_NOC_CTRL,         BH_NOC_AT_LEN_BE,     BH_NOC_AT_DATA,
        };
        noc_wait_ready(noc, cb);
        for (unsigned i = 0; i < 9; i++)
            *noc_reg(noc, cb, regs[i]) = op[NOC_OPW_RAW + i];
        noc_fire(noc, cb);
        break;
    }
    }
}

int main(void)
{
    for (unsigned noc = 0; noc < 2; noc++)
        for (unsigned i = 0; i < NOC_COUNTERS; i++)
            if (NOC_MODELLED_COUNTERS >> i & 1)
                start[noc][i] = noc_counter(noc, i);
    uint32_t n = *l1_word(NOC_PARAM);
    if (n > NOC_MAX_OPS)
        n = NOC_MAX_OPS;
    for (uint32_t i = 0; i < n; i++) {
        run_op(l1_word(NOC_OPS + 4 * NOC_OP_WORDS * i));
        *l1_word(NOC_RES_OPS_DONE) = i + 1;
    }
    uint32_t ctrl = 0;
    for (unsigned noc = 0; noc < 2; noc++) {
        for (unsigned i = 0; i < NOC_COUNTERS; i++)
            if (NOC_MODELLED_COUNTERS >> i & 1)
                l1_word(NOC_RES_CNT(noc))[i] = noc_counter(noc, i);
        *l1_word(NOC_RES_ID_LOGICAL(noc)) = noc_my_xy(noc);
        *l1_word(NOC_RES_NODE_ID(noc)) = *noc_reg(noc, 0, BH_NOC_NODE_ID);
        *l1_word(NOC_RES_NIU_CFG(noc)) = *noc_reg(noc, 0, BH_NIU_CFG_0);
        *l1_word(NOC_RES_OUTSTANDING(noc)) = noc_counter(noc, BH_NIU_MST_REQS_OUTSTANDING_ID0);
        for (unsigned cb = 0; cb < BH_NIU_CMDBUFS; cb++)
            ctrl |= *noc_reg(noc, cb, BH_NOC_CMD_CTRL);
    }
    *l1_word(NOC_RES_CMD_CTRL) = ctrl;
    return (int)n;
}
