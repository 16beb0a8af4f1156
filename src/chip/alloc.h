/* A first-fit range allocator: the DRAM address range shared by all banks (an interleaved
 * buffer takes the same bank-local range in each) and the workers' L1 above the firmware. */
#pragma once

#include "../util/err.h"

#include <stddef.h>
#include <stdint.h>

struct alloc_range {
    uint64_t addr, size;
};

struct chip_alloc {
    uint64_t base, end;
    struct alloc_range *used;   /* sorted by address */
    size_t n, cap;
};

void alloc_init(struct chip_alloc *a, uint64_t base, uint64_t end);
void alloc_fini(struct chip_alloc *a);
/* Take `size` bytes aligned to `align` (a power of two). -ENOMEM when nothing fits. */
MUST_CHECK int alloc_take(struct chip_alloc *a, uint64_t size, uint64_t align, uint64_t *addr);
/* Give back a range returned by alloc_take. -EINVAL for anything else. */
int alloc_give(struct chip_alloc *a, uint64_t addr);
uint64_t alloc_free_bytes(const struct chip_alloc *a);
