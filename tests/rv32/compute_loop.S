/* A compute-bound loop that never ends: an LCG, shifts, a multiply and a rotate on
 * registers only. Position independent, so it can run at any core's reset PC. */
    .section .text.start
    .globl _start
_start:
    li a0, 12345
    li a1, 1103515245
    li a2, 0
1:  mul a0, a0, a1
    addi a0, a0, 12
    srli a3, a0, 7
    xor a2, a2, a3
    rori a2, a2, 3
    sh1add a2, a2, a0
    andi a4, a2, 255
    add a2, a2, a4
    j 1b
