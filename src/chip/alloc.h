/* A first-fit range allocator: the DRAM address range shared by all banks (an interleaved
 * buffer takes the same bank-local range in each) and the workers' L1 above the firmware.
 * It keeps the free ranges, sorted: taking in order and giving back in any order cost
 * about the number of free ranges, not of allocations (40,000 buffers, made and
 * destroyed, stay linear). */
#pragma once

#include "../util/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct alloc_range {
    uint64_t addr, size;
};

struct chip_alloc {
    uint64_t base, end;
    struct alloc_range *free;   /* sorted by address, never adjacent; empty at first */
    size_t n, cap;
    size_t taken;               /* ranges given out and not yet back */
    uint64_t free_bytes;
};

void alloc_init(struct chip_alloc *a, uint64_t base, uint64_t end);
void alloc_fini(struct chip_alloc *a);
/* Take `size` bytes aligned to `align` (a power of two). -ENOMEM when nothing fits. */
MUST_CHECK int alloc_take(struct chip_alloc *a, uint64_t size, uint64_t align, uint64_t *addr);
/* Give back `size` bytes at addr, as alloc_take returned them; never fails for a range
 * that was taken. -EINVAL for a range that is (partly) free already or outside the
 * allocator. */
int alloc_give(struct chip_alloc *a, uint64_t addr, uint64_t size);
uint64_t alloc_free_bytes(const struct chip_alloc *a);
