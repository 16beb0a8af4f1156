/* The two kernels of the pipeline example (examples/pipeline.c, python/examples/pipeline.py):
 * a producer on one core hands PIPELINE_BLOCKS blocks of PIPELINE_WORDS words to a consumer
 * on another through one L1 slot, with a "free" and a "full" semaphore. The kernels'
 * loops are written with these counts. */
#ifndef TTM_EXAMPLES_PIPELINE_KERNELS_H
#define TTM_EXAMPLES_PIPELINE_KERNELS_H

#define PIPELINE_BLOCKS 32u
#define PIPELINE_WORDS 256u  /* a block: 1 KiB */

/* Args: the consumer's NoC x, y; an L1 scratch address (the same on both cores). The
 * semaphores: id 0 "free" on the producer (starts at 1: one slot), id 1 "full" on the
 * consumer (starts at 0). */
static const char pipeline_producer_src[] =
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
static const char pipeline_consumer_src[] =
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

#endif
