#include "procs.h"

#include "ttm/kernel/abi.h"

/* The TRISCs have no firmware of ours yet. The Makefile links each image at its slot. */
const struct proc procs[BH_CORES_PER_TILE] = {
    [BH_BRISC] = {"firmware/brisc.elf", TTM_L1_FW_BRISC},
    [BH_NCRISC] = {"firmware/ncrisc.elf", TTM_L1_FW_NCRISC},
};
