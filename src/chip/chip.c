/* Opening and closing a chip. */
#include <errno.h>
#include <string.h>

#include "../util/err.h"
#include "chip.h"
#include "grid.h"
#include "ttm.h"

/* Usable bytes per DRAM bank (TTM dev_mem_map.h MEM_DRAM_SIZE: 4080 MiB); the first
 * 64 KiB stay free for scratch use. */
#define DRAM_USABLE 0xFF000000ull
#define DRAM_FIRST 0x10000ull

int chip_open(struct ttm_chip *chip, const struct ttm_pcie_ops *ops,
              const struct ttm_device_opts *opts)
{
    memset(chip, 0, sizeof *chip);
    chip->pcie.ops = ops;
    int rc = ops->open(&chip->pcie, opts);
    if (rc)
        return rc;
    uint32_t id = 0, niu_cfg = 0;
    if ((rc = ops->config_read32(&chip->pcie, 0, &id)))
        goto fail;
    if ((id & 0xFFFF) != BH_PCI_VENDOR || id >> 16 != BH_PCI_DEVICE) {
        rc = err_set(-ENODEV, "PCI id %04x:%04x is not a Blackhole (%04x:%04x)", id & 0xFFFF,
                     id >> 16, BH_PCI_VENDOR, BH_PCI_DEVICE);
        goto fail;
    }
    /* Everything here addresses tiles by translated coordinates, which ARC firmware
     * enables at boot; NIU_CFG_0 bit 14 of the PCIe tile says so (host-facts 2.2). */
    rc = ops->bar_read(&chip->pcie, 0, BH_PCIE_NIU_BAR0 + BH_PCIE_NIU0_OFF + BH_NIU_CFG_0,
                       &niu_cfg, 4);
    if (rc || !(niu_cfg & BH_NIU_CFG_0_TRANSLATE)) {
        rc = err_set(rc ? rc : -ENODEV, "NoC coordinate translation is not enabled "
                                        "(PCIe NIU_CFG_0 = 0x%08x)", niu_cfg);
        goto fail;
    }
    if ((rc = grid_discover(chip)))
        goto fail;
    alloc_init(&chip->dram_alloc, DRAM_FIRST, DRAM_USABLE);
    alloc_init(&chip->l1_alloc, TTM_L1_UNRESERVED, TTM_L1_END);
    return 0;
fail:
    chip_tlb_release(chip);
    ops->close(&chip->pcie);
    return rc;
}

void chip_close(struct ttm_chip *chip)
{
    chip_tlb_release(chip);
    alloc_fini(&chip->dram_alloc);
    alloc_fini(&chip->l1_alloc);
    chip->pcie.ops->close(&chip->pcie);
}
