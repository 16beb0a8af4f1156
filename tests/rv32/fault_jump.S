/* A taken jump or branch to an address 2 bytes past a word: the cores have no compressed
 * instructions, so the jump itself faults (RISC-V: instruction-address-misaligned, raised
 * by the jump; ttsim refuses it there) and reports its own PC, with rd unwritten.
 * FAULT_SIG_SEL: 0 jalr, 1 jal, 2 beq. */
#include "isa_macros.h"

    RVTEST_START
    li t4, FAULT_SIG_SEL
    lw t4, 0(t4)
    li t5, 1
    beq t4, t5, .Lsel1
    li t5, 2
    beq t4, t5, .Lsel2
    LA_ABS t6, .Lodd
    LA_ABS t3, .Ljalr
    FAULT_REPORT t3
.Ljalr:
    jalr t6, 0(t6)
    FAULT_WENT_ON
.Lsel1:
    LA_ABS t3, .Ljal
    FAULT_REPORT t3
.Ljal:
    jal ra, .Lodd
    FAULT_WENT_ON
.Lsel2:
    LA_ABS t3, .Lbr
    FAULT_REPORT t3
.Lbr:
    beq zero, zero, .Lodd
    FAULT_WENT_ON
/* Never run as code: .Lodd is 2 bytes past a word. */
    .p2align 2
.Ltarget:
    .2byte 0
.Lodd:
    .2byte 0
    .4byte 0
