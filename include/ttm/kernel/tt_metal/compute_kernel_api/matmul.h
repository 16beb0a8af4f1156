/* TT-Metal's matmul.h: everything it names is in common.h (ttm/kernel/compute.h). */
#pragma once

#include "common.h"
