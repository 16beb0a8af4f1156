#pragma once

#include "../util/err.h"

struct ttm_chip;
/* Fill the chip's worker grid and DRAM banks from ARC telemetry. */
MUST_CHECK int grid_discover(struct ttm_chip *chip);
