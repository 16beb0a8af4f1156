/* eltwise_binary: c = a + b and d = a * b on bfloat16 matrices, on every worker. The host
 * tilizes the row-major inputs into the tiles the Tensix unpacker takes (ttm_tilize), the
 * kernels of eltwise_kernels.h add or multiply them tile by tile, and the host untilizes
 * the result and checks it against float arithmetic rounded as the chip rounds.
 *
 *   build/examples/eltwise_binary        (TTM_BACKEND picks the device)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ttm.h>

#include "add1_sfpu_kernels.h"
#include "eltwise_kernels.h"

#define ROWS 64u
#define COLS 256u   /* 16 tiles of 32x32 */
#define TILES (ROWS * COLS / 1024u)

#define CHECK(call)                                                                     \
    do {                                                                                \
        int rc_ = (call);                                                               \
        if (rc_ < 0) {                                                                  \
            fprintf(stderr, "eltwise_binary: %s failed: %s\n  %s\n", #call,              \
                    ttm_strerror(rc_), ttm_last_error());                               \
            exit(1);                                                                    \
        }                                                                               \
    } while (0)

static uint16_t to_bf16(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    return (uint16_t)(u >> 16);
}

static float from_bf16(uint16_t h)
{
    uint32_t u = (uint32_t)h << 16;
    float f;
    memcpy(&f, &u, 4);
    return f;
}

/* One operation over all tiles, spread over the first min(TILES, workers) workers in
 * row-major order (whole rows of cores; those past the work get none). */
static void run(ttm_device *dev, const struct ttm_device_info *info, const char *op,
                ttm_buffer *a, ttm_buffer *b, ttm_buffer *out)
{
    ttm_program *p;
    ttm_kernel *rk, *ck, *wk;
    uint32_t cores = TILES < info->num_workers ? TILES : info->num_workers;
    struct ttm_core_range used = {0, 0, info->grid_x - 1, (cores - 1) / info->grid_x};
    char defines[64];
    snprintf(defines, sizeof defines, "OP=%s OP_INIT=%s_init", op, op);
    CHECK(ttm_program_create(dev, &p));
    const uint32_t cbs[3] = {0, 1, 16};
    for (int i = 0; i < 3; i++)
        CHECK(ttm_cb_create(p, &used, 1, cbs[i], 2 * ADD1_TILE_BYTES, ADD1_TILE_BYTES,
                            TTM_FORMAT_BFLOAT16, NULL));
    struct ttm_kernel_opts ro = {.argsz = sizeof ro, .processor = TTM_RISCV_1, .noc = 1};
    struct ttm_kernel_opts wo = {.argsz = sizeof wo, .processor = TTM_RISCV_0};
    struct ttm_kernel_opts co = {.argsz = sizeof co, .math_fidelity = TTM_HIFI4,
                                 .defines = defines};
    CHECK(ttm_kernel_create_dataflow_from_string(p, binary_reader_src, &used, 1, &ro, &rk));
    CHECK(ttm_kernel_create_compute_from_string(p, binary_compute_src, &used, 1, &co, &ck));
    CHECK(ttm_kernel_create_dataflow_from_string(p, add1_sfpu_writer_src, &used, 1, &wo, &wk));
    uint32_t tile = ADD1_TILE_BYTES;
    CHECK(ttm_set_common_runtime_args(p, rk, &tile, 1));
    CHECK(ttm_set_common_runtime_args(p, wk, &tile, 1));
    for (uint32_t c = 0, first = 0; c <= used.x1 + used.y1 * info->grid_x; c++) {
        uint32_t x = c % info->grid_x, y = c / info->grid_x;
        uint32_t n = c < cores ? TILES / cores + (c < TILES % cores) : 0;
        uint32_t ra[4] = {(uint32_t)ttm_buffer_address(a), (uint32_t)ttm_buffer_address(b),
                          first, n};
        uint32_t wa[3] = {(uint32_t)ttm_buffer_address(out), first, n};
        CHECK(ttm_set_runtime_args(p, rk, x, y, ra, 4));
        CHECK(ttm_set_runtime_args(p, ck, x, y, &n, 1));
        CHECK(ttm_set_runtime_args(p, wk, x, y, wa, 3));
        first += n;
    }
    CHECK(ttm_program_launch(dev, p, 0));
    ttm_program_destroy(p);
}

int main(void)
{
    ttm_device *dev;
    CHECK(ttm_device_create(0, &dev));
    struct ttm_device_info info = {.argsz = sizeof info};
    CHECK(ttm_device_info(dev, &info));
    static uint16_t a[ROWS * COLS], b[ROWS * COLS], tiled[ROWS * COLS], out[ROWS * COLS];
    for (uint32_t i = 0; i < ROWS * COLS; i++) {
        a[i] = to_bf16((float)(i % 97) / 8.0f);
        b[i] = to_bf16((float)(i % 31) - 15.0f);
    }
    ttm_buffer *ba, *bb, *bo;
    size_t bytes = sizeof a;
    CHECK(ttm_buffer_create_interleaved(dev, bytes, ADD1_TILE_BYTES, TTM_BUFFER_DRAM, &ba));
    CHECK(ttm_buffer_create_interleaved(dev, bytes, ADD1_TILE_BYTES, TTM_BUFFER_DRAM, &bb));
    CHECK(ttm_buffer_create_interleaved(dev, bytes, ADD1_TILE_BYTES, TTM_BUFFER_DRAM, &bo));
    CHECK(ttm_tilize(a, tiled, ROWS, COLS, 2));
    CHECK(ttm_buffer_write(ba, 0, tiled, bytes));
    CHECK(ttm_tilize(b, tiled, ROWS, COLS, 2));
    CHECK(ttm_buffer_write(bb, 0, tiled, bytes));

    static const char *const ops[2] = {"add_tiles", "mul_tiles"};
    unsigned bad = 0;
    for (int o = 0; o < 2; o++) {
        run(dev, &info, ops[o], ba, bb, bo);
        CHECK(ttm_buffer_read(bo, 0, tiled, bytes));
        CHECK(ttm_untilize(tiled, out, ROWS, COLS, 2));
        unsigned wrong = 0;
        for (uint32_t i = 0; i < ROWS * COLS; i++) {
            float x = from_bf16(a[i]), y = from_bf16(b[i]), want = o ? x * y : x + y;
            /* The result is bfloat16: within one unit of its last place. */
            wrong += fabsf(from_bf16(out[i]) - want) > fabsf(want) / 128.0f + 1e-30f;
        }
        printf("eltwise_binary: %s over %ux%u bfloat16: %s\n", ops[o], ROWS, COLS,
               wrong ? "MISMATCH" : "all within bfloat16 precision");
        bad += wrong;
    }
    ttm_buffer_destroy(ba);
    ttm_buffer_destroy(bb);
    ttm_buffer_destroy(bo);
    ttm_device_close(dev);
    return bad ? 1 : 0;
}
