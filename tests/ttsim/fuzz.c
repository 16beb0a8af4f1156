/* The randomized differential test: random RV32 programs (tests/rv32/rvgen.h) on all five
 * cores of a worker at once, on the emulator and on ttsim, compared on every register and
 * every byte of each core's data window. A program on which the two disagree is
 * minimised: instructions are dropped (as nops) while the disagreement stays, and what is
 * left is printed instruction by instruction.
 *
 * `make test` (with TTSIM_LIB) runs FUZZ_SEEDS seeds × 5 cores from a fixed seed. For a
 * long run: TTM_FUZZ_SECONDS=3600 build/tests/ttsim_fuzz (TTM_FUZZ_SEED picks the first
 * seed); it prints how many programs ran. Without TTSIM_LIB the same programs run on the
 * emulator alone, which must finish them all without a fault. */
#include "../rv32/rvgen.h"
#include "diff.h"

#define FUZZ_SEEDS 100        /* per batch: 500 programs */
#define FUZZ_LEN 120          /* instructions per program, before the ending */
#define FUZZ_CORES BH_CORES_PER_TILE
#define WINDOW (RVG_DONE_OFF + 4)

/* What the scenario runs: seeds [first, first + count), or one program of one seed in
 * place of the generated one (while minimising). */
static struct {
    uint64_t first;
    unsigned count;
    const struct rvgen_prog *only;
    uint64_t only_seed;
    unsigned only_core;
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

/* Run the five programs of `seed` on worker w and record each core's window. */
static int run_seed(struct ttm_chip *c, struct chip_worker w, uint64_t seed, struct rec *r)
{
    static struct rvgen_prog prog;
    static uint8_t win[WINDOW];
    int rc = chip_write32(c, w.x, w.y, BH_SOFT_RESET_0, BH_RESET_ALL_RISCS);
    /* BRISC starts at 0: a jump to its program. */
    uint32_t jump = rvg_j((int32_t)RVG_CODE(0), 0);
    if (!rc)
        rc = chip_write32(c, w.x, w.y, 0, jump);
    for (unsigned k = 0; k < FUZZ_CORES && !rc; k++) {
        if (job.only && job.only_core == k)
            prog = *job.only;
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
    if (!rc && (rc = chip_poll(c, all_done, &d, &b)))
        printf("  seed %llu: core %u did not finish (%d)\n", (unsigned long long)seed, d.next, rc);
    for (unsigned k = 0; k < FUZZ_CORES && !rc; k++) {
        if (job.only && job.only_core != k)
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
    if (job.only)
        return run_seed(c, w, job.only_seed, r);
    for (unsigned i = 0; i < job.count; i++) {
        int rc = run_seed(c, w, job.first + i, r);
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

/* Run the job on both; 1 when they disagree, 0 when they agree, or an error. */
static int disagree(struct rec *emu, struct rec *sim)
{
    char msg[1024] = "";
    free(emu->p);
    free(sim->p);
    *emu = (struct rec){0};
    *sim = (struct rec){0};
    if (run_here("emu", programs, emu, msg, sizeof msg) ||
        run_ttsim_child(programs, sim, msg, sizeof msg)) {
        printf("  %s\n", msg);
        return -1;
    }
    return emu->len != sim->len || memcmp(emu->p, sim->p, emu->len);
}

/* Drop removable instructions while the disagreement stays, largest chunks first. */
static void minimise(uint64_t seed, unsigned core)
{
    static struct rvgen_prog p, trial;
    struct rec emu = {0}, sim = {0};
    rvgen(&p, seed, core, FUZZ_LEN);
    job.only = &trial;
    job.only_seed = seed;
    job.only_core = core;
    for (uint32_t chunk = p.n / 2; chunk >= 1; chunk /= 2) {
        for (uint32_t at = 0; at < p.n; at += chunk) {
            trial = p;
            bool any = false;
            for (uint32_t i = at; i < at + chunk && i < p.n; i++)
                if (!trial.keep[i] && trial.word[i] != RVG_NOP) {
                    trial.word[i] = RVG_NOP;
                    any = true;
                }
            if (any && disagree(&emu, &sim) == 1)
                p = trial;
        }
    }
    printf("  minimised program (seed %llu, core %u); the rest are nops or the set-up and "
           "ending every program has:\n",
           (unsigned long long)seed, core);
    for (uint32_t i = 0; i < p.n; i++)
        if (p.word[i] != RVG_NOP && !strstr(p.what[i], "(sig)") && !strstr(p.what[i], "(init)"))
            printf("    0x%05x: %08x  %s\n", RVG_CODE(core) + 4 * i, p.word[i], p.what[i]);
    trial = p;
    if (disagree(&emu, &sim) == 1)
        compare(&emu, &sim);
    free(emu.p);
    free(sim.p);
    job.only = NULL;
}

static uint64_t env_u64(const char *name, uint64_t dflt)
{
    const char *v = getenv(name);
    return v && *v ? strtoull(v, NULL, 0) : dflt;
}

TEST(random_programs_run_on_the_emulator)
{
    ensure_cache_dir();
    dispatch_mode = TTM_DISPATCH_SLOW;
    job.first = env_u64("TTM_FUZZ_SEED", 1);
    job.count = FUZZ_SEEDS;
    struct rec r = {0};
    char msg[1024] = "";
    int rc = run_here("emu", programs, &r, msg, sizeof msg);
    free(r.p);
    if (rc)
        test_fail_at(__FILE__, __LINE__, "%s", msg);
}

TEST(random_programs_match_on_emu_and_ttsim)
{
    const char *why = skip_reason();
    if (why)
        SKIP("%s", why);
    ensure_cache_dir();
    dispatch_mode = TTM_DISPATCH_SLOW;
    uint64_t seconds = env_u64("TTM_FUZZ_SECONDS", 0), runs = 0;
    time_t end = time(NULL) + (time_t)seconds;
    job.first = env_u64("TTM_FUZZ_SEED", 1);
    job.count = FUZZ_SEEDS;
    struct rec emu = {0}, sim = {0};
    do {
        int rc = disagree(&emu, &sim);
        if (rc < 0) {
            test_fail_at(__FILE__, __LINE__, "a run failed (seeds %llu..)",
                         (unsigned long long)job.first);
            break;
        }
        if (rc) {
            uint64_t seed = 0;
            unsigned core = 0;
            if (first_difference(&emu, &sim, &seed, &core))
                minimise(seed, core);
            test_fail_at(__FILE__, __LINE__, "seed %llu core %u differs between emu and ttsim",
                         (unsigned long long)seed, core);
            break;
        }
        runs += (uint64_t)job.count * FUZZ_CORES;
        job.first += job.count;
    } while (time(NULL) < end);
    printf("  %llu programs of %u instructions agreed\n", (unsigned long long)runs, FUZZ_LEN);
    free(emu.p);
    free(sim.p);
}
