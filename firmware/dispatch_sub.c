/* Dispatch subordinate (NCRISC of the dispatch core): sends the GO signals the dispatcher
 * queues, each once the workers' DONE count reaches the count the previous launch needs,
 * by multicast to every worker (seed 001 section 3: the subordinate is what lets program
 * N+1 be written while program N runs). It uses NoC 1, the dispatcher NoC 0, so their
 * requests and counters never mix. */
#include "cq_fw.h"

#define NOC 1u
/* Command buffers programmed once at boot (ttm_noc_write_state): multicast GOs from one,
 * unicast ones (a rectangle of one tile) from the other. */
#define BUF_MCAST 0u
#define BUF_UNICAST 1u
/* The GO word is multicast from here; it sits at the same offset mod 16 as the mailbox's
 * GO word, as NoC writes require. */
#define GO_SRC (TTM_L1_CQ_SCRATCH + 0x200u + (TTM_L1_MAILBOX & 15u))

enum { SUB_IDLE = 0x10, SUB_WAIT_DONE = 0x20, SUB_SEND = 0x30 };

int main(void)
{
    uint32_t rd = 0, acks = ttm_noc_counter(NOC, BH_NIU_MST_WR_ACK_RECEIVED);
    /* Where each GO goes, worked out once: the rectangles of all workers do not change
     * while the firmware runs (the host sets them before it boots). */
    uint32_t n = CTRL->n_go_rects < 4 ? CTRL->n_go_rects : 4, go_xy[4], go_buf[4], go_acks = 0;
    for (uint32_t i = 0; i < n; i++) {
        volatile uint8_t *r = CTRL->go_rect[i];
        bool one = r[0] == r[2] && r[1] == r[3];
        go_buf[i] = one ? BUF_UNICAST : BUF_MCAST;
        go_xy[i] = (uint32_t)((one ? ttm_noc_addr(r[0], r[1], 0)
                                   : ttm_noc_mcast_addr(NOC, r[0], r[1], r[2], r[3], 0)) >>
                              BH_NOC_ADDR_LOCAL_BITS);
        go_acks += (uint32_t)((r[2] - r[0] + 1) * (r[3] - r[1] + 1));
    }
    ttm_noc_write_state(NOC, BUF_MCAST, TTM_L1_MAILBOX, 4,
                        BH_NOC_CMD_WR | TTM_NOC_MCAST | BH_NOC_CMD_RESP_MARKED);
    ttm_noc_write_state(NOC, BUF_UNICAST, TTM_L1_MAILBOX, 4,
                        BH_NOC_CMD_WR | TTM_NOC_UNICAST | BH_NOC_CMD_RESP_MARKED);
    fw_rings_boot(BH_NCRISC);
    MAILBOX->ncrisc_sync = TTM_SYNC_DONE;
    for (;;) {
        CTRL->postcode[2] = SUB_IDLE;
        while (CTRL->sub_wr == rd)
            fw_fence();
        volatile struct ttm_sub_cmd *s = &SUBQ[rd % TTM_SUB_QUEUE_ENTRIES];
        CTRL->postcode[2] = SUB_WAIT_DONE;
        fw_trace(BH_NCRISC, TTM_TR_WAIT_BEGIN, 0, s->target);
        while (!fw_count_reached(fw_stream_count(TTM_STREAM_DONE), s->target))
            fw_fence();
        /* The GO goes first; the events that time it are written after. */
        struct fw_time reached = fw_now();
        CTRL->postcode[2] = SUB_SEND;
        REG32(GO_SRC) = s->go_word;
        ttm_fence(); /* the word is in L1 before the NIU reads it */
        for (uint32_t i = 0; i < n; i++)
            ttm_noc_write_to(NOC, go_buf[i], GO_SRC, go_xy[i]);
        struct fw_time sent = fw_now();
        acks += go_acks;
        ttm_noc_wait_counter(NOC, BH_NIU_MST_WR_ACK_RECEIVED, acks);
        fw_trace_at(BH_NCRISC, TTM_TR_WAIT_END, 0, s->target, reached);
        fw_trace_at(BH_NCRISC, TTM_TR_GO_SENT, 0, s->go_word, sent);
        CTRL->sub_rd = ++rd;
        CTRL->sub_gos = CTRL->sub_gos + 1;
    }
}
