/* Zaamo on L1: every AMO*.W returns the old memory word in rd and leaves op(old, rs2) in
 * memory. A wrong old value fails with the case number, a wrong memory word with the case
 * number + 0x100. */
#include "isa_macros.h"

/* mem = \init; \op a0, rs2 = \val, (s0); then a0 == \init and mem == \expect. */
.macro TEST_AMO n, op, expect, init, val
    li t0, \init
    sw t0, 0(s0)
    li a2, \val
    \op a0, a2, (s0)
    CHECK_REG \n, a0, \init
    lw a1, 0(s0)
    CHECK_REG (\n + 0x100), a1, \expect
.endm

    RVTEST_START

    li s0, RV_SIG + 4

    TEST_AMO 1, amoswap.w, 0x22222222, 0x11111111, 0x22222222
    TEST_AMO 2, amoadd.w, 0x80000000, 0x7FFFFFFF, 1
    TEST_AMO 3, amoadd.w, 1, 0xFFFFFFFF, 2
    TEST_AMO 4, amoxor.w, 0xF0F0F0F0, 0xFF00FF00, 0x0FF00FF0
    TEST_AMO 5, amoand.w, 0x0F000F00, 0xFF00FF00, 0x0FF00FF0
    TEST_AMO 6, amoor.w, 0xFFF0FFF0, 0xFF00FF00, 0x0FF00FF0

    TEST_AMO 7, amomin.w, 0xFFFFFFFB, 0xFFFFFFFB, 3
    TEST_AMO 8, amomin.w, 0xFFFFFFFB, 3, 0xFFFFFFFB
    TEST_AMO 9, amomin.w, 0x80000000, 0x7FFFFFFF, 0x80000000
    TEST_AMO 10, amomax.w, 3, 0xFFFFFFFB, 3
    TEST_AMO 11, amomax.w, 0x7FFFFFFF, 0x80000000, 0x7FFFFFFF
    TEST_AMO 12, amominu.w, 3, 0xFFFFFFFB, 3
    TEST_AMO 13, amominu.w, 0x7FFFFFFF, 0x7FFFFFFF, 0x80000000
    TEST_AMO 14, amomaxu.w, 0xFFFFFFFB, 0xFFFFFFFB, 3
    TEST_AMO 15, amomaxu.w, 0x80000000, 0x7FFFFFFF, 0x80000000

    /* Ordering bits do not change the result. */
    TEST_AMO 16, amoadd.w.aq, 0x30, 0x10, 0x20
    TEST_AMO 17, amoadd.w.rl, 0x30, 0x10, 0x20
    TEST_AMO 18, amoadd.w.aqrl, 0x30, 0x10, 0x20
    TEST_AMO 19, amoswap.w.aqrl, 0, 0xFFFFFFFF, 0

    /* rd = x0 still updates memory. */
    li t0, 5
    sw t0, 0(s0)
    li a2, 7
    amoadd.w x0, a2, (s0)
    lw a1, 0(s0)
    CHECK_REG 20, a1, 12

    /* rd == rs2: the swap reads rs2 before writing the old value into it. */
    li t0, 0xAAAA
    sw t0, 0(s0)
    li a2, 0x5555
    amoswap.w a2, a2, (s0)
    CHECK_REG 21, a2, 0xAAAA
    lw a1, 0(s0)
    CHECK_REG 22, a1, 0x5555

    /* Only the addressed word changes. */
    li t0, 0x01010101
    sw t0, -4(s0)
    sw t0, 4(s0)
    li t0, 0
    sw t0, 0(s0)
    li a2, 0xFFFFFFFF
    amoor.w a0, a2, (s0)
    lw a1, -4(s0)
    CHECK_REG 23, a1, 0x01010101
    lw a1, 4(s0)
    CHECK_REG 24, a1, 0x01010101
    lw a1, 0(s0)
    CHECK_REG 25, a1, 0xFFFFFFFF

    /* The last word of L1. */
    li s0, 0x17FFFC
    TEST_AMO 26, amoadd.w, 0x12345678, 0x12340000, 0x5678
    TEST_AMO 27, amomaxu.w, 0xFFFFFFFF, 0x12345678, 0xFFFFFFFF

    RVTEST_END
