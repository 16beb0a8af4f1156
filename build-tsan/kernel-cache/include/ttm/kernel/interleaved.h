/* Interleaved buffers: page p of a buffer lives in bank p % banks at bank-local address
 * base + (p / banks) * page_size, the same scheme for DRAM banks and for the workers' L1
 * (device-facts 1.7). The banks' NoC coordinates come from the table the host writes to
 * every worker's L1 at boot (ttm/kernel/abi.h struct ttm_bank_table); it does not change
 * while a kernel runs.
 */
#ifndef TTM_KERNEL_INTERLEAVED_H
#define TTM_KERNEL_INTERLEAVED_H

#include <stdint.h>

#include "abi.h"
#include "noc.h"

static inline const struct ttm_bank_table *ttm_bank_table(void)
{
    return (const struct ttm_bank_table *)(uintptr_t)TTM_L1_BANK_TABLE;
}

/* NoC address of byte `offset` of page `page`. The bank count is not a power of two on
 * every board (7 DRAM banks on P100A), so this divides; RV32IM has the instruction. */
static inline uint64_t interleaved_noc_addr(uint32_t base, uint32_t page_size, uint32_t is_dram,
                                            uint32_t page, uint32_t offset)
{
    const struct ttm_bank_table *t = ttm_bank_table();
    uint32_t banks = is_dram ? t->num_dram_banks : t->num_l1_banks;
    uint32_t bank = page % banks;
    uint32_t xy = is_dram ? t->dram_xy[bank] : t->l1_xy[bank];
    uint64_t local = base + (uint64_t)(page / banks) * page_size + offset;
    return ttm_noc_addr(xy & 0x3F, xy >> 6 & 0x3F, local);
}

/* The same as a value to pass around: a buffer's bank-local base address (from the host's
 * ttm_buffer_address) and page size. */
struct ttm_interleaved {
    uint32_t bank_base_address;
    uint32_t page_size;
    uint32_t is_dram;
};

static inline uint64_t interleaved_get_noc_addr(const struct ttm_interleaved *g, uint32_t page,
                                                uint32_t offset)
{
    return interleaved_noc_addr(g->bank_base_address, g->page_size, g->is_dram, page, offset);
}

#ifdef __cplusplus
/* TT-Metal's form: InterleavedAddrGen<true> s = {.bank_base_address = a, .page_size = n};
 * then get_noc_addr(page, s) or s.get_noc_addr(page). */
template <bool DRAM> struct InterleavedAddrGen {
    uint32_t bank_base_address;
    uint32_t page_size;

    uint64_t get_noc_addr(uint32_t page, uint32_t offset = 0) const
    {
        return interleaved_noc_addr(bank_base_address, page_size, DRAM, page, offset);
    }
};

template <bool DRAM>
inline uint64_t get_noc_addr(uint32_t page, const InterleavedAddrGen<DRAM> &g, uint32_t offset = 0)
{
    return g.get_noc_addr(page, offset);
}
#endif

#endif
