/* Runs a slot once (a0 = 1), rewrites it to "li a0, 2" and runs it again: the second
 * run must see the new instruction. Result a0 of both runs at 0x20020 / 0x20024. */
#include "rvtest.h"
    .section .text.start
    .globl _start
_start:
    li s0, 0x20020
    call slot
    sw a0, 0(s0)
    la t0, slot
    li t1, 0x00200513        /* addi a0, x0, 2 */
    sw t1, 0(t0)
    fence                    /* the cores have no fence.i (no Zifencei) */
    call slot
    sw a0, 4(s0)
    li t0, RV_DONE
    li t1, RV_DONE_PASS
    sw t1, 0(t0)
1:  j 1b
slot:
    li a0, 1
    ret
