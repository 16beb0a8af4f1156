#pragma once

struct ttm_chip;
/* Fill the chip's worker grid and DRAM banks from ARC telemetry. */
int grid_discover(struct ttm_chip *chip);
