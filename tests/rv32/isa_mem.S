/* Loads and stores: every width at every byte offset, sign versus zero extension, negative
 * offsets, partial stores into a word, L1 (program area, RV_SIG, the last L1 word) and
 * BRISC's local data RAM at 0xFFB00000..0xFFB01FFF, which must not alias L1. Leaves a
 * pattern at ISA_MEM_SIG for the host to read back. */
#include "isa_macros.h"

/* \op a0, \off(\base), then a0 must equal \expect. */
.macro TEST_LD n, op, expect, off, base
    \op a0, \off(\base)
    CHECK_REG \n, a0, \expect
.endm

    RVTEST_START

    /* The first instruction word, read before anything is stored anywhere. */
    lw s3, 0(x0)

    li s0, RV_SIG
    li t0, 0x80FF7F01
    sw t0, 0(s0)
    li t0, 0x12345678
    sw t0, 4(s0)

    /* Little-endian bytes of 0x80FF7F01: 01 7F FF 80. */
    TEST_LD 1, lw, 0x80FF7F01, 0, s0
    TEST_LD 2, lb, 0x01, 0, s0
    TEST_LD 3, lb, 0x7F, 1, s0
    TEST_LD 4, lb, 0xFFFFFFFF, 2, s0
    TEST_LD 5, lb, 0xFFFFFF80, 3, s0
    TEST_LD 6, lbu, 0x01, 0, s0
    TEST_LD 7, lbu, 0x7F, 1, s0
    TEST_LD 8, lbu, 0xFF, 2, s0
    TEST_LD 9, lbu, 0x80, 3, s0
    TEST_LD 10, lh, 0x7F01, 0, s0
    TEST_LD 11, lh, 0xFFFF80FF, 2, s0
    TEST_LD 12, lhu, 0x7F01, 0, s0
    TEST_LD 13, lhu, 0x80FF, 2, s0
    TEST_LD 14, lw, 0x12345678, 4, s0
    TEST_LD 15, lh, 0x5678, 4, s0
    TEST_LD 16, lh, 0x1234, 6, s0
    TEST_LD 17, lb, 0x78, 4, s0
    TEST_LD 18, lb, 0x12, 7, s0

    /* Negative offsets from a base past the data. */
    addi s1, s0, 8
    TEST_LD 19, lw, 0x12345678, -4, s1
    TEST_LD 20, lw, 0x80FF7F01, -8, s1
    TEST_LD 21, lbu, 0x80, -5, s1
    TEST_LD 22, lh, 0xFFFF80FF, -6, s1

    /* Exactly the sign bit of a halfword. */
    li t0, 0x00008000
    sw t0, 8(s0)
    TEST_LD 23, lh, 0xFFFF8000, 8, s0
    TEST_LD 24, lhu, 0x8000, 8, s0
    TEST_LD 25, lh, 0, 10, s0

    /* Partial stores write only their bytes and ignore the upper bits of rs2. */
    sw x0, 8(s0)
    li t0, 0x123456AB
    sb t0, 9(s0)
    TEST_LD 26, lw, 0x0000AB00, 8, s0
    li t0, 0xFFFFCDEF
    sh t0, 10(s0)
    TEST_LD 27, lw, 0xCDEFAB00, 8, s0
    li t0, 0x11
    sb t0, 8(s0)
    TEST_LD 28, lw, 0xCDEFAB11, 8, s0
    li t0, 0xABCD7777
    sh t0, 8(s0)
    TEST_LD 29, lw, 0xCDEF7777, 8, s0
    li t0, 0x80
    sb t0, 11(s0)
    TEST_LD 30, lw, 0x80EF7777, 8, s0
    TEST_LD 31, lw, 0x12345678, 4, s0    /* neighbours untouched */
    sw x0, 8(s0)
    TEST_LD 32, lw, 0, 8, s0

    /* rd == rs1, and x0 as a load destination. */
    mv a0, s0
    lw a0, 0(a0)
    CHECK_REG 33, a0, 0x80FF7F01
    lw x0, 0(s0)
    CHECK_REG 34, x0, 0

    /* Constants inside the program image. */
    LA_ABS s1, .Ldata
    TEST_LD 35, lw, 0xCAFEF00D, 0, s1
    TEST_LD 36, lb, 0xFFFFFFCA, 3, s1
    TEST_LD 37, lhu, 0xF00D, 0, s1

    /* The last word of L1 and a word at 1 MiB. */
    li s1, 0x17FFFC
    li t0, 0xA5A55A5A
    sw t0, 0(s1)
    TEST_LD 38, lw, 0xA5A55A5A, 0, s1
    TEST_LD 39, lbu, 0xA5, 3, s1
    TEST_LD 40, lh, 0x5A5A, 0, s1
    li s1, 0x100000
    li t0, 0x01020304
    sw t0, 0(s1)
    TEST_LD 41, lw, 0x01020304, 0, s1

    /* Local data RAM: first and last words, every width, sign extension. */
    li s2, 0xFFB00000
    li t0, 0x11223344
    sw t0, 0(s2)
    TEST_LD 42, lw, 0x11223344, 0, s2
    TEST_LD 43, lbu, 0x11, 3, s2
    TEST_LD 44, lh, 0x1122, 2, s2
    TEST_LD 45, lb, 0x44, 0, s2
    li t0, 0x80
    sb t0, 1(s2)
    TEST_LD 46, lb, 0xFFFFFF80, 1, s2
    TEST_LD 47, lw, 0x11228044, 0, s2
    li t0, 0xFEDC
    sh t0, 2(s2)
    TEST_LD 48, lh, 0xFFFFFEDC, 2, s2
    TEST_LD 49, lw, 0xFEDC8044, 0, s2
    li s1, 0xFFB01FFC
    li t0, 0xDEADBEEF
    sw t0, 0(s1)
    TEST_LD 50, lw, 0xDEADBEEF, 0, s1
    li t0, 0x7A
    sb t0, 3(s1)
    TEST_LD 51, lw, 0x7AADBEEF, 0, s1
    li t0, 0x9988
    sh t0, 0(s1)
    TEST_LD 52, lw, 0x7AAD9988, 0, s1
    TEST_LD 53, lhu, 0x7AAD, 2, s1
    TEST_LD 54, lw, 0xFEDC8044, 0, s2    /* first word untouched */

    /* The local RAM is not L1: L1 address 0 still holds the first instruction. */
    lw a0, 0(x0)
    CHECK_SAME 55, a0, s3

    /* Signature for the host, built from byte and halfword stores. */
    li s1, ISA_MEM_SIG
    li t0, 0x11
    sb t0, 0(s1)
    li t0, 0x22
    sb t0, 1(s1)
    li t0, 0x33
    sb t0, 2(s1)
    li t0, 0x44
    sb t0, 3(s1)
    li t0, 0x6655
    sh t0, 4(s1)
    li t0, 0x8877
    sh t0, 6(s1)
    TEST_LD 56, lw, ISA_MEM_SIG_W0, 0, s1
    TEST_LD 57, lw, ISA_MEM_SIG_W1, 4, s1

    RVTEST_END

    .p2align 2
.Ldata:
    .word 0xCAFEF00D
