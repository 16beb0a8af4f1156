/* The kernels of the matmul examples (examples/matmul.c), shared by the tests and the
 * bench: C = A x B for bfloat16 matrices already in tiles (ttm_tilize), A of Mt x Kt
 * tiles, B of Kt x Nt, C of Mt x Nt, all in interleaved DRAM buffers of one tile per
 * page, tiles in row-major order. Each core computes a run of output tiles, as TT-Metal's
 * matmul_multi_core does.
 *
 * Reader (NCRISC, NoC 1): args {A, B, first output tile, output tiles}, common args
 *   {Kt, Nt, tile bytes}; for each output tile (m, n) and each k, A's tile (m, k) into
 *   CB 0 and B's tile (k, n) into CB 1.
 * Compute: args {output tiles}, common args {Kt}; K tiles accumulated in Dst, the result
 *   packed into CB 16.
 * Writer (BRISC, NoC 0): args {C, first output tile, output tiles}, common arg {tile
 *   bytes}.
 */
#ifndef TTM_EXAMPLES_MATMUL_KERNELS_H
#define TTM_EXAMPLES_MATMUL_KERNELS_H

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <ttm.h>

#define MATMUL_TILE_BYTES 2048u   /* 32x32 bfloat16 */

static const char matmul_reader_src[] =
    "#include <ttm/kernel/dataflow.h>\n"
    "void kernel_main(void) {\n"
    "    uint32_t a = get_arg_val(0), b = get_arg_val(1), first = get_arg_val(2);\n"
    "    uint32_t n = get_arg_val(3);\n"
    "    uint32_t kt = get_common_arg_val(0), nt = get_common_arg_val(1);\n"
    "    uint32_t tile = get_common_arg_val(2);\n"
    "    for (uint32_t t = first; t < first + n; t++) {\n"
    "        uint32_t m = t / nt, c = t % nt;\n"
    "        for (uint32_t k = 0; k < kt; k++) {\n"
    "            cb_reserve_back(0, 1);\n"
    "            cb_reserve_back(1, 1);\n"
    "            noc_async_read(interleaved_noc_addr(a, tile, 1, m * kt + k, 0),\n"
    "                           get_write_ptr(0), tile);\n"
    "            noc_async_read(interleaved_noc_addr(b, tile, 1, k * nt + c, 0),\n"
    "                           get_write_ptr(1), tile);\n"
    "            noc_async_read_barrier();\n"
    "            cb_push_back(0, 1);\n"
    "            cb_push_back(1, 1);\n"
    "        }\n"
    "    }\n"
    "}\n";

static const char matmul_compute_src[] =
    "#include <ttm/kernel/compute.h>\n"
    "void kernel_main(void) {\n"
    "    uint32_t n = get_arg_val(0), kt = get_common_arg_val(0);\n"
    "    mm_init(0, 1, 16);\n"
    "    for (uint32_t t = 0; t < n; t++) {\n"
    "        tile_regs_acquire();\n"
    "        for (uint32_t k = 0; k < kt; k++) {\n"
    "            cb_wait_front(0, 1);\n"
    "            cb_wait_front(1, 1);\n"
    "            matmul_tiles(0, 1, 0, 0, 0);\n"
    "            cb_pop_front(0, 1);\n"
    "            cb_pop_front(1, 1);\n"
    "        }\n"
    "        tile_regs_commit();\n"
    "        tile_regs_wait();\n"
    "        cb_reserve_back(16, 1);\n"
    "        pack_tile(0, 16);\n"
    "        tile_regs_release();\n"
    "        cb_push_back(16, 1);\n"
    "    }\n"
    "}\n";

static const char matmul_writer_src[] =
    "#include <ttm/kernel/dataflow.h>\n"
    "void kernel_main(void) {\n"
    "    uint32_t c = get_arg_val(0), first = get_arg_val(1), n = get_arg_val(2);\n"
    "    uint32_t tile = get_common_arg_val(0);\n"
    "    for (uint32_t t = first; t < first + n; t++) {\n"
    "        cb_wait_front(16, 1);\n"
    "        noc_async_write(get_read_ptr(16), interleaved_noc_addr(c, tile, 1, t, 0), tile);\n"
    "        noc_async_write_barrier();\n"
    "        cb_pop_front(16, 1);\n"
    "    }\n"
    "}\n";

/* How a matmul runs: on the rectangle `cores`, at a math fidelity, with fp32 Dst, and
 * with C in float32 rather than bfloat16. */
struct matmul_opts {
    struct ttm_core_range cores;
    uint32_t fidelity, fp32, out_fp32;
};

/* C = A x B: bfloat16 matrices in row-major order, A M x K, B K x N, C M x N (bfloat16 or
 * float32 as o says), each a multiple of 32; the output tiles spread over the cores.
 * Returns 0 or what failed. */
static inline int matmul_bf16(ttm_device *dev, const uint16_t *a, const uint16_t *b, void *c,
                       uint32_t m, uint32_t k, uint32_t n, const struct matmul_opts *o)
{
    uint32_t mt = m / 32, kt = k / 32, nt = n / 32, tile = MATMUL_TILE_BYTES;
    uint32_t csize = o->out_fp32 ? 4 : 2, ctile = 1024 * csize;
    size_t sa = (size_t)m * k * 2, sb = (size_t)k * n * 2, sc = (size_t)m * n * csize;
    uint16_t *ta = malloc(sa), *tb = malloc(sb);
    void *tc = malloc(sc);
    ttm_buffer *ba = NULL, *bb = NULL, *bc = NULL;
    ttm_program *p = NULL;
    ttm_kernel *rk, *ck, *wk;
    struct ttm_core_range r = o->cores;
    int rc = ta && tb && tc ? 0 : -12 /* ENOMEM */;
    if (!rc)
        rc = ttm_tilize(a, ta, m, k, 2);
    if (!rc)
        rc = ttm_tilize(b, tb, k, n, 2);
    if (!rc)
        rc = ttm_buffer_create_interleaved(dev, sa, tile, TTM_BUFFER_DRAM, &ba);
    if (!rc)
        rc = ttm_buffer_create_interleaved(dev, sb, tile, TTM_BUFFER_DRAM, &bb);
    if (!rc)
        rc = ttm_buffer_create_interleaved(dev, sc, ctile, TTM_BUFFER_DRAM, &bc);
    if (!rc)
        rc = ttm_buffer_write(ba, 0, ta, sa);
    if (!rc)
        rc = ttm_buffer_write(bb, 0, tb, sb);
    if (!rc)
        rc = ttm_program_create(dev, &p);
    for (uint32_t cb = 0; !rc && cb < 2; cb++)
        rc = ttm_cb_create(p, &r, 1, cb, 2 * tile, tile, TTM_FORMAT_BFLOAT16, NULL);
    if (!rc)
        rc = ttm_cb_create(p, &r, 1, 16, 2 * ctile, ctile,
                           o->out_fp32 ? TTM_FORMAT_FLOAT32 : TTM_FORMAT_BFLOAT16, NULL);
    struct ttm_kernel_opts ro = {.argsz = sizeof ro, .processor = TTM_RISCV_1, .noc = 1};
    struct ttm_kernel_opts wo = {.argsz = sizeof wo, .processor = TTM_RISCV_0, .noc = 0};
    struct ttm_kernel_opts co = {.argsz = sizeof co, .math_fidelity = o->fidelity,
                                 .fp32_dest_acc = o->fp32};
    if (!rc)
        rc = ttm_kernel_create_dataflow_from_string(p, matmul_reader_src, &r, 1, &ro, &rk);
    if (!rc)
        rc = ttm_kernel_create_compute_from_string(p, matmul_compute_src, &r, 1, &co, &ck);
    if (!rc)
        rc = ttm_kernel_create_dataflow_from_string(p, matmul_writer_src, &r, 1, &wo, &wk);
    uint32_t rcommon[3] = {kt, nt, tile};
    if (!rc)
        rc = ttm_set_common_runtime_args(p, rk, rcommon, 3);
    if (!rc)
        rc = ttm_set_common_runtime_args(p, ck, &kt, 1);
    if (!rc)
        rc = ttm_set_common_runtime_args(p, wk, &ctile, 1);
    uint32_t cores = (r.x1 - r.x0 + 1) * (r.y1 - r.y0 + 1), outs = mt * nt, first = 0, i = 0;
    for (uint32_t y = r.y0; !rc && y <= r.y1; y++) {
        for (uint32_t x = r.x0; !rc && x <= r.x1; x++, i++) {
            uint32_t count = outs / cores + (i < outs % cores);
            uint32_t ra[4] = {(uint32_t)ttm_buffer_address(ba), (uint32_t)ttm_buffer_address(bb),
                              first, count};
            uint32_t wa[3] = {(uint32_t)ttm_buffer_address(bc), first, count};
            rc = ttm_set_runtime_args(p, rk, x, y, ra, 4);
            if (!rc)
                rc = ttm_set_runtime_args(p, ck, x, y, &count, 1);
            if (!rc)
                rc = ttm_set_runtime_args(p, wk, x, y, wa, 3);
            first += count;
        }
    }
    if (!rc)
        rc = ttm_program_launch(dev, p, 0);
    if (!rc)
        rc = ttm_buffer_read(bc, 0, tc, sc);
    if (!rc)
        rc = ttm_untilize(tc, c, m, n, csize);
    if (p)
        ttm_program_destroy(p);
    ttm_buffer *bufs[3] = {ba, bb, bc};
    for (int j = 0; j < 3; j++)
        if (bufs[j])
            ttm_buffer_destroy(bufs[j]);
    free(ta);
    free(tb);
    free(tc);
    return rc;
}

static inline double matmul_bf16_value(uint16_t v)
{
    uint32_t bits = (uint32_t)v << 16;
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

/* Element i of C, bfloat16 or float32. */
static inline double matmul_c_value(const void *c, size_t i, bool fp32)
{
    if (!fp32)
        return matmul_bf16_value(((const uint16_t *)c)[i]);
    float f;
    memcpy(&f, (const uint8_t *)c + 4 * i, 4);
    return f;
}

/* How far C may be from the float64 product (compute-facts 5.4), as a fraction of
 * sum |a||b| for each element:
 * - each product loses the mantissa bits its fidelity's phases leave out: at most 2^-3,
 *   2^-5, 2^-7 or 2^-9 of it from LoFi to HiFi4;
 * - inside each group of eight, products align to the largest at 12 bits, rounding half
 *   up: at most 2^-8 of the group's magnitude;
 * - the running sum is rounded to bf16 (2^-8) at each accumulation into 16-bit Dst, once
 *   per phase for each of the K/16 MVMULs, and once more when bfloat16 is packed from fp32
 *   Dst (fp32 Dst rounds at 2^-23 instead);
 * flushed denormals add nothing. The bound is loose for long K with 16-bit Dst, so the
 * tests also check exact products of small integers. Returns how many elements are
 * outside it; finite inputs only. */
static inline size_t matmul_outside_bound(const uint16_t *a, const uint16_t *b, const void *c,
                                   uint32_t m, uint32_t k, uint32_t n, const struct matmul_opts *o)
{
    double product = o->fidelity == 0 ? 0x1p-3 : o->fidelity == 2 ? 0x1p-5
                   : o->fidelity == 3 ? 0x1p-7 : 0x1p-9;
    double phases = o->fidelity ? o->fidelity : 1, steps = phases * k / 16;
    double rel = product + 0x1p-8 + (o->fp32 ? steps * 0x1p-23 + !o->out_fp32 * 0x1p-8
                                             : (steps + 1) * 0x1p-8);
    size_t bad = 0;
    for (uint32_t i = 0; i < m; i++) {
        for (uint32_t j = 0; j < n; j++) {
            double sum = 0, mag = 0;
            for (uint32_t x = 0; x < k; x++) {
                double p = matmul_bf16_value(a[(size_t)i * k + x]) * matmul_bf16_value(b[(size_t)x * n + j]);
                sum += p;
                mag += fabs(p);
            }
            double got = matmul_c_value(c, (size_t)i * n + j, o->out_fp32);
            bad += !(fabs(got - sum) <= rel * mag + 0x1p-120);
        }
    }
    return bad;
}

#endif
