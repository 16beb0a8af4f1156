/* Zbb basic bit manipulation: logic with negation, counts (clz/ctz/cpop, 32 for zero
 * input where defined), signed and unsigned min/max, sign and zero extension, rotates
 * (register amounts use rs2[4:0]), orc.b and rev8. */
#include "isa_macros.h"

    RVTEST_START

    TEST_RR 1, andn, 0xF000F000, 0xFF00FF00, 0x0FF00FF0
    TEST_RR 2, andn, 0x12345678, 0x12345678, 0
    TEST_RR_SAME 3, andn, 0, 0x12345678
    TEST_RR 4, orn, 0xFF0FFF0F, 0xFF00FF00, 0x0FF00FF0
    TEST_RR 5, orn, 0xFFFFFFFF, 0, 0
    TEST_RR_SAME 6, orn, 0xFFFFFFFF, 0x12345678
    TEST_RR 7, xnor, 0x0F0F0F0F, 0xFF00FF00, 0x0FF00FF0
    TEST_RR 8, xnor, 0xFFFFFFFF, 0, 0
    TEST_RR_SAME 9, xnor, 0xFFFFFFFF, 0x12345678

    TEST_R 10, clz, 32, 0
    TEST_R 11, clz, 31, 1
    TEST_R 12, clz, 0, 0x80000000
    TEST_R 13, clz, 15, 0x00010000
    TEST_R 14, clz, 16, 0x0000FFFF
    TEST_R 15, clz, 1, 0x7FFFFFFF
    TEST_R 16, ctz, 32, 0
    TEST_R 17, ctz, 0, 1
    TEST_R 18, ctz, 31, 0x80000000
    TEST_R 19, ctz, 16, 0x00010000
    TEST_R 20, ctz, 16, 0xFFFF0000
    TEST_R 21, ctz, 1, 6
    TEST_R 22, cpop, 0, 0
    TEST_R 23, cpop, 32, 0xFFFFFFFF
    TEST_R 24, cpop, 2, 0x80000001
    TEST_R 25, cpop, 13, 0x12345678

    TEST_RR 26, max, 1, -1, 1
    TEST_RR 27, max, 0x7FFFFFFF, 0x80000000, 0x7FFFFFFF
    TEST_RR 28, max, -3, -5, -3
    TEST_RR 29, maxu, 0xFFFFFFFF, -1, 1
    TEST_RR 30, maxu, 0x80000000, 0x80000000, 0x7FFFFFFF
    TEST_RR 31, min, 0xFFFFFFFF, -1, 1
    TEST_RR 32, min, 0x80000000, 0x80000000, 0x7FFFFFFF
    TEST_RR 33, min, -5, -3, -5
    TEST_RR 34, minu, 1, -1, 1
    TEST_RR 35, minu, 0x7FFFFFFF, 0x80000000, 0x7FFFFFFF
    TEST_RR 36, minu, 0, 0, 0xFFFFFFFF

    TEST_R 37, sext.b, 0xFFFFFF80, 0x80
    TEST_R 38, sext.b, 0x7F, 0x7F
    TEST_R 39, sext.b, 0xFFFFFF80, 0x12345680
    TEST_R 40, sext.b, 0, 0xFFFFFF00
    TEST_R 41, sext.h, 0xFFFF8000, 0x8000
    TEST_R 42, sext.h, 0x7FFF, 0x7FFF
    TEST_R 43, sext.h, 0xFFFF8001, 0x12348001
    TEST_R 44, sext.h, 0, 0xFFFF0000
    TEST_R 45, zext.h, 0x8000, 0xFFFF8000
    TEST_R 46, zext.h, 0x5678, 0x12345678

    TEST_RR 47, rol, 3, 0x80000001, 1
    TEST_RR 48, rol, 0x23456781, 0x12345678, 4
    TEST_RR 49, rol, 0x12345678, 0x12345678, 32
    TEST_RR 50, rol, 0x23456781, 0x12345678, 36
    TEST_RR 51, rol, 0x12345678, 0x12345678, 0
    TEST_RR 52, ror, 0x80000001, 3, 1
    TEST_RR 53, ror, 0x81234567, 0x12345678, 4
    TEST_RR 54, ror, 0x23456781, 0x12345678, 0xFFFFFFFC
    TEST_RI 55, rori, 0x81234567, 0x12345678, 4
    TEST_RI 56, rori, 2, 1, 31
    TEST_RI 57, rori, 0x12345678, 0x12345678, 0

    TEST_R 58, orc.b, 0x00FF0000, 0x00010000
    TEST_R 59, orc.b, 0xFF00FF00, 0x12003400
    TEST_R 60, orc.b, 0, 0
    TEST_R 61, orc.b, 0xFFFFFFFF, 0x80808080
    TEST_R 62, orc.b, 0xFF, 1
    TEST_R 63, rev8, 0x78563412, 0x12345678
    TEST_R 64, rev8, 0xFF000000, 0xFF

    TEST_RR_SAME 65, max, 0x80000000, 0x80000000
    TEST_RR_SAME 66, rol, 0x00000048, 0x80000004
    TEST_RR_X0 67, ror, 1, 1
    li a1, 0x12345678
    clz x0, a1
    CHECK_REG 68, x0, 0

    RVTEST_END
