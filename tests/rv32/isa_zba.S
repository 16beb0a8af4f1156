/* Zba address generation: shNadd rd, rs1, rs2 = (rs1 << N) + rs2, shifting rs1 (not rs2)
 * and dropping the bits shifted out of 32. */
#include "isa_macros.h"

    RVTEST_START

    TEST_RR 1, sh1add, 4, 1, 2
    TEST_RR 2, sh1add, 5, 0x80000000, 5
    TEST_RR 3, sh1add, 0, 0x7FFFFFFF, 2
    TEST_RR 4, sh1add, 0xFFFFFFFE, -1, 0
    TEST_RR 5, sh1add, 106, 3, 100

    TEST_RR 6, sh2add, 6, 1, 2
    TEST_RR 7, sh2add, 7, 0x40000000, 7
    TEST_RR 8, sh2add, 0x48D159F0, 0x12345678, 0x10
    TEST_RR 9, sh2add, 0, -1, 4
    TEST_RR 10, sh2add, 403, 3, 391

    TEST_RR 11, sh3add, 10, 1, 2
    TEST_RR 12, sh3add, 1, 0x20000000, 1
    TEST_RR 13, sh3add, 0x91A2B3BF, 0x12345678, 0xFFFFFFFF
    TEST_RR 14, sh3add, 0, 0xFFFFFFFF, 8
    TEST_RR 15, sh3add, 124, 3, 100

    TEST_RR_SAME 16, sh1add, 15, 5
    TEST_RR_SAME 17, sh2add, 25, 5
    TEST_RR_SAME 18, sh3add, 9, 1
    TEST_RR_X0 19, sh3add, 1, 2

    RVTEST_END
