/* pipeline: two cores hand blocks of data along with semaphores. Core (0,0) produces
 * BLOCKS blocks; for each it waits until core (1,0) has room (its "free" semaphore), writes
 * the block into (1,0)'s L1 over the NoC, and raises (1,0)'s "full" semaphore. Core (1,0)
 * waits for "full", sums the block, hands the slot back by raising (0,0)'s "free", and at
 * the end writes the sums to a DRAM buffer the host checks.
 *
 *   build/examples/pipeline            (TTM_BACKEND picks the device)
 */
#include <stdio.h>
#include <stdlib.h>

#include <ttm.h>

#define BLOCKS 32u
#define WORDS 256u   /* a block: 1 KiB */

#define CHECK(call)                                                                     \
    do {                                                                                \
        int rc_ = (call);                                                               \
        if (rc_ < 0) {                                                                  \
            fprintf(stderr, "pipeline: %s failed: %s\n  %s\n", #call, ttm_strerror(rc_), \
                    ttm_last_error());                                                  \
            exit(1);                                                                    \
        }                                                                               \
    } while (0)

/* Args: the consumer's NoC x, y; an L1 scratch address (the same on both cores). The
 * semaphores: id 0 "free" on the producer (starts at 1: one slot), id 1 "full" on the
 * consumer (starts at 0). */
static const char producer_src[] =
    "#include <ttm/kernel/dataflow.h>\n"
    "void kernel_main(void) {\n"
    "    uint32_t cx = get_arg_val(0), cy = get_arg_val(1), buf = get_arg_val(2);\n"
    "    volatile uint32_t *free_slots = (volatile uint32_t *)get_semaphore(0);\n"
    "    volatile uint32_t *block = (volatile uint32_t *)buf;\n"
    "    for (uint32_t b = 0; b < 32; b++) {\n"
    "        noc_semaphore_wait(free_slots, 1);    /* the consumer took the last block */\n"
    "        noc_semaphore_set(free_slots, 0);\n"
    "        for (uint32_t i = 0; i < 256; i++)\n"
    "            block[i] = b * 1000 + i;\n"
    "        noc_async_write(buf, get_noc_addr(cx, cy, buf), 256 * 4);\n"
    "        noc_async_write_barrier();             /* the data is there before the flag */\n"
    "        noc_semaphore_inc(get_noc_addr(cx, cy, get_semaphore(1)), 1);\n"
    "        noc_async_atomic_barrier();\n"
    "    }\n"
    "}\n";

/* Args: the producer's NoC x, y; the scratch address; the DRAM buffer for the sums. */
static const char consumer_src[] =
    "#include <ttm/kernel/dataflow.h>\n"
    "void kernel_main(void) {\n"
    "    uint32_t px = get_arg_val(0), py = get_arg_val(1), buf = get_arg_val(2);\n"
    "    uint32_t out = get_arg_val(3);\n"
    "    volatile uint32_t *full = (volatile uint32_t *)get_semaphore(1);\n"
    "    volatile uint32_t *block = (volatile uint32_t *)buf;\n"
    "    volatile uint32_t *sums = (volatile uint32_t *)(buf + 4096);\n"
    "    for (uint32_t b = 0; b < 32; b++) {\n"
    "        noc_semaphore_wait(full, b + 1);\n"
    "        uint32_t s = 0;\n"
    "        for (uint32_t i = 0; i < 256; i++)\n"
    "            s += block[i];\n"
    "        sums[b] = s;\n"
    "        noc_semaphore_inc(get_noc_addr(px, py, get_semaphore(0)), 1); /* slot free */\n"
    "        noc_async_atomic_barrier();\n"
    "    }\n"
    "    noc_async_write(buf + 4096, interleaved_noc_addr(out, 128, 1, 0, 0), 128);\n"
    "    noc_async_write_barrier();\n"
    "}\n";

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
    CHECK(ttm_kernel_create_dataflow_from_string(prog, producer_src, &prod, 1, &o, &pk));
    CHECK(ttm_kernel_create_dataflow_from_string(prog, consumer_src, &cons, 1, &o, &ck));
    uint32_t px, py, cx, cy;
    CHECK(ttm_core_noc_xy(dev, 0, 0, 0, &px, &py));
    CHECK(ttm_core_noc_xy(dev, 1, 0, 0, &cx, &cy));
    uint32_t scratch = info.l1_unreserved;
    uint32_t pargs[3] = {cx, cy, scratch};
    uint32_t cargs[4] = {px, py, scratch, (uint32_t)ttm_buffer_address(sums)};
    CHECK(ttm_set_runtime_args(prog, pk, 0, 0, pargs, 3));
    CHECK(ttm_set_runtime_args(prog, ck, 1, 0, cargs, 4));
    CHECK(ttm_program_launch(dev, prog, 0));

    uint32_t got[BLOCKS];
    CHECK(ttm_buffer_read(sums, 0, got, sizeof got));
    unsigned bad = 0;
    for (uint32_t b = 0; b < BLOCKS; b++)
        bad += got[b] != b * 1000 * WORDS + WORDS * (WORDS - 1) / 2;
    printf("pipeline: %u blocks of %u bytes from core (0,0) to (1,0): %s\n", BLOCKS, WORDS * 4,
           bad ? "MISMATCH" : "all correct");
    ttm_program_destroy(prog);
    ttm_buffer_destroy(sums);
    ttm_device_close(dev);
    return bad ? 1 : 0;
}
