/* Tenstorrent's simulator against our emulator on the same end-to-end program, one figure
 * per line as "name: value unit", printed only when TTSIM_LIB names a libttsim.so
 * (nothing at all otherwise), for fast and for slow dispatch (MODE fast, slow):
 *   add1_flow_ms_emu_MODE          the add1 flow on the emulator, as a P150A (the chip
 *                                  ttsim models: 140 workers, 8 DRAM banks); median of 5
 *   add1_flow_ms_ttsim_MODE        the same flow on ttsim; median of 5
 *   add1_flow_ttsim_vs_emu_MODE    ttsim's time over the emulator's, the two run back to
 *                                  back; median of the 5 pairs' ratios
 * The flow is examples/add1.c's: open and boot the device, write the input buffer, launch
 * the reader/writer kernels of examples/add1_kernels.h on every worker (4 pages of 4 KiB
 * each), read the output back, close; the input is made and the output checked outside
 * the timed part, and kernels are compiled before any timing. ttsim runs in a child
 * process that stays up between flows: it is one simulator per process and stops the
 * process on what it does not model. (ttsim steps every running core on every cycle,
 * spinning ones included, where the emulator parks them.)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../examples/add1_kernels.h"
#include "ttm.h"

#define RUNS 5
#define MAX_BYTES ((size_t)140 * PER_CORE * PAGE) /* the largest grid, 140 workers */
#define PER_CORE 4u
#define PAGE 4096u

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int fail(const char *backend, const char *what)
{
    fprintf(stderr, "ttsim_bench: %s: %s: %s\n", backend, what, ttm_last_error());
    return -1;
}

/* One add1 flow; returns 0 when every word came back right. */
static uint32_t *input;

/* One add1 flow in dispatch `mode`: its milliseconds from open to close, or -1. */
static double add1_flow_ms(const char *backend, uint32_t mode)
{
    struct ttm_device_opts o = {.argsz = sizeof o, .backend = backend,
                                .emu_board = TTM_BOARD_P150A, .dispatch = mode};
    double t0 = now_ms();
    ttm_device *dev;
    if (ttm_device_create_opts(&o, &dev))
        return fail(backend, "opening the device");
    struct ttm_device_info info = {.argsz = sizeof info};
    ttm_device_info(dev, &info);
    uint32_t pages = info.num_workers * PER_CORE, page = PAGE;
    size_t bytes = (size_t)pages * PAGE;
    uint32_t *out = bytes <= MAX_BYTES ? malloc(bytes) : NULL;
    ttm_buffer *bin = NULL, *bout = NULL;
    ttm_program *prog = NULL;
    ttm_kernel *reader, *writer;
    struct ttm_core_range all = {0, 0, info.grid_x - 1, info.grid_y - 1};
    struct ttm_kernel_opts ro = {.argsz = sizeof ro, .processor = TTM_RISCV_1, .noc = 1};
    struct ttm_kernel_opts wo = {.argsz = sizeof wo, .processor = TTM_RISCV_0, .noc = 0};
    int rc = out ? 0 : -ENOMEM;
    if (!rc && (ttm_buffer_create_interleaved(dev, bytes, PAGE, TTM_BUFFER_DRAM, &bin) ||
                ttm_buffer_create_interleaved(dev, bytes, PAGE, TTM_BUFFER_DRAM, &bout) ||
                ttm_buffer_write(bin, 0, input, bytes) || ttm_program_create(dev, &prog) ||
                ttm_cb_create(prog, &all, 1, 0, 2 * PAGE, PAGE, TTM_FORMAT_UINT32, NULL) ||
                ttm_kernel_create_dataflow_from_string(prog, add1_reader_src, &all, 1, &ro, &reader) ||
                ttm_kernel_create_dataflow_from_string(prog, add1_writer_src, &all, 1, &wo, &writer) ||
                ttm_set_common_runtime_args(prog, reader, &page, 1) ||
                ttm_set_common_runtime_args(prog, writer, &page, 1)))
        rc = fail(backend, "setting up add1");
    for (uint32_t i = 0; !rc && i < info.num_workers; i++) {
        uint32_t ra[3] = {(uint32_t)ttm_buffer_address(bin), i * PER_CORE, PER_CORE};
        uint32_t wa[3] = {(uint32_t)ttm_buffer_address(bout), i * PER_CORE, PER_CORE};
        uint32_t x = i % info.grid_x, y = i / info.grid_x;
        if (ttm_set_runtime_args(prog, reader, x, y, ra, 3) ||
            ttm_set_runtime_args(prog, writer, x, y, wa, 3))
            rc = fail(backend, "setting runtime args");
    }
    if (!rc && ttm_program_launch(dev, prog, 0))
        rc = fail(backend, "launching add1");
    if (!rc && ttm_buffer_read(bout, 0, out, bytes))
        rc = fail(backend, "reading the output");
    if (prog)
        ttm_program_destroy(prog);
    if (bin)
        ttm_buffer_destroy(bin);
    if (bout)
        ttm_buffer_destroy(bout);
    ttm_device_close(dev);
    double ms = now_ms() - t0;
    for (size_t i = 0; !rc && i < bytes / 4; i++)
        if (out[i] != input[i] + 1) {
            fprintf(stderr, "ttsim_bench: %s: wrong result at word %zu\n", backend, i);
            rc = -1;
        }
    free(out);
    return rc ? -1 : ms;
}

/* ttsim in a child that runs a flow in the mode asked for and answers with its time. */
struct child {
    pid_t pid;
    int req, ans;
};

static int child_start(struct child *c)
{
    int a[2], b[2];
    if (pipe(a) || pipe(b))
        return -1;
    fflush(NULL);
    c->pid = fork();
    if (c->pid < 0)
        return -1;
    if (c->pid == 0) {
        close(a[1]);
        close(b[0]);
        uint32_t mode;
        while (read(a[0], &mode, sizeof mode) == (ssize_t)sizeof mode) {
            double ms = add1_flow_ms("ttsim", mode);
            if (write(b[1], &ms, sizeof ms) != (ssize_t)sizeof ms)
                break;
        }
        _exit(0);
    }
    close(a[0]);
    close(b[1]);
    c->req = a[1];
    c->ans = b[0];
    return 0;
}

static double child_flow_ms(struct child *c, uint32_t mode)
{
    double ms = -1;
    if (write(c->req, &mode, sizeof mode) != (ssize_t)sizeof mode ||
        read(c->ans, &ms, sizeof ms) != (ssize_t)sizeof ms)
        return -1;
    return ms;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return v[n / 2];
}

int main(void)
{
    const char *lib = getenv("TTSIM_LIB");
    if (!lib || !*lib)
        return 0;
    if (!(input = malloc(MAX_BYTES)))
        return 1;
    for (size_t i = 0; i < MAX_BYTES / 4; i++)
        input[i] = (uint32_t)(i * 2654435761u);
    struct child sim;
    if (child_start(&sim))
        return 1;
    static const struct {
        uint32_t mode;
        const char *name;
    } modes[2] = {{TTM_DISPATCH_FAST, "fast"}, {TTM_DISPATCH_SLOW, "slow"}};
    for (int m = 0; m < 2; m++) {
        /* A first flow on each side builds the kernels and warms the process. */
        if (add1_flow_ms("emu", modes[m].mode) < 0 || child_flow_ms(&sim, modes[m].mode) < 0)
            return 1;
        double e[RUNS], t[RUNS], r[RUNS];
        for (int i = 0; i < RUNS; i++) {
            e[i] = add1_flow_ms("emu", modes[m].mode);
            t[i] = child_flow_ms(&sim, modes[m].mode);
            if (e[i] <= 0 || t[i] <= 0)
                return 1;
            r[i] = t[i] / e[i];
        }
        printf("add1_flow_ms_emu_%s: %.1f ms\n", modes[m].name, median(e, RUNS));
        printf("add1_flow_ms_ttsim_%s: %.1f ms\n", modes[m].name, median(t, RUNS));
        printf("add1_flow_ttsim_vs_emu_%s: %.1f x\n", modes[m].name, median(r, RUNS));
    }
    close(sim.req);
    waitpid(sim.pid, NULL, 0);
    free(input);
    return 0;
}
