/* Increments one counter in another tile's L1 by NoC atomics, many times, and keeps every
 * old value the NIU returns (noc_abi.h, NOC_AT_*). Non-posted, as tt-metal forces on
 * Blackhole; each increment waits for its response before the next. An optional
 * pseudo-random pause between increments varies how tiles interleave. */
#include <stdint.h>

#include "noc_abi.h"
#include "noc_lib.h"

int main(void)
{
    const volatile uint32_t *p = l1_word(NOC_PARAM);
    uint32_t xy = p[NOC_AT_P_XY], addr = p[NOC_AT_P_ADDR], iters = p[NOC_AT_P_ITERS];
    unsigned noc = p[NOC_AT_P_NOC] & 1, cb = p[NOC_AT_P_CB] & 3;
    uint32_t seed = p[NOC_AT_P_SEED];
    uint32_t base = noc_counter(noc, BH_NIU_MST_ATOMIC_RESP_RECEIVED), errors = 0, prev = 0;

    for (uint32_t i = 0; i < iters; i++) {
        noc_atomic_inc(noc, cb, xy, addr, 1, 31, NOC_AT_RET, BH_NOC_CMD_RESP_MARKED);
        noc_wait_atomics(noc, base + i + 1);
        uint32_t old = *l1_word(NOC_AT_RET);
        l1_word(NOC_AT_RECORD)[i] = old;
        if (i && old <= prev)
            errors++;
        prev = old;
        if (seed) {
            seed = seed * 1103515245u + 12345u;
            spin_cycles(seed >> 24);
        }
    }
    *l1_word(NOC_AT_R_RESP) = noc_counter(noc, BH_NIU_MST_ATOMIC_RESP_RECEIVED);
    *l1_word(NOC_AT_R_ERRORS) = errors;
    return 0;
}
