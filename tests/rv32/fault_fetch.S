/* A jump to 0x00300000, outside L1: the fetch there faults, so the reported PC is the
 * target, not the jump. */
#include "isa_macros.h"

    RVTEST_START
    li t3, 0x00300000
    FAULT_REPORT t3
    jr t3
    FAULT_WENT_ON
