/* The two kernels of the multicast_counter example (examples/multicast_counter.c,
 * python/examples/multicast_counter.py): a sender multicasts a block of MULTICAST_WORDS
 * words to a rectangle of cores, and every core of it counts itself into one counter on the
 * sender with a NoC atomic. The kernels are written with this count. */
#ifndef TTM_EXAMPLES_MULTICAST_COUNTER_KERNELS_H
#define TTM_EXAMPLES_MULTICAST_COUNTER_KERNELS_H

#define MULTICAST_WORDS 64u  /* the block: 256 bytes */

/* The sender. Args: the rectangle's NoC corners (x0, y0, x1, y1), how many cores it holds
 * besides this one, the block's L1 address. Semaphore 0 on every core: "the block is
 * here". */
static const char multicast_sender_src[] =
    "#include <ttm/kernel/dataflow.h>\n"
    "void kernel_main(void) {\n"
    "    uint32_t x0 = get_arg_val(0), y0 = get_arg_val(1), x1 = get_arg_val(2), y1 = get_arg_val(3);\n"
    "    uint32_t others = get_arg_val(4), block = get_arg_val(5);\n"
    "    volatile uint32_t *w = (volatile uint32_t *)block;\n"
    "    for (uint32_t i = 0; i < 64; i++)\n"
    "        w[i] = 0xC0DE0000u + i;\n"
    "    noc_async_write_multicast(block, get_noc_multicast_addr(x0, y0, x1, y1, block), 256, others);\n"
    "    noc_async_write_barrier();\n"
    "    /* Then the flag, to the same cores: it lands after the block. */\n"
    "    volatile uint32_t *flag = (volatile uint32_t *)get_semaphore(0);\n"
    "    *flag = 1;\n"
    "    noc_semaphore_set_multicast(get_semaphore(0),\n"
    "                                get_noc_multicast_addr(x0, y0, x1, y1, get_semaphore(0)), others);\n"
    "    noc_async_write_barrier();\n"
    "    noc_semaphore_inc(get_noc_addr(my_x(), my_y(), get_semaphore(1)), 1);\n"
    "    noc_async_atomic_barrier();\n"
    "    /* Every core counted itself: the count goes after the block for the host. */\n"
    "    volatile uint32_t *count = (volatile uint32_t *)get_semaphore(1);\n"
    "    noc_semaphore_wait_min(count, others + 1);\n"
    "    w[64] = *count;\n"
    "}\n";

/* Every other core: waits for the flag, then counts itself on the sender (common args:
 * the sender's NoC x, y). Semaphore 1 on the sender is the counter. */
static const char multicast_receiver_src[] =
    "#include <ttm/kernel/dataflow.h>\n"
    "void kernel_main(void) {\n"
    "    noc_semaphore_wait((volatile uint32_t *)get_semaphore(0), 1);\n"
    "    noc_semaphore_inc(get_noc_addr(get_common_arg_val(0), get_common_arg_val(1), get_semaphore(1)), 1);\n"
    "    noc_async_atomic_barrier();\n"
    "}\n";

#endif
