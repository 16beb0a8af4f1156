/* A trivial firmware for every core: wait for a non-zero word at IDLE_MAILBOX, then go
 * back to waiting. Position independent, so the same image serves all five reset PCs. */
#define IDLE_MAILBOX 0x20000
    .section .text.start
    .globl _start
_start:
    li t0, IDLE_MAILBOX
1:  lw t1, 0(t0)
    beqz t1, 1b
    sw zero, 0(t0)
    j 1b
