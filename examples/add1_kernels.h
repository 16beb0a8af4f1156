/* The two kernels of the add1 example, shared by examples/add1.c, the ttsim differential
 * tests (tests/ttsim/differential.c) and the ttsim bench, so all of them run the same program.
 *
 * Reader (NCRISC, NoC 1): args {src buffer, first page, pages}, common arg {page size};
 * moves each page from the interleaved DRAM buffer into circular buffer 0.
 * Writer (BRISC, NoC 0): args {dst buffer, first page, pages}, common arg {page size};
 * adds 1 (or the define ADD) to every 32-bit word of each page and writes it to the
 * output buffer.
 */
#ifndef TTM_EXAMPLES_ADD1_KERNELS_H
#define TTM_EXAMPLES_ADD1_KERNELS_H

static const char add1_reader_src[] =
    "#include <ttm/kernel/dataflow.h>\n"
    "void kernel_main(void) {\n"
    "    uint32_t src = get_arg_val(0), first = get_arg_val(1), n = get_arg_val(2);\n"
    "    uint32_t page = get_common_arg_val(0);\n"
    "    for (uint32_t p = first; p < first + n; p++) {\n"
    "        cb_reserve_back(0, 1);\n"
    "        noc_async_read(interleaved_noc_addr(src, page, 1, p, 0), get_write_ptr(0), page);\n"
    "        noc_async_read_barrier();\n"
    "        cb_push_back(0, 1);\n"
    "    }\n"
    "}\n";

static const char add1_writer_src[] =
    "#include <ttm/kernel/dataflow.h>\n"
    "#ifndef ADD\n#define ADD 1\n#endif\n"
    "void kernel_main(void) {\n"
    "    uint32_t dst = get_arg_val(0), first = get_arg_val(1), n = get_arg_val(2);\n"
    "    uint32_t page = get_common_arg_val(0);\n"
    "    for (uint32_t p = first; p < first + n; p++) {\n"
    "        cb_wait_front(0, 1);\n"
    "        volatile uint32_t *w = (volatile uint32_t *)get_read_ptr(0);\n"
    "        for (uint32_t i = 0; i < page / 4; i++)\n"
    "            w[i] += ADD;\n"
    "        noc_async_write(get_read_ptr(0), interleaved_noc_addr(dst, page, 1, p, 0), page);\n"
    "        noc_async_write_barrier();\n"
    "        cb_pop_front(0, 1);\n"
    "    }\n"
    "}\n";

#endif
