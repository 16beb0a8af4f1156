/* A store to 0xFFB11000: between the local RAM and the debug registers, unmapped. */
#include "isa_macros.h"

    RVTEST_START
    li a1, 0xFFB11000
    li a2, 0x12345678
    LA_ABS t3, .Lbad
    FAULT_REPORT t3
.Lbad:
    sw a2, 0(a1)
    FAULT_WENT_ON
