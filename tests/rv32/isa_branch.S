/* Control transfer: the six conditional branches taken and not taken (signed and unsigned
 * edges, equal operands, backward targets), jal and jalr link values, jalr offsets and the
 * clearing of bit 0 of the jalr target. */
#include "isa_macros.h"

/* The branch must go to its target; falling through fails. */
.macro TEST_BR_TAKEN n, op, a, b
    li gp, \n
    li a1, \a
    li a2, \b
    \op a1, a2, .Ltaken\@
    j fail
.Ltaken\@:
.endm

/* The branch must fall through; reaching its target fails. */
.macro TEST_BR_NOT n, op, a, b
    li gp, \n
    li a1, \a
    li a2, \b
    \op a1, a2, .Lbad\@
    j .Lok\@
.Lbad\@:
    j fail
.Lok\@:
.endm

/* jalr a0, \off(t0) with t0 = target - \off + \bit0 must land on target (bit 0 of the sum
 * is cleared) and leave the address after the jalr in a0. */
.macro TEST_JALR n, off, bit0
    li gp, \n
    LA_ABS t0, .Ltgt\@
    li t4, \bit0 - (\off)
    add t0, t0, t4
    jalr a0, \off(t0)
.Lret\@:
    j fail
.Ltgt\@:
    LA_ABS t5, .Lret\@
    CHECK_SAME \n, a0, t5
.endm

    RVTEST_START

    TEST_BR_TAKEN 1, beq, 0, 0
    TEST_BR_TAKEN 2, beq, 0x80000000, 0x80000000
    TEST_BR_TAKEN 3, beq, -1, -1
    TEST_BR_NOT 4, beq, 0, 1
    TEST_BR_NOT 5, beq, 0x80000000, 0
    TEST_BR_NOT 6, beq, 0xFFFFFFFF, 0x7FFFFFFF

    TEST_BR_TAKEN 7, bne, 0, 1
    TEST_BR_TAKEN 8, bne, 0xFFFFFFFF, 0x7FFFFFFF
    TEST_BR_NOT 9, bne, 5, 5
    TEST_BR_NOT 10, bne, 0x80000000, 0x80000000

    TEST_BR_TAKEN 11, blt, -1, 0
    TEST_BR_TAKEN 12, blt, 0x80000000, 0x7FFFFFFF
    TEST_BR_TAKEN 13, blt, -2, -1
    TEST_BR_TAKEN 14, blt, 0, 1
    TEST_BR_NOT 15, blt, 0, -1
    TEST_BR_NOT 16, blt, 0x7FFFFFFF, 0x80000000
    TEST_BR_NOT 17, blt, 1, 1

    TEST_BR_TAKEN 18, bge, 0, -1
    TEST_BR_TAKEN 19, bge, 1, 1
    TEST_BR_TAKEN 20, bge, 0x7FFFFFFF, 0x80000000
    TEST_BR_TAKEN 21, bge, -1, -1
    TEST_BR_NOT 22, bge, -1, 0
    TEST_BR_NOT 23, bge, 0x80000000, 0x7FFFFFFF

    TEST_BR_TAKEN 24, bltu, 0, 0xFFFFFFFF
    TEST_BR_TAKEN 25, bltu, 0x7FFFFFFF, 0x80000000
    TEST_BR_TAKEN 26, bltu, 0, 1
    TEST_BR_NOT 27, bltu, 0xFFFFFFFF, 0
    TEST_BR_NOT 28, bltu, 0x80000000, 0x7FFFFFFF
    TEST_BR_NOT 29, bltu, 5, 5

    TEST_BR_TAKEN 30, bgeu, 0xFFFFFFFF, 0
    TEST_BR_TAKEN 31, bgeu, 5, 5
    TEST_BR_TAKEN 32, bgeu, 0x80000000, 0x7FFFFFFF
    TEST_BR_NOT 33, bgeu, 0, 0xFFFFFFFF
    TEST_BR_NOT 34, bgeu, 0x7FFFFFFF, 0x80000000

    /* Comparisons against x0 and of a register with itself. */
    li gp, 35
    li a1, 0x80000000
    bge a1, x0, .Lfail_near
    bltu a1, x0, .Lfail_near
    blt a1, a1, .Lfail_near
    bgeu x0, a1, .Lfail_near
    li gp, 36
    blt a1, x0, 1f
    j fail
1:  bge a1, a1, 1f
    j fail
1:  bgeu a1, a1, 1f
    j fail
1:  bne x0, x0, .Lfail_near

    /* A taken branch does not execute the instruction after it (no delay slot). */
    li a0, 0
    beq x0, x0, 1f
    addi a0, a0, 1
1:  CHECK_REG 37, a0, 0

    /* Backward taken branches: a five-iteration loop. */
    li a0, 0
    li a1, 5
1:  addi a0, a0, 1
    bne a0, a1, 1b
    CHECK_REG 38, a0, 5
    j .Ljal

.Lfail_near:
    j fail

    /* jal forward: link = address of the jal + 4, the next instruction is skipped. */
.Ljal:
    li gp, 39
    jal a0, .Ljal_tgt
.Ljal_ret:
    j fail
.Ljal_tgt:
    LA_ABS t5, .Ljal_ret
    CHECK_SAME 39, a0, t5

    /* jal backward, linking in ra. */
    li gp, 40
    j .Ljal_back_from
.Ljal_back_tgt:
    LA_ABS t5, .Ljal_back_ret
    CHECK_SAME 40, ra, t5
    j .Ljal_done
.Ljal_back_from:
    jal ra, .Ljal_back_tgt
.Ljal_back_ret:
    j fail
.Ljal_done:

    /* jal x0 (j) links nothing. */
    li gp, 41
    j 1f
    j fail
1:  CHECK_REG 41, x0, 0

    TEST_JALR 42, 0, 0
    TEST_JALR 43, 4, 0
    TEST_JALR 44, -8, 0
    TEST_JALR 45, 2047, 0
    TEST_JALR 46, -2048, 0
    TEST_JALR 47, 0, 1
    TEST_JALR 48, 1, 1
    TEST_JALR 49, -2047, 1

    /* rd == rs1: the target comes from the old value, then rd gets the link. */
    li gp, 50
    LA_ABS t0, .Lsame_tgt
    jalr t0, 0(t0)
.Lsame_ret:
    j fail
.Lsame_tgt:
    LA_ABS t5, .Lsame_ret
    CHECK_SAME 50, t0, t5

    /* jalr x0 (jr) links nothing. */
    li gp, 51
    LA_ABS t0, .Ljr_tgt
    jr t0
    j fail
.Ljr_tgt:
    CHECK_REG 51, x0, 0

    RVTEST_END
