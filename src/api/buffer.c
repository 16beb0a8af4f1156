/* Interleaved buffers: page p of a buffer lives in bank p % banks at bank-local address
 * base + (p / banks) * page_size, in DRAM (the enabled banks) or in the workers' L1 (one
 * bank per worker), the layout kernels' address generators assume (device-facts 1.7). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../chip/banks.h"
#include "../dispatch/dispatch.h"
#include "../util/err.h"
#include "api.h"

static struct chip_alloc *allocator(struct ttm_buffer *b)
{
    return b->type == TTM_BUFFER_DRAM ? &b->dev->chip.dram_alloc : &b->dev->chip.l1_alloc;
}

static int create(struct ttm_device *dev, uint64_t size, uint32_t page_size, uint32_t type,
                  ttm_buffer **out)
{
    int rc;
    if (type != TTM_BUFFER_DRAM && type != TTM_BUFFER_L1)
        return err_set(-EINVAL, "buffer type %u is neither DRAM (0) nor L1 (1)", type);
    /* NoC transfers need L1 data 16-byte aligned, and both ends of an L1 <-> DRAM transfer
     * 64-byte aligned (device-facts 1.7): pages are multiples of the first (of the second
     * in DRAM), and every buffer starts on a 64-byte boundary (ttm.h: Alignment). */
    uint32_t page_align = type == TTM_BUFFER_DRAM ? TTM_DRAM_ALIGN : TTM_L1_ALIGN;
    if (!page_size || page_size % page_align)
        return err_set(-EINVAL, "page size %u must be a non-zero multiple of %u for %s buffers",
                       page_size, page_align, type == TTM_BUFFER_DRAM ? "DRAM" : "L1");
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
    uint64_t pages = size / page_size, banks = chip_banks(&dev->chip, type == TTM_BUFFER_DRAM);
    uint64_t per_bank = (pages + banks - 1) / banks * page_size;
    if ((rc = alloc_take(allocator(b), per_bank, TTM_DRAM_ALIGN, &b->addr))) {
        free(b);
        return err_wrap(rc, "allocating %llu bytes per %s bank", (unsigned long long)per_bank,
                        type == TTM_BUFFER_DRAM ? "DRAM" : "L1");
    }
    b->bank_bytes = per_bank;
    if ((rc = api_handle_add(b, HANDLE_BUFFER, dev))) {
        alloc_give(allocator(b), b->addr, b->bank_bytes);
        free(b);
        return rc;
    }
    *out = b;
    return 0;
}

VIS int ttm_buffer_create_interleaved(ttm_device *dev, uint64_t size, uint32_t page_size,
                                      uint32_t type, ttm_buffer **out)
{
    if (!out)
        return err_set(-EINVAL, "ttm_buffer_create_interleaved: out is NULL");
    *out = NULL;
    struct ttm_device *d;
    int rc = api_enter(dev, HANDLE_DEVICE, &d);
    return rc ? rc : api_leave(d, create(d, size, page_size, type, out));
}

VIS int ttm_buffer_destroy(ttm_buffer *b)
{
    struct ttm_device *d;
    int rc = api_enter(b, HANDLE_BUFFER | HANDLE_CLOSED_OK, &d);
    if (rc)
        return rc;
    if (!d->closed)
        alloc_give(allocator(b), b->addr, b->bank_bytes);
    api_handle_remove(b);
    free(b);
    return api_leave(d, 0);
}

/* A field of a live buffer, read while its device is locked; 0 for a handle that is not
 * live. */
enum buffer_field { FIELD_ADDRESS, FIELD_SIZE, FIELD_PAGE_SIZE };

static uint64_t field(const char *fn, const ttm_buffer *b, enum buffer_field which)
{
    struct ttm_device *d;
    if (api_enter_at(fn, b, HANDLE_BUFFER | HANDLE_CLOSED_OK, &d))
        return 0;
    uint64_t v = which == FIELD_ADDRESS ? b->addr : which == FIELD_SIZE ? b->size : b->page_size;
    api_leave(d, 0);
    return v;
}

VIS uint64_t ttm_buffer_address(const ttm_buffer *b)
{
    return field(__func__, b, FIELD_ADDRESS);
}

VIS uint64_t ttm_buffer_size(const ttm_buffer *b)
{
    return field(__func__, b, FIELD_SIZE);
}

VIS uint32_t ttm_buffer_page_size(const ttm_buffer *b)
{
    return (uint32_t)field(__func__, b, FIELD_PAGE_SIZE);
}

VIS int ttm_buffer_accessor_args(const ttm_buffer *b, uint32_t *args, uint32_t room)
{
    if (!args)
        return err_set(-EINVAL, "ttm_buffer_accessor_args: args is NULL");
    struct ttm_device *d;
    int rc = api_enter(b, HANDLE_BUFFER | HANDLE_CLOSED_OK, &d);
    if (rc)
        return rc;
    if (!room)
        return api_leave(d, err_set(-ENOSPC, "ttm_buffer_accessor_args: an interleaved "
                                              "buffer's accessor takes 1 word, room is 0"));
    args[0] = b->type == TTM_BUFFER_DRAM ? TTM_ACCESSOR_IS_DRAM : 0;
    return api_leave(d, 1);
}

int api_check_range(const struct ttm_buffer *b, uint64_t offset, const void *host,
                    uint64_t size)
{
    if (!host && size)
        return err_set(-EINVAL, "host pointer is NULL");
    if (offset > b->size || size > b->size - offset)
        return err_set(-EINVAL, "range [%llu, %llu) is outside the %llu-byte buffer",
                       (unsigned long long)offset, (unsigned long long)(offset + size),
                       (unsigned long long)b->size);
    return 0;
}

VIS int ttm_buffer_write(ttm_buffer *b, uint64_t offset, const void *src, uint64_t size)
{
    struct ttm_device *d;
    int rc = api_enter(b, HANDLE_BUFFER, &d);
    if (rc)
        return rc;
    if (!(rc = api_check_range(b, offset, src, size)))
        rc = d->dispatch->write_buffer(b, offset, src, size, 1);
    return api_leave_waited(d, rc);
}

VIS int ttm_buffer_read(ttm_buffer *b, uint64_t offset, void *dst, uint64_t size)
{
    struct ttm_device *d;
    int rc = api_enter(b, HANDLE_BUFFER, &d);
    if (rc)
        return rc;
    if (!(rc = api_check_range(b, offset, dst, size)))
        rc = d->dispatch->read_buffer(b, offset, dst, size, 1);
    return api_leave_waited(d, rc);
}
