/* TT-Metal's pack.h: pack_tile and its inits are in common.h (ttm/kernel/compute.h). */
#pragma once

#include "common.h"
