/* Illegal instructions, chosen by FAULT_SIG_SEL: 0 (default) an all-zero word, which
 * RISC-V reserves as illegal; 1 lr.w and 2 sc.w, since the cores have AMOs but not LR/SC;
 * 3 fence.i, since they lack Zifencei. Then what Tenstorrent's simulator does not run
 * (the model refuses it too, so code that runs on the model runs on ttsim): 4 fence r,r;
 * 5 a read of the cycle counter CSR; 6 setting cfg0 bit 0; 7 csrrw with a destination. */
#include "isa_macros.h"

    RVTEST_START
    li t0, FAULT_SIG_SEL
    lw t2, 0(t0)
    li a1, RV_SIG + 0x20
    li t1, 1
    beq t2, t1, .Llr
    li t1, 3
    beq t2, t1, .Lfencei
    li t1, 4
    beq t2, t1, .Lfencerr
    li t1, 5
    beq t2, t1, .Lcycle
    li t1, 6
    beq t2, t1, .Lcfg0
    li t1, 7
    beq t2, t1, .Lcsrrw
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

.Lfencei:
    LA_ABS t3, .Lfi
    FAULT_REPORT t3
.Lfi:
    fence.i
    FAULT_WENT_ON

.Lfencerr:
    LA_ABS t3, .Lfrr
    FAULT_REPORT t3
.Lfrr:
    fence r, r
    FAULT_WENT_ON

.Lcycle:
    LA_ABS t3, .Lcyc
    FAULT_REPORT t3
.Lcyc:
    csrr a0, cycle
    FAULT_WENT_ON

.Lcfg0:
    li a2, 1
    LA_ABS t3, .Lcf
    FAULT_REPORT t3
.Lcf:
    csrs 0x7C0, a2
    FAULT_WENT_ON

.Lcsrrw:
    LA_ABS t3, .Lcw
    FAULT_REPORT t3
.Lcw:
    csrrw a0, 0x7C0, x0
    FAULT_WENT_ON
