/* Device faults: what the backend recorded of device code doing something refused, kept
 * until a report describes it. A wait ends as soon as a core or a device access faults
 * (chip_poll), so a fault is reported when it happens, not at the timeout. */
#include <stdio.h>
#include <string.h>

#include "chip.h"

unsigned chip_collect_faults(struct ttm_chip *chip)
{
    const struct ttm_pcie_ops *ops = chip->pcie.ops;
    unsigned n_device = 0;
    struct pcie_fault f[CHIP_FAULTS];
    unsigned n;
    if (!ops->take_faults)
        return 0;
    while ((n = ops->take_faults(&chip->pcie, f, CHIP_FAULTS))) {
        for (unsigned i = 0; i < n; i++) {
            n_device += f[i].kind != PCIE_FAULT_HOST;
            if (chip->n_faults < CHIP_FAULTS)
                chip->faults[chip->n_faults++] = f[i];
            else
                chip->faults_dropped++;
        }
    }
    return n_device;
}

/* "BRISC of worker (2,3) (logical; NoC 3,5)", or the tile alone when no core made it. */
static void who(const struct ttm_chip *chip, const struct pcie_fault *f, char *buf, size_t len)
{
    uint32_t lx = BH_TENSIX_COLS;
    for (uint32_t k = 0; k < BH_TENSIX_COLS; k++)
        if (chip->col_x[k] == f->x)
            lx = k;
    if (f->core < 0 || f->core >= BH_CORES_PER_TILE || lx == BH_TENSIX_COLS ||
        f->y < BH_TENSIX_Y0 || f->y >= BH_TENSIX_Y0 + BH_TENSIX_ROWS) {
        snprintf(buf, len, "%s at NoC (%u,%u)", f->kind == PCIE_FAULT_CORE ? "a core" : "an access",
                 f->x, f->y);
        return;
    }
    snprintf(buf, len, "%s of %s (%u,%u) (logical; NoC %u,%u)", bh_core_desc((uint32_t)f->core)->name,
             lx < chip->grid_x ? "worker" : "core", lx, f->y - BH_TENSIX_Y0, f->x, f->y);
}

void chip_describe_faults(struct ttm_chip *chip, char *buf, size_t len)
{
    size_t used = 0;
    chip_collect_faults(chip);
    if (len)
        buf[0] = 0;
    for (unsigned i = 0; i < chip->n_faults && used < len; i++) {
        const struct pcie_fault *f = &chip->faults[i];
        char w[96];
        who(chip, f, w, sizeof w);
        int k = f->core >= 0
                    ? snprintf(buf + used, len - used, "%s%s faulted at pc 0x%x: %s (address 0x%llx)",
                               i ? "; " : "", w, f->pc, f->what, (unsigned long long)f->addr)
                    : snprintf(buf + used, len - used, "%s%s: %s", i ? "; " : "", w, f->what);
        used += k > 0 ? (size_t)k : 0;
    }
    if (chip->faults_dropped && used < len)
        snprintf(buf + used, len - used, "; and %u more", chip->faults_dropped);
    chip->n_faults = chip->faults_dropped = 0;
}
