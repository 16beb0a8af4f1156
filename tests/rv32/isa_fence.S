/* fence and fence.i: on a single in-order core they change neither registers nor memory
 * and execution continues at the next instruction. fence.i must also make earlier stores
 * to instruction memory visible to fetch, even for code that already ran. */
#include "isa_macros.h"

    RVTEST_START

    li s0, RV_SIG
    li s1, 0x13572468
    sw s1, 0(s0)
    li a0, 0
    fence
    addi a0, a0, 1
    fence rw, rw
    addi a0, a0, 1
    fence r, r
    addi a0, a0, 1
    fence w, w
    addi a0, a0, 1
    fence iorw, iorw
    addi a0, a0, 1
    fence.i
    addi a0, a0, 1
    CHECK_REG 1, a0, 6
    CHECK_REG 2, s1, 0x13572468
    lw a1, 0(s0)
    CHECK_REG 3, a1, 0x13572468

    /* Self-modifying code: run patch_fn once so any decoded copy of it exists, then store
     * a new immediate into its addi (imm is bits 31:20) and run it again after fence.i. */
    jal ra, .Lpatch_fn
    CHECK_REG 4, a0, 1
    LA_ABS s2, .Lpatch
    lw t0, 0(s2)
    li t1, 1 << 20
    add t0, t0, t1
    sw t0, 0(s2)
    fence.i
    jal ra, .Lpatch_fn
    CHECK_REG 5, a0, 2

    RVTEST_END

.Lpatch_fn:
.Lpatch:
    addi a0, x0, 1
    ret
