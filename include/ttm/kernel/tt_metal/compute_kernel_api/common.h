/* TT-Metal's compute kernel headers, for kernels ported as they are written: they write
 *
 *   namespace NAMESPACE {
 *   void MAIN { ... }
 *   }
 *
 * and this header gives that body the kernel's entry. ttm's compute API
 * (ttm/kernel/compute.h) already has TT-Metal's names: binary_op_init_common, add_tiles,
 * copy_tile, matmul_tiles, pack_tile, tile_regs_*, cb_*. C++ only. */
#pragma once

#include "ttm/kernel/compute.h"
#include "../tt_common.h"

namespace ttm_tt_compute {
void ttm_tt_main();
}

#define NAMESPACE ttm_tt_compute
#define MAIN ttm_tt_main()

/* The entry, from the body's MAIN. */
extern "C" void kernel_main() { ttm_tt_compute::ttm_tt_main(); }

/* TT-Metal's matmul_tiles has a transpose flag; ttm's kernels do not transpose. A flag
 * that is not a constant false fails the kernel's link ("undefined reference to
 * ttm_matmul_transpose_unsupported") rather than compute something else. */
void ttm_matmul_transpose_unsupported(void);
inline void matmul_tiles(uint32_t cb0, uint32_t cb1, uint32_t t0, uint32_t t1, uint32_t dst,
                         bool transpose)
{
    if (!__builtin_constant_p(transpose) || transpose)
        ttm_matmul_transpose_unsupported();
    matmul_tiles(cb0, cb1, t0, t1, dst);
}
