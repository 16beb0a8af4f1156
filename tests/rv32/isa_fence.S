/* fence: on a single in-order core it changes neither registers nor memory and execution
 * continues at the next instruction, whatever its form. Only the forms Tenstorrent's
 * simulator runs are used (rw,rw / r,rw / rw,w / iorw,iorw); the cores have no fence.i
 * (no Zifencei; see fault_illegal.S), so code rewritten by a store is fetched anew after a
 * plain fence in the model, as after a store seen by the NoC. */
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
    fence r, rw
    addi a0, a0, 1
    fence rw, w
    addi a0, a0, 1
    fence iorw, iorw
    addi a0, a0, 1
    CHECK_REG 1, a0, 5
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
    fence
    jal ra, .Lpatch_fn
    CHECK_REG 5, a0, 2

    RVTEST_END

.Lpatch_fn:
.Lpatch:
    addi a0, x0, 1
    ret
