/* The Tensix coprocessor's speed, one figure per line as "name: value unit":
 *   tensix_instr_per_s        emulator, one busy tile: the math thread's SFPU pass over a
 *                             Dst tile (32 x SFPLOAD, SFPADDI, SFPSTORE, and a SETRWC: 97
 *                             instructions) repeated, launch time of 4000 passes less that
 *                             of none; median of 5
 *   emu_add1_sfpu_tiles_per_s add1_sfpu (examples/add1_sfpu_kernels.h) on every worker of
 *                             an emulated P150A, 8 tiles each, fast dispatch: tiles per
 *                             second of the launch alone (data in DRAM, kernels built);
 *                             median of 5
 *   matmul_512_ms             examples/matmul_kernels.h's matmul_bf16, 512 x 512 by
 *                             512 x 512 bfloat16 at HiFi4 on every worker of an emulated
 *                             P150A: tilize, buffers, launch, read back, untilize (kernels
 *                             built before); median of 3
 *   matmul_tiles_per_s_hifi4, matmul_tiles_per_s_lofi
 *                             32x32x32 tile products per second in that matmul (512^3:
 *                             4096 of them), on the emulator; median of 3
 *   tilize_gb_per_s           ttm_tilize then ttm_untilize of a 2048 x 2048 bfloat16 matrix,
 *                             bytes of both per second; median of 5
 * and, when TTSIM_LIB names a Blackhole libttsim.so, the same on ttsim (the P150A it
 * models), in a child process that keeps its device open:
 *   ttsim_add1_sfpu_tiles_per_s  median of 5
 *   add1_sfpu_ttsim_vs_emu       emulator tiles/s over ttsim tiles/s, each pair of
 *                                launches run back to back; median of the 5 ratios
 *   matmul_512_ms_ttsim          median of 3
 *   matmul_512_ttsim_vs_emu      ttsim time over the emulator's, paired; median of 3
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../examples/add1_sfpu_kernels.h"
#include "../examples/matmul_kernels.h"
#include "ttm.h"

#define RUNS 5
#define MM_RUNS 3
#define PER_CORE 8u
#define PASSES 4000u

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
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

static int fail(const char *what)
{
    fprintf(stderr, "compute_bench: %s: %s\n", what, ttm_last_error());
    return -1;
}

/* add1_sfpu on every worker, ready to launch. */
struct flow {
    ttm_device *dev;
    ttm_program *prog;
    ttm_buffer *in, *out;
    uint32_t tiles;
};

static int flow_open(struct flow *f, const char *backend)
{
    struct ttm_device_opts o = {.argsz = sizeof o, .backend = backend,
                                .emu_board = TTM_BOARD_P150A};
    if (ttm_device_create_opts(&o, &f->dev))
        return fail("opening the device");
    struct ttm_device_info info = {.argsz = sizeof info};
    if (ttm_device_info(f->dev, &info))
        return fail("device info");
    f->tiles = info.num_workers * PER_CORE;
    size_t n = (size_t)f->tiles * 1024;
    uint16_t *data = malloc(2 * n);
    if (!data)
        return -1;
    for (size_t i = 0; i < n; i++)
        data[i] = (uint16_t)i;
    struct ttm_core_range all = {0, 0, info.grid_x - 1, info.grid_y - 1};
    ttm_kernel *rk, *ck, *wk;
    struct ttm_kernel_opts ro = {.argsz = sizeof ro, .processor = TTM_RISCV_1, .noc = 1};
    struct ttm_kernel_opts wo = {.argsz = sizeof wo, .processor = TTM_RISCV_0, .noc = 0};
    struct ttm_kernel_opts co = {.argsz = sizeof co, .math_fidelity = TTM_HIFI4};
    uint32_t tile = ADD1_TILE_BYTES, per = PER_CORE;
    int rc = ttm_buffer_create_interleaved(f->dev, 2 * n, tile, TTM_BUFFER_DRAM, &f->in) ||
             ttm_buffer_create_interleaved(f->dev, 2 * n, tile, TTM_BUFFER_DRAM, &f->out) ||
             ttm_buffer_write(f->in, 0, data, 2 * n) || ttm_program_create(f->dev, &f->prog) ||
             ttm_cb_create(f->prog, &all, 1, 0, 2 * tile, tile, TTM_FORMAT_BFLOAT16, NULL) ||
             ttm_cb_create(f->prog, &all, 1, 16, 2 * tile, tile, TTM_FORMAT_BFLOAT16, NULL) ||
             ttm_kernel_create_dataflow_from_string(f->prog, add1_sfpu_reader_src, &all, 1, &ro, &rk) ||
             ttm_kernel_create_compute_from_string(f->prog, add1_sfpu_compute_src, &all, 1, &co, &ck) ||
             ttm_kernel_create_dataflow_from_string(f->prog, add1_sfpu_writer_src, &all, 1, &wo, &wk) ||
             ttm_set_common_runtime_args(f->prog, rk, &tile, 1) ||
             ttm_set_common_runtime_args(f->prog, wk, &tile, 1);
    free(data);
    for (uint32_t y = 0, i = 0; !rc && y < info.grid_y; y++) {
        for (uint32_t x = 0; !rc && x < info.grid_x; x++, i++) {
            uint32_t ra[3] = {(uint32_t)ttm_buffer_address(f->in), i * per, per};
            uint32_t wa[3] = {(uint32_t)ttm_buffer_address(f->out), i * per, per};
            rc = ttm_set_runtime_args(f->prog, rk, x, y, ra, 3) ||
                 ttm_set_runtime_args(f->prog, ck, x, y, &per, 1) ||
                 ttm_set_runtime_args(f->prog, wk, x, y, wa, 3);
        }
    }
    return rc ? fail("building add1_sfpu") : 0;
}

/* One launch; tiles per second, or a negative value on failure. */
static double flow_rate(struct flow *f)
{
    double t0 = now_ms();
    if (ttm_program_launch(f->dev, f->prog, 0))
        return fail("launching add1_sfpu");
    return f->tiles / ((now_ms() - t0) / 1e3);
}

/* ---- matmul ---- */
#define MM 512u

static uint16_t *mm_a, *mm_b, *mm_c;

/* One 512^3 matmul on the device's whole grid: milliseconds, or a negative value. */
static double matmul_ms(ttm_device *dev, uint32_t fidelity)
{
    struct ttm_device_info info = {.argsz = sizeof info};
    if (ttm_device_info(dev, &info))
        return fail("device info");
    if (!mm_a) {
        mm_a = malloc(2 * MM * MM);
        mm_b = malloc(2 * MM * MM);
        mm_c = malloc(2 * MM * MM);
        if (!mm_a || !mm_b || !mm_c)
            return -1;
        for (uint32_t i = 0; i < MM * MM; i++) {
            mm_a[i] = (uint16_t)(0x3F00 + (i * 7 % 256)); /* values around 0.5 .. 1 */
            mm_b[i] = (uint16_t)(0xBF00 + (i * 13 % 256));
        }
    }
    struct matmul_opts o = {{0, 0, info.grid_x - 1, info.grid_y - 1}, fidelity, 0, 0};
    double t0 = now_ms();
    if (matmul_bf16(dev, mm_a, mm_b, mm_c, MM, MM, MM, &o))
        return fail("matmul");
    return now_ms() - t0;
}

/* ---- ttsim in a child that runs on request and answers with its figure ---- */
enum job { JOB_ADD1, JOB_MATMUL };
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
        struct flow f = {0};
        double v = flow_open(&f, "ttsim") ? -1 : 0;
        char job;
        while (read(a[0], &job, 1) == 1) {
            if (v >= 0)
                v = job == JOB_ADD1 ? flow_rate(&f) : matmul_ms(f.dev, TTM_HIFI4);
            if (write(b[1], &v, sizeof v) != (ssize_t)sizeof v)
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

static double child_run(struct child *c, enum job job)
{
    double v = -1;
    char j = (char)job;
    if (write(c->req, &j, 1) != 1 || read(c->ans, &v, sizeof v) != (ssize_t)sizeof v)
        return -1;
    return v;
}

/* ---- The coprocessor alone ---- */
static const char sfpu_loop_src[] =
    "#include <ttm/kernel/compute.h>\n"
    "void kernel_main(void) {\n"
    "    uint32_t n = get_arg_val(0);\n"
    "    init_sfpu(0, 16);\n"
    "    for (uint32_t i = 0; i < n; i++)\n"
    "        add_unary_tile(0, 0x3F800000u);\n"
    "}\n";

static double launch_ms(ttm_device *dev, ttm_program *p, ttm_kernel *k, uint32_t passes)
{
    if (ttm_set_runtime_args(p, k, 0, 0, &passes, 1))
        return fail("setting args");
    double t0 = now_ms();
    if (ttm_program_launch(dev, p, 0))
        return fail("launching the SFPU loop");
    return now_ms() - t0;
}

static int tensix_rate(void)
{
    struct ttm_device_opts o = {.argsz = sizeof o, .backend = "emu", .emu_board = TTM_BOARD_P150A};
    ttm_device *dev;
    ttm_program *p;
    ttm_kernel *k;
    struct ttm_core_range one = {0, 0, 0, 0};
    struct ttm_kernel_opts co = {.argsz = sizeof co};
    if (ttm_device_create_opts(&o, &dev) || ttm_program_create(dev, &p) ||
        ttm_cb_create(p, &one, 1, 0, 2048, 2048, TTM_FORMAT_BFLOAT16, NULL) ||
        ttm_cb_create(p, &one, 1, 16, 2048, 2048, TTM_FORMAT_BFLOAT16, NULL) ||
        ttm_kernel_create_compute_from_string(p, sfpu_loop_src, &one, 1, &co, &k))
        return fail("building the SFPU loop");
    double r[RUNS];
    for (int i = 0; i < RUNS; i++) {
        double busy = launch_ms(dev, p, k, PASSES), idle = launch_ms(dev, p, k, 0);
        if (busy < 0 || idle < 0)
            return -1;
        r[i] = PASSES * 97.0 / ((busy - idle) / 1e3);
    }
    printf("tensix_instr_per_s: %.3g instructions/s\n", median(r, RUNS));
    ttm_program_destroy(p);
    ttm_device_close(dev);
    return 0;
}

/* ttm_tilize and ttm_untilize of a 2048 x 2048 bfloat16 matrix. */
static int tilize_rate(void)
{
    const uint32_t n = 2048;
    size_t bytes = (size_t)n * n * 2;
    uint8_t *m = malloc(bytes), *t = malloc(bytes);
    if (!m || !t)
        return 1;
    memset(m, 1, bytes);
    memset(t, 0, bytes);
    double r[RUNS];
    for (int i = 0; i < RUNS; i++) {
        double t0 = now_ms();
        if (ttm_tilize(m, t, n, n, 2) || ttm_untilize(t, m, n, n, 2))
            return fail("tilize");
        r[i] = 2 * bytes / ((now_ms() - t0) / 1e3) / 1e9;
    }
    printf("tilize_gb_per_s: %.2f GB/s\n", median(r, RUNS));
    free(m);
    free(t);
    return 0;
}

int main(void)
{
    if (tensix_rate())
        return 1;
    struct flow emu = {0};
    if (flow_open(&emu, "emu") || flow_rate(&emu) < 0) /* the first launch loads kernels */
        return 1;
    const char *lib = getenv("TTSIM_LIB");
    struct child sim = {0};
    bool with_ttsim = lib && *lib;
    if (with_ttsim && (child_start(&sim) || child_run(&sim, JOB_ADD1) < 0)) {
        fprintf(stderr, "compute_bench: the ttsim child failed\n");
        return 1;
    }
    double e[RUNS], s[RUNS], ratio[RUNS];
    for (int i = 0; i < RUNS; i++) {
        e[i] = flow_rate(&emu);
        s[i] = with_ttsim ? child_run(&sim, JOB_ADD1) : 1;
        if (e[i] < 0 || s[i] < 0)
            return 1;
        ratio[i] = e[i] / s[i];
    }
    printf("emu_add1_sfpu_tiles_per_s: %.0f tiles/s\n", median(e, RUNS));
    if (with_ttsim) {
        printf("ttsim_add1_sfpu_tiles_per_s: %.0f tiles/s\n", median(s, RUNS));
        printf("add1_sfpu_ttsim_vs_emu: %.1f x\n", median(ratio, RUNS));
    }
    /* matmul: kernels built by a first run on each side, then pairs. */
    const uint32_t tile_products = (MM / 32) * (MM / 32) * (MM / 32);
    double me[MM_RUNS], ms[MM_RUNS], mr[MM_RUNS], lofi[MM_RUNS];
    if (matmul_ms(emu.dev, TTM_HIFI4) < 0 || matmul_ms(emu.dev, TTM_LOFI) < 0 ||
        (with_ttsim && child_run(&sim, JOB_MATMUL) < 0))
        return 1;
    for (int i = 0; i < MM_RUNS; i++) {
        me[i] = matmul_ms(emu.dev, TTM_HIFI4);
        ms[i] = with_ttsim ? child_run(&sim, JOB_MATMUL) : 1;
        lofi[i] = matmul_ms(emu.dev, TTM_LOFI);
        if (me[i] < 0 || ms[i] < 0 || lofi[i] < 0)
            return 1;
        mr[i] = ms[i] / me[i];
    }
    double hifi = median(me, MM_RUNS);
    printf("matmul_512_ms: %.0f ms\n", hifi);
    printf("matmul_tiles_per_s_hifi4: %.0f tile products/s\n", tile_products / (hifi / 1e3));
    printf("matmul_tiles_per_s_lofi: %.0f tile products/s\n",
           tile_products / (median(lofi, MM_RUNS) / 1e3));
    if (with_ttsim) {
        printf("matmul_512_ms_ttsim: %.0f ms\n", median(ms, MM_RUNS));
        printf("matmul_512_ttsim_vs_emu: %.1f x\n", median(mr, MM_RUNS));
        close(sim.req);
        waitpid(sim.pid, NULL, 0);
    }
    ttm_device_close(emu.dev);
    return tilize_rate();
}
