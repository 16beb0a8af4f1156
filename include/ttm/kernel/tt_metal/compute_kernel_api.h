/* TT-Metal's compute_kernel_api.h: the whole compute API. */
#pragma once

#include "compute_kernel_api/common.h"
