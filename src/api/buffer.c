/* Interleaved buffers: page p of a buffer lives in bank p % banks at bank-local address
 * base + (p / banks) * page_size, in DRAM (the enabled banks) or in the workers' L1 (one
 * bank per worker), the layout kernels' address generators assume (device-facts 1.7). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../dispatch/fast.h"
#include "../util/err.h"
#include "internal.h"

#define VIS __attribute__((visibility("default")))

static uint32_t n_banks(const struct ttm_buffer *b)
{
    return b->type == TTM_BUFFER_DRAM ? b->dev->chip.n_dram : b->dev->chip.n_workers;
}

void buffer_span(const struct ttm_buffer *b, uint64_t offset, uint64_t size, uint32_t max,
                 struct buffer_span *s)
{
    const struct ttm_chip *c = &b->dev->chip;
    uint32_t banks = n_banks(b);
    uint64_t page = offset / b->page_size, in_page = offset % b->page_size;
    uint32_t bank = (uint32_t)(page % banks);
    uint64_t n = b->page_size - in_page;
    if (n > size)
        n = size;
    if (n > max)
        n = max;
    if (b->type == TTM_BUFFER_DRAM) {
        s->x = c->dram_x[bank];
        s->y = c->dram_y[bank];
    } else {
        struct chip_worker w = chip_worker_at(c, bank % c->grid_x, bank / c->grid_x);
        s->x = w.x;
        s->y = w.y;
    }
    s->addr = b->addr + page / banks * b->page_size + in_page;
    s->len = (uint32_t)n;
}

static struct chip_alloc *allocator(struct ttm_buffer *b)
{
    return b->type == TTM_BUFFER_DRAM ? &b->dev->chip.dram_alloc : &b->dev->chip.l1_alloc;
}

VIS int ttm_buffer_create_interleaved(ttm_device *dev, uint64_t size, uint32_t page_size,
                                      uint32_t type, ttm_buffer **out)
{
    int rc = api_check_device(dev);
    if (rc)
        return rc;
    if (!out)
        return err_set(-EINVAL, "ttm_buffer_create_interleaved: out is NULL");
    *out = NULL;
    if (type != TTM_BUFFER_DRAM && type != TTM_BUFFER_L1)
        return err_set(-EINVAL, "buffer type %u is neither DRAM (0) nor L1 (1)", type);
    /* NoC transfers need DRAM data 64-byte and L1 data 16-byte aligned (device-facts 1.7),
     * so every page starts on such a boundary. */
    uint32_t align = type == TTM_BUFFER_DRAM ? TTM_DRAM_ALIGN : TTM_L1_ALIGN;
    if (!page_size || page_size % align)
        return err_set(-EINVAL, "page size %u must be a non-zero multiple of %u for %s buffers",
                       page_size, align, type == TTM_BUFFER_DRAM ? "DRAM" : "L1");
    if (!size || size % page_size)
        return err_set(-EINVAL, "buffer size %llu must be a non-zero multiple of the page size %u",
                       (unsigned long long)size, page_size);
    struct ttm_buffer *b = calloc(1, sizeof *b);
    if (!b)
        return err_set(-ENOMEM, "out of memory");
    b->dev = dev;
    b->type = type;
    b->size = size;
    b->page_size = page_size;
    uint64_t pages = size / page_size, banks = n_banks(b);
    uint64_t per_bank = (pages + banks - 1) / banks * page_size;
    if ((rc = alloc_take(allocator(b), per_bank, align, &b->addr))) {
        free(b);
        return err_wrap(rc, "allocating %llu bytes per %s bank", (unsigned long long)per_bank,
                        type == TTM_BUFFER_DRAM ? "DRAM" : "L1");
    }
    dev->children++;
    *out = b;
    return 0;
}

VIS int ttm_buffer_destroy(ttm_buffer *b)
{
    if (!b)
        return err_set(-EINVAL, "buffer handle is NULL");
    struct ttm_device *dev = b->dev;
    if (!dev->closed)
        alloc_give(allocator(b), b->addr);
    free(b);
    api_device_release(dev);
    return 0;
}

VIS uint64_t ttm_buffer_address(const ttm_buffer *b)
{
    return b ? b->addr : 0;
}

VIS uint64_t ttm_buffer_size(const ttm_buffer *b)
{
    return b ? b->size : 0;
}

VIS uint32_t ttm_buffer_page_size(const ttm_buffer *b)
{
    return b ? b->page_size : 0;
}

static int check_range(const struct ttm_buffer *b, uint64_t offset, const void *host,
                       uint64_t size)
{
    int rc = b ? api_check_device(b->dev) : err_set(-EINVAL, "buffer handle is NULL");
    if (rc)
        return rc;
    if (!host && size)
        return err_set(-EINVAL, "host pointer is NULL");
    if (offset > b->size || size > b->size - offset)
        return err_set(-EINVAL, "range [%llu, %llu) is outside the %llu-byte buffer",
                       (unsigned long long)offset, (unsigned long long)(offset + size),
                       (unsigned long long)b->size);
    return 0;
}

/* Slow dispatch: the host moves [offset, offset + size) itself through TLB windows, one
 * run within a page at a time. */
static int transfer(struct ttm_buffer *b, uint64_t offset, void *host, uint64_t size, bool write)
{
    uint8_t *p = host;
    while (size) {
        struct buffer_span sp;
        buffer_span(b, offset, size, UINT32_MAX, &sp);
        int rc = write ? chip_write(&b->dev->chip, sp.x, sp.y, sp.addr, p, sp.len)
                       : chip_read(&b->dev->chip, sp.x, sp.y, sp.addr, p, sp.len);
        if (rc)
            return err_wrap(rc, "buffer %s", write ? "write" : "read");
        p += sp.len;
        offset += sp.len;
        size -= sp.len;
    }
    return 0;
}

VIS int ttm_buffer_write(ttm_buffer *b, uint64_t offset, const void *src, uint64_t size)
{
    int rc = check_range(b, offset, src, size);
    if (rc)
        return rc;
    return b->dev->fast ? fast_write_buffer(b, offset, src, size, 1)
                        : transfer(b, offset, (void *)src, size, true);
}

VIS int ttm_buffer_read(ttm_buffer *b, uint64_t offset, void *dst, uint64_t size)
{
    int rc = check_range(b, offset, dst, size);
    if (rc)
        return rc;
    return b->dev->fast ? fast_read_buffer(b, offset, dst, size, 1)
                        : transfer(b, offset, dst, size, false);
}


VIS int ttm_enqueue_write_buffer(ttm_buffer *b, uint64_t offset, const void *src, uint64_t size,
                                 int blocking)
{
    int rc = check_range(b, offset, src, size);
    return rc ? rc : (rc = api_check_fast(b->dev)) ? rc : fast_write_buffer(b, offset, src, size, blocking);
}

VIS int ttm_enqueue_read_buffer(ttm_buffer *b, uint64_t offset, void *dst, uint64_t size,
                                int blocking)
{
    int rc = check_range(b, offset, dst, size);
    return rc ? rc : (rc = api_check_fast(b->dev)) ? rc : fast_read_buffer(b, offset, dst, size, blocking);
}
