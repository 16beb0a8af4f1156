/* The rv32 ISA suite on a worker's BRISC: the self-checking isa_*.S programs, the C
 * cross-check against the same code compiled for the host, and the fault programs, which
 * must stop only their own core, be reported precisely, and leave the core restartable. */
#include <stdint.h>

#include "ttm/blackhole.h"
#include "emu_util.h"
#include "rv32/crosscheck_algo.h"
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
