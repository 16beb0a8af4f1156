/* M extension: the four multiplies (low word, and the high word for signed x signed,
 * signed x unsigned, unsigned x unsigned) and the four divisions, including the cases the
 * spec defines instead of trapping: x / 0 = all ones (divu: 2^32 - 1), x % 0 = x, and
 * signed overflow INT_MIN / -1 = INT_MIN with remainder 0. Division truncates toward
 * zero; the remainder takes the sign of the dividend. */
#include "isa_macros.h"

    RVTEST_START

    TEST_RR 1, mul, 0, 0, 0
    TEST_RR 2, mul, 21, 3, 7
    TEST_RR 3, mul, 0xFFFFFFEB, -3, 7
    TEST_RR 4, mul, 1, 0xFFFFFFFF, 0xFFFFFFFF
    TEST_RR 5, mul, 0x80000000, 0x80000000, 0xFFFFFFFF
    TEST_RR 6, mul, 0x242D2080, 0x12345678, 0x9ABCDEF0
    TEST_RR 7, mul, 0, 0x10000, 0x10000
    TEST_RR 8, mul, 1, 0x7FFFFFFF, 0x7FFFFFFF

    TEST_RR 9, mulh, 0, 0, 0
    TEST_RR 10, mulh, 0, 3, 7
    TEST_RR 11, mulh, 0, -1, -1
    TEST_RR 12, mulh, 0xFFFFFFFF, -1, 1
    TEST_RR 13, mulh, 0x40000000, 0x80000000, 0x80000000
    TEST_RR 14, mulh, 0xC0000000, 0x80000000, 0x7FFFFFFF
    TEST_RR 15, mulh, 0xF8CC93D6, 0x12345678, 0x9ABCDEF0
    TEST_RR 16, mulh, 0x3FFFFFFF, 0x7FFFFFFF, 0x7FFFFFFF

    /* mulhsu: rs1 signed, rs2 unsigned. */
    TEST_RR 17, mulhsu, 0xFFFFFFFF, -1, 0xFFFFFFFF
    TEST_RR 18, mulhsu, 0x80000000, 0x80000000, 0xFFFFFFFF
    TEST_RR 19, mulhsu, 0x7FFFFFFE, 0x7FFFFFFF, 0xFFFFFFFF
    TEST_RR 20, mulhsu, 0, 1, 0x80000000
    TEST_RR 21, mulhsu, 0xFFFFFFFF, -2, 1
    TEST_RR 22, mulhsu, 0x0B00EA4E, 0x12345678, 0x9ABCDEF0

    TEST_RR 23, mulhu, 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFF
    TEST_RR 24, mulhu, 1, 0x80000000, 2
    TEST_RR 25, mulhu, 0x0B00EA4E, 0x12345678, 0x9ABCDEF0
    TEST_RR 26, mulhu, 0, 3, 7

    TEST_RR 27, div, 3, 20, 6
    TEST_RR 28, div, 0xFFFFFFFD, -20, 6
    TEST_RR 29, div, 0xFFFFFFFD, 20, -6
    TEST_RR 30, div, 3, -20, -6
    TEST_RR 31, div, 0xFFFFFFFF, 20, 0
    TEST_RR 32, div, 0xFFFFFFFF, -20, 0
    TEST_RR 33, div, 0x80000000, 0x80000000, -1
    TEST_RR 34, div, 0x80000000, 0x80000000, 1
    TEST_RR 35, div, 0xC0000000, 0x80000000, 2
    TEST_RR 36, div, 0, 0, 5

    TEST_RR 37, divu, 3, 20, 6
    TEST_RR 38, divu, 0x7FFFFFFF, 0xFFFFFFFF, 2
    TEST_RR 39, divu, 0x2AAAAAA7, -20, 6
    TEST_RR 40, divu, 0xFFFFFFFF, 20, 0
    TEST_RR 41, divu, 0, 0x80000000, 0xFFFFFFFF
    TEST_RR 42, divu, 0xFFFFFFFF, 0, 0

    TEST_RR 43, rem, 2, 20, 6
    TEST_RR 44, rem, 0xFFFFFFFE, -20, 6
    TEST_RR 45, rem, 2, 20, -6
    TEST_RR 46, rem, 0xFFFFFFFE, -20, -6
    TEST_RR 47, rem, 20, 20, 0
    TEST_RR 48, rem, 0xFFFFFFEC, -20, 0
    TEST_RR 49, rem, 0, 0x80000000, -1
    TEST_RR 50, rem, 0xFFFFFFFE, 0x80000000, 3

    TEST_RR 51, remu, 2, 20, 6
    TEST_RR 52, remu, 2, -20, 6
    TEST_RR 53, remu, 20, 20, 0
    TEST_RR 54, remu, 0xFFFFFFFF, 0xFFFFFFFF, 0
    TEST_RR 55, remu, 0x80000000, 0x80000000, 0xFFFFFFFF

    TEST_RR_SAME 56, mul, 0xFFFE0001, 0xFFFF
    TEST_RR_SAME 57, mulhu, 0xFFFFFFFE, 0xFFFFFFFF
    TEST_RR_SAME 58, div, 1, -7
    TEST_RR_SAME 59, rem, 0, -7
    TEST_RR_SAME 60, divu, 0xFFFFFFFF, 0
    TEST_RR_SAME 61, remu, 0, 0
    TEST_RR_X0 62, mul, 3, 7
    TEST_RR_X0 63, div, 1, 0

    RVTEST_END
