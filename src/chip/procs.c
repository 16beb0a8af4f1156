#include "procs.h"

#include "ttm/kernel/abi.h"

/* The Makefile links each image at its slot. */
const struct proc procs[BH_CORES_PER_TILE] = {
    [BH_BRISC] = {"firmware/brisc.elf", TTM_L1_FW_BRISC},
    [BH_NCRISC] = {"firmware/ncrisc.elf", TTM_L1_FW_NCRISC},
    [BH_TRISC0] = {"firmware/trisc0.elf", TTM_L1_FW_TRISC0},
    [BH_TRISC1] = {"firmware/trisc1.elf", TTM_L1_FW_TRISC1},
    [BH_TRISC2] = {"firmware/trisc2.elf", TTM_L1_FW_TRISC2},
};
