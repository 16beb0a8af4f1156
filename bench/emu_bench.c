/* Emulator figures, one per line as "name: value unit":
 *   emu_p100a_rss_mib           resident memory after creating a P100A and booting a
 *                               trivial firmware on all 600 cores (measured first, in a
 *                               fresh process)
 *   emu_mips                    interpreter speed on a compute-bound loop on one core
 *   emu_idle_clock_call_ns      host time of one bhemu_clock(10000) on a P150A whose 700
 *                               cores are all parked on their mailboxes (what a host
 *                               polling an idle chip pays per poll); median of 2000 calls
 *   busy_chip_cycles_per_s_tN   chip cycles per second of wall time on a P150A with every
 *                               worker busy (BRISC playing NoC ping-pong with a far
 *                               partner, NCRISC and the three TRISCs in a compute loop),
 *                               the clock on N host threads, for N = 1, 2, 4, ... up to
 *                               the machine's processors; median of 3 runs of 60,000
 *                               cycles each, the thread counts alternating
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ttm/blackhole.h"
#include "emu_util.h"
#include "rv32/noc_abi.h"

static const uint32_t core_pc[BH_CORES_PER_TILE] = {
    0, BH_NCRISC_DEFAULT_PC, BH_TRISC0_DEFAULT_PC, BH_TRISC1_DEFAULT_PC, BH_TRISC2_DEFAULT_PC,
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static long rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "VmRSS:", 6))
            kib = atol(line + 6);
    if (f)
        fclose(f);
    return kib;
}

/* Load `prog` at every core's reset PC on every worker and release all five cores. */
static int boot_all(bhemu *emu, const char *prog)
{
    unsigned n = eu_worker_count(emu);
    for (unsigned i = 0; i < n; i++) {
        uint32_t x, y;
        eu_worker_xy(emu, i, &x, &y);
        for (unsigned c = 0; c < BH_CORES_PER_TILE; c++)
            if (eu_load(emu, x, y, core_pc[c], prog))
                return -1;
        eu_release(emu, x, y, BH_RESET_ALL_RISCS);
    }
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, unsigned n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return v[n / 2];
}

static bhemu *create(uint32_t board, unsigned threads)
{
    struct bhemu_config cfg;
    bhemu_config_default(board, &cfg);
    cfg.threads = threads;
    bhemu *emu = NULL;
    return bhemu_create(&cfg, &emu) ? NULL : emu;
}

/* Every worker busy: BRISC plays NoC ping-pong with the worker at the other end of the
 * list, the other four cores run the compute loop. */
static int boot_busy(bhemu *emu)
{
    unsigned n = eu_worker_count(emu);
    for (unsigned i = 0; i < n; i++) {
        uint32_t x, y, px, py;
        eu_worker_xy(emu, i, &x, &y);
        eu_worker_xy(emu, n - 1 - i, &px, &py);
        uint32_t p[5] = {[NOC_PP_P_ROLE] = i < n / 2, [NOC_PP_P_PEER_XY] = px | py << 6,
                         [NOC_PP_P_ROUNDS] = 1000000, [NOC_PP_P_NOC] = i & 1};
        if (eu_load(emu, x, y, 0, "noc_pingpong") ||
            bhemu_tile_write(emu, x, y, NOC_PARAM, p, sizeof p))
            return -1;
        for (unsigned c = 1; c < BH_CORES_PER_TILE; c++)
            if (eu_load(emu, x, y, core_pc[c], "compute_loop"))
                return -1;
    }
    for (unsigned i = 0; i < n; i++) {
        uint32_t x, y;
        eu_worker_xy(emu, i, &x, &y);
        eu_release(emu, x, y, BH_RESET_ALL_RISCS);
    }
    return 0;
}

static double busy_cycles_per_s(unsigned threads)
{
    bhemu *emu = create(BHEMU_P150A, threads);
    if (!emu || boot_busy(emu)) {
        bhemu_destroy(emu);
        return -1;
    }
    bhemu_clock(emu, 2000); /* past the start-up */
    double t0 = now_s();
    for (unsigned i = 0; i < 6; i++)
        bhemu_clock(emu, 10000);
    double dt = now_s() - t0;
    bhemu_destroy(emu);
    return 60000 / dt;
}

int main(void)
{
    bhemu *emu = eu_create_default(BHEMU_P100A);
    if (!emu || boot_all(emu, "idle_fw"))
        return 1;
    bhemu_clock(emu, 100000);
    printf("emu_p100a_rss_mib: %.1f MiB\n", rss_kib() / 1024.0);
    bhemu_destroy(emu);

    emu = create(BHEMU_P150A, 1);
    if (!emu || boot_all(emu, "idle_fw"))
        return 1;
    bhemu_clock(emu, 100000);
    struct bhemu_stats st;
    bhemu_get_stats(emu, &st);
    if (st.cores_parked != 700)
        fprintf(stderr, "warning: %u cores parked, %u running\n", st.cores_parked, st.cores_running);
    static double call_ns[2000];
    for (unsigned i = 0; i < 2000; i++) {
        double t0 = now_s();
        bhemu_clock(emu, 10000);
        call_ns[i] = (now_s() - t0) * 1e9;
    }
    bhemu_destroy(emu);

    emu = eu_create_default(BHEMU_P100A);
    if (!emu || eu_load(emu, 1, 2, 0, "compute_loop"))
        return 1;
    eu_release(emu, 1, 2, BH_RESET_BRISC);
    double t0 = now_s();
    bhemu_clock(emu, 300000000ull);
    double dt = now_s() - t0;
    bhemu_get_stats(emu, &st);
    bhemu_destroy(emu);
    printf("emu_mips: %.0f MIPS\n", st.instret / dt / 1e6);
    printf("emu_idle_clock_call_ns: %.0f ns\n", median(call_ns, 2000));

    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned counts[8], n_counts = 0;
    for (unsigned t = 1; t <= (unsigned)(cpus > 0 ? cpus : 1) && n_counts < 8; t *= 2)
        counts[n_counts++] = t;
    double busy[8][3];
    for (unsigned r = 0; r < 3; r++)
        for (unsigned k = 0; k < n_counts; k++)
            if ((busy[k][r] = busy_cycles_per_s(counts[k])) < 0)
                return 1;
    for (unsigned k = 0; k < n_counts; k++)
        printf("busy_chip_cycles_per_s_t%u: %.3g cycles/s\n", counts[k], median(busy[k], 3));
    return 0;
}
