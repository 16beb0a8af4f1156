/* Every operation of the cores' F subset (and PACK, BREV8) on operand triples the host
 * left at FP_IN: results go to FP_OUT, FP_OPS words per triple. Built with the F
 * extension (Makefile); the host compares with ttsim, and with its own IEEE arithmetic
 * where the cores' arithmetic is IEEE (tests/isa/instructions.c). */
#include <stdint.h>

#include "fp_ops.h"
#include "rvtest.h"

#define F1(op, d, a) __asm__ volatile("fmv.w.x ft0, %1\n" op " ft1, ft0\nfmv.x.w %0, ft1" : "=r"(d) : "r"(a) : "ft0", "ft1")
#define F2(op, d, a, b)                                                                 \
    __asm__ volatile("fmv.w.x ft0, %1\nfmv.w.x ft1, %2\n" op " ft2, ft0, ft1\nfmv.x.w %0, ft2" \
                     : "=r"(d) : "r"(a), "r"(b) : "ft0", "ft1", "ft2")
#define F3(op, d, a, b, c)                                                              \
    __asm__ volatile("fmv.w.x ft0, %1\nfmv.w.x ft1, %2\nfmv.w.x ft2, %3\n" op              \
                     " ft3, ft0, ft1, ft2\nfmv.x.w %0, ft3"                               \
                     : "=r"(d) : "r"(a), "r"(b), "r"(c) : "ft0", "ft1", "ft2", "ft3")
#define FX(op, d, a, b)                                                                 \
    __asm__ volatile("fmv.w.x ft0, %1\nfmv.w.x ft1, %2\n" op " %0, ft0, ft1"              \
                     : "=r"(d) : "r"(a), "r"(b) : "ft0", "ft1")
#define TOX(op, d, a) __asm__ volatile("fmv.w.x ft0, %1\n" op : "=r"(d) : "r"(a) : "ft0")
#define FROMX(op, d, a) __asm__ volatile(op " ft0, %1\nfmv.x.w %0, ft0" : "=r"(d) : "r"(a) : "ft0")

int main(void)
{
    const volatile uint32_t *in = (const volatile uint32_t *)(uintptr_t)FP_IN;
    volatile uint32_t *out = (volatile uint32_t *)(uintptr_t)FP_OUT;
    uint32_t n = *(volatile uint32_t *)(uintptr_t)FP_COUNT;
    for (uint32_t i = 0; i < n && i < FP_MAX; i++, in += 3, out += FP_OPS) {
        uint32_t a = in[0], b = in[1], c = in[2], r[FP_OPS];
        F2("fadd.s", r[FP_ADD], a, b);
        F2("fsub.s", r[FP_SUB], a, b);
        F2("fmul.s", r[FP_MUL], a, b);
        F3("fmadd.s", r[FP_MADD], a, b, c);
        F3("fmsub.s", r[FP_MSUB], a, b, c);
        F3("fnmsub.s", r[FP_NMSUB], a, b, c);
        F3("fnmadd.s", r[FP_NMADD], a, b, c);
        F2("fsgnj.s", r[FP_SGNJ], a, b);
        F2("fsgnjn.s", r[FP_SGNJN], a, b);
        F2("fsgnjx.s", r[FP_SGNJX], a, b);
        F2("fmin.s", r[FP_MIN], a, b);
        F2("fmax.s", r[FP_MAX_OP], a, b);
        FX("feq.s", r[FP_EQ], a, b);
        FX("flt.s", r[FP_LT], a, b);
        FX("fle.s", r[FP_LE], a, b);
        TOX("fcvt.w.s %0, ft0, rne", r[FP_CVT_W], a);
        TOX("fcvt.wu.s %0, ft0, dyn", r[FP_CVT_WU], a);
        FROMX("fcvt.s.w", r[FP_CVT_S_W], c);
        FROMX("fcvt.s.wu", r[FP_CVT_S_WU], c);
        TOX("fclass.s %0, ft0", r[FP_CLASS], a);
        __asm__ volatile(".insn r 0x33, 4, 4, %0, %1, %2" : "=r"(r[FP_PACK]) : "r"(a), "r"(b));
        __asm__ volatile(".insn i 0x13, 5, %0, %1, 0x687" : "=r"(r[FP_BREV8]) : "r"(a));
        for (unsigned k = 0; k < FP_OPS; k++)
            out[k] = r[k];
    }
    /* flw/fsw move the bits unchanged, denormals and NaNs included. */
    __asm__ volatile("flw ft0, 0(%0)\nfsw ft0, 0(%1)" : : "r"(FP_IN), "r"(FP_MOVED) : "ft0", "memory");
    return 0;
}
