/* Copies the word at local-RAM offset 0x100 to L1 0x20030 whenever it changes: a poll
 * loop on local RAM, which other cores and the NoC reach through the slow-path alias. */
    .section .text.start
    .globl _start
_start:
    li t0, 0xFFB00100
    li t2, 0x20030
    li t3, 0
1:  lw t1, 0(t0)
    beq t1, t3, 1b
    mv t3, t1
    sw t1, 0(t2)
    j 1b
