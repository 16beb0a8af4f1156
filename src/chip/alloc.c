#include "alloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../util/err.h"
#include "../util/grow.h"

void alloc_init(struct chip_alloc *a, uint64_t base, uint64_t end)
{
    memset(a, 0, sizeof *a);
    a->base = base;
    a->end = end;
    a->free_bytes = end - base;
}

void alloc_fini(struct chip_alloc *a)
{
    free(a->free);
    memset(a, 0, sizeof *a);
}

static uint64_t align_up(uint64_t v, uint64_t align)
{
    return (v + align - 1) & ~(align - 1);
}

/* Put a free range at index i. There is room: alloc_take keeps enough for every range
 * that can be given back (n free ranges never exceed the ranges taken + 1). */
static void insert_at(struct chip_alloc *a, size_t i, uint64_t addr, uint64_t size)
{
    memmove(&a->free[i + 1], &a->free[i], (a->n - i) * sizeof *a->free);
    a->free[i] = (struct alloc_range){addr, size};
    a->n++;
}

static void remove_at(struct chip_alloc *a, size_t i)
{
    memmove(&a->free[i], &a->free[i + 1], (a->n - i - 1) * sizeof *a->free);
    a->n--;
}

/* The free ranges start as the whole span, materialised on first use. */
static void ensure_span(struct chip_alloc *a)
{
    if (!a->n && !a->taken && a->end > a->base)
        insert_at(a, 0, a->base, a->end - a->base);
}

int alloc_take(struct chip_alloc *a, uint64_t size, uint64_t align, uint64_t *addr)
{
    if (!size || !align || (align & (align - 1)))
        return err_set(-EINVAL, "allocation of %llu bytes aligned to %llu is invalid",
                       (unsigned long long)size, (unsigned long long)align);
    /* Room for one more range than can exist once this one is given back, so giving
     * back never needs memory. */
    int rc = grow_array((void **)&a->free, &a->cap, a->taken + 3, sizeof *a->free);
    if (rc)
        return rc;
    ensure_span(a);
    /* First fit over the free ranges, lowest address first. */
    for (size_t i = 0; i < a->n; i++) {
        struct alloc_range f = a->free[i];
        uint64_t at = align_up(f.addr, align), end = f.addr + f.size;
        if (at < f.addr || at > end || end - at < size)
            continue;
        uint64_t before = at - f.addr, after = end - at - size;
        if (before && after) {
            insert_at(a, i + 1, at + size, after);
            a->free[i].size = before;
        } else if (before) {
            a->free[i].size = before;
        } else if (after) {
            a->free[i] = (struct alloc_range){at + size, after};
        } else {
            remove_at(a, i);
        }
        a->free_bytes -= size;
        a->taken++;
        *addr = at;
        return 0;
    }
    return err_set(-ENOMEM, "no room for %llu bytes (%llu of %llu free, fragmented or full)",
                   (unsigned long long)size, (unsigned long long)a->free_bytes,
                   (unsigned long long)(a->end - a->base));
}

int alloc_give(struct chip_alloc *a, uint64_t addr, uint64_t size)
{
    uint64_t end = addr + size;
    if (!size || end < addr || addr < a->base || end > a->end)
        return err_set(-EINVAL, "range [0x%llx, 0x%llx) was not allocated",
                       (unsigned long long)addr, (unsigned long long)end);
    if (!a->taken)
        return err_set(-EINVAL, "range [0x%llx, 0x%llx) was not allocated",
                       (unsigned long long)addr, (unsigned long long)end);
    /* i: the first free range above addr (binary search). */
    size_t lo = 0, hi = a->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a->free[mid].addr <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t i = lo;
    bool join_prev = i > 0 && a->free[i - 1].addr + a->free[i - 1].size == addr;
    bool join_next = i < a->n && a->free[i].addr == end;
    if ((i > 0 && a->free[i - 1].addr + a->free[i - 1].size > addr) ||
        (i < a->n && a->free[i].addr < end))
        return err_set(-EINVAL, "range [0x%llx, 0x%llx) is free already",
                       (unsigned long long)addr, (unsigned long long)end);
    if (join_prev && join_next) {
        a->free[i - 1].size += size + a->free[i].size;
        remove_at(a, i);
    } else if (join_prev) {
        a->free[i - 1].size += size;
    } else if (join_next) {
        a->free[i] = (struct alloc_range){addr, a->free[i].size + size};
    } else {
        insert_at(a, i, addr, size);
    }
    a->free_bytes += size;
    a->taken--;
    return 0;
}

uint64_t alloc_free_bytes(const struct chip_alloc *a)
{
    return a->free_bytes;
}
