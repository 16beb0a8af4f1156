/* Emulator figures, one per line as "name: value unit":
 *   emu_p100a_rss_mib       resident memory after creating a P100A and booting a trivial
 *                           firmware on all 600 cores (measured first, in a fresh process)
 *   emu_mips                interpreter speed on a compute-bound loop on one core
 *   emu_idle_clock_cycles_per_s / emu_busy_clock_cycles_per_s / emu_idle_clock_speedup
 *                           chip cycles per second with every core parked on its mailbox,
 *                           with every core executing, and their ratio
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ttm/blackhole.h"
#include "emu_util.h"

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

/* Chip cycles per second of wall time, clocking in steps the way a host poll loop does. */
static double cycles_per_s(bhemu *emu, uint64_t total, uint64_t step)
{
    double t0 = now_s();
    for (uint64_t done = 0; done < total; done += step)
        bhemu_clock(emu, step);
    return total / (now_s() - t0);
}

int main(void)
{
    bhemu *emu = eu_create_default(BHEMU_P100A);
    if (!emu || boot_all(emu, "idle_fw"))
        return 1;
    bhemu_clock(emu, 100000);
    printf("emu_p100a_rss_mib: %.1f MiB\n", rss_kib() / 1024.0);
    double idle = cycles_per_s(emu, 2000000000ull, 10000);
    struct bhemu_stats st;
    bhemu_get_stats(emu, &st);
    if (st.cores_parked != 600)
        fprintf(stderr, "warning: %u cores parked, %u running\n", st.cores_parked, st.cores_running);
    bhemu_destroy(emu);

    emu = eu_create_default(BHEMU_P100A);
    if (!emu || boot_all(emu, "compute_loop"))
        return 1;
    double busy = cycles_per_s(emu, 200000, 10000);
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
    printf("emu_idle_clock_cycles_per_s: %.3g cycles/s\n", idle);
    printf("emu_busy_clock_cycles_per_s: %.3g cycles/s\n", busy);
    printf("emu_idle_clock_speedup: %.0f x\n", idle / busy);
    return 0;
}
