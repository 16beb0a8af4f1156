/* Helpers shared by the emulator tests and benchmarks. */
#pragma once

#include <stdint.h>

#include "../emu/bhemu.h"

/* Create a chip; harvest masks as in struct bhemu_config. Returns NULL and prints why. */
bhemu *eu_create(uint32_t board, uint32_t tensix_cols_off, uint32_t dram_banks_off);
bhemu *eu_create_default(uint32_t board);

/* Load build/rv32/<name>.bin into L1 of tile (x, y) at addr. Returns 0 or -errno. */
int eu_load(bhemu *emu, uint32_t x, uint32_t y, uint32_t addr, const char *name);
/* Release the cores in `mask` (SOFT_RESET_0 bits) from reset, keeping the others as they are. */
void eu_release(bhemu *emu, uint32_t x, uint32_t y, uint32_t mask);
/* Clock until the word at addr of tile (x, y) is non-zero or max_cycles pass.
 * Returns the word (0 on timeout). */
uint32_t eu_wait_word(bhemu *emu, uint32_t x, uint32_t y, uint32_t addr, uint64_t max_cycles);
uint32_t eu_rd32(bhemu *emu, uint32_t x, uint32_t y, uint64_t addr);
void eu_wr32(bhemu *emu, uint32_t x, uint32_t y, uint64_t addr, uint32_t val);
/* Print and drain pending faults; returns how many there were. */
int eu_drain_faults(bhemu *emu);
/* Translated coordinates of the i-th worker (column-major over enabled columns). */
void eu_worker_xy(bhemu *emu, unsigned i, uint32_t *x, uint32_t *y);
unsigned eu_worker_count(bhemu *emu);
