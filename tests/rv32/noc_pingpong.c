/* Two tiles hand a ball back and forth by NoC writes (noc_abi.h, NOC_PP_*): each round
 * the server writes a 64-byte ball and then the round number into the peer's L1, and waits
 * for the peer to do the same. Whoever waits spins on its own L1, which is where the
 * emulator parks it. Non-posted writes, acknowledged before the next round. */
#include <stdint.h>

#include "noc_abi.h"
#include "noc_lib.h"

static void serve(unsigned noc, uint32_t peer, uint32_t round, uint32_t role, uint32_t *acks)
{
    for (unsigned k = 0; k < NOC_PP_BALL_WORDS; k++)
        l1_word(NOC_PP_OUT + 0x40)[k] = NOC_PP_BALL_WORD(round, role, k);
    *l1_word(NOC_PP_OUT) = round;
    noc_write(noc, 0, NOC_PP_OUT + 0x40, peer, NOC_PP_BALL, 4 * NOC_PP_BALL_WORDS,
              BH_NOC_CMD_RESP_MARKED);
    noc_write(noc, 0, NOC_PP_OUT, peer, NOC_PP_FLAG, 4, BH_NOC_CMD_RESP_MARKED);
    *acks += 2;
    noc_wait_write_acks(noc, *acks);
}

static uint32_t receive(uint32_t round, uint32_t peer_role)
{
    wait_word_eq(NOC_PP_FLAG, round);
    uint32_t errors = 0;
    for (unsigned k = 0; k < NOC_PP_BALL_WORDS; k++)
        errors += l1_word(NOC_PP_BALL)[k] != NOC_PP_BALL_WORD(round, peer_role, k);
    return errors;
}

int main(void)
{
    const volatile uint32_t *p = l1_word(NOC_PARAM);
    uint32_t role = p[NOC_PP_P_ROLE] & 1, peer = p[NOC_PP_P_PEER_XY];
    uint32_t rounds = p[NOC_PP_P_ROUNDS];
    unsigned noc = p[NOC_PP_P_NOC] & 1;
    uint32_t acks = noc_counter(noc, BH_NIU_MST_WR_ACK_RECEIVED), errors = 0;

    if (p[NOC_PP_P_GO])
        while (!*l1_word(NOC_PP_GO))
            ;
    *l1_word(NOC_PP_R_START) = *l1_word(BH_WALL_CLOCK_0);
    for (uint32_t r = 1; r <= rounds; r++) {
        if (role == 0) {
            serve(noc, peer, r, role, &acks);
            errors += receive(r, 1);
        } else {
            errors += receive(r, 0);
            serve(noc, peer, r, role, &acks);
        }
        *l1_word(NOC_PP_R_ROUNDS) = r;
    }
    *l1_word(NOC_PP_R_END) = *l1_word(BH_WALL_CLOCK_0);
    *l1_word(NOC_PP_R_ERRORS) = errors;
    *l1_word(NOC_PP_R_ACKS) = noc_counter(noc, BH_NIU_MST_WR_ACK_RECEIVED);
    return 0;
}
