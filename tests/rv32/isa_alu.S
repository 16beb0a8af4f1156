/* RV32I integer computation: register-register and register-immediate ALU instructions,
 * lui and auipc. Edge cases: wrap-around, shift amounts taken from the low five bits,
 * signed versus unsigned comparison, sign-extended 12-bit immediates, x0 as destination. */
#include "isa_macros.h"

/* auipc \imm must give its own address plus \imm << 12 (mod 2^32). */
.macro TEST_AUIPC n, imm
.Lpc\@:
    auipc a0, \imm
    LA_ABS t5, .Lpc\@
    li t4, (\imm << 12)
    add t5, t5, t4
    CHECK_SAME \n, a0, t5
.endm

    RVTEST_START

    TEST_RR 1, add, 0, 0, 0
    TEST_RR 2, add, 2, 1, 1
    TEST_RR 3, add, 10, 3, 7
    TEST_RR 4, add, 0x80000000, 0x7FFFFFFF, 1
    TEST_RR 5, add, 0, 0xFFFFFFFF, 1
    TEST_RR 6, add, 0, 0x80000000, 0x80000000
    TEST_RR 7, add, 0xFFFFFFFE, -5, 3
    TEST_RR 8, add, 0x22222221, 0x12345678, 0x0FEDCBA9

    TEST_RR 9, sub, 0, 0, 0
    TEST_RR 10, sub, 0xFFFFFFFC, 3, 7
    TEST_RR 11, sub, 0x7FFFFFFF, 0x80000000, 1
    TEST_RR 12, sub, 0x80000000, 0, 0x80000000
    TEST_RR 13, sub, 0, 0xFFFFFFFF, 0xFFFFFFFF
    TEST_RR 14, sub, 0x12345678, 0x22222221, 0x0FEDCBA9

    TEST_RR 15, and, 0x0F000F00, 0xFF00FF00, 0x0FF00FF0
    TEST_RR 16, or, 0xFFF0FFF0, 0xFF00FF00, 0x0FF00FF0
    TEST_RR 17, xor, 0xF0F0F0F0, 0xFF00FF00, 0x0FF00FF0
    TEST_RR 18, and, 0, 0x12345678, 0

    /* Register shifts use only rs2[4:0]. */
    TEST_RR 19, sll, 1, 1, 0
    TEST_RR 20, sll, 0x80000000, 1, 31
    TEST_RR 21, sll, 0x23456780, 0x12345678, 4
    TEST_RR 22, sll, 1, 1, 32
    TEST_RR 23, sll, 2, 1, 33
    TEST_RR 24, sll, 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFE1
    TEST_RR 25, srl, 1, 0x80000000, 31
    TEST_RR 26, srl, 0x40000000, 0x80000000, 1
    TEST_RR 27, srl, 0x0FFFFFFF, 0xFFFFFFFF, 36
    TEST_RR 28, srl, 0x12345678, 0x12345678, 0
    TEST_RR 29, sra, 0xC0000000, 0x80000000, 1
    TEST_RR 30, sra, 0xFFFFFFFF, 0x80000000, 31
    TEST_RR 31, sra, 0, 0x7FFFFFFF, 31
    TEST_RR 32, sra, 0xF8765432, 0x87654321, 4
    TEST_RR 33, sra, 0x20000000, 0x40000000, 33

    TEST_RR 34, slt, 0, 0, 0
    TEST_RR 35, slt, 1, -1, 0
    TEST_RR 36, slt, 0, 0, -1
    TEST_RR 37, slt, 1, 0x80000000, 0x7FFFFFFF
    TEST_RR 38, slt, 0, 0x7FFFFFFF, 0x80000000
    TEST_RR 39, sltu, 1, 0, 0xFFFFFFFF
    TEST_RR 40, sltu, 0, 0xFFFFFFFF, 0
    TEST_RR 41, sltu, 0, 0x80000000, 0x7FFFFFFF
    TEST_RR 42, sltu, 0, 5, 5
    TEST_RR 43, sltu, 1, 4, 5

    TEST_RR_SAME 44, add, 0x80000002, 0x40000001
    TEST_RR_SAME 45, sub, 0, 0x12345678
    TEST_RR_SAME 46, xor, 0, 0x12345678
    TEST_RR_SAME 47, sltu, 0, 0x12345678
    TEST_RR_X0 48, add, 5, 6
    add a0, x0, x0
    CHECK_REG 49, a0, 0
    li a1, 1
    sub a0, x0, a1
    CHECK_REG 50, a0, 0xFFFFFFFF

    /* Immediates are 12 bits, sign-extended, for every I-type ALU op (sltiu too). */
    TEST_RI 51, addi, 0, 0, 0
    TEST_RI 52, addi, 0x800, 1, 2047
    TEST_RI 53, addi, 0xFFFFF801, 1, -2048
    TEST_RI 54, addi, 0x80000000, 0x7FFFFFFF, 1
    TEST_RI 55, addi, 0xFFFFFFFF, 0, -1
    TEST_RI 56, slti, 1, -1, 0
    TEST_RI 57, slti, 0, 0, -2048
    TEST_RI 58, slti, 1, 0x80000000, 0
    TEST_RI 59, slti, 0, 2047, 2047
    TEST_RI 60, sltiu, 1, 0, 1
    TEST_RI 61, sltiu, 0, 1, 1
    TEST_RI 62, sltiu, 1, 0xFFFFFFFE, -1
    TEST_RI 63, sltiu, 0, 0xFFFFFFFF, -1
    TEST_RI 64, sltiu, 0, 0x800, 0x7FF
    TEST_RI 65, andi, 0x12345678, 0x12345678, -1
    TEST_RI 66, andi, 0x70, 0x12345678, 0x0F0
    TEST_RI 67, andi, 0xFFFFF800, 0xFFFFFFFF, -2048
    TEST_RI 68, ori, 0x123407FF, 0x12340000, 0x7FF
    TEST_RI 69, ori, 0xFFFFF800, 0, -2048
    TEST_RI 70, xori, 0xEDCBA987, 0x12345678, -1
    TEST_RI 71, xori, 0xFFF0, 0xFF00, 0x0F0
    TEST_RI 72, slli, 0x80000000, 1, 31
    TEST_RI 73, slli, 0x34567800, 0x12345678, 8
    TEST_RI 74, srli, 1, 0x80000000, 31
    TEST_RI 75, srli, 0xFFFFFFFF, 0xFFFFFFFF, 0
    TEST_RI 76, srli, 0x00876543, 0x87654321, 8
    TEST_RI 77, srai, 0xFF876543, 0x87654321, 8
    TEST_RI 78, srai, 0xFFFFFFFF, 0x80000000, 31
    TEST_RI 79, srai, 1, 0x7FFFFFFF, 30
    addi x0, x0, 5
    CHECK_REG 80, x0, 0

    lui a0, 0
    CHECK_REG 81, a0, 0
    lui a0, 0x80000
    CHECK_REG 82, a0, 0x80000000
    lui a0, 0xFFFFF
    CHECK_REG 83, a0, 0xFFFFF000
    lui a0, 0x12345
    addi a0, a0, 0x678
    CHECK_REG 84, a0, 0x12345678

    TEST_AUIPC 85, 0
    TEST_AUIPC 86, 1
    TEST_AUIPC 87, 0xFFFFF
    TEST_AUIPC 88, 0x80000

    RVTEST_END
