/* F-extension forms the cores do not run, or ttsim refuses (so the model refuses them
 * too), chosen by FAULT_SIG_SEL, each as its instruction word: 0 fdiv.s, 1 fsqrt.s,
 * 2 fadd.s rounding to nearest even (rm 0; only the dynamic mode is taken), 3 fcvt.w.s
 * rounding towards zero (rm 1), 4 fadd.d, 5 flh (Zfh), 6 fmadd.s with rm 0, 7 a GREVI
 * other than brev8, 8 a read of fcsr. */
#include "isa_macros.h"

    .option norelax          /* .p2align below must not need linker relaxation */

    RVTEST_START
    li t0, FAULT_SIG_SEL
    lw t2, 0(t0)
    LA_ABS t3, .Ltable
    slli t4, t2, 3           /* entries: the word, then a jump to .Lwent */
    add t3, t3, t4
    FAULT_REPORT t3
    jr t3
.Lwent:
    FAULT_WENT_ON

    .p2align 3
.Ltable:
    .word 0x18107153         /* fdiv.s ft2, ft0, ft1 */
    j .Lwent
    .word 0x58007153         /* fsqrt.s ft2, ft0 */
    j .Lwent
    .word 0x00100153         /* fadd.s ft2, ft0, ft1, rne */
    j .Lwent
    .word 0xC0001553         /* fcvt.w.s a0, ft0, rtz */
    j .Lwent
    .word 0x02107153         /* fadd.d ft2, ft0, ft1 */
    j .Lwent
    .word 0x00001007         /* flh ft0, 0(zero) */
    j .Lwent
    .word 0x101001C3         /* fmadd.s ft3, ft0, ft1, ft2, rne */
    j .Lwent
    .word 0x68105513         /* grevi a0, zero, 1 */
    j .Lwent
    .word 0x00302573         /* csrr a0, fcsr */
    j .Lwent
