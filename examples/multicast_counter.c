/* multicast_counter: core (0,0) multicasts a block to every core of a rectangle, then each
 * core of it counts itself into one counter on (0,0) with a NoC atomic increment. The host
 * checks every core's copy and the count. The kernels are multicast_counter_kernels.h's.
 *
 *   build/examples/multicast_counter    (TTM_BACKEND picks the device)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ttm.h>

#include "multicast_counter_kernels.h"

#define CHECK(call)                                                                     \
    do {                                                                                \
        int rc_ = (call);                                                               \
        if (rc_ < 0) {                                                                  \
            fprintf(stderr, "multicast_counter: %s failed: %s\n  %s\n", #call,           \
                    ttm_strerror(rc_), ttm_last_error());                               \
            exit(1);                                                                    \
        }                                                                               \
    } while (0)

int main(void)
{
    ttm_device *dev;
    CHECK(ttm_device_create(0, &dev));
    struct ttm_device_info info = {.argsz = sizeof info};
    CHECK(ttm_device_info(dev, &info));
    /* A rectangle of 4 x 3 cores from (0,0); the logical columns are adjacent NoC columns
     * there, so one multicast reaches them all. */
    struct ttm_core_range rect = {0, 0, 3, 2}, sender = {0, 0, 0, 0};
    uint32_t n = 12;
    ttm_program *prog;
    CHECK(ttm_program_create(dev, &prog));
    uint32_t flag, counter;
    CHECK(ttm_semaphore_create(prog, &rect, 1, 0, &flag));
    CHECK(ttm_semaphore_create(prog, &rect, 1, 0, &counter));
    struct ttm_kernel_opts o = {.argsz = sizeof o, .processor = TTM_RISCV_0};
    ttm_kernel *sk, *rk;
    CHECK(ttm_kernel_create_dataflow_from_string(prog, multicast_sender_src, &sender, 1, &o, &sk));
    struct ttm_core_range rest[2] = {{1, 0, 3, 0}, {0, 1, 3, 2}};
    CHECK(ttm_kernel_create_dataflow_from_string(prog, multicast_receiver_src, rest, 2, &o, &rk));
    uint32_t x0, y0, x1, y1;
    CHECK(ttm_core_noc_xy(dev, 0, 0, 0, &x0, &y0));
    CHECK(ttm_core_noc_xy(dev, 3, 2, 0, &x1, &y1));
    uint32_t block = info.l1_unreserved;
    uint32_t sargs[6] = {x0, y0, x1, y1, n - 1, block};
    CHECK(ttm_set_runtime_args(prog, sk, 0, 0, sargs, 6));
    uint32_t rargs[2] = {x0, y0};
    CHECK(ttm_set_common_runtime_args(prog, rk, rargs, 2));
    CHECK(ttm_program_launch(dev, prog, 0));

    /* Every core's copy of the block, read back through an L1 buffer laid over it: an
     * L1 buffer of one page a core starts at l1_unreserved on every core. */
    ttm_buffer *l1;
    CHECK(ttm_buffer_create_interleaved(dev, (uint64_t)info.num_workers * 512, 512,
                                        TTM_BUFFER_L1, &l1));
    uint32_t *all = malloc((size_t)info.num_workers * 512);
    if (!all || ttm_buffer_address(l1) != block)
        return 1;
    CHECK(ttm_buffer_read(l1, 0, all, (uint64_t)info.num_workers * 512));
    /* Page i of an L1 buffer sits on core i (logical row-major order). */
    unsigned bad = 0;
    for (uint32_t y = 0; y < 3; y++)
        for (uint32_t x = 0; x < 4; x++)
            for (uint32_t i = 0; i < MULTICAST_WORDS; i++)
                bad += all[(y * info.grid_x + x) * 128 + i] != 0xC0DE0000u + i;
    uint32_t count = all[MULTICAST_WORDS];
    printf("multicast_counter: a block multicast to %u cores, %s; %u cores counted: %s\n", n,
           bad ? "MISMATCH" : "every copy correct", count, count == n ? "correct" : "WRONG");
    bad += count != n;
    ttm_program_destroy(prog);
    ttm_buffer_destroy(l1);
    free(all);
    ttm_device_close(dev);
    return bad ? 1 : 0;
}
