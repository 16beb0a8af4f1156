/* Self-checking ISA test programs (isa_*.S) and fault programs (fault_*.S).
 *
 * A test case loads its operands, runs one instruction, and compares the result with a
 * constant worked out by hand from the RISC-V spec. Register roles inside the macros:
 * gp holds the number of the current case (reported on failure), a1/a2 the operands, a0
 * the result, t6 the expected value. Test bodies may use any other register freely.
 *
 * The top half is plain #defines so the host test can include this file too.
 */
#pragma once

#include "rvtest.h"

/* What the fault programs leave behind before their bad instruction: FAULT_MARKER at
 * FAULT_SIG_MARKER, and at FAULT_SIG_PC the PC the fault is expected to report. The host
 * may set FAULT_SIG_SEL before release to choose a variant (fault_illegal.S). */
#define FAULT_MARKER 0xFA017ED0
#define FAULT_SIG_MARKER (RV_SIG + 0)
#define FAULT_SIG_PC (RV_SIG + 4)
#define FAULT_SIG_SEL (RV_SIG + 8)
/* A fault program that runs on past its bad instruction writes this to RV_DONE. */
#define FAULT_WENT_PAST (RV_DONE_FAIL | 0xFFFFF)

/* isa_mem.S leaves this little-endian pattern at ISA_MEM_SIG, built with sb and sh. */
#define ISA_MEM_SIG (RV_SIG + 0x100)
#define ISA_MEM_SIG_W0 0x44332211
#define ISA_MEM_SIG_W1 0x88776655

#ifdef __ASSEMBLER__

/* Entry point where link.ld and the reset PC expect it. */
.macro RVTEST_START
    .section .text.start
    .globl _start
_start:
.endm

/* Fail unless \reg == \expect. Jumps with j (not a branch) so fail may be far away. */
.macro CHECK_REG n, reg, expect
    li gp, \n
    li t6, \expect
    beq \reg, t6, .Lok\@
    j fail
.Lok\@:
.endm

/* Fail unless \reg == \want (another register). */
.macro CHECK_SAME n, reg, want
    li gp, \n
    beq \reg, \want, .Lok\@
    j fail
.Lok\@:
.endm

/* Absolute address of a symbol without auipc, so auipc, jal and jalr can be checked
 * against it (programs are linked at 0). */
.macro LA_ABS reg, sym
    lui \reg, %hi(\sym)
    addi \reg, \reg, %lo(\sym)
.endm

/* rd, rs1, rs2 */
.macro TEST_RR n, op, expect, a, b
    li a1, \a
    li a2, \b
    \op a0, a1, a2
    CHECK_REG \n, a0, \expect
.endm

/* rd, rs1, imm */
.macro TEST_RI n, op, expect, a, imm
    li a1, \a
    \op a0, a1, \imm
    CHECK_REG \n, a0, \expect
.endm

/* rd, rs1 */
.macro TEST_R n, op, expect, a
    li a1, \a
    \op a0, a1
    CHECK_REG \n, a0, \expect
.endm

/* rd = rs1 = rs2: the instruction must read both sources before writing rd. */
.macro TEST_RR_SAME n, op, expect, a
    li a1, \a
    \op a1, a1, a1
    CHECK_REG \n, a1, \expect
.endm

/* Writes to x0 are discarded. */
.macro TEST_RR_X0 n, op, a, b
    li a1, \a
    li a2, \b
    \op x0, a1, a2
    CHECK_REG \n, x0, 0
.endm

/* Falling into pass means every case passed; fail reports the case number in gp. */
.macro RVTEST_END
pass:
    li t0, RV_DONE_PASS
    li t1, RV_DONE
    sw t0, 0(t1)
    j .
fail:
    li t0, RV_DONE_FAIL
    or t0, t0, gp
    li t1, RV_DONE
    sw t0, 0(t1)
    j .
.endm

/* Fault programs: record the marker and the PC expected in the fault report. */
.macro FAULT_REPORT pc_reg
    li t0, FAULT_SIG_PC
    sw \pc_reg, 0(t0)
    li t0, FAULT_MARKER
    li t1, FAULT_SIG_MARKER
    sw t0, 0(t1)
.endm

/* Reached only if the core ran past its bad instruction. */
.macro FAULT_WENT_ON
    li t0, FAULT_WENT_PAST
    li t1, RV_DONE
    sw t0, 0(t1)
    j .
.endm

#endif
