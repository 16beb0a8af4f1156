/* The seeds' add1_sfpu program, shared by examples/add1_sfpu.c, the tests and the bench:
 * on each core a reader (NCRISC, NoC 1) moves bfloat16 tiles from an interleaved DRAM
 * buffer into CB 0, the compute kernel (the TRISCs) unpacks each into Dst, adds a scalar
 * on the SFPU and packs it into CB 16, and a writer (BRISC, NoC 0) moves CB 16's tiles
 * to the output buffer.
 *
 * Reader and writer: args {buffer, first tile, tiles}, common arg {tile bytes}.
 * Compute: args {tiles}; the scalar is the define SCALAR (fp32 bits, default 1.0) and
 * the operation the define OP (add_unary_tile by default).
 */
#ifndef TTM_EXAMPLES_ADD1_SFPU_KERNELS_H
#define TTM_EXAMPLES_ADD1_SFPU_KERNELS_H

#include <stdint.h>
#include <string.h>

#define ADD1_TILE_BYTES 2048u   /* 32x32 bfloat16 */

static const char add1_sfpu_reader_src[] =
    "#include <ttm/kernel/dataflow.h>\n"
    "void kernel_main(void) {\n"
    "    uint32_t src = get_arg_val(0), first = get_arg_val(1), n = get_arg_val(2);\n"
    "    uint32_t tile = get_common_arg_val(0);\n"
    "    for (uint32_t t = first; t < first + n; t++) {\n"
    "        cb_reserve_back(0, 1);\n"
    "        noc_async_read(interleaved_noc_addr(src, tile, 1, t, 0), get_write_ptr(0), tile);\n"
    "        noc_async_read_barrier();\n"
    "        cb_push_back(0, 1);\n"
    "    }\n"
    "}\n";

static const char add1_sfpu_compute_src[] =
    "#include <ttm/kernel/compute.h>\n"
    "#ifndef SCALAR\n#define SCALAR 0x3F800000u\n#endif\n"
    "#ifndef OP\n#define OP add_unary_tile\n#endif\n"
    "void kernel_main(void) {\n"
    "    uint32_t n = get_arg_val(0);\n"
    "    init_sfpu(0, 16);\n"
    "    for (uint32_t i = 0; i < n; i++) {\n"
    "        tile_regs_acquire();\n"
    "        cb_wait_front(0, 1);\n"
    "        copy_tile_init(0);\n"
    "        copy_tile(0, 0, 0);\n"
    "        binop_with_scalar_tile_init();\n"
    "        OP(0, SCALAR);\n"
    "        tile_regs_commit();\n"
    "        tile_regs_wait();\n"
    "        cb_reserve_back(16, 1);\n"
    "        pack_tile(0, 16);\n"
    "        cb_pop_front(0, 1);\n"
    "        tile_regs_release();\n"
    "        cb_push_back(16, 1);\n"
    "    }\n"
    "}\n";

static const char add1_sfpu_writer_src[] =
    "#include <ttm/kernel/dataflow.h>\n"
    "void kernel_main(void) {\n"
    "    uint32_t dst = get_arg_val(0), first = get_arg_val(1), n = get_arg_val(2);\n"
    "    uint32_t tile = get_common_arg_val(0);\n"
    "    for (uint32_t t = first; t < first + n; t++) {\n"
    "        cb_wait_front(16, 1);\n"
    "        noc_async_write(get_read_ptr(16), interleaved_noc_addr(dst, tile, 1, t, 0), tile);\n"
    "        noc_async_write_barrier();\n"
    "        cb_pop_front(16, 1);\n"
    "    }\n"
    "}\n";

/* What add1_sfpu makes of the bfloat16 x, from the documented numerics alone
 * (compute-facts 5.1-5.5), not from any model's code: the unpack is exact; the copy to
 * Dst turns denormals into +0; the SFPU adds in fp32, rounding to nearest even, any NaN
 * becoming the canonical 0x7FC00000; the store truncates to bfloat16; the packer turns
 * NaN into infinity of the same sign and anything with a zero exponent into +0. */
static inline uint16_t add1_sfpu_reference(uint16_t x)
{
    if (!(x & 0x7F80))
        x = 0;
    uint32_t bits = (uint32_t)x << 16, r;
    float f, one = 1.0f;
    memcpy(&f, &bits, 4);
    f += one;
    memcpy(&r, &f, 4);
    if ((r & 0x7FFFFFFFu) > 0x7F800000u)
        r = 0x7FC00000u;
    uint16_t v = (uint16_t)(r >> 16);
    if ((v & 0x7FFF) > 0x7F80)
        v = (uint16_t)((v & 0x8000) | 0x7F80);
    return (v & 0x7FFF) < 0x80 ? 0 : v;
}

#endif
