/* Host memory behind the PCIe tile: a NoC access with address bit 60 set reaches the
 * host at the offset below bit 58 (host-facts 3), through the regions the host registered
 * or, for the rest, its callbacks. */
#include <errno.h>
#include <string.h>

#include "emu.h"

void bhemu_set_host_mem_ops(bhemu *emu, const struct bhemu_host_mem_ops *ops)
{
    if (ops)
        emu->host_ops = *ops;
    else
        memset(&emu->host_ops, 0, sizeof emu->host_ops);
}

static bool regions_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return a < b + blen && b < a + alen;
}

int bhemu_map_host_region(bhemu *emu, uint64_t addr, void *mem, size_t len)
{
    struct host_region *free_slot = NULL;
    if (!mem || !len || addr >= BH_HOST_WINDOW_SIZE || len > BH_HOST_WINDOW_SIZE - addr)
        return -EINVAL;
    for (unsigned i = 0; i < EMU_HOST_REGIONS; i++) {
        struct host_region *r = &emu->host_regions[i];
        if (!r->len) {
            if (!free_slot)
                free_slot = r;
        } else if (regions_overlap(addr, len, r->addr, r->len)) {
            return -EINVAL;
        }
    }
    if (!free_slot)
        return -ENOSPC;
    *free_slot = (struct host_region){addr, len, mem};
    return 0;
}

int bhemu_unmap_host_region(bhemu *emu, uint64_t addr)
{
    for (unsigned i = 0; i < EMU_HOST_REGIONS; i++) {
        struct host_region *r = &emu->host_regions[i];
        if (r->len && r->addr == addr) {
            *r = (struct host_region){0, 0, NULL};
            return 0;
        }
    }
    return -EINVAL;
}

static const struct host_region *region_at(const struct bhemu *emu, uint64_t addr)
{
    for (unsigned i = 0; i < EMU_HOST_REGIONS; i++) {
        const struct host_region *r = &emu->host_regions[i];
        if (r->len && addr - r->addr < r->len)
            return r;
    }
    return NULL;
}

/* Start of the first region above addr, or the end of the host window. */
static uint64_t next_region(const struct bhemu *emu, uint64_t addr)
{
    uint64_t next = BH_HOST_WINDOW_SIZE;
    for (unsigned i = 0; i < EMU_HOST_REGIONS; i++) {
        const struct host_region *r = &emu->host_regions[i];
        if (r->len && r->addr > addr && r->addr < next)
            next = r->addr;
    }
    return next;
}

static int host_callback(struct bhemu *emu, uint64_t addr, void *buf, size_t len, bool write)
{
    const struct bhemu_host_mem_ops *ops = &emu->host_ops;
    int rc = -EFAULT;
    if (write && ops->write)
        rc = ops->write(ops->ctx, addr, buf, len);
    else if (!write && ops->read)
        rc = ops->read(ops->ctx, addr, buf, len);
    return rc ? -EFAULT : 0;
}

/* Serve the part of [addr, addr + len) that one region, or the callbacks, cover;
 * *done says how many bytes that was. */
static int host_chunk(struct bhemu *emu, uint64_t addr, uint8_t *buf, size_t len, bool write,
                      size_t *done)
{
    const struct host_region *r = region_at(emu, addr);
    if (!r) {
        uint64_t gap = next_region(emu, addr) - addr;
        *done = len < gap ? len : (size_t)gap;
        return host_callback(emu, addr, buf, *done, write);
    }
    uint64_t left = r->addr + r->len - addr;
    *done = len < left ? len : (size_t)left;
    if (write)
        memcpy(r->mem + (addr - r->addr), buf, *done);
    else
        memcpy(buf, r->mem + (addr - r->addr), *done);
    return 0;
}

int bhe_host_access(void *chip, uint64_t addr, void *buf, size_t len, bool write,
                    const struct emu_src *src)
{
    struct bhemu *emu = chip;
    (void)src;
    /* Bit 60 selects host memory; the low 58 bits are the offset into it (host-facts 3). */
    if (!(addr & BH_NOC_PCIE_HOST_BIT))
        return -EFAULT;
    uint64_t host = addr & (BH_HOST_WINDOW_SIZE - 1);
    if (len > BH_HOST_WINDOW_SIZE - host)
        return -EFAULT;
    uint8_t *p = buf;
    while (len) {
        size_t done;
        int rc = host_chunk(emu, host, p, len, write, &done);
        if (rc)
            return rc;
        host += done;
        p += done;
        len -= done;
    }
    return 0;
}
