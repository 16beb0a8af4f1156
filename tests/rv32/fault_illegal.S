/* Illegal instructions, chosen by FAULT_SIG_SEL: 0 (default) an all-zero word, which
 * RISC-V reserves as illegal; 1 lr.w and 2 sc.w, since the cores have AMOs but not LR/SC. */
#include "isa_macros.h"

    RVTEST_START
    li t0, FAULT_SIG_SEL
    lw t2, 0(t0)
    li a1, RV_SIG + 0x20
    li t1, 1
    beq t2, t1, .Llr
    bnez t2, .Lsc

    LA_ABS t3, .Lzero
    FAULT_REPORT t3
.Lzero:
    .word 0
    FAULT_WENT_ON

.Llr:
    LA_ABS t3, .Llrw
    FAULT_REPORT t3
.Llrw:
    lr.w a0, (a1)
    FAULT_WENT_ON

.Lsc:
    LA_ABS t3, .Lscw
    FAULT_REPORT t3
.Lscw:
    sc.w a0, a2, (a1)
    FAULT_WENT_ON
