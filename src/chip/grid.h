#pragma once

#include <stdint.h>

#include "../util/err.h"

struct ttm_chip;
/* Fill the chip's worker grid and DRAM banks from ARC telemetry. */
MUST_CHECK int grid_discover(struct ttm_chip *chip);
/* One telemetry value (enum bh_telemetry_tag); -ENOENT when the firmware has no such tag. */
MUST_CHECK int grid_telemetry(struct ttm_chip *chip, uint32_t tag, uint32_t *val);
