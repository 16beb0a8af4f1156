/* The kernel of the queue example (examples/queue.c, python/examples/queue.py). */
#ifndef TTM_EXAMPLES_QUEUE_KERNELS_H
#define TTM_EXAMPLES_QUEUE_KERNELS_H

#define QUEUE_WORDS 1024u  /* the buffer: 4 KiB, as the kernel is written */

/* Adds common arg 1 to every word of the 4 KiB DRAM buffer at common arg 0 (one core). */
static const char queue_bump_src[] =
    "#include <ttm/kernel/dataflow.h>\n"
    "void kernel_main(void) {\n"
    "    uint32_t buf = get_common_arg_val(0), add = get_common_arg_val(1);\n"
    "    uint32_t l1 = get_arg_val(0);\n"
    "    uint64_t src = interleaved_noc_addr(buf, 4096, 1, 0, 0);\n"
    "    noc_async_read(src, l1, 4096);\n"
    "    noc_async_read_barrier();\n"
    "    volatile uint32_t *w = (volatile uint32_t *)l1;\n"
    "    for (uint32_t i = 0; i < 1024; i++) w[i] += add;\n"
    "    noc_async_write(l1, src, 4096);\n"
    "    noc_async_write_barrier();\n"
    "}\n";

#endif
