/* With wake_reader.S on the same tile: three times, spins ~400 cycles, then records the
 * wall clock at 0x20100 + 8i and raises the flag at 0x20000 to i + 1. Position
 * independent. */
#include "rvtest.h"
    .section .text.start
    .globl _start
_start:
    li t0, 0x20000
    li t5, 0xFFB121F0
    li t3, 0
1:  li t4, 200
2:  addi t4, t4, -1
    bnez t4, 2b
    lw t1, 0(t5)
    slli t2, t3, 3
    add t2, t2, t0
    sw t1, 0x100(t2)
    addi t3, t3, 1
    sw t3, 0(t0)
    li t4, 3
    bltu t3, t4, 1b
3:  j 3b
