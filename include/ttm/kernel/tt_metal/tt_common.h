/* What TT-Metal's kernel headers share, under its names: circular buffer indices and data
 * formats (get_arg_val<T> is in ttm/kernel/args.h). Included by dataflow_api.h and
 * compute_kernel_api/. */
#pragma once

#include <stdint.h>

#include "ttm/kernel/args.h"

#ifndef __cplusplus
#error "TT-Metal's kernel headers are for C++ kernels (a .cpp path)"
#endif

/* The compile-time args as an array a constant expression may index (the kernel build
 * passes them as TTM_CT_ARGS_LIST too); one zero past the last, so it is never empty. */
#ifndef TTM_CT_ARGS_LIST
#define TTM_CT_ARGS_LIST
#endif
constexpr uint32_t ttm_ct_args[] = {TTM_CT_ARGS_LIST 0u};

namespace tt {
/* tt::CBIndex::c_0 .. c_31, usable wherever a CB index is. */
enum CBIndex : uint8_t {
    c_0, c_1, c_2, c_3, c_4, c_5, c_6, c_7, c_8, c_9, c_10, c_11, c_12, c_13, c_14, c_15,
    c_16, c_17, c_18, c_19, c_20, c_21, c_22, c_23, c_24, c_25, c_26, c_27, c_28, c_29,
    c_30, c_31
};
} // namespace tt

/* The data formats ttm's circular buffers take (TTM_TT_FORMAT_* in ttm/kernel/abi.h). */
enum class DataFormat : uint8_t {
    Float32 = TTM_TT_FORMAT_FLOAT32,
    Float16_b = TTM_TT_FORMAT_BFLOAT16,
    Int32 = TTM_TT_FORMAT_INT32,
    UInt16 = TTM_TT_FORMAT_UINT16,
    Invalid = TTM_TT_FORMAT_NONE,
};

/* A circular buffer's data format, as the host gave it. */
inline DataFormat get_dataformat(uint32_t cb)
{
    return (DataFormat)((const uint8_t *)(uintptr_t)ttm_kctx()->cb_formats)[cb];
}
