/* NCRISC worker firmware: reports ready to BRISC, then runs its kernel of each launch
 * when BRISC says GO and answers DONE. */
#include "fw.h"

int main(void)
{
    MAILBOX->postcode[BH_NCRISC] = TTM_PC_BOOT;
    fw_rings_boot(BH_NCRISC);
    MAILBOX->ncrisc_sync = TTM_SYNC_DONE;
    for (;;) {
        MAILBOX->postcode[BH_NCRISC] = TTM_PC_IDLE;
        while (MAILBOX->ncrisc_sync != TTM_SYNC_GO)
            fw_fence();
        const volatile struct ttm_launch_msg *msg =
            &MAILBOX->launch[MAILBOX->launch_rd_ptr % TTM_LAUNCH_RING];
        fw_prepare_kernel(msg, BH_NCRISC);
        MAILBOX->postcode[BH_NCRISC] = TTM_PC_KERNEL;
        fw_trace(BH_NCRISC, TTM_TR_KERNEL_BEGIN, MAILBOX->launches, msg->host_id);
        fw_run_kernel(msg, BH_NCRISC);
        fw_trace(BH_NCRISC, TTM_TR_KERNEL_END, MAILBOX->launches, msg->host_id);
        MAILBOX->ncrisc_sync = TTM_SYNC_DONE;
    }
}
