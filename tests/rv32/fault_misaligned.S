/* A word load from address 2, which is not 4-byte aligned. */
#include "isa_macros.h"

    RVTEST_START
    li a1, 2
    LA_ABS t3, .Lbad
    FAULT_REPORT t3
.Lbad:
    lw a0, 0(a1)
    FAULT_WENT_ON
