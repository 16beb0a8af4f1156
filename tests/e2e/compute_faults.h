/* Compute kernels that do what Tenstorrent's simulator refuses, with what the emulator
 * must report (the TRISC and the reason). tests/e2e/compute.c checks the reports and the
 * recovery; tests/ttsim/compute.c checks that ttsim stops on each as well. */
#pragma once

/* A compute kernel with `math` in its math thread's part and `unpack` in the unpack
 * thread's, after the usual init. */
#define COMPUTE_BROKEN(math, unpack)                                                    \
    "#include <ttm/kernel/compute.h>\n"                                                 \
    "void kernel_main(void) {\n"                                                        \
    "    init_sfpu(0, 16);\n"                                                           \
    "    MATH(" math ");\n"                                                             \
    "    UNPACK(" unpack ");\n"                                                         \
    "}\n"

static const struct compute_fault {
    const char *src, *core, *what;
} compute_faults[] = {
    /* An SFPU load from an odd Dst address. */
    {COMPUTE_BROKEN("TTI(TT_SFPLOAD(0, 2, 0, 1))", ""), "TRISC1 of worker (1,1)",
     "Dst address odd"},
    /* Bits outside every field of the instruction. */
    {COMPUTE_BROKEN("TTI(0x10000400u)", ""), "TRISC1", "outside its fields"},
    /* SEMPOST past the max SEMINIT gave semaphore 3 (0: never initialised). */
    {COMPUTE_BROKEN("TTI(TT_SEMPOST(3))", ""), "TRISC1", "SEMPOST on semaphore 3"},
    /* A get from the RISC-V side on a semaphore at 0. */
    {COMPUTE_BROKEN("", "tt_sem_get(4)"), "TRISC0", "semaphore get at 0"},
    /* MVMUL's instr_mod19 (broadcast), which ttsim does not take. */
    {COMPUTE_BROKEN("TTI(0x26080000u)", ""), "TRISC1", "MVMUL with instr_mod19"},
    /* A Dst row the SFPU cannot reach: an odd row through the math offset. */
    {COMPUTE_BROKEN("TTI(TT_SETC16(1, 1)); TTI(TT_SFPLOAD(0, 2, 0, 0))", ""), "TRISC1",
     "Dst row odd"},
    /* SFPSETCC with an odd mode, and with the condition codes off. */
    {COMPUTE_BROKEN("TTI(TT_SFPSETCC(0, 1))", ""), "TRISC1", "SFPSETCC mode 1"},
    {COMPUTE_BROKEN("TTI(0x8A00000Au); TTI(TT_SFPSETCC(0, 0))", ""), "TRISC1",
     "condition codes off"},
    /* SFPMOV's mode 3 and SFPABS's mode 2 do not exist. */
    {COMPUTE_BROKEN("TTI(TT_SFPMOV(0, 1, 3))", ""), "TRISC1", "SFPMOV mode 3"},
    {COMPUTE_BROKEN("TTI(TT_SFPABS(0, 1, 2))", ""), "TRISC1", "SFPABS mode 2"},
};
