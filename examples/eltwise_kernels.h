/* Element-wise binary operations on bfloat16 tiles, shared by examples/eltwise_binary.c
 * and the tests: a reader (NCRISC) moves tile t of buffers a and b into CBs 0 and 1, the
 * compute kernel applies OP (add_tiles, sub_tiles or mul_tiles; OP_INIT its init) into
 * CB 16, and add1_sfpu_kernels.h's writer stores CB 16's tiles.
 *
 * Reader: args {a, b, first tile, tiles}, common arg {tile bytes}. Compute: args {tiles}.
 */
#ifndef TTM_EXAMPLES_ELTWISE_KERNELS_H
#define TTM_EXAMPLES_ELTWISE_KERNELS_H

static const char binary_reader_src[] =
    "#include <ttm/kernel/dataflow.h>\n"
    "void kernel_main(void) {\n"
    "    uint32_t a = get_arg_val(0), b = get_arg_val(1), first = get_arg_val(2);\n"
    "    uint32_t n = get_arg_val(3), tile = get_common_arg_val(0);\n"
    "    for (uint32_t t = first; t < first + n; t++) {\n"
    "        cb_reserve_back(0, 1);\n"
    "        cb_reserve_back(1, 1);\n"
    "        noc_async_read(interleaved_noc_addr(a, tile, 1, t, 0), get_write_ptr(0), tile);\n"
    "        noc_async_read(interleaved_noc_addr(b, tile, 1, t, 0), get_write_ptr(1), tile);\n"
    "        noc_async_read_barrier();\n"
    "        cb_push_back(0, 1);\n"
    "        cb_push_back(1, 1);\n"
    "    }\n"
    "}\n";

/* OP is add_tiles, sub_tiles or mul_tiles, OP_INIT its init. */
static const char binary_compute_src[] =
    "#include <ttm/kernel/compute.h>\n"
    "void kernel_main(void) {\n"
    "    uint32_t n = get_arg_val(0);\n"
    "    binary_op_init_common(0, 1, 16);\n"
    "    OP_INIT(0, 1);\n"
    "    for (uint32_t i = 0; i < n; i++) {\n"
    "        tile_regs_acquire();\n"
    "        cb_wait_front(0, 1);\n"
    "        cb_wait_front(1, 1);\n"
    "        OP(0, 1, 0, 0, 0);\n"
    "        tile_regs_commit();\n"
    "        tile_regs_wait();\n"
    "        cb_reserve_back(16, 1);\n"
    "        pack_tile(0, 16);\n"
    "        cb_pop_front(0, 1);\n"
    "        cb_pop_front(1, 1);\n"
    "        tile_regs_release();\n"
    "        cb_push_back(16, 1);\n"
    "    }\n"
    "}\n";

#endif
