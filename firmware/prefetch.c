/* Prefetcher firmware (BRISC of the prefetch core). For each entry the host puts in the
 * prefetch queue it fetches the record from the issue ring in host memory over PCIe,
 * frees the queue slot, and delivers the record into the dispatcher's ring, counting it on
 * the dispatcher's RECORDS stream. Wrap rule and flow control: ttm/kernel/abi.h "Fast
 * dispatch"; seed 001 sections 1-2.
 */
#include "cq_fw.h"

#define QUEUE ((volatile uint32_t *)TTM_L1_PREFETCH_Q)
#define RECORD ((volatile struct ttm_cq_record *)TTM_L1_PREFETCH_BUF)
#define NOC 0u
#define BUF_RD 1u
#define BUF_WR 0u

enum { PF_IDLE = 0x10, PF_FETCH = 0x20, PF_WAIT_RING = 0x30, PF_DELIVER = 0x40 };

static uint32_t reads, acks;  /* NIU counter shadows */

static uint64_t dispatcher_addr(uint32_t l1)
{
    return ttm_noc_addr(CTRL->dispatch_x, CTRL->dispatch_y, l1);
}

static void write_and_wait(uint32_t src, uint64_t dst, uint32_t len)
{
    acks += ttm_noc_write(NOC, BUF_WR, src, dst, len,
                          BH_NOC_CMD_WR | BH_NOC_CMD_RESP_MARKED | TTM_NOC_UNICAST);
    ttm_noc_wait_counter(NOC, BH_NIU_MST_WR_ACK_RECEIVED, acks);
}

/* Tell the dispatcher one more record is in its ring (after the record itself landed). */
static void count_record(void)
{
    ttm_noc_inline_write(NOC, BUF_WR,
                         dispatcher_addr(BH_STREAM_REG(TTM_STREAM_RECORDS, BH_STREAM_SPACE_AVAILABLE_UPDATE)),
                         TTM_STREAM_INC);
    ttm_noc_wait_counter(NOC, BH_NIU_MST_WR_ACK_RECEIVED, ++acks);
}

/* Room for `need` more bytes in the dispatcher's ring, which frees them by NoC atomics. */
static void wait_ring(uint32_t wr, uint32_t need)
{
    CTRL->postcode[0] = PF_WAIT_RING;
    while (wr + need - CTRL->pf_ring_freed > TTM_DISPATCH_RING_SIZE)
        fw_fence();
}

int main(void)
{
    uint32_t q = 0, issue_rd = 0, ring_wr = 0;
    reads = ttm_noc_counter(NOC, BH_NIU_MST_RD_RESP_RECEIVED);
    acks = ttm_noc_counter(NOC, BH_NIU_MST_WR_ACK_RECEIVED);
    fw_rings_boot(BH_BRISC);
    MAILBOX->fw_version = TTM_FW_ABI_VERSION;
    MAILBOX->go = TTM_GO_WORD(TTM_RUN_MSG_DONE);
    for (;;) {
        uint32_t entry;
        CTRL->postcode[0] = PF_IDLE;
        while (!(entry = QUEUE[q]))
            fw_fence();
        CTRL->postcode[0] = PF_FETCH;
        /* An entry the ring cannot hold is still fetched (its first 64 bytes) and passed
         * on with its header spoiled, so the dispatcher reports it instead of hanging. */
        uint32_t size = entry;
        int bad = size < sizeof(struct ttm_cq_record) || size > TTM_CQ_MAX_RECORD ||
                  size % TTM_CQ_RECORD_ALIGN;
        if (bad)
            size = TTM_CQ_RECORD_ALIGN;
        uint32_t pos = issue_rd % TTM_CQ_ISSUE_SIZE;
        if (pos + TTM_CQ_MAX_RECORD > TTM_CQ_ISSUE_SIZE) {
            issue_rd += TTM_CQ_ISSUE_SIZE - pos;
            pos = 0;
        }
        fw_trace(BH_BRISC, TTM_TR_FETCH_BEGIN, 0, size);
        reads += ttm_noc_read(NOC, BUF_RD, fw_host_addr(TTM_CQ_HOST_ISSUE + pos), TTM_L1_PREFETCH_BUF, size);
        ttm_noc_wait_counter(NOC, BH_NIU_MST_RD_RESP_RECEIVED, reads);
        fw_trace(BH_BRISC, TTM_TR_FETCH_END, 0, size);
        issue_rd += size;
        CTRL->pf_issue_rd = issue_rd;
        QUEUE[q] = 0; /* the host may reuse the slot, and the ring bytes, from now on */
        q = (q + 1) % TTM_PREFETCH_Q_ENTRIES;
        CTRL->pf_records = CTRL->pf_records + 1;
        if (bad)
            RECORD->magic = 0;
        else
            RECORD->size = size; /* the size that was announced is the one that counts */

        uint32_t rpos = ring_wr % TTM_DISPATCH_RING_SIZE;
        uint32_t tail = rpos + size > TTM_DISPATCH_RING_SIZE ? TTM_DISPATCH_RING_SIZE - rpos : 0;
        wait_ring(ring_wr, tail + size);
        CTRL->postcode[0] = PF_DELIVER;
        if (tail) {
            /* Fill the tail with an empty record so the dispatcher skips to the start. */
            volatile struct ttm_cq_record *wrap = (volatile struct ttm_cq_record *)TTM_L1_CQ_SCRATCH;
            wrap->magic = TTM_CQ_RECORD_MAGIC;
            wrap->n_cmds = 0;
            wrap->size = tail;
            wrap->seq = 0xFFFFFFFFu;
            write_and_wait(TTM_L1_CQ_SCRATCH, dispatcher_addr(TTM_L1_DISPATCH_RING + rpos),
                           sizeof(struct ttm_cq_record));
            count_record();
            ring_wr += tail;
            rpos = 0;
        }
        write_and_wait(TTM_L1_PREFETCH_BUF, dispatcher_addr(TTM_L1_DISPATCH_RING + rpos), size);
        count_record();
        fw_trace(BH_BRISC, TTM_TR_DELIVERED, 0, size);
        ring_wr += size;
        CTRL->pf_ring_wr = ring_wr;
    }
}
