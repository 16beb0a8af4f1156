/* ecall: with no trap handler to go to, the emulator stops the core and reports it. */
#include "isa_macros.h"

    RVTEST_START
    LA_ABS t3, .Lbad
    FAULT_REPORT t3
.Lbad:
    ecall
    FAULT_WENT_ON
