/* The randomized differential test, run on the emulator and on ttsim and compared:
 * - random RV32 programs (tests/rv32/rvgen.h) on all five cores of a worker at once,
 *   compared on every register and every byte of each core's data window; a program on
 *   which the two disagree is minimised (instructions dropped as nops while the
 *   disagreement stays) and what is left is printed instruction by instruction;
 * - random NoC programs (noc_script) on 2 to 4 tiles of a 4x4 corner of the grid at once:
 *   reads, writes (to tiles and to DRAM), multicasts, atomics and inline writes through
 *   both NIUs and all four command buffers, posted and not, compared on every byte they
 *   may touch, the stream registers they update and each source's NIU counters; a
 *   disagreement is minimised the same way, request by request;
 * - refusals: short random programs ending in one of the forms ttsim refuses (it stops
 *   the process), which the emulator must refuse as a fault of that core at that
 *   instruction, while the same program with that word a nop runs on both.
 *
 * `make test` (with TTSIM_LIB) runs 500 RV32 programs, REFUSAL_CASES refusals and
 * NOC_SEEDS NoC programs from fixed seeds. For a long run, each kind for as long as
 * asked: TTM_FUZZ_SECONDS=3600 build/tests/ttsim_fuzz (TTM_FUZZ_SEED picks the first
 * seed); it prints how many ran. Without TTSIM_LIB the RV32 and NoC programs run on the
 * emulator alone, which must finish them all without a fault. */
#include "../rv32/noc_ops.h"
#include "../rv32/rvgen.h"
#include "diff.h"

#define FUZZ_SEEDS 100        /* per batch: 500 programs */
#define FUZZ_LEN 120          /* instructions per program, before the ending */
#define FUZZ_CORES BH_CORES_PER_TILE
#define WINDOW (RVG_DONE_OFF + 4)

/* One core's program of one seed, given in place of the generated one. */
struct override {
    uint64_t seed;
    unsigned core;
    struct rvgen_prog prog;
};

/* What the scenario runs: seeds [first, first + count), or, when n_ov is not 0, the seeds
 * of the overrides, each with its one program replaced (and only that core recorded).
 * A fault ends the run; with `refusing` it is expected and left in chip->faults. */
static struct {
    uint64_t first;
    unsigned count;
    const struct override *ov;
    unsigned n_ov;
    bool refusing;
} job;

static void window_init(uint64_t seed, unsigned core, uint8_t *w)
{
    struct rvgen_rng r = {seed * 31 + core + 7};
    memset(w, 0, WINDOW);
    for (unsigned i = 0; i < RVG_DATA_BYTES; i += 4) {
        uint32_t v = rvg_rand(&r);
        memcpy(w + i, &v, 4);
    }
}

struct done_wait {
    struct ttm_chip *c;
    struct chip_worker w;
    unsigned next;
};

static int all_done(void *arg)
{
    struct done_wait *d = arg;
    while (d->next < FUZZ_CORES) {
        uint32_t v;
        int rc = chip_read32(d->c, d->w.x, d->w.y, RVG_DATA(d->next) + RVG_DONE_OFF, &v);
        if (rc)
            return rc;
        if (v != RVG_DONE_VALUE)
            return 0;
        d->next++;
    }
    return 1;
}

/* Run the five programs of `seed` on worker w (one of them replaced when ov is given)
 * and record each core's window. */
static int run_seed(struct ttm_chip *c, struct chip_worker w, uint64_t seed,
                    const struct override *ov, struct rec *r)
{
    static struct rvgen_prog prog;
    static uint8_t win[WINDOW];
    int rc = chip_write32(c, w.x, w.y, BH_SOFT_RESET_0, BH_RESET_ALL_RISCS);
    /* BRISC starts at 0: a jump to its program. */
    uint32_t jump = rvg_j((int32_t)RVG_CODE(0), 0);
    if (!rc)
        rc = chip_write32(c, w.x, w.y, 0, jump);
    for (unsigned k = 0; k < FUZZ_CORES && !rc; k++) {
        if (ov && ov->core == k)
            prog = ov->prog;
        else
            rvgen(&prog, seed, k, FUZZ_LEN);
        window_init(seed, k, win);
        if (!(rc = chip_write(c, w.x, w.y, RVG_CODE(k), prog.word, 4 * prog.n)))
            rc = chip_write(c, w.x, w.y, RVG_DATA(k), win, WINDOW);
    }
    /* The other cores start where their programs are (reset-PC overrides). */
    if (!rc)
        rc = chip_write32(c, w.x, w.y, BH_NCRISC_RESET_PC, RVG_CODE(1));
    if (!rc)
        rc = chip_write32(c, w.x, w.y, BH_NCRISC_RESET_PC_OVERRIDE, 1);
    for (unsigned t = 0; t < 3 && !rc; t++)
        rc = chip_write32(c, w.x, w.y, BH_TRISC0_RESET_PC + 4 * t, RVG_CODE(2 + t));
    if (!rc)
        rc = chip_write32(c, w.x, w.y, BH_TRISC_RESET_PC_OVERRIDE, 7);
    if (!rc)
        rc = chip_write32(c, w.x, w.y, BH_SOFT_RESET_0, 0);
    struct done_wait d = {c, w, 0};
    struct wait_budget b;
    wait_budget_start(&b, 10000);
    if (!rc && (rc = chip_poll(c, all_done, &d, &b)) && !(job.refusing && rc == -EFAULT)) {
        char why[512] = "";
        if (rc == -EFAULT)
            chip_describe_faults(c, why, sizeof why);
        printf("  seed %llu: core %u did not finish: %s\n", (unsigned long long)seed, d.next,
               rc == -EFAULT ? why : ttm_strerror(rc));
    }
    for (unsigned k = 0; k < FUZZ_CORES && !rc; k++) {
        if (ov && ov->core != k)
            continue;
        if (!(rc = chip_read(c, w.x, w.y, RVG_DATA(k), win, WINDOW))) {
            char name[48];
            snprintf(name, sizeof name, "seed %llu core %u", (unsigned long long)seed, k);
            rec_section(r, name, win, WINDOW);
        }
    }
    int rrc = chip_write32(c, w.x, w.y, BH_SOFT_RESET_0, BH_RESET_ALL_RISCS);
    return rc ? rc : rrc;
}

static int programs(ttm_device *dev, struct rec *r)
{
    struct ttm_chip *c = &dev->chip;
    struct chip_worker w = chip_worker_at(c, 2, 3);
    for (unsigned i = 0; i < (job.n_ov ? job.n_ov : job.count); i++) {
        int rc = job.n_ov ? run_seed(c, w, job.ov[i].seed, &job.ov[i], r)
                          : run_seed(c, w, job.first + i, NULL, r);
        if (rc)
            return rc;
    }
    return 0;
}

/* The first section on which two recordings differ: its seed and core. */
static bool first_difference(const struct rec *a, const struct rec *b, uint64_t *seed,
                             unsigned *core)
{
    size_t pa = 0, pb = 0;
    struct section x = {0}, y = {0};
    while (next_section(a, &pa, &x) && next_section(b, &pb, &y)) {
        if (x.len == y.len && !memcmp(x.data, y.data, x.len))
            continue;
        unsigned long long s;
        return sscanf(x.name, "seed %llu core %u", &s, core) == 2 && (*seed = s, true);
    }
    return false;
}

/* Run fn on both; 1 when they disagree, 0 when they agree, or an error. */
static int disagree_on(scenario_fn fn, struct rec *emu, struct rec *sim)
{
    char msg[1024] = "";
    free(emu->p);
    free(sim->p);
    *emu = (struct rec){0};
    *sim = (struct rec){0};
    if (run_here("emu", fn, emu, msg, sizeof msg) || run_ttsim_child(fn, sim, msg, sizeof msg)) {
        printf("  %s\n", msg);
        return -1;
    }
    return emu->len != sim->len || memcmp(emu->p, sim->p, emu->len);
}

/* Drop removable instructions while the disagreement stays, largest chunks first. */
static void minimise(uint64_t seed, unsigned core)
{
    static struct rvgen_prog p;
    static struct override trial;
    struct rec emu = {0}, sim = {0};
    rvgen(&p, seed, core, FUZZ_LEN);
    trial.seed = seed;
    trial.core = core;
    job.ov = &trial;
    job.n_ov = 1;
    for (uint32_t chunk = p.n / 2; chunk >= 1; chunk /= 2) {
        for (uint32_t at = 0; at < p.n; at += chunk) {
            trial.prog = p;
            bool any = false;
            for (uint32_t i = at; i < at + chunk && i < p.n; i++)
                if (!p.keep[i] && p.word[i] != RVG_NOP) {
                    trial.prog.word[i] = RVG_NOP;
                    any = true;
                }
            if (any && disagree_on(programs, &emu, &sim) == 1)
                p = trial.prog;
        }
    }
    printf("  minimised program (seed %llu, core %u); the rest are nops or the set-up and "
           "ending every program has:\n",
           (unsigned long long)seed, core);
    for (uint32_t i = 0; i < p.n; i++)
        if (p.word[i] != RVG_NOP && !strstr(p.what[i], "(sig)") && !strstr(p.what[i], "(init)"))
            printf("    0x%05x: %08x  %s\n", RVG_CODE(core) + 4 * i, p.word[i], p.what[i]);
    trial.prog = p;
    if (disagree_on(programs, &emu, &sim) == 1)
        compare(&emu, &sim);
    free(emu.p);
    free(sim.p);
    job.n_ov = 0;
}

static uint64_t env_u64(const char *name, uint64_t dflt)
{
    const char *v = getenv(name);
    return v && *v ? strtoull(v, NULL, 0) : dflt;
}

/* Batches of `count` seeds from TTM_FUZZ_SEED on both, for TTM_FUZZ_SECONDS (one batch
 * when unset); on a disagreement, `explain` minimises it and the test fails. Returns
 * the batches that agreed. */
static uint64_t fuzz_batches(scenario_fn fn, uint64_t *first, unsigned count,
                             void (*explain)(const struct rec *emu, const struct rec *sim))
{
    uint64_t seconds = env_u64("TTM_FUZZ_SECONDS", 0), batches = 0;
    time_t end = time(NULL) + (time_t)seconds;
    struct rec emu = {0}, sim = {0};
    *first = env_u64("TTM_FUZZ_SEED", 1);
    do {
        int rc = disagree_on(fn, &emu, &sim);
        if (rc < 0)
            test_fail_at(__FILE__, __LINE__, "a run failed (seeds %llu..)",
                         (unsigned long long)*first);
        if (rc > 0)
            explain(&emu, &sim);
        if (rc)
            break;
        batches++;
        *first += count;
    } while (time(NULL) < end);
    free(emu.p);
    free(sim.p);
    return batches;
}

static void explain_programs(const struct rec *emu, const struct rec *sim)
{
    uint64_t seed = 0;
    unsigned core = 0;
    if (first_difference(emu, sim, &seed, &core))
        minimise(seed, core);
    test_fail_at(__FILE__, __LINE__, "seed %llu core %u differs between emu and ttsim",
                 (unsigned long long)seed, core);
}

TEST(random_programs_run_on_the_emulator)
{
    job.first = env_u64("TTM_FUZZ_SEED", 1);
    job.count = FUZZ_SEEDS;
    emu_only(programs);
}

TEST(random_programs_match_on_emu_and_ttsim)
{
    const char *why = skip_reason();
    if (why)
        SKIP("%s", why);
    ensure_cache_dir();
    dispatch_mode = TTM_DISPATCH_SLOW;
    job.count = FUZZ_SEEDS;
    uint64_t batches = fuzz_batches(programs, &job.first, job.count, explain_programs);
    printf("  %llu programs of %u instructions agreed\n",
           (unsigned long long)(batches * job.count * FUZZ_CORES), FUZZ_LEN);
}

/* ---- Refusals ----
 * What ttsim refuses (it stops the process), the emulator refuses as a fault at the same
 * instruction. A refusal case is a short random program of one core whose last
 * instruction before the ending is one of the forms below (some need a set-up word
 * first): the emulator must fault on that core at that instruction's address, ttsim's
 * child must stop with an error, and the same program with that one word a nop must run
 * to the end on both, so ttsim stopped at that instruction and nowhere else. */

#define REFUSAL_CASES 24
#define SCRATCH 28u /* address register of the set-up words */

struct refused_form {
    const char *name;
    /* Fills w (the refused word last); returns how many words. */
    unsigned (*gen)(struct rvgen_rng *r, uint32_t w[2]);
};

static uint32_t any_fd(struct rvgen_rng *r) { return rvg_freg(r); }

static unsigned zero_word(struct rvgen_rng *r, uint32_t w[2]) { (void)r; w[0] = 0; return 1; }
static unsigned lr_w(struct rvgen_rng *r, uint32_t w[2])
{
    w[0] = rvg_r(0x08, 0, RVG_BASE, 2, rvg_reg(r), 0x2F);
    return 1;
}
static unsigned sc_w(struct rvgen_rng *r, uint32_t w[2])
{
    w[0] = rvg_r(0x0C, rvg_reg(r), RVG_BASE, 2, rvg_reg(r), 0x2F);
    return 1;
}
static unsigned fence_i(struct rvgen_rng *r, uint32_t w[2]) { (void)r; w[0] = 0x100F; return 1; }
/* ttsim runs only fence rw,rw / r,rw / rw,w and fence iorw,iorw (emu/rv32_decode.c). */
static unsigned fence_other(struct rvgen_rng *r, uint32_t w[2])
{
    uint32_t mode;
    do
        mode = rvg_pick(r, 0x100);
    while (mode == 0x023 || mode == 0x031 || mode == 0x033 || mode == 0x0FF);
    w[0] = rvg_i((int32_t)mode, 0, 0, 0, 0x0F);
    return 1;
}
static unsigned counter_csr(struct rvgen_rng *r, uint32_t w[2])
{
    w[0] = rvg_i(rvg_pick(r, 2) ? 0xC02 : 0xC00, 0, 2, rvg_reg(r), 0x73);
    return 1;
}
static unsigned fcsr_read(struct rvgen_rng *r, uint32_t w[2])
{
    w[0] = rvg_i(0x003, 0, 2, rvg_reg(r), 0x73);
    return 1;
}
static unsigned ebreak(struct rvgen_rng *r, uint32_t w[2]) { (void)r; w[0] = 0x00100073; return 1; }
static unsigned fdiv(struct rvgen_rng *r, uint32_t w[2])
{
    w[0] = rvg_r(0x0C, any_fd(r), any_fd(r), 7, any_fd(r), 0x53);
    return 1;
}
static unsigned fsqrt(struct rvgen_rng *r, uint32_t w[2])
{
    w[0] = rvg_r(0x2C, 0, any_fd(r), 7, any_fd(r), 0x53);
    return 1;
}
static unsigned fadd_d(struct rvgen_rng *r, uint32_t w[2])
{
    w[0] = rvg_r(0x01, any_fd(r), any_fd(r), 7, any_fd(r), 0x53);
    return 1;
}
static unsigned fadd_static_rm(struct rvgen_rng *r, uint32_t w[2])
{
    w[0] = rvg_r(0x00, any_fd(r), any_fd(r), rvg_pick(r, 5), any_fd(r), 0x53);
    return 1;
}
static unsigned fcvt_static_rm(struct rvgen_rng *r, uint32_t w[2])
{
    w[0] = rvg_r(0x60, rvg_pick(r, 2), any_fd(r), 1 + rvg_pick(r, 4), rvg_reg(r), 0x53);
    return 1;
}
static unsigned fmadd_static_rm(struct rvgen_rng *r, uint32_t w[2])
{
    w[0] = rvg_r(any_fd(r) << 2, any_fd(r), any_fd(r), rvg_pick(r, 5), any_fd(r), 0x43);
    return 1;
}
static unsigned flh(struct rvgen_rng *r, uint32_t w[2])
{
    w[0] = rvg_i((int32_t)(2 * rvg_pick(r, RVG_DATA_BYTES / 2)), RVG_BASE, 1, any_fd(r), 0x07);
    return 1;
}
/* GREVI other than brev8 (0x687) and rev8 (0x698). */
static unsigned grevi(struct rvgen_rng *r, uint32_t w[2])
{
    uint32_t imm;
    do
        imm = 0x680 + rvg_pick(r, 32);
    while (imm == 0x687 || imm == 0x698);
    w[0] = rvg_i((int32_t)imm, rvg_reg(r), 5, rvg_reg(r), 0x13);
    return 1;
}
static unsigned misaligned_load(struct rvgen_rng *r, uint32_t w[2])
{
    bool half = rvg_pick(r, 2);
    uint32_t off = 4 * rvg_pick(r, RVG_DATA_BYTES / 4) + (half ? 1 + 2 * rvg_pick(r, 2) : 1 + rvg_pick(r, 3));
    w[0] = rvg_i((int32_t)off, RVG_BASE, half ? (rvg_pick(r, 2) ? 1 : 5) : 2, rvg_reg(r), 0x03);
    return 1;
}
static unsigned misaligned_store(struct rvgen_rng *r, uint32_t w[2])
{
    bool half = rvg_pick(r, 2);
    uint32_t off = 4 * rvg_pick(r, RVG_DATA_BYTES / 4) + (half ? 1 + 2 * rvg_pick(r, 2) : 1 + rvg_pick(r, 3));
    w[0] = rvg_s((int32_t)off, rvg_reg(r), RVG_BASE, half ? 1 : 2, 0x23);
    return 1;
}
static unsigned misaligned_amo(struct rvgen_rng *r, uint32_t w[2])
{
    w[0] = rvg_i((int32_t)(4 * rvg_pick(r, RVG_DATA_BYTES / 4) + 1 + rvg_pick(r, 3)), RVG_BASE, 0,
                 SCRATCH, 0x13);
    w[1] = rvg_r(0x00, rvg_reg(r), SCRATCH, 2, rvg_reg(r), 0x2F); /* amoadd.w */
    return 2;
}
static unsigned misaligned_jump(struct rvgen_rng *r, uint32_t w[2])
{
    int32_t off = 4 * (int32_t)(1 + rvg_pick(r, 4)) + 2;
    switch (rvg_pick(r, 3)) {
    case 0: w[0] = rvg_j(off, rvg_reg(r)); break;
    case 1: w[0] = rvg_b(off, 0, 0, 0); break; /* beq x0, x0: always taken */
    default: w[0] = rvg_i(off, RVG_BASE, 0, rvg_reg(r), 0x67); break; /* jalr */
    }
    return 1;
}
/* Loads and stores where nothing is, or where only the host may go: past L1, the gap
 * after the local RAM, the local-RAM alias. */
static unsigned unmapped_access(struct rvgen_rng *r, uint32_t w[2])
{
    static const uint32_t where[3] = {0x00200, 0xFFB11, 0xFFB14};
    w[0] = rvg_u(where[rvg_pick(r, 3)], SCRATCH, 0x37);
    w[1] = rvg_pick(r, 2) ? rvg_i(4 * (int32_t)rvg_pick(r, 64), SCRATCH, 2, rvg_reg(r), 0x03)
                          : rvg_s(4 * (int32_t)rvg_pick(r, 64), rvg_reg(r), SCRATCH, 2, 0x23);
    return 2;
}

static const struct refused_form refused_forms[] = {
    {"an all-zero word", zero_word},
    {"lr.w", lr_w},
    {"sc.w", sc_w},
    {"fence.i", fence_i},
    {"a fence form ttsim does not run", fence_other},
    {"a read of cycle or instret", counter_csr},
    {"a read of fcsr", fcsr_read},
    {"ebreak", ebreak},
    {"fdiv.s", fdiv},
    {"fsqrt.s", fsqrt},
    {"fadd.d", fadd_d},
    {"fadd.s with a static rounding mode", fadd_static_rm},
    {"fcvt.w[u].s with a static rounding mode", fcvt_static_rm},
    {"fmadd.s with a static rounding mode", fmadd_static_rm},
    {"flh", flh},
    {"a GREVI other than brev8 and rev8", grevi},
    {"a misaligned load", misaligned_load},
    {"a misaligned store", misaligned_store},
    {"a misaligned amoadd.w", misaligned_amo},
    {"a jump or taken branch to a misaligned target", misaligned_jump},
    {"an access to an unmapped or host-only address", unmapped_access},
};
#define N_FORMS (sizeof refused_forms / sizeof refused_forms[0])

struct refusal {
    struct override run;   /* the program with the refused word */
    unsigned form;
    uint32_t at;           /* index of the refused word */
};

/* Case `n`: a program of up to 40 random instructions on a random core, the refused
 * form (forms in turn), then the ending. */
static void refusal_gen(uint64_t n, struct refusal *c)
{
    static struct rvgen_prog p;
    struct rvgen_rng r = {n * 0xD1342543DE82EF95ull + 11};
    c->form = (unsigned)(n % N_FORMS);
    c->run.seed = n;
    c->run.core = rvg_pick(&r, FUZZ_CORES);
    rvgen(&p, n, c->run.core, rvg_pick(&r, 41));
    uint32_t end = 0; /* the ending starts at the first signature store */
    while (!strstr(p.what[end], "(sig)"))
        end++;
    uint32_t w[2];
    unsigned k = refused_forms[c->form].gen(&r, w);
    struct rvgen_prog *q = &c->run.prog;
    *q = p;
    q->n = end;
    for (unsigned i = 0; i < k; i++)
        rvg_emit(q, w[i], true, refused_forms[c->form].name);
    c->at = q->n - 1;
    for (uint32_t i = end; i < p.n; i++)
        rvg_emit(q, p.word[i], true, p.what[i]);
}

static struct pcie_fault emu_fault; /* the first fault of the emulator's last refusal run */
static unsigned emu_faults;

static int refusal_on_emu(ttm_device *dev, struct rec *r)
{
    emu_faults = 0;
    int rc = programs(dev, r);
    if (rc != -EFAULT)
        return rc;
    chip_collect_faults(&dev->chip);
    emu_faults = dev->chip.n_faults;
    if (emu_faults)
        emu_fault = dev->chip.faults[0];
    dev->chip.n_faults = 0;
    return 0;
}

/* ttsim's own words when it stopped: its "ERROR:" line, or NULL. */
static const char *ttsim_error_line(const char *out, char *line, size_t n)
{
    const char *e = out ? strstr(out, "ERROR: ") : NULL;
    if (!e)
        return NULL;
    size_t len = strcspn(e, "\n");
    snprintf(line, n, "%.*s", (int)(len < n ? len : n - 1), e);
    return line;
}

/* One case on both: 0 when they refuse alike at the word, else a failure reported. */
static int refusal_case(const struct refusal *c)
{
    uint32_t pc = RVG_CODE(c->run.core) + 4 * c->at;
    struct rec emu = {0}, sim = {0};
    char msg[512] = "", emu_says[1024] = "refused it", line[256];
    job.ov = &c->run;
    job.n_ov = 1;
    job.refusing = true;
    int rc = run_here("emu", refusal_on_emu, &emu, msg, sizeof msg);
    job.refusing = false;
    bool emu_ok = !rc && emu_faults == 1 && emu_fault.core == (int32_t)c->run.core &&
                  emu_fault.pc == pc;
    if (rc)
        snprintf(emu_says, sizeof emu_says, "failed: %s", msg);
    else if (!emu_faults)
        snprintf(emu_says, sizeof emu_says, "ran it");
    else if (!emu_ok)
        snprintf(emu_says, sizeof emu_says, "faulted %u times, first on core %d at 0x%x: %s",
                 emu_faults, emu_fault.core, emu_fault.pc, emu_fault.what);
    int status;
    char *out;
    rc = ttsim_child(programs, &sim, &status, &out);
    bool sim_ok = rc == -EIO && WIFEXITED(status) && WEXITSTATUS(status) == 1 &&
                  ttsim_error_line(out, line, sizeof line);
    if (!emu_ok || !sim_ok) {
        test_fail_at(__FILE__, __LINE__,
                     "case %llu, %s (word %08x at 0x%x on core %u): the emulator %s; ttsim %s",
                     (unsigned long long)c->run.seed, refused_forms[c->form].name,
                     c->run.prog.word[c->at], pc, c->run.core, emu_says,
                     sim_ok ? "refused it" : rc ? "failed otherwise" : "ran it");
        if (!sim_ok && out && *out)
            show_output(out, strlen(out));
    }
    free(out);
    free(emu.p);
    free(sim.p);
    job.n_ov = 0;
    return emu_ok && sim_ok ? 0 : -1;
}

TEST(random_refusals_match_on_emu_and_ttsim)
{
    const char *why = skip_reason();
    if (why)
        SKIP("%s", why);
    ensure_cache_dir();
    dispatch_mode = TTM_DISPATCH_SLOW;
    uint64_t seconds = env_u64("TTM_FUZZ_SECONDS", 0), n = env_u64("TTM_FUZZ_SEED", 1), runs = 0;
    time_t end = time(NULL) + (time_t)seconds;
    static struct refusal cases[REFUSAL_CASES];
    static struct override survivors[REFUSAL_CASES];
    struct rec emu = {0}, sim = {0};
    do {
        bool ok = true;
        for (unsigned i = 0; i < REFUSAL_CASES; i++, n++) {
            refusal_gen(n, &cases[i]);
            ok &= refusal_case(&cases[i]) == 0;
            survivors[i] = cases[i].run;
            survivors[i].prog.word[cases[i].at] = RVG_NOP;
        }
        /* With the refused words nops, every program runs to the end on both, alike. */
        job.ov = survivors;
        job.n_ov = REFUSAL_CASES;
        int rc = disagree_on(programs, &emu, &sim);
        job.n_ov = 0;
        if (rc) {
            test_fail_at(__FILE__, __LINE__, "the programs without their refused words %s",
                         rc < 0 ? "did not run on both" : "differ between emu and ttsim");
            if (rc > 0)
                compare(&emu, &sim);
            ok = false;
        }
        if (!ok)
            break;
        runs += REFUSAL_CASES;
    } while (time(NULL) < end);
    printf("  %llu refusals (%zu forms) alike\n", (unsigned long long)runs, N_FORMS);
    free(emu.p);
    free(sim.p);
}

/* ---- NoC programs ----
 * Every request has bytes of its own: a write or multicast lands in its own slot on every
 * tile it reaches, a read in its own slot of the source, an atomic's old value in its own
 * word. Atomics of one source through one NIU and command buffer share a word per tile:
 * they travel in order, so their old values are the same on both. Stream updates add up,
 * in any order. Each script ends waiting for every response it asked for; posted requests
 * get no response, so the host lets the chip run SETTLE_TICKS polls more before reading. */

#define NOC_SEEDS 40
#define CORNER 4                                /* logical columns and rows 0..3 */
#define MAX_REQS 24                             /* random requests per source */
#define SLOT 256u                               /* bytes per request, at most */
#define RO 0x50000u                             /* 4 KiB every tile holds, only read */
#define SRC_DATA 0x51000u                       /* what a source sends (4 KiB) */
/* Atomic words, four per source, NIU and command buffer, each at the start of a 16-byte
 * line: the NIU increments only a line's first word by a full 32 bits (emu/niu.c). */
#define ATOMICS 0x52000u
#define ATOMIC(s, noc, cb, k) (ATOMICS + 0x200u * (s) + 0x40u * (4 * (noc) + (cb)) + 16u * (k))
#define ATOMICS_LEN 0x800u
#define RETS 0x53000u                           /* request i's old value at + 16 * i */
#define LANDING 0x54000u                        /* request i's read at + SLOT * i */
#define DEST(s, i) (0x58000u + SLOT * (MAX_REQS * (s) + (i)))
#define DEST_LEN (4 * MAX_REQS * SLOT)
#define STREAM(s) (8u + (s))                    /* the stream register source s updates */
/* Reads and writes also reach two DRAM banks, at the same layout DRAM_BASE up. */
#define DRAM_BANKS 2
#define DRAM_BASE 0x10000000u
#define TARGETS (CORNER * CORNER + DRAM_BANKS)  /* targets: corner tiles, then banks */
#define SETTLE_TICKS 64
#define NONPOSTED BH_NOC_CMD_RESP_MARKED

struct noc_prog {
    unsigned n_src;
    uint32_t src[4];                            /* logical index y * CORNER + x */
    struct script sc[4];                        /* the random requests, without waits */
};

static struct {
    uint64_t first;
    unsigned count;
    const struct noc_prog *only;
    uint64_t only_seed;
} noc_job;

static struct chip_worker corner_tile(struct ttm_chip *c, uint32_t i)
{
    return chip_worker_at(c, i % CORNER, i / CORNER);
}

/* Target i: a corner tile (logical index y * CORNER + x), or DRAM bank i - CORNER^2. */
static struct chip_worker target(struct ttm_chip *c, uint32_t i)
{
    if (i < CORNER * CORNER)
        return corner_tile(c, i);
    return (struct chip_worker){c->dram_x[i - CORNER * CORNER], c->dram_y[i - CORNER * CORNER]};
}

static uint32_t corner_xy(struct ttm_chip *c, uint32_t i)
{
    struct chip_worker w = target(c, i);
    return NOC_XY(w.x, w.y);
}

static uint32_t slot_off(struct rvgen_rng *r, uint32_t room, uint32_t len)
{
    return 16 * rvg_pick(r, (room - len) / 16 + 1);
}

/* Requests name targets by index (target()); a multicast's word holds its rectangle's
 * first and last corner tile (lo | hi << 8). script_for translates them. Reads and
 * writes may go to a DRAM bank (at DRAM_BASE + the address they would have in L1);
 * atomics and inline writes work on Tensix tiles only. */
static void noc_gen(uint64_t seed, struct noc_prog *p)
{
    struct rvgen_rng r = {seed * 0x2545F4914F6CDD1Dull + 3};
    memset(p, 0, sizeof *p);
    p->n_src = 2 + rvg_pick(&r, 3);
    for (unsigned s = 0; s < p->n_src; s++) {
        bool taken;
        do { /* distinct sources */
            p->src[s] = rvg_pick(&r, CORNER * CORNER);
            taken = false;
            for (unsigned k = 0; k < s; k++)
                taken |= p->src[k] == p->src[s];
        } while (taken);
    }
    for (unsigned s = 0; s < p->n_src; s++) {
        struct script *sc = &p->sc[s];
        unsigned n_reqs = 8 + rvg_pick(&r, MAX_REQS - 7);
        for (unsigned i = 0; i < n_reqs; i++) {
            unsigned noc = rvg_pick(&r, 2), cb = rvg_pick(&r, 4);
            uint32_t t = rvg_pick(&r, CORNER * CORNER);
            uint32_t any = rvg_pick(&r, 4) ? t : CORNER * CORNER + rvg_pick(&r, DRAM_BANKS);
            uint32_t in_dram = any >= CORNER * CORNER ? DRAM_BASE : 0;
            uint32_t len = 16 * (1 + rvg_pick(&r, SLOT / 16));
            uint32_t flags = rvg_pick(&r, 2) ? NONPOSTED : 0;
            switch (rvg_pick(&r, 5)) {
            case 0: /* from DRAM, source and landing agree mod 64 (emu/niu.c) */
                op_read(sc, noc, cb, any,
                        in_dram + RO + (slot_off(&r, 4096, len) & (in_dram ? ~63u : ~0u)),
                        LANDING + SLOT * i, len);
                break;
            case 1:
                op_write(sc, noc, cb, SRC_DATA + slot_off(&r, 4096, len), any,
                         in_dram + DEST(s, i) + slot_off(&r, SLOT, len), len, flags);
                break;
            case 2: {
                uint32_t x0 = rvg_pick(&r, CORNER), x1 = rvg_pick(&r, CORNER);
                uint32_t y0 = rvg_pick(&r, CORNER), y1 = rvg_pick(&r, CORNER);
                uint32_t lo = (y0 < y1 ? y0 : y1) * CORNER + (x0 < x1 ? x0 : x1);
                uint32_t hi = (y0 > y1 ? y0 : y1) * CORNER + (x0 > x1 ? x0 : x1);
                op_mcast(sc, noc, cb, SRC_DATA + slot_off(&r, 4096, len), lo | hi << 8,
                         DEST(s, i) + slot_off(&r, SLOT, len), len,
                         flags | (rvg_pick(&r, 2) ? BH_NOC_CMD_BRCST_SRC_INCLUDE : 0));
                break;
            }
            case 3:
                op_atomic(sc, noc, cb, t, ATOMIC(s, noc, cb, rvg_pick(&r, 4)), rvg_rand(&r), 31,
                          RETS + 16 * i, flags);
                break;
            default:
                op_inline(sc, noc, cb, t,
                          BH_STREAM_BASE + STREAM(s) * BH_STREAM_STRIDE +
                              4 * BH_STREAM_SPACE_AVAILABLE_UPDATE,
                          (rvg_rand(&r) & 0x7F) << BH_STREAM_SPACE_AVAILABLE_UPDATE_SHIFT, flags);
                break;
            }
        }
    }
}

/* Acknowledgements a multicast over logical tiles lo..hi asks for: one per tile, less the
 * source unless it includes itself. */
static uint32_t mcast_acks(const uint32_t *op, uint32_t self)
{
    uint32_t lo = op[NOC_OPW_XY] & 0xFF, hi = op[NOC_OPW_XY] >> 8 & 0xFF;
    uint32_t n = (hi % CORNER - lo % CORNER + 1) * (hi / CORNER - lo / CORNER + 1);
    bool in = self % CORNER >= lo % CORNER && self % CORNER <= hi % CORNER &&
              self / CORNER >= lo / CORNER && self / CORNER <= hi / CORNER;
    return n - (in && !(op[NOC_OPW_FLAGS] & BH_NOC_CMD_BRCST_SRC_INCLUDE));
}

/* The script source `self` runs: its requests with translated coordinates, then a wait
 * for every response they ask for. A request of kind 0 (dropped while minimising) asks
 * for none and runs as nothing. */
static void script_for(struct ttm_chip *c, const struct script *reqs, uint32_t self,
                       struct script *out)
{
    uint32_t reads[2] = {0}, acks[2] = {0}, atomics[2] = {0};
    *out = *reqs;
    for (uint32_t i = 0; i < out->n; i++) {
        uint32_t *op = out->op[i];
        unsigned noc = op[NOC_OPW_NOC] & 1;
        bool np = op[NOC_OPW_FLAGS] & NONPOSTED;
        switch (op[NOC_OPW_KIND]) {
        case NOC_OP_READ: reads[noc]++; break;
        case NOC_OP_WRITE:
        case NOC_OP_INLINE: acks[noc] += np; break;
        case NOC_OP_MCAST: acks[noc] += np ? mcast_acks(op, self) : 0; break;
        case NOC_OP_ATOMIC: atomics[noc] += np; break;
        }
        if (op[NOC_OPW_KIND] == NOC_OP_MCAST) {
            /* NoC 0 names the rectangle from its start to its end, NoC 1 the reverse */
            uint32_t lo = corner_xy(c, op[NOC_OPW_XY] & 0xFF);
            uint32_t hi = corner_xy(c, op[NOC_OPW_XY] >> 8 & 0xFF);
            op[NOC_OPW_XY] = noc ? (hi << 12 | lo) : (lo << 12 | hi);
        } else {
            op[NOC_OPW_XY] = corner_xy(c, op[NOC_OPW_XY]);
        }
    }
    for (unsigned noc = 0; noc < 2; noc++) {
        op_wait_since(out, noc, BH_NIU_MST_RD_RESP_RECEIVED, reads[noc]);
        op_wait_since(out, noc, BH_NIU_MST_WR_ACK_RECEIVED, acks[noc]);
        op_wait_since(out, noc, BH_NIU_MST_ATOMIC_RESP_RECEIVED, atomics[noc]);
    }
}

struct scripts_done {
    struct ttm_chip *c;
    const struct noc_prog *p;
    unsigned next;
};

static int scripts_done(void *arg)
{
    struct scripts_done *d = arg;
    while (d->next < d->p->n_src) {
        struct chip_worker w = corner_tile(d->c, d->p->src[d->next]);
        uint32_t v;
        int rc = chip_read32(d->c, w.x, w.y, RV_DONE, &v);
        if (rc)
            return rc;
        if (v != RV_DONE_PASS)
            return 0;
        d->next++;
    }
    return 1;
}

/* Every corner tile: random read-only and source data, zeroed destinations, random
 * atomic words. */
static int noc_fill(struct ttm_chip *c, uint64_t seed)
{
    static uint8_t buf[DEST_LEN];
    struct rvgen_rng fill = {seed + 77};
    int rc = 0;
    for (uint32_t i = 0; i < TARGETS && !rc; i++) {
        struct chip_worker w = target(c, i);
        uint32_t at = i < CORNER * CORNER ? 0 : DRAM_BASE;
        memset(buf, 0, sizeof buf);
        rc = chip_write(c, w.x, w.y, at + DEST(0, 0), buf, DEST_LEN);
        if (!rc && !at)
            rc = chip_write(c, w.x, w.y, RETS, buf, 0x5000);
        for (unsigned b = 0; b < 0x3000; b += 4) {
            uint32_t v = rvg_rand(&fill);
            memcpy(buf + b, &v, 4);
        }
        if (!rc) /* RO, SRC_DATA and ATOMICS lie one after another */
            rc = chip_write(c, w.x, w.y, at + RO, buf, 0x2000 + ATOMICS_LEN);
    }
    return rc;
}

/* What the two must agree on: every destination and atomic word and the stream
 * registers of every corner tile, the destinations in DRAM, and each source's landed
 * reads, old values and NIU counters. */
static int noc_record(struct ttm_chip *c, uint64_t seed, const struct noc_prog *p,
                      struct rec *r)
{
    static uint8_t buf[DEST_LEN + ATOMICS_LEN + 16];
    char name[64];
    int rc = 0;
    for (uint32_t i = 0; i < CORNER * CORNER && !rc; i++) {
        struct chip_worker w = corner_tile(c, i);
        if (!(rc = chip_read(c, w.x, w.y, DEST(0, 0), buf, DEST_LEN)))
            rc = chip_read(c, w.x, w.y, ATOMICS, buf + DEST_LEN, ATOMICS_LEN);
        for (unsigned s = 0; s < 4 && !rc; s++)
            rc = chip_read32(c, w.x, w.y, BH_STREAM_REG(STREAM(s), BH_STREAM_SPACE_AVAILABLE),
                             (uint32_t *)(buf + DEST_LEN + ATOMICS_LEN + 4 * s));
        snprintf(name, sizeof name, "noc seed %llu tile %u", (unsigned long long)seed, i);
        if (!rc)
            rec_section(r, name, buf, sizeof buf);
    }
    for (uint32_t i = CORNER * CORNER; i < TARGETS && !rc; i++) {
        struct chip_worker w = target(c, i);
        snprintf(name, sizeof name, "noc seed %llu DRAM bank %u", (unsigned long long)seed,
                 i - CORNER * CORNER);
        if (!(rc = chip_read(c, w.x, w.y, DRAM_BASE + DEST(0, 0), buf, DEST_LEN)))
            rec_section(r, name, buf, DEST_LEN);
    }
    for (unsigned s = 0; s < p->n_src && !rc; s++) {
        struct chip_worker w = corner_tile(c, p->src[s]);
        uint32_t land = SLOT * MAX_REQS, rets = 16 * MAX_REQS;
        if (!(rc = chip_read(c, w.x, w.y, LANDING, buf, land)))
            rc = chip_read(c, w.x, w.y, RETS, buf + land, rets);
        if (!rc)
            rc = chip_read(c, w.x, w.y, NOC_RES_CNT(0), buf + land + rets, 0x80);
        snprintf(name, sizeof name, "noc seed %llu source %u", (unsigned long long)seed, s);
        if (!rc)
            rec_section(r, name, buf, land + rets + 0x80);
    }
    return rc;
}

static int settle(void *arg)
{
    return --*(unsigned *)arg == 0;
}

static int noc_seed(struct ttm_chip *c, uint64_t seed, struct rec *r)
{
    static struct noc_prog p;
    static struct script sc;
    static uint8_t *bin;
    static size_t bin_len;
    int rc = 0;
    if (!bin && (rc = load_bin("noc_script", &bin, &bin_len)))
        return rc;
    if (noc_job.only)
        p = *noc_job.only;
    else
        noc_gen(seed, &p);
    rc = noc_fill(c, seed);
    for (unsigned s = 0; s < p.n_src && !rc; s++) {
        struct chip_worker w = corner_tile(c, p.src[s]);
        script_for(c, &p.sc[s], p.src[s], &sc);
        rc = chip_write32(c, w.x, w.y, BH_SOFT_RESET_0, BH_RESET_ALL_RISCS);
        if (!rc)
            rc = chip_write(c, w.x, w.y, 0, bin, bin_len);
        if (!rc)
            rc = chip_write32(c, w.x, w.y, RV_DONE, 0);
        if (!rc)
            rc = chip_write32(c, w.x, w.y, NOC_PARAM, sc.n);
        if (!rc)
            rc = chip_write(c, w.x, w.y, NOC_OPS, sc.op, sizeof sc.op[0] * sc.n);
    }
    for (unsigned s = 0; s < p.n_src && !rc; s++) {
        struct chip_worker w = corner_tile(c, p.src[s]);
        rc = chip_write32(c, w.x, w.y, BH_SOFT_RESET_0, BH_RESET_ALL_RISCS & ~BH_RESET_BRISC);
    }
    struct scripts_done d = {c, &p, 0};
    struct wait_budget b;
    wait_budget_start(&b, 10000);
    if (!rc && (rc = chip_poll(c, scripts_done, &d, &b))) {
        char why[512] = "";
        if (rc == -EFAULT)
            chip_describe_faults(c, why, sizeof why);
        printf("  noc seed %llu: source %u did not finish: %s\n", (unsigned long long)seed,
               d.next, rc == -EFAULT ? why : ttm_strerror(rc));
    }
    unsigned ticks = SETTLE_TICKS;
    if (!rc)
        rc = chip_poll(c, settle, &ticks, &b);
    if (!rc)
        rc = noc_record(c, seed, &p, r);
    for (unsigned s = 0; s < p.n_src; s++) {
        struct chip_worker w = corner_tile(c, p.src[s]);
        int rrc = chip_write32(c, w.x, w.y, BH_SOFT_RESET_0, BH_RESET_ALL_RISCS);
        rc = rc ? rc : rrc;
    }
    return rc;
}

static int noc_programs(ttm_device *dev, struct rec *r)
{
    if (noc_job.only)
        return noc_seed(&dev->chip, noc_job.only_seed, r);
    for (unsigned i = 0; i < noc_job.count; i++) {
        int rc = noc_seed(&dev->chip, noc_job.first + i, r);
        if (rc)
            return rc;
    }
    return 0;
}

/* One request as the minimiser prints it; tiles are target indices (target()). */
static void print_request(unsigned s, uint32_t src, uint32_t i, const uint32_t *op)
{
    const char *np = op[NOC_OPW_FLAGS] & NONPOSTED ? "non-posted" : "posted";
    uint32_t t = op[NOC_OPW_XY], a = op[NOC_OPW_RADDR_LO], l = op[NOC_OPW_LADDR];
    printf("    source %u (tile %u) request %2u, NoC %u cmdbuf %u: ", s, src, i, op[NOC_OPW_NOC],
           op[NOC_OPW_CB]);
    switch (op[NOC_OPW_KIND]) {
    case NOC_OP_READ:
        printf("read %u bytes at tile %u 0x%05x into 0x%05x\n", op[NOC_OPW_LEN], t, a, l);
        break;
    case NOC_OP_WRITE:
        printf("%s write of %u bytes at 0x%05x to tile %u 0x%05x\n", np, op[NOC_OPW_LEN], l, t, a);
        break;
    case NOC_OP_MCAST:
        printf("%s multicast of %u bytes at 0x%05x to tiles %u..%u%s 0x%05x\n", np,
               op[NOC_OPW_LEN], l, t & 0xFF, t >> 8 & 0xFF,
               op[NOC_OPW_FLAGS] & BH_NOC_CMD_BRCST_SRC_INCLUDE ? " (source included)" : "", a);
        break;
    case NOC_OP_ATOMIC:
        printf("%s atomic: tile %u 0x%05x += 0x%08x, old value to 0x%05x\n", np, t, a,
               op[NOC_OPW_DATA], l);
        break;
    case NOC_OP_INLINE:
        printf("%s inline write: tile %u 0x%08x = 0x%08x\n", np, t, a, op[NOC_OPW_DATA]);
        break;
    }
}

/* Drop requests (kind 0) while the disagreement stays, one at a time, and print the rest. */
static void noc_minimise(uint64_t seed)
{
    static struct noc_prog p, trial;
    struct rec emu = {0}, sim = {0};
    noc_gen(seed, &p);
    noc_job.only = &trial;
    noc_job.only_seed = seed;
    for (unsigned s = 0; s < p.n_src; s++)
        for (uint32_t i = 0; i < p.sc[s].n; i++) {
            trial = p;
            trial.sc[s].op[i][NOC_OPW_KIND] = 0;
            if (p.sc[s].op[i][NOC_OPW_KIND] && disagree_on(noc_programs, &emu, &sim) == 1)
                p = trial;
        }
    printf("  minimised NoC program (seed %llu):\n", (unsigned long long)seed);
    for (unsigned s = 0; s < p.n_src; s++)
        for (uint32_t i = 0; i < p.sc[s].n; i++)
            if (p.sc[s].op[i][NOC_OPW_KIND])
                print_request(s, p.src[s], i, p.sc[s].op[i]);
    trial = p;
    if (disagree_on(noc_programs, &emu, &sim) == 1)
        compare(&emu, &sim);
    free(emu.p);
    free(sim.p);
    noc_job.only = NULL;
}

TEST(random_noc_programs_run_on_the_emulator)
{
    noc_job.first = env_u64("TTM_FUZZ_SEED", 1);
    noc_job.count = NOC_SEEDS;
    emu_only(noc_programs);
}

static void explain_noc(const struct rec *emu, const struct rec *sim)
{
    size_t pa = 0, pb = 0;
    struct section x = {0}, y = {0};
    unsigned long long seed = 0;
    while (next_section(emu, &pa, &x) && next_section(sim, &pb, &y))
        if ((x.len != y.len || memcmp(x.data, y.data, x.len)) &&
            sscanf(x.name, "noc seed %llu", &seed) == 1) {
            noc_minimise(seed);
            break;
        }
    test_fail_at(__FILE__, __LINE__, "NoC seed %llu differs between emu and ttsim", seed);
}

TEST(random_noc_programs_match_on_emu_and_ttsim)
{
    const char *why = skip_reason();
    if (why)
        SKIP("%s", why);
    ensure_cache_dir();
    dispatch_mode = TTM_DISPATCH_SLOW;
    noc_job.count = NOC_SEEDS;
    uint64_t batches = fuzz_batches(noc_programs, &noc_job.first, noc_job.count, explain_noc);
    uint64_t programs = batches * noc_job.count, reqs = 0;
    for (uint64_t seed = env_u64("TTM_FUZZ_SEED", 1), i = 0; i < programs; i++) {
        static struct noc_prog p;
        noc_gen(seed + i, &p);
        for (unsigned k = 0; k < p.n_src; k++)
            reqs += p.sc[k].n;
    }
    printf("  %llu NoC programs (%llu requests) agreed\n", (unsigned long long)programs,
           (unsigned long long)reqs);
}
