/* With wake_writer.S on the same tile: for i = 1..3 waits (parked) until the flag at
 * 0x20000 reaches i, then records the wall clock at 0x20200 + 8i. A core must not see a
 * store before the time it was made. Position independent. */
#include "rvtest.h"
    .section .text.start
    .globl _start
_start:
    li t0, 0x20000
    li t5, 0xFFB121F0
    li t3, 0
1:  addi t3, t3, 1
2:  lw t1, 0(t0)
    bltu t1, t3, 2b
    lw t1, 0(t5)
    slli t2, t3, 3
    add t2, t2, t0
    sw t1, 0x200(t2)
    li t4, 3
    bltu t3, t4, 1b
3:  j 3b
