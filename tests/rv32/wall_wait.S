/* Busy-waits 600 wall-clock ticks (as Tensix firmware does at boot) and reports the
 * elapsed ticks at 0x20010. The wall clock changes on its own, so this loop must run. */
#include "rvtest.h"
    .section .text.start
    .globl _start
_start:
    li t0, 0xFFB121F0
    lw t1, 0(t0)
1:  lw t2, 0(t0)
    sub t3, t2, t1
    li t4, 600
    bltu t3, t4, 1b
    li t0, 0x20010
    sw t3, 0(t0)
    li t0, RV_DONE
    li t1, RV_DONE_PASS
    sw t1, 0(t0)
2:  j 2b
