/* The done-count pattern on overlay stream registers (noc_abi.h, NOC_ST_*). Senders bump
 * the receiver's SPACE_AVAILABLE by inline NoC writes to its SPACE_AVAILABLE_UPDATE
 * register, alternating posted and non-posted; the receiver polls SPACE_AVAILABLE until
 * the total arrives, consumes it with a negative update of its own, then acknowledges each
 * sender the same way, and each sender polls its own stream for that. */
#include <stdint.h>

#include "noc_abi.h"
#include "noc_lib.h"

/* SPACE_AVAILABLE_UPDATE takes the (signed) increment in bits 31:6. */
#define UPDATE(n) ((uint32_t)(n) << 6)

static void record_counters(unsigned noc)
{
    *l1_word(NOC_ST_R_POSTED) = noc_counter(noc, BH_NIU_MST_POSTED_WR_REQ_SENT);
    *l1_word(NOC_ST_R_NONPOSTED) = noc_counter(noc, BH_NIU_MST_NONPOSTED_WR_REQ_SENT);
    *l1_word(NOC_ST_R_ACKS) = noc_counter(noc, BH_NIU_MST_WR_ACK_RECEIVED);
}

static void wait_space(unsigned stream, uint32_t want)
{
    while (*stream_reg(stream, BH_STREAM_SPACE_AVAILABLE) < want)
        ;
}

int main(void)
{
    const volatile uint32_t *p = l1_word(NOC_PARAM);
    unsigned stream = p[NOC_ST_P_STREAM] & 63, noc = p[NOC_ST_P_NOC] & 1;
    uint32_t count = p[NOC_ST_P_COUNT];

    /* Writing the buffer size resets SPACE_AVAILABLE to it. */
    *stream_reg(stream, BH_STREAM_REMOTE_DEST_BUF_SIZE) = 0;

    if (p[NOC_ST_P_ROLE] == 0) {
        *l1_word(NOC_ST_R_READY) = 1;
        wait_space(stream, count);
        *l1_word(NOC_ST_R_SEEN) = *stream_reg(stream, BH_STREAM_SPACE_AVAILABLE);
        *stream_reg(stream, BH_STREAM_SPACE_AVAILABLE_UPDATE) = UPDATE(-(int32_t)count);
        *l1_word(NOC_ST_R_AFTER) = *stream_reg(stream, BH_STREAM_SPACE_AVAILABLE);
        uint32_t n = p[NOC_ST_P_NSENDERS];
        for (uint32_t i = 0; i < n; i++)
            noc_inline_write(noc, 2, p[NOC_ST_P_SENDERS + i], stream_update_addr(stream),
                             UPDATE(1), 0);
        record_counters(noc);
        return 0;
    }

    uint32_t xy = p[NOC_ST_P_PEER_XY], incr = p[NOC_ST_P_INCR];
    uint32_t acked = noc_counter(noc, BH_NIU_MST_WR_ACK_RECEIVED);
    for (uint32_t i = 0; i < count; i++) {
        uint32_t flags = (i & 1) ? BH_NOC_CMD_RESP_MARKED : 0;
        noc_inline_write(noc, 2, xy, stream_update_addr(stream), UPDATE(incr), flags);
        if (flags)
            noc_wait_write_acks(noc, ++acked);
        spin_cycles(37 * (i % 5));
    }
    wait_space(stream, 1);
    *l1_word(NOC_ST_R_SEEN) = *stream_reg(stream, BH_STREAM_SPACE_AVAILABLE);
    record_counters(noc);
    return 0;
}
