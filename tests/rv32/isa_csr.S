/* Zicsr as Tenstorrent's simulator runs it on Blackhole: only cfg0 (0x7C0), only the bits
 * software may set there (1, 3, 18, 24), and only the forms csrr (csrrs with x0), csrs,
 * csrrs with a destination, csrw, csrwi and csrc. Every other CSR, cfg0 bit or form is
 * refused as an illegal instruction (fault_illegal.S). */
#include "isa_macros.h"

    RVTEST_START

    /* cfg0 starts at 0; csrw writes it. */
    csrr a0, 0x7C0
    CHECK_REG 1, a0, 0
    li a1, 0x0000000A
    csrw 0x7C0, a1
    csrr a0, 0x7C0
    CHECK_REG 2, a0, 0x0000000A

    /* csrrs returns the old value and sets the bits of rs1; csrs only sets. */
    li a1, 0x01000000
    csrrs a0, 0x7C0, a1
    CHECK_REG 3, a0, 0x0000000A
    csrr a0, 0x7C0
    CHECK_REG 4, a0, 0x0100000A
    li a1, 0x00040000
    csrs 0x7C0, a1
    csrr a0, 0x7C0
    CHECK_REG 5, a0, 0x0104000A

    /* csrc clears the bits of rs1. */
    li a1, 0x00000008
    csrc 0x7C0, a1
    csrr a0, 0x7C0
    CHECK_REG 6, a0, 0x01040002

    /* With rs1 = x0, csrrs only reads. */
    csrrs a0, 0x7C0, x0
    CHECK_REG 7, a0, 0x01040002

    /* csrwi: a 5-bit zero-extended uimm in place of rs1. */
    csrwi 0x7C0, 8
    csrr a0, 0x7C0
    CHECK_REG 8, a0, 8

    /* rd == rs1 for csrrs: the old value lands in the register it set bits from. */
    li a0, 0x00000002
    csrrs a0, 0x7C0, a0
    CHECK_REG 9, a0, 8
    csrr a0, 0x7C0
    CHECK_REG 10, a0, 0x0000000A

    /* Leave it as it was found. */
    csrw 0x7C0, x0
    csrr a0, 0x7C0
    CHECK_REG 11, a0, 0

    RVTEST_END
