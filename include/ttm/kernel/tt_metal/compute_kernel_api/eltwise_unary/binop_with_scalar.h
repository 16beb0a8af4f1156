/* TT-Metal's binop_with_scalar.h: binop_with_scalar_tile_init and add_unary_tile,
 * sub_unary_tile, mul_unary_tile are in ttm/kernel/compute.h. */
#pragma once

#include "../common.h"
