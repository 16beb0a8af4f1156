/* Opening a chip and waiting on it. */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "../util/err.h"
#include "chip.h"
#include "grid.h"
#include "ttm.h"

/* Usable bytes per DRAM bank (TTM dev_mem_map.h MEM_DRAM_SIZE: 4080 MiB); the first
 * 64 KiB stay free for scratch use. */
#define DRAM_USABLE 0xFF000000ull
#define DRAM_FIRST 0x10000ull
/* Device cycles a waiting host lets pass between two polls. */
#define POLL_CYCLES 1024

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

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void wait_budget_start(struct wait_budget *b, uint32_t timeout_ms)
{
    *b = (struct wait_budget){.timeout_ms = timeout_ms};
}

int chip_poll(struct ttm_chip *chip, int (*check)(void *arg), void *arg, struct wait_budget *b)
{
    if (!b->start_ms)
        b->start_ms = b->quiet_since_ms = now_ms();
    uint64_t cap = b->start_ms + (uint64_t)CHIP_WAIT_CAP * b->timeout_ms;
    for (;;) {
        int rc = check(arg);
        if (rc == 1)
            return 0;
        if (rc < 0)
            return rc;
        uint64_t t = now_ms();
        if (rc == 2)
            b->quiet_since_ms = t;
        if (t - b->quiet_since_ms >= b->timeout_ms || t >= cap)
            return -ETIMEDOUT;
        if ((rc = chip_tick(chip)))
            return rc;
    }
}

int chip_tick(struct ttm_chip *chip)
{
    int rc = chip->pcie.ops->advance(&chip->pcie, POLL_CYCLES);
    if (rc)
        return rc;
    return chip_collect_faults(chip) ? err_set(-EFAULT, "device code faulted") : 0;
}
