/* Slow-dispatch figures on the emulator, one per line as "name: value unit":
 *   slow_launch_us_1core   host wall time to launch an already-built program on one core
 *                          and see it done
 *   slow_launch_us_all     the same on every worker
 *   slow_launch_bytes_all  bytes written through BARs per all-worker launch
 * The kernels are empty, so what is measured is dispatch: image, args, launch message,
 * GO, and the DONE polls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "objects.h"
#include "ttm.h"

#define LAUNCHES 200

static const char empty[] = "#include <ttm/kernel/dataflow.h>\nvoid kernel_main(void) {}\n";

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int fail(const char *what)
{
    fprintf(stderr, "slow_bench: %s: %s\n", what, ttm_last_error());
    return 1;
}

/* Mean microseconds per launch of an empty BRISC + NCRISC program on `r`, and the BAR
 * bytes one launch writes. */
static int measure(ttm_device *dev, struct ttm_core_range r, double *us, double *bytes)
{
    ttm_program *p;
    ttm_kernel *k0, *k1;
    struct ttm_kernel_opts o0 = {.argsz = sizeof o0, .processor = TTM_RISCV_0, .noc = 0};
    struct ttm_kernel_opts o1 = {.argsz = sizeof o1, .processor = TTM_RISCV_1, .noc = 1};
    uint32_t args[2] = {1, 2};
    if (ttm_program_create(dev, &p) ||
        ttm_kernel_create_dataflow_from_string(p, empty, &r, 1, &o0, &k0) ||
        ttm_kernel_create_dataflow_from_string(p, empty, &r, 1, &o1, &k1))
        return fail("building the program");
    for (uint32_t y = r.y0; y <= r.y1; y++)
        for (uint32_t x = r.x0; x <= r.x1; x++)
            if (ttm_set_runtime_args(p, k0, x, y, args, 2) || ttm_set_runtime_args(p, k1, x, y, args, 2))
                return fail("setting args");
    if (ttm_program_launch(dev, p, 0))
        return fail("warm-up launch");
    uint64_t b0 = dev->chip.bar_bytes_written;
    double t0 = now_us();
    for (int i = 0; i < LAUNCHES; i++)
        if (ttm_program_launch(dev, p, 0))
            return fail("launch");
    *us = (now_us() - t0) / LAUNCHES;
    *bytes = (double)(dev->chip.bar_bytes_written - b0) / LAUNCHES;
    ttm_program_destroy(p);
    return 0;
}

int main(void)
{
    struct ttm_device_opts o = {.argsz = sizeof o, .backend = "emu", .dispatch = TTM_DISPATCH_SLOW};
    ttm_device *dev;
    if (ttm_device_create_opts(&o, &dev))
        return fail("opening the emulator");
    double us1, b1, us_all, b_all;
    struct ttm_core_range one = {0, 0, 0, 0};
    struct ttm_core_range all = {0, 0, dev->chip.grid_x - 1, dev->chip.grid_y - 1};
    if (measure(dev, one, &us1, &b1) || measure(dev, all, &us_all, &b_all))
        return 1;
    printf("slow_launch_us_1core: %.1f us\n", us1);
    printf("slow_launch_us_all: %.1f us\n", us_all);
    printf("slow_launch_bytes_all: %.0f bytes\n", b_all);
    printf("slow_launch_bytes_1core: %.0f bytes\n", b1);
    ttm_device_close(dev);
    return 0;
}
