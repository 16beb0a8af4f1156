/* Zicsr: csrrw/csrrs/csrrc and the immediate forms on the four scratch CSRs 0x7C3..0x7C6
 * (old value to rd, then the write/set/clear), the counters mcycle/minstret and their
 * user aliases cycle/instret, and mhartid. */
#include "isa_macros.h"

    RVTEST_START

    /* csrrw returns the old value and writes the new one. */
    li a1, 0x12345678
    csrw 0x7C3, a1
    li a2, 0xCAFEBABE
    csrrw a0, 0x7C3, a2
    CHECK_REG 1, a0, 0x12345678
    csrr a0, 0x7C3
    CHECK_REG 2, a0, 0xCAFEBABE

    /* csrrs sets the bits of rs1, csrrc clears them. */
    li a1, 0x0000000F
    csrrs a0, 0x7C3, a1
    CHECK_REG 3, a0, 0xCAFEBABE
    csrr a0, 0x7C3
    CHECK_REG 4, a0, 0xCAFEBABF
    li a1, 0xFFFF0000
    csrrc a0, 0x7C3, a1
    CHECK_REG 5, a0, 0xCAFEBABF
    csrr a0, 0x7C3
    CHECK_REG 6, a0, 0x0000BABF

    /* With rs1 = x0, csrrs and csrrc only read. */
    csrrs a0, 0x7C3, x0
    CHECK_REG 7, a0, 0x0000BABF
    csrrc a0, 0x7C3, x0
    CHECK_REG 8, a0, 0x0000BABF
    csrr a0, 0x7C3
    CHECK_REG 9, a0, 0x0000BABF

    /* Immediate forms: a 5-bit zero-extended uimm in place of rs1. */
    li a1, 0xFFFFFFFF
    csrw 0x7C4, a1
    csrrwi a0, 0x7C4, 31
    CHECK_REG 10, a0, 0xFFFFFFFF
    csrr a0, 0x7C4
    CHECK_REG 11, a0, 31
    li a1, 0x100
    csrw 0x7C4, a1
    csrrsi a0, 0x7C4, 5
    CHECK_REG 12, a0, 0x100
    csrrci a0, 0x7C4, 1
    CHECK_REG 13, a0, 0x105
    csrrsi a0, 0x7C4, 0
    CHECK_REG 14, a0, 0x104
    csrrwi a0, 0x7C4, 0
    CHECK_REG 15, a0, 0x104
    csrr a0, 0x7C4
    CHECK_REG 16, a0, 0

    /* The four scratch registers are distinct. */
    li a1, 0x11111111
    csrw 0x7C3, a1
    li a1, 0x22222222
    csrw 0x7C4, a1
    li a1, 0x33333333
    csrw 0x7C5, a1
    li a1, 0x44444444
    csrw 0x7C6, a1
    csrr a0, 0x7C3
    CHECK_REG 17, a0, 0x11111111
    csrr a0, 0x7C4
    CHECK_REG 18, a0, 0x22222222
    csrr a0, 0x7C5
    CHECK_REG 19, a0, 0x33333333
    csrr a0, 0x7C6
    CHECK_REG 20, a0, 0x44444444

    /* rd == rs1: csrrw swaps the register and the CSR. */
    li a0, 0x55
    csrrw a0, 0x7C5, a0
    CHECK_REG 21, a0, 0x33333333
    csrr a0, 0x7C5
    CHECK_REG 22, a0, 0x55

    csrr a0, mhartid
    CHECK_REG 23, a0, 0

    /* A read of minstret returns the count before that instruction retires, so two reads
     * with ten instructions between them differ by 11. */
    csrr s0, minstret
    .rept 10
    nop
    .endr
    csrr s1, minstret
    sub a0, s1, s0
    CHECK_REG 24, a0, 11
    csrr s0, minstret
    csrr s1, instret
    sub a0, s1, s0
    CHECK_REG 25, a0, 1
    csrr s0, instret
    csrr s1, minstret
    sub a0, s1, s0
    CHECK_REG 26, a0, 1

    /* mcycle advances, cycle reads the same counter, and a core retiring at most one
     * instruction per cycle spends at least as many cycles as it retires instructions. */
    csrr s0, mcycle
    csrr s2, minstret
    li t0, 100
1:  addi t0, t0, -1
    bnez t0, 1b
    csrr s1, cycle
    csrr s3, minstret
    csrr s4, mcycle
    li gp, 27
    bgeu s0, s1, .Lfail_near
    li gp, 28
    bltu s4, s1, .Lfail_near
    sub a0, s3, s2
    CHECK_REG 29, a0, 203
    sub a1, s1, s0
    li gp, 30
    bltu a1, a0, .Lfail_near
    j .Ldone

.Lfail_near:
    j fail
.Ldone:
    RVTEST_END
