/* DRAM banks: 4 GiB of GDDR6 each, shared by the bank's three NoC ports (device-facts 1.7).
 *
 * A chip has 32 GiB of DRAM but tests touch a few pages of it, so a bank reserves its
 * address space only on the first write (MAP_NORESERVE: no swap or commit charge; kept for
 * the next chip of the process, map_pool.c, which clears only the range written) and the
 * kernel backs a page only when it is written. Reads of a bank nothing has written yet are
 * served as zeros without reserving anything, so creating and probing a chip stays cheap. */
#include <errno.h>
#include <string.h>

#include "emu.h"

void bhe_dram_destroy(struct dram_bank *b)
{
    bhe_map_put(b->mem, BH_DRAM_BANK_SIZE, b->written_lo, b->written_hi);
    b->mem = NULL;
}

static int dram_reserve(struct dram_bank *b)
{
    b->mem = bhe_map_get(BH_DRAM_BANK_SIZE);
    b->written_lo = BH_DRAM_BANK_SIZE;
    b->written_hi = 0;
    return b->mem ? 0 : -ENOMEM;
}

int bhe_dram_access(void *bank, uint64_t addr, void *buf, size_t len, bool write,
                    const struct emu_src *src)
{
    struct dram_bank *b = bank;
    (void)src;
    /* NoC local address = byte offset into the bank (host-facts 2.8). */
    if (addr > BH_DRAM_BANK_SIZE || len > BH_DRAM_BANK_SIZE - addr)
        return -EFAULT;
    if (!b->mem) {
        if (!write) {
            memset(buf, 0, len);
            return 0;
        }
        int rc = dram_reserve(b);
        if (rc)
            return rc;
    }
    if (write) {
        memcpy(b->mem + addr, buf, len);
        b->written_lo = addr < b->written_lo ? addr : b->written_lo;
        b->written_hi = addr + len > b->written_hi ? addr + len : b->written_hi;
    }
    else
        memcpy(buf, b->mem + addr, len);
    return 0;
}
