/* The processors of a Tensix worker as the runtime runs them, indexed by enum bh_core
 * (BRISC, NCRISC, TRISC0-2). What the hardware says of each (name, reset bit, reset-PC
 * registers) is bh_core_desc() in ttm/blackhole.h; this adds our worker firmware. The
 * index is also the processor's slot in the launch message's per-processor arrays and in
 * the mailbox's postcodes (ttm/kernel/abi.h). */
#pragma once

#include <stdint.h>

#include "ttm/blackhole.h"

struct proc {
    const char *worker_fw;      /* embedded worker firmware image; NULL: none, the
                                 * processor stays in reset */
    uint32_t fw_slot;           /* L1 address its firmware image is linked at */
};

extern const struct proc procs[BH_CORES_PER_TILE];
