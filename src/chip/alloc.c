#include "alloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../util/err.h"

void alloc_init(struct chip_alloc *a, uint64_t base, uint64_t end)
{
    memset(a, 0, sizeof *a);
    a->base = base;
    a->end = end;
}

void alloc_fini(struct chip_alloc *a)
{
    free(a->used);
    memset(a, 0, sizeof *a);
}

static uint64_t align_up(uint64_t v, uint64_t align)
{
    return (v + align - 1) & ~(align - 1);
}

int alloc_take(struct chip_alloc *a, uint64_t size, uint64_t align, uint64_t *addr)
{
    if (!size || !align || (align & (align - 1)))
        return err_set(-EINVAL, "allocation of %llu bytes aligned to %llu is invalid",
                       (unsigned long long)size, (unsigned long long)align);
    if (a->n == a->cap) {
        size_t cap = a->cap ? 2 * a->cap : 16;
        struct alloc_range *p = realloc(a->used, cap * sizeof *p);
        if (!p)
            return err_set(-ENOMEM, "out of host memory");
        a->used = p;
        a->cap = cap;
    }
    /* First fit: the gap before each used range, then the tail. */
    uint64_t start = a->base;
    for (size_t i = 0; i <= a->n; i++) {
        uint64_t gap_end = i < a->n ? a->used[i].addr : a->end;
        uint64_t at = align_up(start, align);
        if (at >= start && at <= gap_end && gap_end - at >= size) {
            memmove(&a->used[i + 1], &a->used[i], (a->n - i) * sizeof *a->used);
            a->used[i].addr = at;
            a->used[i].size = size;
            a->n++;
            *addr = at;
            return 0;
        }
        if (i < a->n)
            start = a->used[i].addr + a->used[i].size;
    }
    return err_set(-ENOMEM, "no room for %llu bytes (%llu of %llu free, fragmented or full)",
                   (unsigned long long)size, (unsigned long long)alloc_free_bytes(a),
                   (unsigned long long)(a->end - a->base));
}

int alloc_give(struct chip_alloc *a, uint64_t addr)
{
    for (size_t i = 0; i < a->n; i++) {
        if (a->used[i].addr == addr) {
            memmove(&a->used[i], &a->used[i + 1], (a->n - i - 1) * sizeof *a->used);
            a->n--;
            return 0;
        }
    }
    return err_set(-EINVAL, "address 0x%llx was not allocated", (unsigned long long)addr);
}

uint64_t alloc_free_bytes(const struct chip_alloc *a)
{
    uint64_t used = 0;
    for (size_t i = 0; i < a->n; i++)
        used += a->used[i].size;
    return a->end - a->base - used;
}
