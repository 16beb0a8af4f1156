/* Saying where cores are stuck and what faulted, for the failure reports of both dispatch
 * modes. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "../chip/chip.h"

/* For each worker in `cores` (index y * grid_x + x) whose GO word is not DONE, append
 * "worker (x,y): BRISC pc ... <what it is doing>, NCRISC pc ..." to buf and its index to
 * stuck[]. The device faults collected so far are appended too (chip_describe_faults).
 * Returns how many are stuck. */
uint32_t hang_describe(struct ttm_chip *chip, const uint32_t *cores, uint32_t n, char *buf,
                       size_t len, uint32_t *stuck);
