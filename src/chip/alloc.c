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

/* Make room for one more free range at index i. */
static int insert_at(struct chip_alloc *a, size_t i, uint64_t addr, uint64_t size)
{
    int rc = grow_array((void **)&a->free, &a->cap, a->n + 1, sizeof *a->free);
    if (rc)
        return rc;
    memmove(&a->free[i + 1], &a->free[i], (a->n - i) * sizeof *a->free);
    a->free[i] = (struct alloc_range){addr, size};
    a->n++;
    return 0;
}

static void remove_at(struct chip_alloc *a, size_t i)
{
    memmove(&a->free[i], &a->free[i + 1], (a->n - i - 1) * sizeof *a->free);
    a->n--;
}

/* The free ranges start as the whole span, materialised on first use. */
static int ensure_span(struct chip_alloc *a)
{
    if (a->n || a->free_bytes != a->end - a->base || a->end == a->base)
        return 0;
    return insert_at(a, 0, a->base, a->end - a->base);
}

int alloc_take(struct chip_alloc *a, uint64_t size, uint64_t align, uint64_t *addr)
{
    if (!size || !align || (align & (align - 1)))
        return err_set(-EINVAL, "allocation of %llu bytes aligned to %llu is invalid",
                       (unsigned long long)size, (unsigned long long)align);
    int rc = ensure_span(a);
    if (rc)
        return rc;
    /* First fit over the free ranges, lowest address first. */
    for (size_t i = 0; i < a->n; i++) {
        struct alloc_range f = a->free[i];
        uint64_t at = align_up(f.addr, align), end = f.addr + f.size;
        if (at < f.addr || at > end || end - at < size)
            continue;
        uint64_t before = at - f.addr, after = end - at - size;
        if (before && after) {
            if ((rc = insert_at(a, i + 1, at + size, after)))
                return rc;
            a->free[i].size = before;
        } else if (before) {
            a->free[i].size = before;
        } else if (after) {
            a->free[i] = (struct alloc_range){at + size, after};
        } else {
            remove_at(a, i);
        }
        a->free_bytes -= size;
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
    int rc = ensure_span(a);
    if (rc)
        return rc;
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
    } else if ((rc = insert_at(a, i, addr, size))) {
        return rc;
    }
    a->free_bytes += size;
    return 0;
}

uint64_t alloc_free_bytes(const struct chip_alloc *a)
{
    return a->free_bytes;
}
