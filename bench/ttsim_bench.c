/* Tenstorrent's simulator against our emulator on the same end-to-end program, one figure
 * per line as "name: value unit", printed only when TTSIM_LIB names a libttsim.so
 * (nothing at all otherwise):
 *   emu_add1_flow_ms          the add1 flow on the emulator, as a P150A (the chip ttsim
 *                             models: 140 workers, 8 DRAM banks)
 *   ttsim_add1_flow_ms        the same flow on ttsim
 *   ttsim_vs_emu_wall_ratio   ttsim wall time divided by the emulator's
 * The flow is examples/add1.c's: open and boot the device, write the input buffer, launch
 * the reader/writer kernels of examples/add1_kernels.h on every worker (4 pages of 4 KiB
 * each), read the output back and check it, close, in the default dispatch mode (fast;
 * TTM_SLOW_DISPATCH=1 for slow). Kernels are compiled once before any timing, so the
 * compiler is in neither figure. Best of RUNS. ttsim runs in a child process: it is one
 * simulator per process and stops the process on what it does not model. (ttsim steps
 * every running core on every cycle, spinning ones included, where the emulator parks
 * them; fast dispatch keeps the host waiting on the device longer, so the ratio is larger
 * there than in slow dispatch.)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../examples/add1_kernels.h"
#include "ttm.h"

#define RUNS 3
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
static int add1_flow(const char *backend)
{
    struct ttm_device_opts o = {.argsz = sizeof o, .backend = backend,
                                .emu_board = TTM_BOARD_P150A};
    ttm_device *dev;
    if (ttm_device_create_opts(&o, &dev))
        return fail(backend, "opening the device");
    struct ttm_device_info info = {.argsz = sizeof info};
    ttm_device_info(dev, &info);
    uint32_t pages = info.num_workers * PER_CORE, page = PAGE;
    size_t bytes = (size_t)pages * PAGE;
    uint32_t *in = malloc(bytes), *out = malloc(bytes);
    ttm_buffer *bin = NULL, *bout = NULL;
    ttm_program *prog = NULL;
    ttm_kernel *reader, *writer;
    struct ttm_core_range all = {0, 0, info.grid_x - 1, info.grid_y - 1};
    struct ttm_kernel_opts ro = {.argsz = sizeof ro, .processor = TTM_RISCV_1, .noc = 1};
    struct ttm_kernel_opts wo = {.argsz = sizeof wo, .processor = TTM_RISCV_0, .noc = 0};
    int rc = in && out ? 0 : -ENOMEM;
    for (size_t i = 0; !rc && i < bytes / 4; i++)
        in[i] = (uint32_t)(i * 2654435761u);
    if (!rc && (ttm_buffer_create_interleaved(dev, bytes, PAGE, TTM_BUFFER_DRAM, &bin) ||
                ttm_buffer_create_interleaved(dev, bytes, PAGE, TTM_BUFFER_DRAM, &bout) ||
                ttm_buffer_write(bin, 0, in, bytes) || ttm_program_create(dev, &prog) ||
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
    for (size_t i = 0; !rc && i < bytes / 4; i++)
        if (out[i] != in[i] + 1) {
            fprintf(stderr, "ttsim_bench: %s: wrong result at word %zu\n", backend, i);
            rc = -1;
        }
    if (prog)
        ttm_program_destroy(prog);
    if (bin)
        ttm_buffer_destroy(bin);
    if (bout)
        ttm_buffer_destroy(bout);
    ttm_device_close(dev);
    free(in);
    free(out);
    return rc;
}

/* Best wall time of RUNS flows, or a negative value on failure. */
static double best_ms(const char *backend)
{
    double best = -1;
    for (int i = 0; i < RUNS; i++) {
        double t0 = now_ms();
        if (add1_flow(backend))
            return -1;
        double t = now_ms() - t0;
        if (best < 0 || t < best)
            best = t;
    }
    return best;
}

/* ttsim's figure from a child process, passed back through a pipe. */
static double ttsim_best_ms(void)
{
    int fd[2];
    if (pipe(fd))
        return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        close(fd[0]);
        double ms = best_ms("ttsim");
        _exit(write(fd[1], &ms, sizeof ms) == (ssize_t)sizeof ms && ms >= 0 ? 0 : 1);
    }
    close(fd[1]);
    double ms = -1;
    if (read(fd[0], &ms, sizeof ms) != (ssize_t)sizeof ms)
        ms = -1;
    close(fd[0]);
    int status;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status)) {
        fprintf(stderr, "ttsim_bench: the ttsim child failed (status 0x%x)\n", status);
        return -1;
    }
    return ms;
}

int main(void)
{
    const char *lib = getenv("TTSIM_LIB");
    if (!lib || !*lib)
        return 0;
    if (add1_flow("emu")) /* warm the kernel cache */
        return 1;
    double emu = best_ms("emu");
    double sim = ttsim_best_ms();
    if (emu <= 0 || sim <= 0)
        return 1;
    printf("emu_add1_flow_ms: %.1f ms\n", emu);
    printf("ttsim_add1_flow_ms: %.1f ms\n", sim);
    printf("ttsim_vs_emu_wall_ratio: %.2f x\n", sim / emu);
    return 0;
}
