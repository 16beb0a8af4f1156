/* TT-Metal's data-movement kernel header, for kernels ported as they are written: the
 * kernel build puts this folder on the include path, so `#include "dataflow_api.h"`
 * finds it. It brings ttm's dataflow API (ttm/kernel/dataflow.h) under TT-Metal's names
 * where they differ. C++ only, as TT-Metal kernels are. */
#pragma once

#include "ttm/kernel/dataflow.h"
#include "tt_common.h"

/* The bytes of one 32x32 tile in a circular buffer's data format, whatever its page size,
 * as TT-Metal's get_tile_size gives them; the page size for a CB whose format the Tensix
 * does not take (RAW, UINT8), which has no tile size of its own. */
inline uint32_t get_tile_size(uint32_t cb)
{
    switch (get_dataformat(cb)) {
    case DataFormat::Float32:
    case DataFormat::Int32:
        return 32 * 32 * 4;
    case DataFormat::Float16_b:
    case DataFormat::UInt16:
        return 32 * 32 * 2;
    default:
        return ttm_kctx()->cb[cb].page_size;
    }
}

/* TT-Metal's fast interleaved address generator: the same as InterleavedAddrGen, with the
 * data format its tiles are in (the page size already says their size). */
template <bool DRAM> struct InterleavedAddrGenFast {
    uint32_t bank_base_address;
    uint32_t page_size;
    DataFormat data_format;

    uint64_t get_noc_addr(uint32_t page, uint32_t offset = 0) const
    {
        return interleaved_noc_addr(bank_base_address, page_size, DRAM, page, offset);
    }
};

template <bool DRAM>
inline uint64_t get_noc_addr(uint32_t page, const InterleavedAddrGenFast<DRAM> &g,
                             uint32_t offset = 0)
{
    return g.get_noc_addr(page, offset);
}

/* TT-Metal's tensor accessor, for interleaved buffers: compile-time arg CTA_OFFSET holds
 * the accessor's configuration, TT-Metal's ArgConfig bits: IsDram (1 << 1) for a DRAM
 * buffer, 0 for L1; Sharded (1 << 0) is not supported. The host puts that word among the
 * kernel's compile args, as ttm_buffer_accessor_args gives it.
 *
 *   constexpr auto args = TensorAccessorArgs<0>();
 *   const auto s = TensorAccessor(args, buffer_address, page_size);
 *   noc_async_read_page(i, s, l1_address);
 */
template <uint32_t CTA_OFFSET> struct TensorAccessorArgs {
    static constexpr uint32_t config = ttm_ct_args[CTA_OFFSET];
    static constexpr bool is_dram = config & TTM_ACCESSOR_IS_DRAM;
    static_assert(CTA_OFFSET < sizeof ttm_ct_args / sizeof ttm_ct_args[0] - 1,
                  "TensorAccessorArgs<N>: the kernel has no compile-time arg N");
    static_assert(!(config & TTM_ACCESSOR_SHARDED), "sharded buffers are not supported");
    static constexpr uint32_t next_compile_time_args_offset() { return CTA_OFFSET + 1; }
};

template <typename Args> struct TensorAccessor {
    uint32_t bank_base_address;
    uint32_t page_size;

    TensorAccessor(const Args &, uint32_t address, uint32_t page)
        : bank_base_address(address), page_size(page)
    {
    }
    uint64_t get_noc_addr(uint32_t page, uint32_t offset = 0) const
    {
        return interleaved_noc_addr(bank_base_address, page_size, Args::is_dram, page, offset);
    }
};

/* One page (tile) between L1 and an interleaved buffer. */
template <typename Gen> inline void noc_async_read_tile(uint32_t id, const Gen &s, uint32_t l1)
{
    noc_async_read(s.get_noc_addr(id), l1, s.page_size);
}

template <typename Gen> inline void noc_async_write_tile(uint32_t id, const Gen &s, uint32_t l1)
{
    noc_async_write(l1, s.get_noc_addr(id), s.page_size);
}

template <typename Gen> inline void noc_async_read_page(uint32_t id, const Gen &s, uint32_t l1)
{
    noc_async_read(s.get_noc_addr(id), l1, s.page_size);
}

template <typename Gen> inline void noc_async_write_page(uint32_t id, const Gen &s, uint32_t l1)
{
    noc_async_write(l1, s.get_noc_addr(id), s.page_size);
}
