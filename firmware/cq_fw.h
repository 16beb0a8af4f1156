/* What the dispatch firmware (prefetcher, dispatcher, subordinate) shares: its control
 * block and queues in L1 (ttm/kernel/abi.h "Fast dispatch") and the way to host memory. */
#pragma once

#include "fw.h"

#define CTRL ((volatile struct ttm_cq_ctrl *)TTM_L1_CQ_CTRL)
#define SUBQ ((volatile struct ttm_sub_cmd *)TTM_L1_SUB_QUEUE)

/* NoC address of byte `offset` of the host's command-queue memory: host memory sits
 * behind the PCIe tile with address bit 60 set (device-facts 1.8). */
static inline uint64_t fw_host_addr(uint32_t offset)
{
    uint64_t host = ((uint64_t)CTRL->host_hi << 32 | CTRL->host_lo) + offset;
    return ttm_noc_addr(CTRL->pcie_x, CTRL->pcie_y, host) | (host & (1ull << 60));
}
