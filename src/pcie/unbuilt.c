/* Backends whose implementation has not landed yet: they exist so that asking for them by
 * name gives a clear error instead of "unknown backend". */
#include <errno.h>

#include "../util/err.h"
#include "pcie.h"

static int ttsim_open(struct ttm_pcie *p, const struct ttm_device_opts *opts)
{
    (void)p, (void)opts;
    return err_set(-ENOSYS, "backend ttsim: not built yet");
}

static int kmd_open(struct ttm_pcie *p, const struct ttm_device_opts *opts)
{
    (void)p, (void)opts;
    return err_set(-ENOSYS, "backend kmd: not built yet");
}

const struct ttm_pcie_ops pcie_ttsim_ops = {.name = "ttsim", .open = ttsim_open};
const struct ttm_pcie_ops pcie_kmd_ops = {.name = "kmd", .open = kmd_open};
