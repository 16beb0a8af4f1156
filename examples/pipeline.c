/* pipeline: two cores hand blocks of data along with semaphores. Core (0,0) produces
 * PIPELINE_BLOCKS blocks; for each it waits until core (1,0) has room (its "free"
 * semaphore), writes the block into (1,0)'s L1 over the NoC, and raises (1,0)'s "full"
 * semaphore. Core (1,0) waits for "full", sums the block, hands the slot back by raising
 * (0,0)'s "free", and at the end writes the sums to a DRAM buffer the host checks. The
 * kernels are pipeline_kernels.h's.
 *
 *   build/examples/pipeline            (TTM_BACKEND picks the device)
 */
#include <stdio.h>
#include <stdlib.h>

#include <ttm.h>

#include "pipeline_kernels.h"

#define CHECK(call)                                                                     \
    do {                                                                                \
        int rc_ = (call);                                                               \
        if (rc_ < 0) {                                                                  \
            fprintf(stderr, "pipeline: %s failed: %s\n  %s\n", #call, ttm_strerror(rc_), \
                    ttm_last_error());                                                  \
            exit(1);                                                                    \
        }                                                                               \
    } while (0)

int main(void)
{
    ttm_device *dev;
    CHECK(ttm_device_create(0, &dev));
    struct ttm_device_info info = {.argsz = sizeof info};
    CHECK(ttm_device_info(dev, &info));
    ttm_buffer *sums;
    CHECK(ttm_buffer_create_interleaved(dev, 128, 128, TTM_BUFFER_DRAM, &sums));

    ttm_program *prog;
    CHECK(ttm_program_create(dev, &prog));
    struct ttm_core_range prod = {0, 0, 0, 0}, cons = {1, 0, 1, 0}, both = {0, 0, 1, 0};
    uint32_t free_id, full_id;
    CHECK(ttm_semaphore_create(prog, &both, 1, 1, &free_id));  /* id 0 */
    CHECK(ttm_semaphore_create(prog, &both, 1, 0, &full_id));  /* id 1 */
    struct ttm_kernel_opts o = {.argsz = sizeof o, .processor = TTM_RISCV_0};
    ttm_kernel *pk, *ck;
    CHECK(ttm_kernel_create_dataflow_from_string(prog, pipeline_producer_src, &prod, 1, &o, &pk));
    CHECK(ttm_kernel_create_dataflow_from_string(prog, pipeline_consumer_src, &cons, 1, &o, &ck));
    uint32_t px, py, cx, cy;
    CHECK(ttm_core_noc_xy(dev, 0, 0, 0, &px, &py));
    CHECK(ttm_core_noc_xy(dev, 1, 0, 0, &cx, &cy));
    uint32_t scratch = info.l1_unreserved;
    uint32_t pargs[3] = {cx, cy, scratch};
    uint32_t cargs[4] = {px, py, scratch, (uint32_t)ttm_buffer_address(sums)};
    CHECK(ttm_set_runtime_args(prog, pk, 0, 0, pargs, 3));
    CHECK(ttm_set_runtime_args(prog, ck, 1, 0, cargs, 4));
    CHECK(ttm_program_launch(dev, prog, 0));

    uint32_t got[PIPELINE_BLOCKS];
    CHECK(ttm_buffer_read(sums, 0, got, sizeof got));
    unsigned bad = 0;
    for (uint32_t b = 0; b < PIPELINE_BLOCKS; b++)
        bad += got[b] != b * 1000 * PIPELINE_WORDS + PIPELINE_WORDS * (PIPELINE_WORDS - 1) / 2;
    printf("pipeline: %u blocks of %u bytes from core (0,0) to (1,0): %s\n", PIPELINE_BLOCKS,
           PIPELINE_WORDS * 4, bad ? "MISMATCH" : "all correct");
    ttm_program_destroy(prog);
    ttm_buffer_destroy(sums);
    ttm_device_close(dev);
    return bad ? 1 : 0;
}
