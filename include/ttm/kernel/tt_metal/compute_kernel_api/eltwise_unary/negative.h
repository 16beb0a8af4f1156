/* TT-Metal's negative.h: negative_tile_init and negative_tile are in ttm/kernel/compute.h. */
#pragma once

#include "../common.h"
