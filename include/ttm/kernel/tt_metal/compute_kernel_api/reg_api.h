/* TT-Metal's reg_api.h: tile_regs_acquire, _commit, _wait and _release (and acquire_dst, release_dst) are in common.h (ttm/kernel/compute.h). */
#pragma once

#include "common.h"
