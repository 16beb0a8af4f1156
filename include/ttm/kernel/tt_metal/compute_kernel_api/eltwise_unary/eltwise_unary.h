/* TT-Metal's eltwise_unary.h: init_sfpu and the SFPU scalar operations are in ttm/kernel/compute.h. */
#pragma once

#include "../common.h"
