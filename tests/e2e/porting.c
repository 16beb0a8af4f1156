/* What kernels ported from TT-Metal rely on: semaphores at one L1 address on every core of
 * a program (CreateSemaphore), NoC coordinates of a logical core from the host, circular
 * buffers aligned for DRAM traffic, the compiler's runtime library and C++ standard
 * headers. Each device test runs in slow and fast dispatch. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"
#include "build/runtime.h"
#include "modes.h"
#include "test.h"
#include "ttm.h"


static ttm_device *open_dev(void)
{
    struct ttm_device_opts o = {.argsz = sizeof o, .backend = "emu", .dispatch = mode};
    ttm_device *dev = NULL;
    return ttm_device_create_opts(test_backend(&o), &dev) ? NULL : dev;
}

/* Each core adds its (logical x + 1) * 10 to its partner's semaphore 0 with the TT-Metal
 * idiom, waits for its own to reach initial + partner's share, and stores what it saw in
 * its page of an L1 buffer (args: partner's NoC x, y, buffer page address). Core (0,0)
 * also has a circular buffer, so the two cores fall in different kernel groups with
 * different image layouts. */
static const char ping_src[] =
    "#include <ttm/kernel/dataflow.h>\n"
    "void kernel_main(void) {\n"
    "    uint32_t sem = get_semaphore(get_compile_time_arg_val(0));\n"
    "    noc_semaphore_inc(get_noc_addr(get_arg_val(0), get_arg_val(1), sem),\n"
    "                      (my_logical_x() + 1) * 10);\n"
    "    noc_async_atomic_barrier();\n"
    "    uint32_t want = get_arg_val(3);\n"
    "    noc_semaphore_wait((volatile uint32_t *)sem, want);\n"
    "    *(volatile uint32_t *)get_arg_val(2) = *(volatile uint32_t *)sem;\n"
    "    *(volatile uint32_t *)(get_arg_val(2) + 4) = sem;\n"
    "}\n";

static void semaphores_sit_at_one_address_on_every_core_of_a_program_in_mode(void)
{
    ttm_device *dev = open_dev();
    CHECK(dev);
    ttm_program *p;
    ttm_buffer *out;
    ttm_kernel *k;
    CHECK_EQ(ttm_program_create(dev, &p), 0);
    /* An unused semaphore on core (1,0) only, so id 0 there is taken... */
    struct ttm_core_range c1 = {1, 0, 1, 0}, pair = {0, 0, 1, 0};
    uint32_t other, sem;
    CHECK_EQ(ttm_semaphore_create(p, &c1, 1, 77, &other), 0);
    CHECK_EQ(other, 0);
    /* ...and the pair's semaphore gets id 1, the lowest free on both. */
    CHECK_EQ(ttm_semaphore_create(p, &pair, 1, 5, &sem), 0);
    CHECK_EQ(sem, 1);
    struct ttm_core_range c0 = {0, 0, 0, 0};
    CHECK_EQ(ttm_cb_create(p, &c0, 1, 0, 2048, 1024, TTM_FORMAT_RAW, NULL), 0);
    CHECK_EQ(ttm_buffer_create_interleaved(dev, 2 * 1024, 1024, TTM_BUFFER_L1, &out), 0);
    struct ttm_kernel_opts o = {.argsz = sizeof o, .compile_args = &sem, .n_compile_args = 1};
    CHECK_EQ(ttm_kernel_create_dataflow_from_string(p, ping_src, &pair, 1, &o, &k), 0);
    /* Page i of the L1 buffer lives on logical worker i, row 0 here. */
    for (uint32_t x = 0; x < 2; x++) {
        uint32_t nx, ny;
        CHECK_EQ(ttm_core_noc_xy(dev, 1 - x, 0, 0, &nx, &ny), 0);
        uint32_t args[4] = {nx, ny, (uint32_t)ttm_buffer_address(out), 5 + (2 - x) * 10};
        CHECK_EQ(ttm_set_runtime_args(p, k, x, 0, args, 4), 0);
    }
    for (int launch = 0; launch < 3; launch++) { /* re-initialised at each launch */
        CHECK_EQ(ttm_program_launch(dev, p, 2000), 0);
        uint32_t got[2][256];
        CHECK_EQ(ttm_buffer_read(out, 0, got, sizeof got), 0);
        CHECK_EQ(got[0][0], 5 + 20);
        CHECK_EQ(got[1][0], 5 + 10);
        CHECK_EQ(got[0][1], got[1][1]); /* the same address */
    }
    ttm_buffer_destroy(out);
    ttm_program_destroy(p);
    ttm_device_close(dev);
}
MODES(semaphores_sit_at_one_address_on_every_core_of_a_program)

TEST(semaphore_ids_run_out_per_core_and_bad_calls_fail)
{
    mode = TTM_DISPATCH_SLOW;
    ttm_device *dev = open_dev();
    CHECK(dev);
    ttm_program *p;
    CHECK_EQ(ttm_program_create(dev, &p), 0);
    struct ttm_core_range a = {0, 0, 0, 0}, b = {1, 0, 1, 0}, bad = {0, 0, 999, 0};
    uint32_t id;
    for (uint32_t i = 0; i < 16; i++) {
        CHECK_EQ(ttm_semaphore_create(p, &a, 1, i, &id), 0);
        CHECK_EQ(id, i);
    }
    CHECK_EQ(ttm_semaphore_create(p, &a, 1, 0, &id), -ENOSPC);
    CHECK_EQ(ttm_semaphore_create(p, &b, 1, 0, &id), 0); /* ids are per core */
    CHECK_EQ(id, 0);
    CHECK_EQ(ttm_semaphore_create(p, &bad, 1, 0, &id), -EINVAL);
    CHECK_EQ(ttm_semaphore_create(p, &a, 1, 0, NULL), -EINVAL);
    CHECK_EQ(ttm_program_destroy(p), 0);
    CHECK_EQ(ttm_semaphore_create(p, &b, 1, 0, &id), -EINVAL);
    ttm_device_close(dev);
}

/* Every core writes my_x(), my_y() to its page; the host's ttm_core_noc_xy agrees, on
 * both NoCs. */
static const char where_src[] =
    "#include <ttm/kernel/dataflow.h>\n"
    "void kernel_main(void) {\n"
    "    volatile uint32_t *w = (volatile uint32_t *)get_arg_val(0);\n"
    "    w[0] = my_x();\n"
    "    w[1] = my_y();\n"
    "}\n";

static void host_noc_coordinates_match_what_kernels_see_in_mode(void)
{
    ttm_device *dev = open_dev();
    CHECK(dev);
    struct ttm_device_info info = {.argsz = sizeof info};
    CHECK_EQ(ttm_device_info(dev, &info), 0);
    CHECK_EQ(info.align, 64);
    ttm_program *p;
    ttm_buffer *out;
    ttm_kernel *k;
    uint32_t n = info.num_workers;
    CHECK_EQ(ttm_buffer_create_interleaved(dev, (uint64_t)n * 64, 64, TTM_BUFFER_L1, &out), 0);
    CHECK_EQ(ttm_program_create(dev, &p), 0);
    struct ttm_core_range all = {0, 0, info.grid_x - 1, info.grid_y - 1};
    struct ttm_kernel_opts o = {.argsz = sizeof o};
    CHECK_EQ(ttm_kernel_create_dataflow_from_string(p, where_src, &all, 1, &o, &k), 0);
    uint32_t base = (uint32_t)ttm_buffer_address(out);
    for (uint32_t y = 0; y < info.grid_y; y++)
        for (uint32_t x = 0; x < info.grid_x; x++)
            CHECK_EQ(ttm_set_runtime_args(p, k, x, y, &base, 1), 0);
    CHECK_EQ(ttm_program_launch(dev, p, 0), 0);
    static uint32_t got[140 * 16];
    CHECK(n <= 140);
    CHECK_EQ(ttm_buffer_read(out, 0, got, (uint64_t)n * 64), 0);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t x = i % info.grid_x, y = i / info.grid_x;
        for (uint32_t noc = 0; noc < 2; noc++) {
            uint32_t nx = 0, ny = 0;
            CHECK_EQ(ttm_core_noc_xy(dev, x, y, noc, &nx, &ny), 0);
            CHECK_EQ(got[i * 16], nx);
            CHECK_EQ(got[i * 16 + 1], ny);
        }
    }
    uint32_t nx, ny;
    CHECK_EQ(ttm_core_noc_xy(dev, info.grid_x, 0, 0, &nx, &ny), -EINVAL);
    CHECK_EQ(ttm_core_noc_xy(dev, 0, 0, 2, &nx, &ny), -EINVAL);
    CHECK_EQ(ttm_core_noc_xy(dev, 0, 0, 0, NULL, &ny), -EINVAL);
    ttm_program_destroy(p);
    ttm_buffer_destroy(out);
    ttm_device_close(dev);
}
MODES(host_noc_coordinates_match_what_kernels_see)

/* A circular buffer made after an L1 buffer of 32-byte pages is still 64-byte aligned:
 * a DRAM page read into it and written back arrives whole. Args: DRAM buffer base. */
static const char dram_into_cb_src[] =
    "#include <ttm/kernel/dataflow.h>\n"
    "void kernel_main(void) {\n"
    "    cb_reserve_back(0, 1);\n"
    "    uint32_t l1 = get_write_ptr(0);\n"
    "    uint64_t src = interleaved_noc_addr(get_arg_val(0), 1024, 1, 0, 0);\n"
    "    uint64_t dst = interleaved_noc_addr(get_arg_val(0), 1024, 1, 1, 0);\n"
    "    noc_async_read(src, l1, 1024);\n"
    "    noc_async_read_barrier();\n"
    "    noc_async_write(l1, dst, 1024);\n"
    "    noc_async_write_barrier();\n"
    "    *(volatile uint32_t *)get_arg_val(1) = l1;\n"
    "}\n";

static void circular_buffers_are_aligned_for_dram_traffic_in_mode(void)
{
    ttm_device *dev = open_dev();
    CHECK(dev);
    ttm_buffer *small, *dram, *where;
    ttm_program *p;
    ttm_kernel *k;
    CHECK_EQ(ttm_buffer_create_interleaved(dev, 32, 32, TTM_BUFFER_L1, &small), 0);
    CHECK_EQ(ttm_buffer_create_interleaved(dev, 64, 64, TTM_BUFFER_L1, &where), 0);
    CHECK_EQ(ttm_buffer_address(small) % 64, 0);
    CHECK_EQ(ttm_buffer_create_interleaved(dev, 2 * 1024, 1024, TTM_BUFFER_DRAM, &dram), 0);
    uint8_t data[2048], back[2048];
    for (int i = 0; i < 2048; i++)
        data[i] = (uint8_t)(i < 1024 ? i * 7 + 1 : 0);
    CHECK_EQ(ttm_buffer_write(dram, 0, data, sizeof data), 0);
    CHECK_EQ(ttm_program_create(dev, &p), 0);
    struct ttm_core_range c = {0, 0, 0, 0};
    CHECK_EQ(ttm_cb_create(p, &c, 1, 0, 1024, 1024, TTM_FORMAT_RAW, NULL), 0);
    struct ttm_kernel_opts o = {.argsz = sizeof o, .processor = TTM_RISCV_1, .noc = 1};
    CHECK_EQ(ttm_kernel_create_dataflow_from_string(p, dram_into_cb_src, &c, 1, &o, &k), 0);
    uint32_t args[2] = {(uint32_t)ttm_buffer_address(dram), (uint32_t)ttm_buffer_address(where)};
    CHECK_EQ(ttm_set_runtime_args(p, k, 0, 0, args, 2), 0);
    CHECK_EQ(ttm_program_launch(dev, p, 2000), 0);
    CHECK_EQ(ttm_buffer_read(dram, 0, back, sizeof back), 0);
    CHECK(!memcmp(back, data, 1024));
    CHECK(!memcmp(back + 1024, data, 1024));
    uint32_t cb_addr;
    CHECK_EQ(ttm_buffer_read(where, 0, &cb_addr, 4), 0);
    CHECK_EQ(cb_addr % 64, 0);
    ttm_program_destroy(p);
    ttm_buffer_destroy(small);
    ttm_buffer_destroy(where);
    ttm_buffer_destroy(dram);
    ttm_device_close(dev);
}
MODES(circular_buffers_are_aligned_for_dram_traffic)

/* ---- The compiler's runtime library and C++ standard headers ---- */

/* Float arithmetic and 64-bit division: calls into libgcc (__mulsf3, __divsf3, __udivdi3,
 * __umoddi3, ...). Args: the L1 page to work on. */
static const char runtime_src[] =
    "#include <ttm/kernel/dataflow.h>\n"
    "void kernel_main(void) {\n"
    "    volatile uint32_t *w = (volatile uint32_t *)get_arg_val(0);\n"
    "    float a = (float)w[0], b = (float)w[1];\n"
    "    float c = a * b + a / b - 0.5f;\n"
    "    uint64_t x = (uint64_t)w[2] << 32 | w[3];\n"
    "    int64_t y = -(int64_t)x;\n"
    "    w[4] = (uint32_t)(int32_t)c;\n"
    "    w[5] = (uint32_t)(x / w[1]);\n"
    "    w[6] = (uint32_t)(x % w[1]);\n"
    "    w[7] = (uint32_t)(y / (int64_t)w[0]);\n"
    "    union { float f; uint32_t u; } bits = {c};\n"
    "    w[8] = bits.u;\n"
    "}\n";

static int have_libgcc(void)
{
    struct kbuild_runtime rt;
    return !kbuild_runtime_find(&rt) && rt.libgcc[0];
}

static void kernels_use_float_and_64_bit_division_in_mode(void)
{
    if (!have_libgcc())
        SKIP("no rv32im/ilp32 libgcc.a (install gcc-riscv64-unknown-elf)");
    ttm_device *dev = open_dev();
    CHECK(dev);
    ttm_buffer *buf;
    ttm_program *p;
    ttm_kernel *k;
    CHECK_EQ(ttm_buffer_create_interleaved(dev, 64, 64, TTM_BUFFER_L1, &buf), 0);
    uint32_t in[16] = {1000003, 7, 0x12345, 0x6789ABCD};
    CHECK_EQ(ttm_buffer_write(buf, 0, in, sizeof in), 0);
    CHECK_EQ(ttm_program_create(dev, &p), 0);
    struct ttm_core_range c = {0, 0, 0, 0};
    struct ttm_kernel_opts o = {.argsz = sizeof o};
    CHECK_EQ(ttm_kernel_create_dataflow_from_string(p, runtime_src, &c, 1, &o, &k), 0);
    uint32_t arg = (uint32_t)ttm_buffer_address(buf);
    CHECK_EQ(ttm_set_runtime_args(p, k, 0, 0, &arg, 1), 0);
    CHECK_EQ(ttm_program_launch(dev, p, 2000), 0);
    uint32_t out[16];
    CHECK_EQ(ttm_buffer_read(buf, 0, out, sizeof out), 0);
    /* The host's IEEE single precision (round to nearest even) gives the same bits. */
    volatile float a = 1000003.0f, b = 7.0f;
    float cf = a * b + a / b - 0.5f;
    uint64_t x = (uint64_t)0x12345 << 32 | 0x6789ABCD;
    uint32_t bits;
    memcpy(&bits, &cf, 4);
    CHECK_EQ(out[4], (uint32_t)(int32_t)cf);
    CHECK_EQ(out[5], (uint32_t)(x / 7));
    CHECK_EQ(out[6], (uint32_t)(x % 7));
    CHECK_EQ(out[7], (uint32_t)(-(int64_t)x / 1000003));
    CHECK_EQ(out[8], bits);
    ttm_program_destroy(p);
    ttm_buffer_destroy(buf);
    ttm_device_close(dev);
}
MODES(kernels_use_float_and_64_bit_division)

/* Without the runtime library the build fails saying what to install. */
TEST(a_kernel_needing_the_runtime_library_says_what_to_install)
{
    mode = TTM_DISPATCH_SLOW;
    ttm_device *dev = open_dev();
    CHECK(dev);
    ttm_program *p;
    ttm_kernel *k;
    CHECK_EQ(ttm_program_create(dev, &p), 0);
    struct ttm_core_range c = {0, 0, 0, 0};
    struct ttm_kernel_opts o = {.argsz = sizeof o};
    setenv("TTM_KERNEL_LIBGCC", "", 1);
    int rc = ttm_kernel_create_dataflow_from_string(p, runtime_src, &c, 1, &o, &k);
    int hinted = strstr(ttm_last_error(), "install gcc-riscv64-unknown-elf") != NULL;
    setenv("TTM_KERNEL_LIBGCC", "/nonexistent/libgcc.a", 1);
    int rc2 = ttm_kernel_create_dataflow_from_string(p, runtime_src, &c, 1, &o, &k);
    const char *why = ttm_last_error();
    unsetenv("TTM_KERNEL_LIBGCC");
    CHECK_EQ(rc, -EINVAL);
    CHECK(hinted);
    CHECK_EQ(rc2, -ENOENT);
    CHECK(strstr(why, "TTM_KERNEL_LIBGCC names /nonexistent/libgcc.a"));
    ttm_program_destroy(p);
    ttm_device_close(dev);
}

/* A C++ kernel with the freestanding standard headers. Args: the L1 page to fill. */
static const char cxx_src[] =
    "#include <ttm/kernel/dataflow.h>\n"
    "#include <array>\n"
    "#include <cstddef>\n"
    "#include <cstdint>\n"
    "#include <limits>\n"
    "#include <tuple>\n"
    "#include <type_traits>\n"
    "#include <utility>\n"
    "static_assert(std::is_same<std::uint32_t, unsigned>::value, \"uint32_t\");\n"
    "static_assert(sizeof(std::size_t) == 4 && alignof(std::max_align_t) >= 4, \"ilp32\");\n"
    "template <typename T, std::size_t N> constexpr T sum(const std::array<T, N> &a) {\n"
    "    T s{}; for (auto v : a) s += v; return s;\n"
    "}\n"
    "void kernel_main() {\n"
    "    auto *w = reinterpret_cast<volatile std::uint32_t *>(get_arg_val(0));\n"
    "    constexpr std::array<std::uint32_t, 4> a{1, 2, 3, 4};\n"
    "    auto t = std::make_tuple(sum(a), std::numeric_limits<std::int16_t>::max());\n"
    "    w[0] = std::get<0>(t);\n"
    "    w[1] = static_cast<std::uint32_t>(std::get<1>(t));\n"
    "    w[2] = std::is_signed<std::remove_reference_t<decltype(std::get<1>(t))>>::value;\n"
    "}\n";

static void cpp_kernels_include_the_freestanding_standard_headers_in_mode(void)
{
    struct kbuild_runtime rt;
    if (kbuild_runtime_find(&rt) || !rt.cxx[0])
        SKIP("no libstdc++ headers on this machine (install libstdc++-12-dev)");
    ttm_device *dev = open_dev();
    CHECK(dev);
    char dir[] = "/tmp/ttm-cxx-XXXXXX", path[64];
    CHECK(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/k.cpp", dir);
    FILE *f = fopen(path, "w");
    CHECK(f);
    fputs(cxx_src, f);
    fclose(f);
    ttm_buffer *buf;
    ttm_program *p;
    ttm_kernel *k;
    CHECK_EQ(ttm_buffer_create_interleaved(dev, 64, 64, TTM_BUFFER_L1, &buf), 0);
    CHECK_EQ(ttm_program_create(dev, &p), 0);
    struct ttm_core_range c = {0, 0, 0, 0};
    struct ttm_kernel_opts o = {.argsz = sizeof o};
    int rc = ttm_kernel_create_dataflow(p, path, &c, 1, &o, &k);
    if (rc)
        printf("  %s\n", ttm_last_error());
    unlink(path);
    rmdir(dir);
    CHECK_EQ(rc, 0);
    uint32_t arg = (uint32_t)ttm_buffer_address(buf);
    CHECK_EQ(ttm_set_runtime_args(p, k, 0, 0, &arg, 1), 0);
    CHECK_EQ(ttm_program_launch(dev, p, 2000), 0);
    uint32_t out[3];
    CHECK_EQ(ttm_buffer_read(buf, 0, out, sizeof out), 0);
    CHECK_EQ(out[0], 10);
    CHECK_EQ(out[1], 32767);
    CHECK_EQ(out[2], 1);
    ttm_program_destroy(p);
    ttm_buffer_destroy(buf);
    ttm_device_close(dev);
}
MODES(cpp_kernels_include_the_freestanding_standard_headers)

/* In fast dispatch a launch's kernel groups sit side by side in the config ring: a
 * semaphore or CB that splits a group whose image is large is refused when made, and
 * the program still launches without it. */
TEST(a_semaphore_or_cb_that_would_overflow_the_ring_is_refused_when_made)
{
    mode = TTM_DISPATCH_FAST;
    ttm_device *dev = open_dev();
    CHECK(dev);
    static char big[64 * 1024];
    int n = snprintf(big, sizeof big, "#include <ttm/kernel/dataflow.h>\n"
                                      "static const volatile uint32_t table[30000] = {1};\n"
                                      "void kernel_main(void) { (void)table[0]; }\n");
    CHECK(n > 0 && (size_t)n < sizeof big);
    ttm_program *p;
    ttm_kernel *k;
    struct ttm_core_range pair = {0, 0, 1, 0}, one = {0, 0, 0, 0};
    struct ttm_kernel_opts o = {.argsz = sizeof o};
    CHECK_EQ(ttm_program_create(dev, &p), 0);
    CHECK_EQ(ttm_kernel_create_dataflow_from_string(p, big, &pair, 1, &o, &k), 0);
    uint32_t id;
    CHECK_EQ(ttm_semaphore_create(p, &one, 1, 5, &id), -E2BIG); /* two 120 KB groups */
    CHECK(strstr(ttm_last_error(), "ring"));
    CHECK_EQ(ttm_cb_create(p, &one, 1, 0, 1024, 1024, TTM_FORMAT_RAW, NULL), -E2BIG);
    CHECK_EQ(ttm_semaphore_create(p, &pair, 1, 5, &id), 0); /* the same on both: one group */
    CHECK_EQ(ttm_program_launch(dev, p, 0), 0);
    ttm_program_destroy(p);
    ttm_device_close(dev);
}

/* ---- TT-Metal kernels as they are written ----
 * A reader, a compute and a writer kernel in TT-Metal's style, include lines and all
 * (written here, after TT-Metal's eltwise-add programming example): typed runtime args,
 * tt::CBIndex, InterleavedAddrGenFast with noc_async_read_tile, a TensorAccessor with
 * noc_async_write_page, get_tile_size, get_dataformat, and a compute kernel in
 * NAMESPACE / MAIN. */
static const char tt_reader[] =
    "#include <stdint.h>\n"
    "#include \"dataflow_api.h\"\n"
    "void kernel_main() {\n"
    "    uint32_t src0_addr = get_arg_val<uint32_t>(0);\n"
    "    uint32_t src1_addr = get_arg_val<uint32_t>(1);\n"
    "    uint32_t n_tiles = get_arg_val<uint32_t>(2);\n"
    "    constexpr uint32_t cb_in0 = tt::CBIndex::c_0;\n"
    "    constexpr uint32_t cb_in1 = tt::CBIndex::c_1;\n"
    "    const uint32_t tile_bytes = get_tile_size(cb_in0);\n"
    "    const InterleavedAddrGenFast<true> s0 = {\n"
    "        .bank_base_address = src0_addr, .page_size = tile_bytes,\n"
    "        .data_format = get_dataformat(cb_in0)};\n"
    "    const InterleavedAddrGenFast<true> s1 = {\n"
    "        .bank_base_address = src1_addr, .page_size = tile_bytes,\n"
    "        .data_format = get_dataformat(cb_in1)};\n"
    "    for (uint32_t i = 0; i < n_tiles; i++) {\n"
    "        cb_reserve_back(cb_in0, 1);\n"
    "        cb_reserve_back(cb_in1, 1);\n"
    "        noc_async_read_tile(i, s0, get_write_ptr(cb_in0));\n"
    "        noc_async_read_tile(i, s1, get_write_ptr(cb_in1));\n"
    "        noc_async_read_barrier();\n"
    "        cb_push_back(cb_in0, 1);\n"
    "        cb_push_back(cb_in1, 1);\n"
    "    }\n"
    "}\n";
static const char tt_compute[] =
    "#include <cstdint>\n"
    "#include \"compute_kernel_api/eltwise_binary.h\"\n"
    "#include \"compute_kernel_api/tile_move_copy.h\"\n"
    "#include \"compute_kernel_api/cb_api.h\"\n"
    "#include \"compute_kernel_api/reg_api.h\"\n"
    "#include \"compute_kernel_api/pack.h\"\n"
    "#include \"compute_kernel_api/eltwise_unary/binop_with_scalar.h\"\n"
    "#include \"compute_kernel_api/eltwise_unary/sfpu_split_includes.h\"\n"
    "#include \"compute_kernel_api/eltwise_unary/relu.h\"\n"
    "#include \"compute_kernel_api/eltwise_unary/negative.h\"\n"
    "#include \"debug/dprint.h\"\n"
    "namespace NAMESPACE {\n"
    "void MAIN {\n"
    "    uint32_t n_tiles = get_arg_val<uint32_t>(0);\n"
    "    constexpr auto cb_in0 = tt::CBIndex::c_0;\n"
    "    constexpr auto cb_in1 = tt::CBIndex::c_1;\n"
    "    constexpr auto cb_out0 = tt::CBIndex::c_16;\n"
    "    binary_op_init_common(cb_in0, cb_in1, cb_out0);\n"
    "    add_tiles_init(cb_in0, cb_in1);\n"
    "    for (uint32_t i = 0; i < n_tiles; i++) {\n"
    "        cb_wait_front(cb_in0, 1);\n"
    "        cb_wait_front(cb_in1, 1);\n"
    "        tile_regs_acquire();\n"
    "        add_tiles(cb_in0, cb_in1, 0, 0, 0);\n"
    "        tile_regs_commit();\n"
    "        cb_pop_front(cb_in0, 1);\n"
    "        cb_pop_front(cb_in1, 1);\n"
    "        cb_reserve_back(cb_out0, 1);\n"
    "        tile_regs_wait();\n"
    "        pack_tile(0, cb_out0);\n"
    "        tile_regs_release();\n"
    "        cb_push_back(cb_out0, 1);\n"
    "    }\n"
    "}\n"
    "}  // namespace NAMESPACE\n";
/* The writer in TT-Metal's newer style: a TensorAccessor from compile-time args. */
static const char tt_writer[] =
    "#include \"dataflow_api.h\"\n"
    "#include \"debug/dprint.h\"\n"
    "void kernel_main() {\n"
    "    uint32_t dst_addr = get_arg_val<uint32_t>(0);\n"
    "    uint32_t n_tiles = get_arg_val<uint32_t>(1);\n"
    "    constexpr uint32_t cb_out0 = tt::CBIndex::c_16;\n"
    "    const uint32_t tile_bytes = get_tile_size(cb_out0);\n"
    "    constexpr auto dst_args = TensorAccessorArgs<0>();\n"
    "    static_assert(dst_args.next_compile_time_args_offset() == 1);\n"
    "    const auto d = TensorAccessor(dst_args, dst_addr, tile_bytes);\n"
    "    for (uint32_t i = 0; i < n_tiles; i++) {\n"
    "        cb_wait_front(cb_out0, 1);\n"
    "        noc_async_write_page(i, d, get_read_ptr(cb_out0));\n"
    "        noc_async_write_barrier();\n"
    "        cb_pop_front(cb_out0, 1);\n"
    "    }\n"
    "}\n";

static int write_source(const char *dir, const char *name, const char *src, char *path,
                        size_t len)
{
    snprintf(path, len, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(src, f);
    return fclose(f);
}

static void tt_metal_kernels_run_with_their_includes_unchanged_in_mode(void)
{
    struct kbuild_runtime rt;
    if (kbuild_runtime_find(&rt) || !rt.cxx[0])
        SKIP("no libstdc++ headers on this machine (install libstdc++-12-dev)");
    enum { TILES = 4, TILE = 2048 };
    ttm_device *dev = open_dev();
    CHECK(dev);
    char dir[] = "/tmp/ttm-ttmetal-XXXXXX", r[64], c[64], w[64];
    CHECK(mkdtemp(dir));
    CHECK_EQ(write_source(dir, "reader.cpp", tt_reader, r, sizeof r), 0);
    CHECK_EQ(write_source(dir, "compute.cpp", tt_compute, c, sizeof c), 0);
    CHECK_EQ(write_source(dir, "writer.cpp", tt_writer, w, sizeof w), 0);
    /* bfloat16 small integers: a + b is exact. */
    static uint16_t a[TILES * 1024], b[TILES * 1024], out[TILES * 1024];
    for (int i = 0; i < TILES * 1024; i++) {
        float fa = (float)(i % 100), fb = (float)(2 * (i % 50));
        uint32_t ua, ub;
        memcpy(&ua, &fa, 4);
        memcpy(&ub, &fb, 4);
        a[i] = (uint16_t)(ua >> 16);
        b[i] = (uint16_t)(ub >> 16);
    }
    ttm_buffer *ba, *bb, *bo;
    CHECK_EQ(ttm_buffer_create_interleaved(dev, sizeof a, TILE, TTM_BUFFER_DRAM, &ba), 0);
    CHECK_EQ(ttm_buffer_create_interleaved(dev, sizeof b, TILE, TTM_BUFFER_DRAM, &bb), 0);
    CHECK_EQ(ttm_buffer_create_interleaved(dev, sizeof out, TILE, TTM_BUFFER_DRAM, &bo), 0);
    CHECK_EQ(ttm_buffer_write(ba, 0, a, sizeof a), 0);
    CHECK_EQ(ttm_buffer_write(bb, 0, b, sizeof b), 0);
    ttm_program *p;
    ttm_kernel *rk, *ck, *wk;
    struct ttm_core_range core = {0, 0, 0, 0};
    CHECK_EQ(ttm_program_create(dev, &p), 0);
    const uint32_t cbs[3] = {0, 1, 16};
    for (int i = 0; i < 3; i++)
        CHECK_EQ(ttm_cb_create(p, &core, 1, cbs[i], 2 * TILE, TILE, TTM_FORMAT_BFLOAT16, NULL), 0);
    struct ttm_kernel_opts ro = {.argsz = sizeof ro, .processor = TTM_RISCV_1, .noc = 1};
    /* The writer's TensorAccessorArgs<0>, as TensorAccessorArgs(buffer) on TT-Metal's host. */
    uint32_t accessor;
    CHECK_EQ(ttm_buffer_accessor_args(bo, &accessor, 1), 1);
    struct ttm_kernel_opts wo = {.argsz = sizeof wo, .processor = TTM_RISCV_0,
                                 .compile_args = &accessor, .n_compile_args = 1};
    struct ttm_kernel_opts co = {.argsz = sizeof co};
    int rc = ttm_kernel_create_dataflow(p, r, &core, 1, &ro, &rk);
    if (!rc)
        rc = ttm_kernel_create_compute(p, c, &core, 1, &co, &ck);
    if (!rc)
        rc = ttm_kernel_create_dataflow(p, w, &core, 1, &wo, &wk);
    if (rc)
        printf("  %s\n", ttm_last_error());
    unlink(r);
    unlink(c);
    unlink(w);
    rmdir(dir);
    CHECK_EQ(rc, 0);
    uint32_t ra[3] = {(uint32_t)ttm_buffer_address(ba), (uint32_t)ttm_buffer_address(bb), TILES};
    uint32_t ca[1] = {TILES}, wa[2] = {(uint32_t)ttm_buffer_address(bo), TILES};
    CHECK_EQ(ttm_set_runtime_args(p, rk, 0, 0, ra, 3), 0);
    CHECK_EQ(ttm_set_runtime_args(p, ck, 0, 0, ca, 1), 0);
    CHECK_EQ(ttm_set_runtime_args(p, wk, 0, 0, wa, 2), 0);
    CHECK_EQ(ttm_program_launch(dev, p, 0), 0);
    CHECK_EQ(ttm_buffer_read(bo, 0, out, sizeof out), 0);
    for (int i = 0; i < TILES * 1024; i++) {
        float want = (float)(i % 100 + 2 * (i % 50)), got;
        uint32_t u = (uint32_t)out[i] << 16;
        memcpy(&got, &u, 4);
        if (got != want)
            printf("  element %d: %g, not %g\n", i, got, want);
        CHECK(got == want);
    }
    ttm_program_destroy(p);
    ttm_buffer_destroy(ba);
    ttm_buffer_destroy(bb);
    ttm_buffer_destroy(bo);
    CHECK_EQ(ttm_device_close(dev), 0);
}
MODES(tt_metal_kernels_run_with_their_includes_unchanged)

/* TensorAccessorArgs(buffer) on TT-Metal's host: one word, IsDram for a DRAM buffer. */
TEST(accessor_args_follow_the_buffer_and_bad_calls_fail)
{
    ttm_device *dev = open_dev();
    CHECK(dev);
    ttm_buffer *dram, *l1;
    CHECK_EQ(ttm_buffer_create_interleaved(dev, 4096, 1024, TTM_BUFFER_DRAM, &dram), 0);
    CHECK_EQ(ttm_buffer_create_interleaved(dev, 4096, 1024, TTM_BUFFER_L1, &l1), 0);
    uint32_t args[2] = {7, 7};
    CHECK_EQ(ttm_buffer_accessor_args(dram, args, 2), 1);
    CHECK_EQ(args[0], 2); /* TT-Metal's ArgConfig::IsDram */
    CHECK_EQ(args[1], 7);
    CHECK_EQ(ttm_buffer_accessor_args(l1, args, 1), 1);
    CHECK_EQ(args[0], 0);
    CHECK_EQ(ttm_buffer_accessor_args(l1, args, 0), -ENOSPC);
    CHECK(strstr(ttm_last_error(), "1 word"));
    CHECK_EQ(ttm_buffer_accessor_args(l1, NULL, 1), -EINVAL);
    CHECK_EQ(ttm_buffer_accessor_args(NULL, args, 1), -EINVAL);
    CHECK_EQ(ttm_buffer_destroy(l1), 0);
    CHECK_EQ(ttm_buffer_accessor_args(l1, args, 1), -EINVAL);
    CHECK_EQ(ttm_buffer_destroy(dram), 0);
    CHECK_EQ(ttm_device_close(dev), 0);
}

/* TT-Metal's get_tile_size is one tile of the CB's data format, not its page: CBs whose
 * pages hold two tiles, or one and a half, still report one tile. */
TEST(get_tile_size_is_a_tile_of_the_cb_format_not_its_page)
{
    struct kbuild_runtime rt;
    if (kbuild_runtime_find(&rt) || !rt.cxx[0])
        SKIP("no libstdc++ headers on this machine (install libstdc++-12-dev)");
    static const char src[] =
        "#include \"dataflow_api.h\"\n"
        "void kernel_main() {\n"
        "    volatile uint32_t *out = (volatile uint32_t *)get_arg_val<uint32_t>(0);\n"
        "    for (uint32_t cb = 0; cb < 4; cb++)\n"
        "        out[cb] = get_tile_size(cb);\n"
        "}\n";
    ttm_device *dev = open_dev();
    CHECK(dev);
    char dir[] = "/tmp/ttm-tilesize-XXXXXX", path[64];
    CHECK(mkdtemp(dir));
    CHECK_EQ(write_source(dir, "sizes.cpp", src, path, sizeof path), 0);
    struct ttm_device_info info = {.argsz = sizeof info};
    CHECK_EQ(ttm_device_info(dev, &info), 0);
    ttm_buffer *l1; /* page 0 lives on core (0,0) */
    CHECK_EQ(ttm_buffer_create_interleaved(dev, (uint64_t)info.num_workers * 16, 16,
                                           TTM_BUFFER_L1, &l1), 0);
    ttm_program *p;
    CHECK_EQ(ttm_program_create(dev, &p), 0);
    struct ttm_core_range core = {0, 0, 0, 0};
    static const uint32_t formats[4] = {TTM_FORMAT_BFLOAT16, TTM_FORMAT_FLOAT32,
                                        TTM_FORMAT_UINT16, TTM_FORMAT_RAW};
    static const uint32_t pages[4] = {4096, 6144, 3072, 256}, want[4] = {2048, 4096, 2048, 256};
    for (uint32_t cb = 0; cb < 4; cb++)
        CHECK_EQ(ttm_cb_create(p, &core, 1, cb, 2 * pages[cb], pages[cb], formats[cb], NULL), 0);
    struct ttm_kernel_opts o = {.argsz = sizeof o, .processor = TTM_RISCV_0};
    ttm_kernel *k;
    int rc = ttm_kernel_create_dataflow(p, path, &core, 1, &o, &k);
    if (rc)
        printf("  %s\n", ttm_last_error());
    unlink(path);
    rmdir(dir);
    CHECK_EQ(rc, 0);
    uint32_t at = (uint32_t)ttm_buffer_address(l1), got[4];
    CHECK_EQ(ttm_set_runtime_args(p, k, 0, 0, &at, 1), 0);
    CHECK_EQ(ttm_program_launch(dev, p, 0), 0);
    CHECK_EQ(ttm_buffer_read(l1, 0, got, sizeof got), 0);
    for (int cb = 0; cb < 4; cb++)
        CHECK_EQ(got[cb], want[cb]);
    ttm_program_destroy(p);
    ttm_buffer_destroy(l1);
    CHECK_EQ(ttm_device_close(dev), 0);
}
