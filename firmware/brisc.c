/* BRISC worker firmware: brings NCRISC and the TRISCs up, then serves launches. For each
 * GO it reads the launch message, resets the circular-buffer counters, starts the TRISCs'
 * and NCRISC's kernels, runs its own, waits for the others and reports DONE: in the GO word the host polls (slow dispatch,
 * seed 003 "Mailboxes"), and in fast dispatch also to the dispatcher named by the GO word,
 * by counting one on its DONE stream, before moving on to the next launch-ring slot. */
#include "fw.h"

#define NOTIFY_NOC 0u
#define NOTIFY_BUF 0u  /* a kernel's write buffer; the kernel has finished with it */

static void reset_cb_counters(uint32_t mask)
{
    for (unsigned i = 0; mask; i++, mask >>= 1) {
        if (!(mask & 1))
            continue;
        REG32(BH_STREAM_REG(TTM_CB_STREAM(i), TTM_CB_PUSHED_REG)) = 0;
        REG32(BH_STREAM_REG(TTM_CB_STREAM(i), TTM_CB_POPPED_REG)) = 0;
    }
}

/* The TRISCs of a compute kernel all run its parts, so they go and finish together. */
#define TRISCS_OF(enables) ((enables) >> BH_TRISC0 & 7u)

static void serve(const volatile struct ttm_launch_msg *msg)
{
    MAILBOX->postcode[BH_BRISC] = TTM_PC_SETUP;
    reset_cb_counters(msg->local_cb_mask);
    /* Kernel text is new at every launch: drop what the five cores' instruction caches
     * hold of the last, as TT-Metal does (device-facts 2.1, 3.2; one bit per core). */
    REG32(BH_TENSIX_CFG_BASE + 4 * BH_CFG_IC_INVALIDATE) = BH_CFG_IC_INVALIDATE_ALL;
    uint32_t triscs = TRISCS_OF(msg->enables);
    for (unsigned i = 0; i < 3; i++)
        if (triscs & (1u << i))
            MAILBOX->trisc_sync[i] = TTM_SYNC_GO;
    if (msg->enables & (1u << BH_NCRISC))
        MAILBOX->ncrisc_sync = TTM_SYNC_GO;
    if (msg->enables & (1u << BH_BRISC)) {
        fw_prepare_kernel(msg, BH_BRISC);
        MAILBOX->postcode[BH_BRISC] = TTM_PC_KERNEL;
        fw_trace(BH_BRISC, TTM_TR_KERNEL_BEGIN, MAILBOX->launches, msg->host_id);
        fw_run_kernel(msg, BH_BRISC);
        fw_trace(BH_BRISC, TTM_TR_KERNEL_END, MAILBOX->launches, msg->host_id);
    }
    if (msg->enables & (1u << BH_NCRISC)) {
        MAILBOX->postcode[BH_BRISC] = TTM_PC_WAIT_NCRISC;
        while (MAILBOX->ncrisc_sync != TTM_SYNC_DONE)
            fw_fence();
    }
    if (triscs) {
        MAILBOX->postcode[BH_BRISC] = TTM_PC_WAIT_TRISC;
        for (unsigned i = 0; i < 3; i++)
            while ((triscs & (1u << i)) && MAILBOX->trisc_sync[i] != TTM_SYNC_DONE)
                fw_fence();
    }
}

int main(void)
{
    MAILBOX->postcode[BH_BRISC] = TTM_PC_BOOT;
    fw_rings_boot(BH_BRISC);
    /* The other cores' reset PCs were set by the host; release them and wait until each
     * is ready. */
    REG32(BH_SOFT_RESET_0) &= ~(BH_RESET_NCRISC | BH_RESET_TRISC0 | BH_RESET_TRISC1 |
                                BH_RESET_TRISC2);
    while (MAILBOX->ncrisc_sync != TTM_SYNC_DONE)
        fw_fence();
    for (unsigned i = 0; i < 3; i++)
        while (MAILBOX->trisc_sync[i] != TTM_SYNC_DONE)
            fw_fence();
    MAILBOX->launch_rd_ptr = 0;
    MAILBOX->fw_version = TTM_FW_ABI_VERSION;
    MAILBOX->go = TTM_GO_WORD(TTM_RUN_MSG_DONE);
    for (;;) {
        uint32_t go;
        MAILBOX->postcode[BH_BRISC] = TTM_PC_IDLE;
        while (TTM_GO_SIGNAL(go = MAILBOX->go) != TTM_RUN_MSG_GO)
            fw_fence();
        MAILBOX->t_prev_done = MAILBOX->t_done;
        MAILBOX->t_go = fw_wall_clock();
        const volatile struct ttm_launch_msg *msg =
            &MAILBOX->launch[MAILBOX->launch_rd_ptr % TTM_LAUNCH_RING];
        uint32_t mode = msg->mode, seq = MAILBOX->launches, program = msg->host_id;
        fw_trace(BH_BRISC, TTM_TR_GO, seq, program);
        serve(msg);
        MAILBOX->launches++;
        MAILBOX->t_done = fw_wall_clock();
        MAILBOX->go = TTM_GO_WORD(TTM_RUN_MSG_DONE);
        if (mode == TTM_DISPATCH_MODE_DEV) {
            MAILBOX->launch_rd_ptr = (MAILBOX->launch_rd_ptr + 1) % TTM_LAUNCH_RING;
            uint64_t done = ttm_noc_addr(TTM_GO_MASTER_X(go), TTM_GO_MASTER_Y(go),
                                         BH_STREAM_REG(TTM_GO_STREAM(go), BH_STREAM_SPACE_AVAILABLE_UPDATE));
            ttm_noc_inline_write(NOTIFY_NOC, NOTIFY_BUF, done, TTM_STREAM_INC);
        }
        fw_trace(BH_BRISC, TTM_TR_DONE, seq, program);
    }
}
