/* Stores every register as it is out of reset, before anything writes one: x1..x31 at
 * REG_DUMP + 4 * n, f0..f31 at REG_DUMP + 128 + 4 * n (addressed from x0, so below
 * 0x800; built with the F extension, Makefile). Silicon zeroes
 * them all on leaving soft reset (ISA SoftReset.md); ttsim keeps what they held
 * (tests/ttsim/diff.h, known deviations). */
#include "isa_macros.h"

#define REG_DUMP 0x700

    RVTEST_START
    .irp r, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    sw x\r, (REG_DUMP + 4 * \r)(zero)
    .endr
    .irp r, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    fsw f\r, (REG_DUMP + 128 + 4 * \r)(zero)
    .endr
    RVTEST_END
