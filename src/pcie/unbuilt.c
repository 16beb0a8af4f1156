/* The backend whose implementation has not landed yet (kmd): it exists so that asking for
 * it by name gives a clear error instead of "unknown backend". The ttsim backend is in
 * ttsim.c. */
#include <errno.h>

#include "../util/err.h"
#include "pcie.h"

static int kmd_open(struct ttm_pcie *p, const struct ttm_device_opts *opts)
{
    (void)p, (void)opts;
    return err_set(-ENOSYS, "backend kmd: not built yet");
}

const struct ttm_pcie_ops pcie_kmd_ops = {.name = "kmd", .open = kmd_open};
