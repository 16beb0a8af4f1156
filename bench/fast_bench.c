/* Fast-dispatch figures, one per line as "name: value unit":
 *   fast_enqueue_ns           host CPU time of the calling thread per enqueue of a cached
 *                             all-worker program (BRISC and NCRISC kernels, two unique
 *                             runtime args each on every core)
 *   done_to_go_cycles         device cycles from the last worker's DONE of launch N to the
 *                             last worker seeing GO of launch N+1, N a busy launch the
 *                             dispatcher waits on; median of 100
 *   empty_launch_cycles       device cycles from the last DONE of one empty all-worker
 *                             launch to the last DONE of the next, the last two of sixteen
 *                             queued back to back (what one more launch costs the device
 *                             once the slower of dispatcher and workers sets the pace);
 *                             median of 100.
 *                             The program has TT-Metal's test_pgm_dispatch default shape:
 *                             empty BRISC, NCRISC and compute kernels, no runtime args
 *   empty_launch_cycles_args  the same for the enqueue figure's program (BRISC and NCRISC,
 *                             two unique args each on every core)
 *   fast_empty_launches_per_s empty all-worker launches per second of wall time
 * On the emulator (the default P100A), and on ttsim as well (names suffixed _ttsim) when
 * TTSIM_LIB is set. The kernels are empty, so what is measured is dispatch.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "objects.h"
#include "ttm.h"

static const char empty[] = "#include <ttm/kernel/dataflow.h>\nvoid kernel_main(void) {}\n";
/* Busy for 20000 cycles by the tile's wall clock (ISA TensixTile: 0xFFB121F0), so that the
 * dispatcher has the next launch ready when this one finishes. */
static const char busy[] =
    "#include <ttm/kernel/dataflow.h>\n"
    "void kernel_main(void) {\n"
    "    volatile uint32_t *clock = (volatile uint32_t *)0xFFB121F0u;\n"
    "    uint32_t t0 = *clock;\n"
    "    while (*clock - t0 < 20000)\n"
    "        ;\n"
    "}\n";

static double seconds(clockid_t clk)
{
    struct timespec ts;
    clock_gettime(clk, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int fail(const char *what)
{
    fprintf(stderr, "fast_bench: %s: %s\n", what, ttm_last_error());
    return 1;
}

static const char empty_compute[] = "#include <ttm/kernel/compute.h>\nvoid kernel_main(void) {}\n";

/* BRISC runs `src`, NCRISC an empty kernel, on every worker; with `args` both take two
 * unique runtime args on every core, with `compute` an empty compute kernel joins them. */
static int program_of(ttm_device *dev, const char *src, bool args, bool compute, ttm_program **p)
{
    const struct ttm_chip *c = &dev->chip;
    struct ttm_core_range all = {0, 0, c->grid_x - 1, c->grid_y - 1};
    struct ttm_kernel_opts o0 = {.argsz = sizeof o0, .processor = TTM_RISCV_0, .noc = 0};
    struct ttm_kernel_opts o1 = {.argsz = sizeof o1, .processor = TTM_RISCV_1, .noc = 1};
    struct ttm_kernel_opts oc = {.argsz = sizeof oc};
    ttm_kernel *k0, *k1, *kc;
    uint32_t a[2] = {1, 2};
    if (ttm_program_create(dev, p) ||
        ttm_kernel_create_dataflow_from_string(*p, src, &all, 1, &o0, &k0) ||
        ttm_kernel_create_dataflow_from_string(*p, empty, &all, 1, &o1, &k1) ||
        (compute && ttm_kernel_create_compute_from_string(*p, empty_compute, &all, 1, &oc, &kc)))
        return -1;
    for (uint32_t y = 0; args && y < c->grid_y; y++)
        for (uint32_t x = 0; x < c->grid_x; x++)
            if (ttm_set_runtime_args(*p, k0, x, y, a, 2) || ttm_set_runtime_args(*p, k1, x, y, a, 2))
                return -1;
    return 0;
}

/* The latest, over all workers, of the timestamps our firmware keeps in each mailbox: the
 * previous launch's DONE, the last launch's GO and its DONE. */
struct stamps {
    uint32_t prev_done, go, done;
};

static int latest_stamps(ttm_device *dev, struct stamps *st)
{
    struct ttm_chip *c = &dev->chip;
    for (uint32_t i = 0; i < c->n_workers; i++) {
        struct chip_worker w = chip_worker_at(c, i % c->grid_x, i / c->grid_x);
        struct ttm_mailbox mb;
        if (chip_read(c, w.x, w.y, TTM_L1_MAILBOX, &mb, offsetof(struct ttm_mailbox, trisc_sync)))
            return -1;
        if (i == 0 || (int32_t)(mb.t_prev_done - st->prev_done) > 0)
            st->prev_done = mb.t_prev_done;
        if (i == 0 || (int32_t)(mb.t_go - st->go) > 0)
            st->go = mb.t_go;
        if (i == 0 || (int32_t)(mb.t_done - st->done) > 0)
            st->done = mb.t_done;
    }
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#define SAMPLES 100

/* The median over SAMPLES rounds of: queue `first` `n_first` times, then `second`,
 * finish, and take (go - prev_done) when `to_go`, else (done - prev_done) of the latest
 * stamps: of the last two launches. */
static int stamp_median(ttm_device *dev, ttm_program *first, unsigned n_first,
                        ttm_program *second, bool to_go, double *cycles)
{
    double v[SAMPLES];
    for (int i = 0; i < SAMPLES; i++) {
        struct stamps st = {0, 0, 0};
        for (unsigned k = 0; k < n_first; k++)
            if (ttm_enqueue_program(dev, first))
                return -1;
        if (ttm_enqueue_program(dev, second) || ttm_finish(dev, 0) || latest_stamps(dev, &st))
            return -1;
        v[i] = (int32_t)((to_go ? st.go : st.done) - st.prev_done);
    }
    qsort(v, SAMPLES, sizeof v[0], cmp_double);
    *cycles = v[SAMPLES / 2];
    return 0;
}

static int run(const char *backend, const char *suffix)
{
    struct ttm_device_opts o = {.argsz = sizeof o, .backend = backend, .dispatch = TTM_DISPATCH_FAST};
    ttm_device *dev;
    ttm_program *p, *slow_p, *bare;
    if (ttm_device_create_opts(&o, &dev))
        return fail("opening the device");
    if (program_of(dev, empty, true, false, &p) || ttm_program_launch(dev, p, 0) ||
        program_of(dev, busy, true, false, &slow_p) || ttm_program_launch(dev, slow_p, 0) ||
        program_of(dev, empty, false, true, &bare) || ttm_program_launch(dev, bare, 0))
        return fail("building the programs");

    /* Enqueue cost: batches of 32, the device catching up between batches. */
    double cpu = 0;
    int n = 0;
    for (int batch = 0; batch < 200; batch++) {
        double t0 = seconds(CLOCK_THREAD_CPUTIME_ID);
        for (int i = 0; i < 32; i++, n++)
            if (ttm_enqueue_program(dev, p))
                return fail("enqueue");
        cpu += seconds(CLOCK_THREAD_CPUTIME_ID) - t0;
        if (ttm_finish(dev, 0))
            return fail("finish");
    }
    printf("fast_enqueue_ns%s: %.0f ns\n", suffix, cpu / n * 1e9);

    /* A busy launch then an empty one: the second is ready long before the first is
     * done, so what is left between them is the DONE -> GO handshake itself. */
    double cycles;
    if (stamp_median(dev, slow_p, 1, p, true, &cycles))
        return fail("done-to-go");
    printf("done_to_go_cycles%s: %.0f cycles\n", suffix, cycles);
    /* Sixteen empty launches back to back, twice the launches in flight, so that
     * whichever of the dispatcher and the workers is slower sets the pace: the last one's
     * DONE after the one before. */
    if (stamp_median(dev, bare, 15, bare, false, &cycles))
        return fail("empty launch");
    printf("empty_launch_cycles%s: %.0f cycles\n", suffix, cycles);
    if (stamp_median(dev, p, 15, p, false, &cycles))
        return fail("empty launch with args");
    printf("empty_launch_cycles_args%s: %.0f cycles\n", suffix, cycles);

    int launches = 2000;
    double t0 = seconds(CLOCK_MONOTONIC);
    for (int i = 0; i < launches; i++)
        if (ttm_enqueue_program(dev, p))
            return fail("enqueue");
    if (ttm_finish(dev, 0))
        return fail("finish");
    printf("fast_empty_launches_per_s%s: %.0f launches/s\n", suffix,
           launches / (seconds(CLOCK_MONOTONIC) - t0));
    ttm_program_destroy(p);
    ttm_program_destroy(slow_p);
    ttm_program_destroy(bare);
    ttm_device_close(dev);
    return 0;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (run("emu", ""))
        return 1;
    if (!getenv("TTSIM_LIB"))
        return 0;
    /* ttsim ends the process on any error of its own: keep it in a child. */
    pid_t pid = fork();
    if (pid == 0)
        _exit(run("ttsim", "_ttsim"));
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status))
        fprintf(stderr, "fast_bench: the ttsim run failed (status 0x%x)\n", status);
    return 0;
}
