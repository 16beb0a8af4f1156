/* Compute kernels on the emulator and on Tenstorrent's simulator, compared byte for byte
 * (harness: diff.h), and checked against host references that follow the documented
 * numerics (compute-facts 5): the seeds' add1_sfpu over every bfloat16 on one core and
 * on the whole grid, and the SFPU's scalar operations with full fp32 scalars on random
 * tiles rich in special values.
 *
 *   TTSIM_LIB=/path/to/libttsim.so build/tests/ttsim_compute [name-filter]
 */
#include <errno.h>
#include <math.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../examples/add1_sfpu_kernels.h"
#include "../../examples/eltwise_kernels.h"
#include "../../examples/matmul_kernels.h"
#include "../e2e/compute_faults.h"
#include "diff.h"
#include "objects.h"
#include "test.h"
#include "ttm.h"

/* The add1_sfpu program over the rectangle `all`, per_core tiles on each core, with the
 * compute kernel's defines (NULL: add 1.0). */
struct sfpu_run {
    struct ttm_core_range all;
    uint32_t per_core;
    const char *defines;
    uint32_t fp32;           /* fp32 Dst */
    const char *compute;     /* NULL: add1_sfpu's compute kernel */
};

static int sfpu_program(ttm_device *dev, const struct sfpu_run *s, const uint16_t *in,
                        uint16_t *out, size_t n)
{
    ttm_buffer *bin = NULL, *bout = NULL;
    ttm_program *p = NULL;
    ttm_kernel *rk, *ck, *wk;
    struct ttm_core_range all = s->all;
    int rc = ttm_buffer_create_interleaved(dev, 2 * n, ADD1_TILE_BYTES, TTM_BUFFER_DRAM, &bin);
    if (!rc)
        rc = ttm_buffer_create_interleaved(dev, 2 * n, ADD1_TILE_BYTES, TTM_BUFFER_DRAM, &bout);
    if (!rc)
        rc = ttm_buffer_write(bin, 0, in, 2 * n);
    if (!rc)
        rc = ttm_program_create(dev, &p);
    for (uint32_t cb = 0; !rc && cb <= 16; cb += 16)
        rc = ttm_cb_create(p, &all, 1, cb, 2 * ADD1_TILE_BYTES, ADD1_TILE_BYTES,
                           TTM_FORMAT_BFLOAT16, NULL);
    struct ttm_kernel_opts ro = {.argsz = sizeof ro, .processor = TTM_RISCV_1, .noc = 1};
    struct ttm_kernel_opts wo = {.argsz = sizeof wo, .processor = TTM_RISCV_0, .noc = 0};
    struct ttm_kernel_opts co = {.argsz = sizeof co, .math_fidelity = TTM_HIFI4,
                                 .defines = s->defines, .fp32_dest_acc = s->fp32};
    if (!rc)
        rc = ttm_kernel_create_dataflow_from_string(p, add1_sfpu_reader_src, &all, 1, &ro, &rk);
    if (!rc)
        rc = ttm_kernel_create_compute_from_string(p, s->compute ? s->compute : add1_sfpu_compute_src,
                                                   &all, 1, &co, &ck);
    if (!rc)
        rc = ttm_kernel_create_dataflow_from_string(p, add1_sfpu_writer_src, &all, 1, &wo, &wk);
    uint32_t tile = ADD1_TILE_BYTES, i = 0;
    if (!rc)
        rc = ttm_set_common_runtime_args(p, rk, &tile, 1);
    if (!rc)
        rc = ttm_set_common_runtime_args(p, wk, &tile, 1);
    for (uint32_t y = all.y0; !rc && y <= all.y1; y++) {
        for (uint32_t x = all.x0; !rc && x <= all.x1; x++, i++) {
            uint32_t ra[3] = {(uint32_t)ttm_buffer_address(bin), i * s->per_core, s->per_core};
            uint32_t wa[3] = {(uint32_t)ttm_buffer_address(bout), i * s->per_core, s->per_core};
            rc = ttm_set_runtime_args(p, rk, x, y, ra, 3);
            if (!rc)
                rc = ttm_set_runtime_args(p, ck, x, y, &s->per_core, 1);
            if (!rc)
                rc = ttm_set_runtime_args(p, wk, x, y, wa, 3);
        }
    }
    if (!rc)
        rc = ttm_program_launch(dev, p, 0);
    if (!rc)
        rc = ttm_buffer_read(bout, 0, out, 2 * n);
    if (p)
        ttm_program_destroy(p);
    if (bin)
        ttm_buffer_destroy(bin);
    if (bout)
        ttm_buffer_destroy(bout);
    return rc;
}

/* What a reference answers where the documented numerics leave the result to the
 * device (the comparison with ttsim still holds it). */
#define REF_ANY 0xFFFFFFFFu

/* Run, record the output, and count the elements where `ref` disagrees. */
static int sfpu_check(ttm_device *dev, struct rec *r, const struct sfpu_run *s,
                      const uint16_t *in, size_t n, uint32_t (*ref)(uint16_t, uint32_t),
                      uint32_t scalar, const char *what)
{
    uint16_t *out = malloc(2 * n);
    if (!out)
        return -ENOMEM;
    int rc = sfpu_program(dev, s, in, out, n);
    size_t bad = 0, first = 0;
    for (size_t i = 0; !rc && i < n; i++)
        if (ref(in[i], scalar) != REF_ANY && ref(in[i], scalar) != out[i] && !bad++)
            first = i;
    if (!rc)
        rec_section(r, what, out, 2 * n);
    if (!rc && bad)
        printf("  expectation failed: %s: %zu of %zu wrong, first 0x%04x -> 0x%04x, not 0x%04x\n",
               what, bad, n, in[first], out[first], (unsigned)ref(in[first], scalar));
    free(out);
    return rc ? rc : bad ? -EPROTO : 0;
}

static uint32_t add1_ref(uint16_t x, uint32_t scalar)
{
    (void)scalar;
    return add1_sfpu_reference(x);
}

/* All 65,536 bfloat16 patterns in order: 64 tiles. NULL when out of memory. */
#define EVERY_BF16 65536u
static uint16_t *every_bf16(void)
{
    uint16_t *in = malloc(2 * EVERY_BF16);
    for (size_t i = 0; in && i < EVERY_BF16; i++)
        in[i] = (uint16_t)i;
    return in;
}

/* Every bfloat16 on one core. */
static int add1_sfpu_every_bf16(ttm_device *dev, struct rec *r)
{
    size_t n = EVERY_BF16;
    uint16_t *in = every_bf16();
    if (!in)
        return -ENOMEM;
    struct sfpu_run s = {{0, 0, 0, 0}, 64, NULL, 0, NULL};
    int rc = sfpu_check(dev, r, &s, in, n, add1_ref, 0, "add1_sfpu, every bfloat16");
    free(in);
    return rc;
}
DIFF_TEST(add1_sfpu_every_bf16)

/* Every worker, two tiles each, the patterns again from a different start per tile. */
static int add1_sfpu_whole_grid(ttm_device *dev, struct rec *r)
{
    struct ttm_chip *c = &dev->chip;
    struct sfpu_run s = {{0, 0, c->grid_x - 1, c->grid_y - 1}, 2, NULL, 0, NULL};
    size_t n = (size_t)c->n_workers * 2 * 1024;
    uint16_t *in = malloc(2 * n);
    if (!in)
        return -ENOMEM;
    for (size_t i = 0; i < n; i++)
        in[i] = (uint16_t)(i * 40503u + i / 1024);
    int rc = sfpu_check(dev, r, &s, in, n, add1_ref, 0, "add1_sfpu, whole grid");
    free(in);
    return rc;
}
DIFF_TEST(add1_sfpu_whole_grid)

/* x op s as the SFPU computes it, where the host's IEEE single precision gets the same:
 * inputs with a zero exponent are zero, NaN results come out +infinity, the sum or
 * product rounds to nearest even and is truncated to bfloat16. Results below the normal
 * range, which the hardware flushes at its own boundary, are left to the comparison with
 * ttsim. */
static float bits_f(uint32_t b)
{
    float f;
    memcpy(&f, &b, 4);
    return f;
}

static uint32_t scalar_ref(uint16_t x, uint32_t s, int op)
{
    uint32_t xb = x & 0x7F80 ? (uint32_t)x << 16 : 0, rb;
    if (!(s & 0x7F800000u))
        s &= 0x80000000u;
    float a = bits_f(xb), b = bits_f(s);
    float f = op == 2 ? a * b : op == 1 ? a - b : a + b;
    memcpy(&rb, &f, 4);
    if (isnan(f))
        return 0x7F80;
    uint32_t e = rb >> 23 & 0xFF;
    if (e == 0 && f != 0)
        return REF_ANY;
    uint16_t v = (uint16_t)(rb >> 16);
    return (v & 0x7FFF) < 0x80 ? 0 : v;
}

static uint32_t any_ref(uint16_t x, uint32_t s)
{
    (void)x, (void)s;
    return REF_ANY;
}

static uint32_t sub_ref(uint16_t x, uint32_t s) { return scalar_ref(x, s, 1); }
static uint32_t mul_ref(uint16_t x, uint32_t s) { return scalar_ref(x, s, 2); }

/* Random tiles, a fifth of them special values: zeros of both signs, denormals,
 * infinities, NaNs, the largest and smallest normals. */
static void special_tiles(uint16_t *p, size_t n, uint32_t seed)
{
    static const uint16_t special[] = {0x0000, 0x8000, 0x0001, 0x807F, 0x7F80, 0xFF80, 0x7FC0,
                                       0xFFC1, 0x7F7F, 0xFF7F, 0x0080, 0x8080, 0x3F80, 0xBF80};
    uint32_t s = seed;
    for (size_t i = 0; i < n; i++) {
        s = s * 1664525u + 1013904223u;
        p[i] = (s >> 24) % 5 ? (uint16_t)(s >> 8)
                             : special[(s >> 8) % (sizeof special / sizeof special[0])];
    }
}

/* The SFPU's full-precision scalar paths (SFPLOADI + SFPADD / SFPMUL) on 8 cores. */
static int sfpu_scalar_ops(ttm_device *dev, struct rec *r)
{
    size_t n = 8 * 4 * 1024;
    uint16_t *in = malloc(2 * n);
    if (!in)
        return -ENOMEM;
    special_tiles(in, n, 7);
    struct sfpu_run sub = {{0, 0, 3, 1}, 4, "OP=sub_unary_tile SCALAR=0x40490FDBu", 0, NULL};
    struct sfpu_run mul = {{0, 0, 3, 1}, 4, "OP=mul_unary_tile SCALAR=0x3FC00001u", 0, NULL};
    int rc = sfpu_check(dev, r, &sub, in, n, sub_ref, 0x40490FDBu, "x - pi");
    if (!rc)
        rc = sfpu_check(dev, r, &mul, in, n, mul_ref, 0x3FC00001u, "x * 1.5000001");
    /* With fp32 Dst: the copy is an FPU add and the packer rounds, so only ttsim holds
     * the exact answer. */
    struct sfpu_run twice = {{0, 0, 3, 1}, 4, "OP=mul_unary_tile SCALAR=0x40000000u", 0, NULL};
    if (!rc) /* a scalar with a zero low half: SFPMULI */
        rc = sfpu_check(dev, r, &twice, in, n, mul_ref, 0x40000000u, "x * 2");
    struct sfpu_run fp32 = {{0, 0, 3, 1}, 4, NULL, 1, NULL};
    if (!rc)
        rc = sfpu_check(dev, r, &fp32, in, n, any_ref, 0, "x + 1, fp32 Dst");
    free(in);
    return rc;
}
DIFF_TEST(sfpu_scalar_ops)

/* ReLU, absolute value and negation: moves under the SFPU's condition codes. What the
 * tile's trip through Dst keeps: inputs with a zero exponent arrive as +0 and results
 * with one leave as +0; NaNs are left to the comparison with ttsim. */
static const char sign_op_compute_src[] =
    "#include <ttm/kernel/compute.h>\n"
    "void kernel_main(void) {\n"
    "    uint32_t n = get_arg_val(0);\n"
    "    init_sfpu(0, 16);\n"
    "    for (uint32_t i = 0; i < n; i++) {\n"
    "        tile_regs_acquire();\n"
    "        cb_wait_front(0, 1);\n"
    "        copy_tile_init(0);\n"
    "        copy_tile(0, 0, 0);\n"
    "        OP_INIT();\n"
    "        OP(0);\n"
    "        tile_regs_commit();\n"
    "        tile_regs_wait();\n"
    "        cb_reserve_back(16, 1);\n"
    "        pack_tile(0, 16);\n"
    "        cb_pop_front(0, 1);\n"
    "        tile_regs_release();\n"
    "        cb_push_back(16, 1);\n"
    "    }\n"
    "}\n";

static uint32_t sign_op_ref(uint16_t x, uint32_t op)
{
    if ((x & 0x7FFF) > 0x7F80)
        return REF_ANY;
    uint16_t v = x & 0x7F80 ? x : 0;
    v = op == 0 ? (v & 0x8000 ? 0 : v) : op == 1 ? v & 0x7FFF : v ^ 0x8000;
    return (v & 0x7FFF) < 0x80 ? 0 : v;
}

static int sfpu_sign_ops(ttm_device *dev, struct rec *r)
{
    size_t n = EVERY_BF16;
    uint16_t *in = every_bf16();
    if (!in)
        return -ENOMEM;
    static const char *const defines[3] = {"OP=relu_tile OP_INIT=relu_tile_init",
                                           "OP=abs_tile OP_INIT=abs_tile_init",
                                           "OP=negative_tile OP_INIT=negative_tile_init"};
    static const char *const names[3] = {"relu, every bfloat16", "abs, every bfloat16",
                                         "negative, every bfloat16"};
    int rc = 0;
    for (uint32_t op = 0; !rc && op < 3; op++) {
        struct sfpu_run s = {{0, 0, 3, 0}, 16, defines[op], 0, sign_op_compute_src};
        rc = sfpu_check(dev, r, &s, in, n, sign_op_ref, op, names[op]);
    }
    free(in);
    return rc;
}
DIFF_TEST(sfpu_sign_ops)

/* ---- Element-wise binary operations ---- */

struct binary_run {
    const char *op;          /* add_tiles, sub_tiles, mul_tiles */
    uint32_t fidelity, fp32;
};

/* Tiles `tiles` of a and b through the binary kernel on cores (0,0)-(1,0); out gets the
 * results. */
static int binary_program(ttm_device *dev, const struct binary_run *b, const uint16_t *a,
                          const uint16_t *bb, uint16_t *out, uint32_t tiles)
{
    size_t bytes = (size_t)tiles * ADD1_TILE_BYTES;
    struct ttm_core_range all = {0, 0, 1, 0};
    ttm_buffer *ba = NULL, *bbuf = NULL, *bo = NULL;
    ttm_program *p = NULL;
    ttm_kernel *rk, *ck, *wk;
    char defines[64];
    snprintf(defines, sizeof defines, "OP=%s OP_INIT=%s_init", b->op, b->op);
    int rc = ttm_buffer_create_interleaved(dev, bytes, ADD1_TILE_BYTES, TTM_BUFFER_DRAM, &ba);
    if (!rc)
        rc = ttm_buffer_create_interleaved(dev, bytes, ADD1_TILE_BYTES, TTM_BUFFER_DRAM, &bbuf);
    if (!rc)
        rc = ttm_buffer_create_interleaved(dev, bytes, ADD1_TILE_BYTES, TTM_BUFFER_DRAM, &bo);
    if (!rc)
        rc = ttm_buffer_write(ba, 0, a, bytes);
    if (!rc)
        rc = ttm_buffer_write(bbuf, 0, bb, bytes);
    if (!rc)
        rc = ttm_program_create(dev, &p);
    const uint32_t cbs[3] = {0, 1, 16};
    for (uint32_t i = 0; !rc && i < 3; i++)
        rc = ttm_cb_create(p, &all, 1, cbs[i], 2 * ADD1_TILE_BYTES, ADD1_TILE_BYTES,
                           TTM_FORMAT_BFLOAT16, NULL);
    struct ttm_kernel_opts ro = {.argsz = sizeof ro, .processor = TTM_RISCV_1, .noc = 1};
    struct ttm_kernel_opts wo = {.argsz = sizeof wo, .processor = TTM_RISCV_0, .noc = 0};
    struct ttm_kernel_opts co = {.argsz = sizeof co, .math_fidelity = b->fidelity,
                                 .fp32_dest_acc = b->fp32, .defines = defines};
    if (!rc)
        rc = ttm_kernel_create_dataflow_from_string(p, binary_reader_src, &all, 1, &ro, &rk);
    if (!rc)
        rc = ttm_kernel_create_compute_from_string(p, binary_compute_src, &all, 1, &co, &ck);
    if (!rc)
        rc = ttm_kernel_create_dataflow_from_string(p, add1_sfpu_writer_src, &all, 1, &wo, &wk);
    uint32_t tile = ADD1_TILE_BYTES, per = tiles / 2;
    if (!rc)
        rc = ttm_set_common_runtime_args(p, rk, &tile, 1);
    if (!rc)
        rc = ttm_set_common_runtime_args(p, wk, &tile, 1);
    for (uint32_t x = 0; !rc && x < 2; x++) {
        uint32_t ra[4] = {(uint32_t)ttm_buffer_address(ba), (uint32_t)ttm_buffer_address(bbuf),
                          x * per, per};
        uint32_t wa[3] = {(uint32_t)ttm_buffer_address(bo), x * per, per};
        rc = ttm_set_runtime_args(p, rk, x, 0, ra, 4);
        if (!rc)
            rc = ttm_set_runtime_args(p, ck, x, 0, &per, 1);
        if (!rc)
            rc = ttm_set_runtime_args(p, wk, x, 0, wa, 3);
    }
    if (!rc)
        rc = ttm_program_launch(dev, p, 0);
    if (!rc)
        rc = ttm_buffer_read(bo, 0, out, bytes);
    if (p)
        ttm_program_destroy(p);
    ttm_buffer *bufs[3] = {ba, bbuf, bo};
    for (int i = 0; i < 3; i++)
        if (bufs[i])
            ttm_buffer_destroy(bufs[i]);
    return rc;
}

static double bf16_value(uint16_t v)
{
    uint32_t b = (uint32_t)v << 16;
    float f;
    memcpy(&f, &b, 4);
    return f;
}

/* The FPU is not IEEE (compute-facts 5.4): its exact results are held by ttsim. The host
 * checks the sense of them where both operands are normal and of moderate size: sums
 * within bf16's precision of the real result; products within it at HiFi4 with fp32 Dst,
 * looser when each phase rounds to 16-bit Dst (2^-5) or LoFi drops mantissa bits (2^-3). */
static bool binary_plausible(const struct binary_run *b, uint16_t x, uint16_t y, uint16_t got)
{
    double a = bf16_value(x), c = bf16_value(y);
    if (!isnormal(a) || !isnormal(c) || fabs(a) > 1e18 || fabs(c) > 1e18 || fabs(a) < 1e-18 ||
        fabs(c) < 1e-18)
        return true;
    double want = b->op[0] == 'a' ? a + c : b->op[0] == 's' ? a - c : a * c;
    double mul_tol = b->fidelity == TTM_LOFI ? 0x1p-3
                     : b->fidelity == TTM_HIFI4 && b->fp32 ? 0x1p-7 : 0x1p-5;
    double tol = b->op[0] == 'm' ? mul_tol * fabs(want) : 0x1p-7 * (fabs(a) + fabs(c));
    return fabs(bf16_value(got) - want) <= tol;
}

/* Random tiles rich in special values through add, sub and mul at every fidelity, with
 * 16- and 32-bit Dst. */
static int eltwise_binary(ttm_device *dev, struct rec *r)
{
    const uint32_t tiles = 4;
    size_t n = tiles * 1024;
    uint16_t *a = malloc(2 * n), *b = malloc(2 * n), *out = malloc(2 * n);
    int rc = a && b && out ? 0 : -ENOMEM;
    static const struct binary_run runs[] = {
        {"add_tiles", TTM_HIFI4, 0}, {"sub_tiles", TTM_LOFI, 0}, {"mul_tiles", TTM_LOFI, 0},
        {"mul_tiles", TTM_HIFI2, 0}, {"mul_tiles", TTM_HIFI3, 0}, {"mul_tiles", TTM_HIFI4, 0},
        {"add_tiles", TTM_HIFI4, 1}, {"mul_tiles", TTM_HIFI4, 1}, {"mul_tiles", TTM_LOFI, 1},
    };
    for (size_t k = 0; !rc && k < sizeof runs / sizeof runs[0]; k++) {
        const struct binary_run *br = &runs[k];
        special_tiles(a, n, 100 + (uint32_t)k);
        special_tiles(b, n, 200 + (uint32_t)k);
        rc = binary_program(dev, br, a, b, out, tiles);
        char what[64];
        snprintf(what, sizeof what, "%s fidelity %u%s", br->op, br->fidelity,
                 br->fp32 ? " fp32 Dst" : "");
        if (!rc)
            rec_section(r, what, out, 2 * n);
        size_t bad = 0, first = 0;
        for (size_t i = 0; !rc && i < n; i++)
            if (!binary_plausible(br, a[i], b[i], out[i]) && !bad++)
                first = i;
        if (!rc && bad) {
            printf("  expectation failed: %s: %zu implausible, first at %zu: 0x%04x, 0x%04x -> 0x%04x\n",
                   what, bad, first, a[first], b[first], out[first]);
            rc = -EPROTO;
        }
    }
    free(a);
    free(b);
    free(out);
    return rc;
}
DIFF_TEST(eltwise_binary)

/* ---- What the emulator refuses as a fault, ttsim refuses too (it stops the process) */

static size_t refusal;

static int run_refusal(ttm_device *dev, struct rec *r)
{
    (void)r;
    uint16_t in[1024] = {0}, out[1024];
    struct sfpu_run s = {{1, 1, 1, 1}, 1, NULL, 0, compute_faults[refusal].src};
    return sfpu_program(dev, &s, in, out, 1024);
}

TEST(compute_refusals_stop_ttsim_too)
{
    const char *why = skip_reason();
    if (why)
        SKIP("%s", why);
    ensure_cache_dir();
    dispatch_mode = TTM_DISPATCH_SLOW;
    for (refusal = 0; refusal < sizeof compute_faults / sizeof compute_faults[0]; refusal++) {
        struct rec rec = {0};
        int status;
        char *out;
        int rc = ttsim_child(run_refusal, &rec, &status, &out);
        bool stopped = rc && WIFEXITED(status) && WEXITSTATUS(status) == 1 && out &&
                       strstr(out, "ERROR:");
        if (!stopped)
            printf("  case %zu (%s): ttsim %s\n", refusal, compute_faults[refusal].what,
                   rc ? "failed otherwise" : "ran it");
        CHECK(stopped);
        free(out);
        free(rec.p);
    }
}

/* ---- Matrix multiply (examples/matmul_kernels.h) ---- */

static void random_matrix(uint16_t *p, size_t n, uint32_t seed, bool special)
{
    uint32_t s = seed;
    for (size_t i = 0; i < n; i++) {
        s = s * 1664525u + 1013904223u;
        float f = ((float)(s >> 8) / (1 << 24) - 0.5f) * 8.0f;
        uint32_t bits;
        memcpy(&bits, &f, 4);
        p[i] = (uint16_t)(bits >> 16);
    }
    if (special)
        special_tiles(p, n, seed); /* a fifth of the values special, the rest any bits */
}

/* C = A x B through matmul_bf16, recorded; finite inputs also checked against the float64
 * product within the bound the fidelity allows. */
static int matmul_check(ttm_device *dev, struct rec *r, uint32_t m, uint32_t k, uint32_t n,
                        const struct matmul_opts *o, bool special, uint32_t seed)
{
    size_t csize = o->out_fp32 ? 4 : 2;
    uint16_t *a = malloc((size_t)m * k * 2), *b = malloc((size_t)k * n * 2);
    void *c = malloc((size_t)m * n * csize);
    int rc = a && b && c ? 0 : -ENOMEM;
    if (!rc) {
        random_matrix(a, (size_t)m * k, seed, special);
        random_matrix(b, (size_t)k * n, seed + 1, special);
        rc = matmul_bf16(dev, a, b, c, m, k, n, o);
    }
    char what[96];
    snprintf(what, sizeof what, "matmul %ux%ux%u fidelity %u%s%s%s", m, k, n, o->fidelity,
             o->fp32 ? " fp32 Dst" : "", o->out_fp32 ? " fp32 out" : "", special ? " specials" : "");
    if (!rc)
        rec_section(r, what, c, (size_t)m * n * csize);
    size_t bad = !rc && !special ? matmul_outside_bound(a, b, c, m, k, n, o) : 0;
    if (bad) {
        printf("  expectation failed: %s: %zu of %u outside the bound\n", what, bad, m * n);
        rc = -EPROTO;
    }
    free(a);
    free(b);
    free(c);
    return rc;
}

/* Small integers multiply exactly at every fidelity (their mantissas fit LoFi's slices)
 * and sum exactly while |sums| stay within bf16's 8 bits: C must be the exact product. A
 * dropped or repeated K tile, a wrong row or a lost group changes it. */
static int matmul_exact(ttm_device *dev, struct rec *r)
{
    const uint32_t m = 64, k = 128, n = 64;
    static const uint16_t vals[5] = {0x0000, 0x3F80, 0xBF80, 0x4000, 0xC000}; /* 0, ±1, ±2 */
    uint16_t *a = malloc((size_t)m * k * 2), *b = malloc((size_t)k * n * 2);
    void *c = malloc((size_t)m * n * 4); /* room for float32 */
    int rc = a && b && c ? 0 : -ENOMEM;
    uint32_t s = 99;
    for (size_t i = 0; !rc && i < (size_t)m * k; i++)
        a[i] = vals[(s = s * 1664525u + 1013904223u) >> 29 & 3]; /* 0, ±1, 2 */
    for (size_t i = 0; !rc && i < (size_t)k * n; i++)
        b[i] = vals[((s = s * 1664525u + 1013904223u) >> 28) % 3]; /* 0, ±1 */
    static const struct matmul_opts runs[] = {{{0, 0, 1, 1}, TTM_LOFI, 0, 0},
                                              {{0, 0, 1, 1}, TTM_HIFI4, 1, 1}};
    for (int i = 0; !rc && i < 2; i++) {
        rc = matmul_bf16(dev, a, b, c, m, k, n, &runs[i]);
        size_t bad = 0;
        for (uint32_t x = 0; !rc && x < m; x++)
            for (uint32_t y = 0; y < n; y++) {
                double want = 0;
                for (uint32_t z = 0; z < k; z++)
                    want += matmul_bf16_value(a[x * k + z]) * matmul_bf16_value(b[z * n + y]);
                bad += matmul_c_value(c, (size_t)x * n + y, runs[i].out_fp32) != want;
            }
        if (!rc)
            rec_section(r, i ? "exact, HiFi4 fp32" : "exact, LoFi", c,
                        (size_t)m * n * (runs[i].out_fp32 ? 4 : 2));
        if (bad) {
            printf("  expectation failed: %zu of %u inexact\n", bad, m * n);
            rc = -EPROTO;
        }
    }
    free(a);
    free(b);
    free(c);
    return rc;
}
DIFF_TEST(matmul_exact)

/* One tile at every fidelity, 16- and 32-bit Dst, with and without special values,
 * packed to bfloat16 (LoFi, HiFi3) or float32 (HiFi2, HiFi4). */
static int matmul_one_tile(ttm_device *dev, struct rec *r)
{
    static const uint32_t fid[4] = {TTM_LOFI, TTM_HIFI2, TTM_HIFI3, TTM_HIFI4};
    int rc = 0;
    for (int f = 0; f < 4 && !rc; f++)
        for (uint32_t fp32 = 0; fp32 < 2 && !rc; fp32++)
            for (int sp = 0; sp < 2 && !rc; sp++) {
                struct matmul_opts o = {{0, 0, 0, 0}, fid[f], fp32, (uint32_t)f & 1};
                rc = matmul_check(dev, r, 32, 32, 32, &o, sp, 10 + (uint32_t)f);
            }
    return rc;
}
DIFF_TEST(matmul_one_tile)

/* K accumulated over 16 tiles in Dst, on one core and on four. */
static int matmul_k_accumulation(ttm_device *dev, struct rec *r)
{
    struct matmul_opts one = {{0, 0, 0, 0}, TTM_HIFI4, 0, 0}, four = {{0, 0, 1, 1}, TTM_HIFI2, 1, 1};
    int rc = matmul_check(dev, r, 32, 512, 32, &one, false, 3);
    if (!rc)
        rc = matmul_check(dev, r, 64, 512, 96, &four, false, 4);
    return rc;
}
DIFF_TEST(matmul_k_accumulation)

/* The example's 512 x 512 by 512 x 512 on every worker. */
static int matmul_whole_grid(ttm_device *dev, struct rec *r)
{
    struct ttm_chip *c = &dev->chip;
    struct matmul_opts o = {{0, 0, c->grid_x - 1, c->grid_y - 1}, TTM_HIFI4, 0, 0};
    return matmul_check(dev, r, 512, 512, 512, &o, false, 5);
}
DIFF_TEST(matmul_whole_grid)
