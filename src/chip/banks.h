/* Where interleaved data lives (device-facts 1.7): page p of a buffer is in bank
 * p % banks at bank-local address base + (p / banks) * page_size, over the enabled DRAM
 * banks or over the workers' L1 (one bank per worker, in row-major logical order). The
 * host walks buffers with this; kernels find banks through the table written to every
 * worker at boot. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ttm/kernel/abi.h"

struct ttm_chip;

uint32_t chip_banks(const struct ttm_chip *chip, bool dram);

/* A run of a buffer's bytes within one page: where [offset, offset + min(size, max))
 * begins, at most to the end of its page. */
struct bank_span {
    uint32_t x, y;              /* the bank's translated NoC coordinates */
    uint64_t addr;              /* bank-local address */
    uint32_t len;
};
void chip_bank_span(const struct ttm_chip *chip, bool dram, uint64_t base, uint32_t page_size,
                    uint64_t offset, uint64_t size, uint32_t max, struct bank_span *s);

/* The table kernels read (ttm/kernel/interleaved.h). */
void chip_bank_table(const struct ttm_chip *chip, struct ttm_bank_table *bt);
