/* Backend registry and the default choice (docs/architecture.md: explicit, never a silent
 * fallback after a failure). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pcie.h"

extern const struct ttm_pcie_ops pcie_emu_ops, pcie_ttsim_ops, pcie_kmd_ops;

const struct ttm_pcie_ops *pcie_backend(const char *name)
{
    static const struct ttm_pcie_ops *const all[] = {&pcie_emu_ops, &pcie_ttsim_ops,
                                                     &pcie_kmd_ops};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (!strcmp(all[i]->name, name))
            return all[i];
    return NULL;
}

const char *pcie_default_backend(void)
{
    const char *env = getenv("TTM_BACKEND");
    if (env && *env)
        return env;
    return access("/dev/tenstorrent/0", F_OK) == 0 ? "kmd" : "emu";
}
