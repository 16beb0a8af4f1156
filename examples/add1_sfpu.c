/* add1_sfpu: the seeds' central example. On every worker core a reader kernel moves
 * bfloat16 tiles from DRAM into circular buffer 0, the compute kernel unpacks each tile
 * into the Tensix coprocessor's Dst registers, adds 1.0 to every element on the SFPU and
 * packs the tile into circular buffer 16, and a writer kernel moves it back to DRAM. The
 * input walks through all 65,536 bfloat16 bit patterns; the host checks every element
 * against the hardware's documented numerics.
 *
 *   build/examples/add1_sfpu [tiles_per_core]   (default 1; TTM_BACKEND picks the device)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <ttm.h>

#include "add1_sfpu_kernels.h"

#define CB_TILES 2u  /* double buffering on both sides of the compute kernel */

#define CHECK(call)                                                                     \
    do {                                                                                \
        int rc_ = (call);                                                               \
        if (rc_ < 0) {                                                                  \
            fprintf(stderr, "add1_sfpu: %s failed: %s\n  %s\n", #call, ttm_strerror(rc_), \
                    ttm_last_error());                                                  \
            exit(1);                                                                    \
        }                                                                               \
    } while (0)

int main(int argc, char **argv)
{
    uint32_t per_core = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 0) : 1;
    if (!per_core || per_core > 64) {
        fprintf(stderr, "usage: add1_sfpu [tiles_per_core (1..64)]\n");
        return 2;
    }
    ttm_device *dev;
    CHECK(ttm_device_create(0, &dev));
    struct ttm_device_info info = {.argsz = sizeof info};
    CHECK(ttm_device_info(dev, &info));
    uint32_t cores = info.num_workers, tiles = cores * per_core;
    size_t n = (size_t)tiles * ADD1_TILE_BYTES / 2;
    printf("add1_sfpu: %s backend, %ux%u workers, %u bfloat16 tiles\n", info.backend,
           info.grid_x, info.grid_y, tiles);

    uint16_t *host_in = malloc(2 * n), *host_out = malloc(2 * n);
    if (!host_in || !host_out)
        return 1;
    for (size_t i = 0; i < n; i++)
        host_in[i] = (uint16_t)i;

    ttm_buffer *in, *out;
    CHECK(ttm_buffer_create_interleaved(dev, 2 * n, ADD1_TILE_BYTES, TTM_BUFFER_DRAM, &in));
    CHECK(ttm_buffer_create_interleaved(dev, 2 * n, ADD1_TILE_BYTES, TTM_BUFFER_DRAM, &out));
    CHECK(ttm_buffer_write(in, 0, host_in, 2 * n));

    ttm_program *prog;
    CHECK(ttm_program_create(dev, &prog));
    struct ttm_core_range all = {0, 0, info.grid_x - 1, info.grid_y - 1};
    CHECK(ttm_cb_create(prog, &all, 1, 0, CB_TILES * ADD1_TILE_BYTES, ADD1_TILE_BYTES,
                        TTM_FORMAT_BFLOAT16, NULL));
    CHECK(ttm_cb_create(prog, &all, 1, 16, CB_TILES * ADD1_TILE_BYTES, ADD1_TILE_BYTES,
                        TTM_FORMAT_BFLOAT16, NULL));
    struct ttm_kernel_opts ropt = {.argsz = sizeof ropt, .processor = TTM_RISCV_1, .noc = 1};
    struct ttm_kernel_opts wopt = {.argsz = sizeof wopt, .processor = TTM_RISCV_0, .noc = 0};
    struct ttm_kernel_opts copt = {.argsz = sizeof copt, .math_fidelity = TTM_HIFI4};
    ttm_kernel *reader, *compute, *writer;
    CHECK(ttm_kernel_create_dataflow_from_string(prog, add1_sfpu_reader_src, &all, 1, &ropt,
                                                 &reader));
    CHECK(ttm_kernel_create_compute_from_string(prog, add1_sfpu_compute_src, &all, 1, &copt,
                                                &compute));
    CHECK(ttm_kernel_create_dataflow_from_string(prog, add1_sfpu_writer_src, &all, 1, &wopt,
                                                 &writer));
    uint32_t tile_bytes = ADD1_TILE_BYTES;
    CHECK(ttm_set_common_runtime_args(prog, reader, &tile_bytes, 1));
    CHECK(ttm_set_common_runtime_args(prog, writer, &tile_bytes, 1));
    for (uint32_t y = 0; y < info.grid_y; y++) {
        for (uint32_t x = 0; x < info.grid_x; x++) {
            uint32_t first = (y * info.grid_x + x) * per_core;
            uint32_t rargs[3] = {(uint32_t)ttm_buffer_address(in), first, per_core};
            uint32_t wargs[3] = {(uint32_t)ttm_buffer_address(out), first, per_core};
            CHECK(ttm_set_runtime_args(prog, reader, x, y, rargs, 3));
            CHECK(ttm_set_runtime_args(prog, compute, x, y, &per_core, 1));
            CHECK(ttm_set_runtime_args(prog, writer, x, y, wargs, 3));
        }
    }

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK(ttm_program_launch(dev, prog, 0));
    clock_gettime(CLOCK_MONOTONIC, &t1);
    CHECK(ttm_buffer_read(out, 0, host_out, 2 * n));

    size_t bad = 0;
    for (size_t i = 0; i < n; i++) {
        uint16_t want = add1_sfpu_reference(host_in[i]);
        if (host_out[i] != want && bad++ < 5)
            fprintf(stderr, "add1_sfpu: element %zu: 0x%04x + 1 gave 0x%04x, expected 0x%04x\n",
                    i, host_in[i], host_out[i], want);
    }
    double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
    printf("add1_sfpu: %zu elements checked on %u cores in %.1f ms: %s\n", n, cores, ms,
           bad ? "MISMATCH" : "all correct");

    ttm_program_destroy(prog);
    ttm_buffer_destroy(in);
    ttm_buffer_destroy(out);
    ttm_device_close(dev);
    free(host_in);
    free(host_out);
    return bad ? 1 : 0;
}
