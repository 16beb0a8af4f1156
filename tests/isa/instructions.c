/* The rv32 ISA suite on a worker's BRISC: the self-checking isa_*.S programs, the C
 * cross-check against the same code compiled for the host, the F subset against the
 * host's IEEE arithmetic, and the fault programs, which must stop only their own core,
 * be reported precisely, and leave the core restartable. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ttm/blackhole.h"
#include "emu_util.h"
#include "rv32/crosscheck_algo.h"
#include "rv32/fp_operands.h"
#include "rv32/fp_ops.h"
#include "rv32/isa_macros.h"
#include "test.h"

/* The first worker, in translated coordinates, and its neighbour below. */
#define TX 1u
#define TY 2u
#define NX 1u
#define NY 3u
#define MAX_CYCLES 2000000ull

static void emu_free(bhemu **emu)
{
    if (*emu)
        bhemu_destroy(*emu);
}
/* A chip destroyed whenever the test leaves its scope, including through a failed CHECK. */
#define SCOPED_EMU __attribute__((cleanup(emu_free))) bhemu *

static int start(bhemu *emu, uint32_t x, uint32_t y, const char *prog)
{
    int rc = eu_load(emu, x, y, 0, prog);
    if (rc == 0)
        eu_release(emu, x, y, BH_RESET_BRISC);
    return rc;
}

static uint32_t core_state(bhemu *emu, uint32_t x, uint32_t y, uint32_t core)
{
    struct bhemu_core_info ci;
    if (bhemu_core_info(emu, x, y, core, &ci))
        return UINT32_MAX;
    return ci.state;
}

/* Run one self-checking program to completion on the first worker. A failing program
 * shows up as done == RV_DONE_FAIL | case number. */
static void run_isa(const char *prog)
{
    SCOPED_EMU emu = eu_create_default(BHEMU_P150A);
    CHECK(emu);
    CHECK_EQ(start(emu, TX, TY, prog), 0);
    uint32_t done = eu_wait_word(emu, TX, TY, RV_DONE, MAX_CYCLES);
    int faults = eu_drain_faults(emu);
    CHECK_EQ(done, RV_DONE_PASS);
    CHECK_EQ(faults, 0);
}

TEST(isa_alu) { run_isa("isa_alu"); }
TEST(isa_branch) { run_isa("isa_branch"); }
TEST(isa_mul) { run_isa("isa_mul"); }
TEST(isa_zba) { run_isa("isa_zba"); }
TEST(isa_zbb) { run_isa("isa_zbb"); }
TEST(isa_csr) { run_isa("isa_csr"); }
TEST(isa_amo) { run_isa("isa_amo"); }
TEST(isa_fence) { run_isa("isa_fence"); }

/* isa_mem also leaves a byte/halfword-built pattern in L1 for the host to see. */
TEST(isa_mem)
{
    SCOPED_EMU emu = eu_create_default(BHEMU_P150A);
    CHECK(emu);
    CHECK_EQ(start(emu, TX, TY, "isa_mem"), 0);
    uint32_t done = eu_wait_word(emu, TX, TY, RV_DONE, MAX_CYCLES);
    int faults = eu_drain_faults(emu);
    CHECK_EQ(done, RV_DONE_PASS);
    CHECK_EQ(faults, 0);
    CHECK_EQ(eu_rd32(emu, TX, TY, ISA_MEM_SIG), ISA_MEM_SIG_W0);
    CHECK_EQ(eu_rd32(emu, TX, TY, ISA_MEM_SIG + 4), ISA_MEM_SIG_W1);
}

TEST(crosscheck)
{
    uint32_t want[XC_MAX_WORDS];
    uint32_t n = xc_run(want, XC_SEED);
    CHECK(n > 0 && n <= XC_MAX_WORDS);

    SCOPED_EMU emu = eu_create_default(BHEMU_P150A);
    CHECK(emu);
    CHECK_EQ(start(emu, TX, TY, "crosscheck"), 0);
    uint32_t done = eu_wait_word(emu, TX, TY, RV_DONE, MAX_CYCLES);
    int faults = eu_drain_faults(emu);
    CHECK_EQ(done, RV_DONE_PASS);
    CHECK_EQ(faults, 0);
    CHECK_EQ(eu_rd32(emu, TX, TY, RV_SIG - 4), n);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t got = eu_rd32(emu, TX, TY, RV_SIG + 4 * i);
        if (got != want[i]) {
            test_fail_at(__FILE__, __LINE__, "word %u: chip 0x%08x, host 0x%08x", i, got,
                         want[i]);
            return;
        }
    }
}

/* Three workers far apart on a harvested board, running at the same time. */
TEST(isa_alu_three_tiles_p100a)
{
    SCOPED_EMU emu = eu_create_default(BHEMU_P100A);
    CHECK(emu);
    unsigned n = eu_worker_count(emu);
    CHECK_EQ(n, 120);
    const unsigned pick[3] = {0, n / 2, n - 1};
    uint32_t x[3], y[3];
    for (int i = 0; i < 3; i++) {
        eu_worker_xy(emu, pick[i], &x[i], &y[i]);
        CHECK_EQ(eu_load(emu, x[i], y[i], 0, "isa_alu"), 0);
    }
    for (int i = 0; i < 3; i++)
        eu_release(emu, x[i], y[i], BH_RESET_BRISC);
    for (int i = 0; i < 3; i++)
        CHECK_EQ(eu_wait_word(emu, x[i], y[i], RV_DONE, MAX_CYCLES), RV_DONE_PASS);
    CHECK_EQ(eu_drain_faults(emu), 0);
}

/* Registers out of soft reset are zero, x and f alike, whatever ran before (ISA
 * SoftReset.md). A known ttsim deviation: it keeps the old values (tests/ttsim/diff.h). */
TEST(registers_are_zero_out_of_reset)
{
    SCOPED_EMU emu = eu_create_default(BHEMU_P150A);
    CHECK(emu);
    /* fp_ops on one triple of ones leaves x and f registers dirty. */
    for (uint32_t i = 0; i < 3; i++)
        eu_wr32(emu, TX, TY, FP_IN + 4 * i, 0x3F800000);
    eu_wr32(emu, TX, TY, FP_COUNT, 1);
    CHECK_EQ(start(emu, TX, TY, "fp_ops"), 0);
    CHECK_EQ(eu_wait_word(emu, TX, TY, RV_DONE, MAX_CYCLES), RV_DONE_PASS);
    eu_wr32(emu, TX, TY, BH_SOFT_RESET_0, BH_RESET_ALL_RISCS);
    eu_wr32(emu, TX, TY, RV_DONE, 0);
    CHECK_EQ(start(emu, TX, TY, "reg_dump"), 0);
    CHECK_EQ(eu_wait_word(emu, TX, TY, RV_DONE, MAX_CYCLES), RV_DONE_PASS);
    for (uint32_t i = 1; i < 64; i++) /* slot i: x1..x31, then f0..f31 */
        CHECK_EQ(eu_rd32(emu, TX, TY, 0x700 + 4 * i), 0);
    CHECK_EQ(eu_drain_faults(emu), 0);
}

/* ---- The F subset: where the cores' arithmetic is IEEE 754, the host's agrees ---- */

static float f_of(uint32_t u)
{
    float f;
    memcpy(&f, &u, 4);
    return f;
}

static uint32_t u_of(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

static int normal(uint32_t u)
{
    uint32_t e = u >> 23 & 0xFF;
    return e && e != 255;
}

static uint32_t class_of(uint32_t u)
{
    float f = f_of(u);
    int neg = signbit(f) != 0;
    switch (fpclassify(f)) {
    case FP_INFINITE: return neg ? 1u << 0 : 1u << 7;
    case FP_NORMAL: return neg ? 1u << 1 : 1u << 6;
    case FP_SUBNORMAL: return neg ? 1u << 2 : 1u << 5;
    case FP_ZERO: return neg ? 1u << 3 : 1u << 4;
    }
    return u & 0x400000 ? 1u << 9 : 1u << 8; /* quiet or signalling NaN */
}

/* fcvt.w[u].s: to nearest even (the host's default mode), saturating, NaN to the top. */
static uint32_t to_int(uint32_t u, int is_unsigned)
{
    float f = f_of(u);
    if (isnan(f))
        return is_unsigned ? 0xFFFFFFFFu : 0x7FFFFFFFu;
    double r = nearbyint((double)f);
    if (is_unsigned)
        return r <= 0 ? 0 : r >= 4294967296.0 ? 0xFFFFFFFFu : (uint32_t)r;
    return r <= -2147483648.0 ? 0x80000000u : r >= 2147483648.0 ? 0x7FFFFFFFu
                                                                : (uint32_t)(int32_t)r;
}

static uint32_t brev8_of(uint32_t v)
{
    uint32_t r = 0;
    for (int i = 0; i < 32; i++)
        if (v >> i & 1)
            r |= 1u << ((i & ~7) | (7 - (i & 7)));
    return r;
}

TEST(fp_subset_agrees_with_host_ieee_where_the_cores_are_ieee)
{
    SCOPED_EMU emu = eu_create_default(BHEMU_P150A);
    CHECK(emu);
    enum { N = FP_MAX };
    static uint32_t in[3 * N], out[N * FP_OPS];
    fp_operands(1, N, in);
    CHECK_EQ(eu_load(emu, TX, TY, 0, "fp_ops"), 0);
    uint32_t n = N;
    CHECK_EQ(bhemu_tile_write(emu, TX, TY, FP_COUNT, &n, 4), 0);
    CHECK_EQ(bhemu_tile_write(emu, TX, TY, FP_IN, in, sizeof in), 0);
    eu_release(emu, TX, TY, BH_RESET_BRISC);
    CHECK_EQ(eu_wait_word(emu, TX, TY, RV_DONE, 50 * MAX_CYCLES), RV_DONE_PASS);
    CHECK_EQ(eu_drain_faults(emu), 0);
    CHECK_EQ(bhemu_tile_read(emu, TX, TY, FP_OUT, out, sizeof out), 0);
    CHECK_EQ(eu_rd32(emu, TX, TY, FP_MOVED), in[0]);
    unsigned arith = 0;
    for (uint32_t i = 0; i < N; i++) {
        uint32_t a = in[3 * i], b = in[3 * i + 1], c = in[3 * i + 2], *r = &out[i * FP_OPS];
        volatile float fa = f_of(a), fb = f_of(b);
        int ordered = !isnan(fa) && !isnan(fb);
        uint32_t want[FP_OPS] = {0};
        want[FP_SGNJ] = (a & 0x7FFFFFFFu) | (b & 0x80000000u);
        want[FP_SGNJN] = (a & 0x7FFFFFFFu) | (~b & 0x80000000u);
        want[FP_SGNJX] = a ^ (b & 0x80000000u);
        want[FP_EQ] = ordered && fa == fb;
        want[FP_LT] = ordered && fa < fb;
        want[FP_LE] = ordered && fa <= fb;
        want[FP_CVT_W] = to_int(a, 0);
        want[FP_CVT_WU] = to_int(a, 1);
        want[FP_CVT_S_W] = u_of((float)(int32_t)c);
        want[FP_CVT_S_WU] = u_of((float)c);
        want[FP_CLASS] = class_of(a);
        want[FP_PACK] = (a & 0xFFFF) | b << 16;
        want[FP_BREV8] = brev8_of(a);
        static const unsigned exact[] = {FP_SGNJ, FP_SGNJN, FP_SGNJX, FP_EQ, FP_LT, FP_LE,
                                         FP_CVT_W, FP_CVT_WU, FP_CVT_S_W, FP_CVT_S_WU,
                                         FP_CLASS, FP_PACK, FP_BREV8};
        for (unsigned k = 0; k < sizeof exact / sizeof exact[0]; k++)
            if (r[exact[k]] != want[exact[k]]) {
                test_fail_at(__FILE__, __LINE__, "triple %u op %u: a 0x%08x b 0x%08x c 0x%08x: "
                             "got 0x%08x, IEEE says 0x%08x", i, exact[k], a, b, c,
                             r[exact[k]], want[exact[k]]);
                return;
            }
        /* fmin/fmax: NaNs give way, -0 < +0. */
        if (ordered && !(fa == fb && fa == 0)) {
            CHECK_EQ(r[FP_MIN], fa < fb ? a : b);
            CHECK_EQ(r[FP_MAX_OP], fa < fb ? b : a);
        } else if (isnan(fa) != isnan(fb)) {
            CHECK_EQ(r[FP_MIN], isnan(fa) ? b : a);
        }
        /* Sums and products of normals with a normal result: rounded once, to nearest
         * even, as IEEE rounds. */
        if (normal(a) && normal(b)) {
            volatile float sum = fa + fb, diff = fa - fb, prod = fa * fb;
            if (normal(u_of(sum)) && r[FP_ADD] != u_of(sum))
                test_fail_at(__FILE__, __LINE__, "fadd 0x%08x 0x%08x: 0x%08x, IEEE 0x%08x",
                             a, b, r[FP_ADD], u_of(sum));
            if (normal(u_of(diff)) && r[FP_SUB] != u_of(diff))
                test_fail_at(__FILE__, __LINE__, "fsub 0x%08x 0x%08x: 0x%08x, IEEE 0x%08x",
                             a, b, r[FP_SUB], u_of(diff));
            if (normal(u_of(prod)) && r[FP_MUL] != u_of(prod))
                test_fail_at(__FILE__, __LINE__, "fmul 0x%08x 0x%08x: 0x%08x, IEEE 0x%08x",
                             a, b, r[FP_MUL], u_of(prod));
            arith++;
        }
        if (test_failed())
            return;
    }
    CHECK(arith > N / 3); /* the generator does give many normal pairs */
}

struct fault_want {
    const char *prog;
    uint32_t sel;        /* written to FAULT_SIG_SEL before release */
    uint32_t cause;      /* enum bhemu_fault_cause */
    int has_addr;        /* whether addr is meaningful for this cause */
    uint64_t addr;
};

/* Run a fault program on the first worker next to a good program on its neighbour. The
 * fault must be reported once, against the right core, tile, PC and address; only the
 * faulting core stops; and resetting it, loading a good program and releasing it again
 * must run that program cleanly. */
static void run_fault(const struct fault_want *w)
{
    SCOPED_EMU emu = eu_create_default(BHEMU_P150A);
    CHECK(emu);
    CHECK_EQ(eu_load(emu, TX, TY, 0, w->prog), 0);
    eu_wr32(emu, TX, TY, FAULT_SIG_SEL, w->sel);
    CHECK_EQ(eu_load(emu, NX, NY, 0, "isa_alu"), 0);
    eu_release(emu, TX, TY, BH_RESET_BRISC);
    eu_release(emu, NX, NY, BH_RESET_BRISC);
    CHECK_EQ(eu_wait_word(emu, TX, TY, FAULT_SIG_MARKER, MAX_CYCLES), FAULT_MARKER);
    CHECK_EQ(eu_wait_word(emu, NX, NY, RV_DONE, MAX_CYCLES), RV_DONE_PASS);
    CHECK_EQ(bhemu_clock(emu, 10000), 0);

    struct bhemu_fault f;
    CHECK_EQ(bhemu_fault_pop(emu, &f), 1);
    CHECK_EQ(f.cause, w->cause);
    CHECK_EQ(f.core, BH_BRISC);
    CHECK_EQ(f.x, TX);
    CHECK_EQ(f.y, TY);
    CHECK_EQ(f.pc, eu_rd32(emu, TX, TY, FAULT_SIG_PC));
    if (w->has_addr)
        CHECK_EQ(f.addr, w->addr);
    CHECK_EQ(eu_drain_faults(emu), 0);
    CHECK_EQ(eu_rd32(emu, TX, TY, RV_DONE), 0);

    CHECK_EQ(core_state(emu, TX, TY, BH_BRISC), BHEMU_CORE_FAULTED);
    CHECK_EQ(core_state(emu, TX, TY, BH_NCRISC), BHEMU_CORE_RESET);
    CHECK(core_state(emu, NX, NY, BH_BRISC) == BHEMU_CORE_RUNNING ||
          core_state(emu, NX, NY, BH_BRISC) == BHEMU_CORE_PARKED);

    uint32_t reset = eu_rd32(emu, TX, TY, BH_SOFT_RESET_0);
    eu_wr32(emu, TX, TY, BH_SOFT_RESET_0, reset | BH_RESET_BRISC);
    CHECK_EQ(core_state(emu, TX, TY, BH_BRISC), BHEMU_CORE_RESET);
    eu_wr32(emu, TX, TY, RV_DONE, 0);
    CHECK_EQ(start(emu, TX, TY, "isa_alu"), 0);
    CHECK_EQ(eu_wait_word(emu, TX, TY, RV_DONE, MAX_CYCLES), RV_DONE_PASS);
    CHECK_EQ(eu_drain_faults(emu), 0);
    CHECK(core_state(emu, TX, TY, BH_BRISC) != BHEMU_CORE_FAULTED);
}

TEST(fault_illegal_zero_word)
{
    run_fault(&(struct fault_want){"fault_illegal", 0, BHEMU_FAULT_ILLEGAL_INSN, 0, 0});
}

TEST(fault_illegal_lr_w)
{
    run_fault(&(struct fault_want){"fault_illegal", 1, BHEMU_FAULT_ILLEGAL_INSN, 0, 0});
}

TEST(fault_illegal_sc_w)
{
    run_fault(&(struct fault_want){"fault_illegal", 2, BHEMU_FAULT_ILLEGAL_INSN, 0, 0});
}

/* Found running the ISA suite on Tenstorrent's simulator (tests/ttsim/differential.c), which
 * stops on both. */
TEST(fault_illegal_fence_i)
{
    run_fault(&(struct fault_want){"fault_illegal", 3, BHEMU_FAULT_ILLEGAL_INSN, 0, 0});
}

TEST(fault_illegal_fence_r_r)
{
    run_fault(&(struct fault_want){"fault_illegal", 4, BHEMU_FAULT_ILLEGAL_INSN, 0, 0});
}

TEST(fault_illegal_csr_cycle)
{
    run_fault(&(struct fault_want){"fault_illegal", 5, BHEMU_FAULT_ILLEGAL_INSN, 0, 0});
}

TEST(fault_illegal_csr_cfg0_bit0)
{
    run_fault(&(struct fault_want){"fault_illegal", 6, BHEMU_FAULT_ILLEGAL_INSN, 0, 0});
}

TEST(fault_illegal_csrrw_with_destination)
{
    run_fault(&(struct fault_want){"fault_illegal", 7, BHEMU_FAULT_ILLEGAL_INSN, 0, 0});
}

/* Held against ttsim, which refuses the jump itself (issue found by its differential). */
TEST(fault_jalr_to_a_misaligned_target)
{
    run_fault(&(struct fault_want){"fault_jump", 0, BHEMU_FAULT_FETCH, 0, 0});
}

TEST(fault_jal_to_a_misaligned_target)
{
    run_fault(&(struct fault_want){"fault_jump", 1, BHEMU_FAULT_FETCH, 0, 0});
}

TEST(fault_branch_to_a_misaligned_target)
{
    run_fault(&(struct fault_want){"fault_jump", 2, BHEMU_FAULT_FETCH, 0, 0});
}

/* F forms the cores lack or ttsim refuses: the model refuses them too. */
TEST(fault_illegal_fp_forms)
{
    for (uint32_t sel = 0; sel <= 8 && !test_failed(); sel++) {
        run_fault(&(struct fault_want){"fault_illegal_fp", sel, BHEMU_FAULT_ILLEGAL_INSN, 0, 0});
        if (test_failed())
            printf("  (form %u of fault_illegal_fp.S)\n", sel);
    }
}

TEST(fault_load_unmapped)
{
    run_fault(&(struct fault_want){"fault_load", 0, BHEMU_FAULT_LOAD, 1, 0x00200000});
}

TEST(fault_store_unmapped)
{
    run_fault(&(struct fault_want){"fault_store", 0, BHEMU_FAULT_STORE, 1, 0xFFB11000});
}

TEST(fault_misaligned_load)
{
    run_fault(&(struct fault_want){"fault_misaligned", 0, BHEMU_FAULT_MISALIGNED, 1, 2});
}

TEST(fault_fetch_outside_l1)
{
    run_fault(&(struct fault_want){"fault_fetch", 0, BHEMU_FAULT_FETCH, 1, 0x00300000});
}

TEST(fault_ecall)
{
    run_fault(&(struct fault_want){"fault_ecall", 0, BHEMU_FAULT_ECALL, 0, 0});
}
