/* TRISC worker firmware, built once per TRISC (FW_PROC = BH_TRISC0..2): reports ready to
 * BRISC, then for each launch whose kernel it runs waits for BRISC's GO, runs its part of
 * the compute kernel, waits until the Tensix coprocessor has finished every instruction
 * it pushed (so DONE means the results are in L1), and answers DONE. */
#include "fw.h"

#include "ttm/kernel/tensix.h"

#define ME (FW_PROC - BH_TRISC0)

int main(void)
{
    MAILBOX->postcode[FW_PROC] = TTM_PC_BOOT;
    fw_rings_boot(FW_PROC);
    MAILBOX->trisc_sync[ME] = TTM_SYNC_DONE;
    for (;;) {
        MAILBOX->postcode[FW_PROC] = TTM_PC_IDLE;
        while (MAILBOX->trisc_sync[ME] != TTM_SYNC_GO)
            fw_fence();
        const volatile struct ttm_launch_msg *msg =
            &MAILBOX->launch[MAILBOX->launch_rd_ptr % TTM_LAUNCH_RING];
        fw_prepare_kernel(msg, FW_PROC);
        MAILBOX->postcode[FW_PROC] = TTM_PC_KERNEL;
        fw_trace(FW_PROC, TTM_TR_KERNEL_BEGIN, MAILBOX->launches, msg->host_id);
        fw_run_kernel(msg, FW_PROC);
        tensix_sync();
        fw_trace(FW_PROC, TTM_TR_KERNEL_END, MAILBOX->launches, msg->host_id);
        MAILBOX->trisc_sync[ME] = TTM_SYNC_DONE;
    }
}
