/* Start-up for C test programs: stack in local RAM, clear .bss, run main, publish its
 * return value at RV_SIG - 4 and RV_DONE_PASS at RV_DONE, then spin. */
#include "rvtest.h"
    .section .text.start
    .globl _start
_start:
    li sp, 0xFFB01FF0
    la t0, __bss_start
    la t1, __bss_end
1:  bgeu t0, t1, 2f
    sw zero, 0(t0)
    addi t0, t0, 4
    j 1b
2:  call main
    li t0, RV_SIG - 4
    sw a0, 0(t0)
    li t0, RV_DONE
    li t1, RV_DONE_PASS
    sw t1, 0(t0)
3:  j 3b
