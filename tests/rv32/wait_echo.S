/* Waits for a non-zero word at 0x20000, answers it + 1 at 0x20004, counts answers at
 * 0x20008, clears the request and waits again. Position independent. */
    .section .text.start
    .globl _start
_start:
    li t0, 0x20000
    li t3, 0
1:  lw t1, 0(t0)
    beqz t1, 1b
    addi t1, t1, 1
    sw t1, 4(t0)
    addi t3, t3, 1
    sw t3, 8(t0)
    sw zero, 0(t0)
    j 1b
