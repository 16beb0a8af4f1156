/* Kernel print, the host's side (ttm/kernel/print.h is the kernels'): with
 * TTM_KERNEL_PRINT=1 a device builds its kernels with printing on and prints each line
 * they write, prefixed with the core and processor, while it waits. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../util/err.h"

struct ttm_device;
struct ttm_chip;

/* Turn printing on for a new device when TTM_KERNEL_PRINT says so (dev->kprint). */
MUST_CHECK int kprint_open(struct ttm_device *dev);
void kprint_close(struct ttm_device *dev);
/* Print the whole lines the kernels wrote since the last drain, and make room for more. */
MUST_CHECK int kprint_drain(struct ttm_device *dev);
/* Where the lines go (stderr unless set; for tests). */
void kprint_set_output(struct ttm_device *dev, FILE *out);
/* The last line processor `proc` of the worker at NoC (x, y) printed, from its ring in
 * L1, into buf ("" when it printed nothing). For reports of kernels that hang. */
void kprint_last_line(struct ttm_chip *chip, uint32_t x, uint32_t y, uint32_t proc, char *buf,
                      size_t len);
