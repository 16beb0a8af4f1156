/* A load from 0x00200000: past the end of L1 (0x180000), below the local RAM, unmapped. */
#include "isa_macros.h"

    RVTEST_START
    li a1, 0x00200000
    LA_ABS t3, .Lbad
    FAULT_REPORT t3
.Lbad:
    lw a0, 0(a1)
    FAULT_WENT_ON
