/* TT-Metal's tile_move_copy.h: everything it names is in common.h (ttm/kernel/compute.h). */
#pragma once

#include "common.h"
