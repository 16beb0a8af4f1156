/* TT-Metal's relu.h: relu_tile_init and relu_tile are in ttm/kernel/compute.h. */
#pragma once

#include "../common.h"
