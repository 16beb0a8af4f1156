/* add1: the seeds' first program, with integer data. On every worker core a reader kernel
 * (NCRISC, NoC 1) moves pages from a DRAM buffer into circular buffer 0, and a writer
 * kernel (BRISC, NoC 0) takes them out, adds 1 to every 32-bit word and writes them to a
 * second DRAM buffer. The host checks every word.
 *
 *   build/examples/add1 [pages_per_core]      (default 4; TTM_BACKEND picks the device)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <ttm.h>

#define PAGE 4096u   /* 1024 words: one 32x32 tile of uint32 */
#define CB_PAGES 2u  /* double buffering between reader and writer */

#include "add1_kernels.h"

#define CHECK(call)                                                                     \
    do {                                                                                \
        int rc_ = (call);                                                               \
        if (rc_ < 0) {                                                                  \
            fprintf(stderr, "add1: %s failed: %s\n  %s\n", #call, ttm_strerror(rc_),    \
                    ttm_last_error());                                                  \
            exit(1);                                                                    \
        }                                                                               \
    } while (0)

int main(int argc, char **argv)
{
    uint32_t per_core = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 0) : 4;
    if (!per_core || per_core > 64) {
        fprintf(stderr, "usage: add1 [pages_per_core (1..64)]\n");
        return 2;
    }
    ttm_device *dev;
    CHECK(ttm_device_create(0, &dev));
    struct ttm_device_info info = {.argsz = sizeof info};
    CHECK(ttm_device_info(dev, &info));
    uint32_t cores = info.num_workers, pages = cores * per_core;
    uint64_t bytes = (uint64_t)pages * PAGE;
    printf("add1: %s backend, %ux%u workers, %u DRAM banks, %u pages of %u bytes\n", info.backend,
           info.grid_x, info.grid_y, info.num_dram_banks, pages, PAGE);

    uint32_t *host_in = malloc(bytes), *host_out = malloc(bytes);
    if (!host_in || !host_out)
        return 1;
    for (uint64_t i = 0; i < bytes / 4; i++)
        host_in[i] = (uint32_t)(i * 2654435761u);

    ttm_buffer *in, *out;
    CHECK(ttm_buffer_create_interleaved(dev, bytes, PAGE, TTM_BUFFER_DRAM, &in));
    CHECK(ttm_buffer_create_interleaved(dev, bytes, PAGE, TTM_BUFFER_DRAM, &out));
    CHECK(ttm_buffer_write(in, 0, host_in, bytes));

    ttm_program *prog;
    CHECK(ttm_program_create(dev, &prog));
    struct ttm_core_range all = {0, 0, info.grid_x - 1, info.grid_y - 1};
    CHECK(ttm_cb_create(prog, &all, 1, 0, CB_PAGES * PAGE, PAGE, TTM_FORMAT_UINT32, NULL));
    struct ttm_kernel_opts ropt = {.argsz = sizeof ropt, .processor = TTM_RISCV_1, .noc = 1};
    struct ttm_kernel_opts wopt = {.argsz = sizeof wopt, .processor = TTM_RISCV_0, .noc = 0};
    ttm_kernel *reader, *writer;
    CHECK(ttm_kernel_create_dataflow_from_string(prog, add1_reader_src, &all, 1, &ropt, &reader));
    CHECK(ttm_kernel_create_dataflow_from_string(prog, add1_writer_src, &all, 1, &wopt, &writer));
    uint32_t page_size = PAGE;
    CHECK(ttm_set_common_runtime_args(prog, reader, &page_size, 1));
    CHECK(ttm_set_common_runtime_args(prog, writer, &page_size, 1));
    for (uint32_t y = 0; y < info.grid_y; y++) {
        for (uint32_t x = 0; x < info.grid_x; x++) {
            uint32_t first = (y * info.grid_x + x) * per_core;
            uint32_t rargs[3] = {(uint32_t)ttm_buffer_address(in), first, per_core};
            uint32_t wargs[3] = {(uint32_t)ttm_buffer_address(out), first, per_core};
            CHECK(ttm_set_runtime_args(prog, reader, x, y, rargs, 3));
            CHECK(ttm_set_runtime_args(prog, writer, x, y, wargs, 3));
        }
    }

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK(ttm_program_launch(dev, prog, 0));
    clock_gettime(CLOCK_MONOTONIC, &t1);
    CHECK(ttm_buffer_read(out, 0, host_out, bytes));

    uint64_t bad = 0;
    for (uint64_t i = 0; i < bytes / 4; i++)
        bad += host_out[i] != host_in[i] + 1;
    double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
    printf("add1: %llu words checked on %u cores in %.1f ms: %s\n",
           (unsigned long long)(bytes / 4), cores, ms, bad ? "MISMATCH" : "all correct");

    ttm_program_destroy(prog);
    ttm_buffer_destroy(in);
    ttm_buffer_destroy(out);
    ttm_device_close(dev);
    free(host_in);
    free(host_out);
    return bad ? 1 : 0;
}
