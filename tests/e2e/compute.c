/* Compute kernels on the emulator in both dispatch modes: more than one Dst tile per
 * hand-over, and what goes wrong (an instruction Tenstorrent's simulator refuses, a
 * semaphore misused from either side, a coprocessor left waiting for ever) reported
 * with the core and its PC, the device usable afterwards. The numerics against ttsim
 * are in tests/ttsim/compute.c. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "../../examples/add1_sfpu_kernels.h"
#include "compute_faults.h"
#include "modes.h"
#include "test.h"
#include "ttm.h"

static ttm_device *open_dev(void)
{
    struct ttm_device_opts o = {.argsz = sizeof o, .backend = "emu", .dispatch = mode};
    ttm_device *dev = NULL;
    return ttm_device_create_opts(test_backend(&o), &dev) ? NULL : dev;
}

/* An input datum of add1_sfpu, and what its output must be: bfloat16 inputs as they are;
 * float32 inputs as the unpacker makes them bfloat16 (denormals to zero, the low half cut). */
static uint32_t input(size_t i, bool f32)
{
    return f32 ? (uint32_t)(i * 2654435761u) : (uint16_t)(i * 7919u);
}

static uint16_t expected(uint32_t v, bool f32)
{
    if (f32)
        v = ((v & 0x7FFFFFFFu) < 0x800000u ? v & 0x80000000u : v) >> 16;
    return add1_sfpu_reference((uint16_t)v);
}

/* add1_sfpu with the given compute source on core (x, y), `tiles` tiles from an input CB
 * of bfloat16 or (f32) float32: *rc gets the launch's result and, when it ran, every
 * element is checked. */
static void run_add1_rc(ttm_device *dev, uint32_t x, uint32_t y, const char *compute,
                        uint32_t tiles, uint32_t cb_tiles, bool f32, uint32_t timeout_ms, int *rc)
{
    *rc = -EBADMSG; /* a check below failed first */
    size_t n = (size_t)tiles * 1024;
    uint32_t in_size = f32 ? 4 : 2, in_tile = 1024 * in_size, out_tile = ADD1_TILE_BYTES;
    uint8_t *in = malloc(in_size * n);
    uint16_t *out = malloc(2 * n);
    CHECK(in && out);
    for (size_t i = 0; i < n; i++) {
        uint32_t v = input(i, f32);
        memcpy(in + i * in_size, &v, in_size);
    }
    struct ttm_core_range c = {x, y, x, y};
    ttm_buffer *bi, *bo;
    ttm_program *p;
    ttm_kernel *rk, *ck, *wk;
    CHECK_EQ(ttm_buffer_create_interleaved(dev, in_size * n, in_tile, TTM_BUFFER_DRAM, &bi), 0);
    CHECK_EQ(ttm_buffer_create_interleaved(dev, 2 * n, out_tile, TTM_BUFFER_DRAM, &bo), 0);
    CHECK_EQ(ttm_buffer_write(bi, 0, in, in_size * n), 0);
    CHECK_EQ(ttm_program_create(dev, &p), 0);
    CHECK_EQ(ttm_cb_create(p, &c, 1, 0, cb_tiles * in_tile, in_tile,
                           f32 ? TTM_FORMAT_FLOAT32 : TTM_FORMAT_BFLOAT16, NULL), 0);
    CHECK_EQ(ttm_cb_create(p, &c, 1, 16, cb_tiles * out_tile, out_tile, TTM_FORMAT_BFLOAT16,
                           NULL), 0);
    struct ttm_kernel_opts ro = {.argsz = sizeof ro, .processor = TTM_RISCV_1, .noc = 1};
    struct ttm_kernel_opts wo = {.argsz = sizeof wo, .processor = TTM_RISCV_0, .noc = 0};
    struct ttm_kernel_opts co = {.argsz = sizeof co};
    CHECK_EQ(ttm_kernel_create_dataflow_from_string(p, add1_sfpu_reader_src, &c, 1, &ro, &rk), 0);
    CHECK_EQ(ttm_kernel_create_compute_from_string(p, compute, &c, 1, &co, &ck), 0);
    CHECK_EQ(ttm_kernel_create_dataflow_from_string(p, add1_sfpu_writer_src, &c, 1, &wo, &wk), 0);
    uint32_t ra[3] = {(uint32_t)ttm_buffer_address(bi), 0, tiles};
    uint32_t wa[3] = {(uint32_t)ttm_buffer_address(bo), 0, tiles};
    CHECK_EQ(ttm_set_common_runtime_args(p, rk, &in_tile, 1), 0);
    CHECK_EQ(ttm_set_common_runtime_args(p, wk, &out_tile, 1), 0);
    CHECK_EQ(ttm_set_runtime_args(p, rk, x, y, ra, 3), 0);
    CHECK_EQ(ttm_set_runtime_args(p, ck, x, y, &tiles, 1), 0);
    CHECK_EQ(ttm_set_runtime_args(p, wk, x, y, wa, 3), 0);
    int launched = ttm_program_launch(dev, p, timeout_ms);
    if (!launched) {
        CHECK_EQ(ttm_buffer_read(bo, 0, out, 2 * n), 0);
        size_t bad = 0;
        for (size_t i = 0; i < n; i++)
            bad += out[i] != expected(input(i, f32), f32);
        CHECK_EQ(bad, 0);
    }
    ttm_program_destroy(p);
    ttm_buffer_destroy(bi);
    ttm_buffer_destroy(bo);
    free(in);
    free(out);
    *rc = launched;
}

static int run_add1(ttm_device *dev, uint32_t x, uint32_t y, const char *compute, uint32_t tiles,
                    uint32_t timeout_ms)
{
    int rc;
    run_add1_rc(dev, x, y, compute, tiles, 4, false, timeout_ms, &rc);
    return rc;
}

/* Two tiles per Dst half: copies into Dst tiles 0 and 1, adds to both, packs both. */
static const char two_per_half_src[] =
    "#include <ttm/kernel/compute.h>\n"
    "void kernel_main(void) {\n"
    "    uint32_t n = get_arg_val(0);\n"
    "    init_sfpu(0, 16);\n"
    "    for (uint32_t i = 0; i < n; i += 2) {\n"
    "        tile_regs_acquire();\n"
    "        cb_wait_front(0, 2);\n"
    "        copy_tile(0, 0, 0);\n"
    "        copy_tile(0, 1, 1);\n"
    "        add_unary_tile(0, 0x3F800000u);\n"
    "        add_unary_tile(1, 0x3F800000u);\n"
    "        tile_regs_commit();\n"
    "        tile_regs_wait();\n"
    "        cb_reserve_back(16, 2);\n"
    "        pack_tile(0, 16);\n"
    "        pack_tile(1, 16);\n"
    "        cb_pop_front(0, 2);\n"
    "        tile_regs_release();\n"
    "        cb_push_back(16, 2);\n"
    "    }\n"
    "}\n";

/* With CBs of 3 tiles, every other pair of tiles wraps around the ring. */
static void two_tiles_per_dst_half_in_mode(void)
{
    ttm_device *dev = open_dev();
    CHECK(dev);
    CHECK_EQ(run_add1(dev, 2, 3, two_per_half_src, 6, 0), 0);
    int rc;
    run_add1_rc(dev, 2, 3, two_per_half_src, 8, 3, false, 0, &rc);
    CHECK_EQ(rc, 0);
    ttm_device_close(dev);
}
MODES(two_tiles_per_dst_half)

/* TT-Metal's older acquire_dst / release_dst. */
static const char acquire_release_src[] =
    "#include <ttm/kernel/compute.h>\n"
    "void kernel_main(void) {\n"
    "    uint32_t n = get_arg_val(0);\n"
    "    init_sfpu(0, 16);\n"
    "    for (uint32_t i = 0; i < n; i++) {\n"
    "        acquire_dst();\n"
    "        cb_wait_front(0, 1);\n"
    "        cb_reserve_back(16, 1);\n"
    "        copy_tile(0, 0, 0);\n"
    "        add_unary_tile(0, 0x3F800000u);\n"
    "        pack_tile(0, 16);\n"
    "        cb_pop_front(0, 1);\n"
    "        cb_push_back(16, 1);\n"
    "        release_dst();\n"
    "    }\n"
    "}\n";

/* The TRISCs hand a token round on semaphores from the RISC-V side (0xFFE80020), pushing
 * no instruction meanwhile: each waiter parks on its polling loop and must wake at the
 * other's store. Then add1. */
static const char sem_poll_src[] =
    "#include <ttm/kernel/compute.h>\n"
    "void kernel_main(void) {\n"
    "    uint32_t n = get_arg_val(0);\n"
    "    UNPACK(while (!tt_sem_read(2)); tt_sem_get(2); tt_sem_post(3);)\n"
    "    PACK(for (volatile uint32_t i = 0; i < 3000; i++); tt_sem_post(2);\n"
    "         while (!tt_sem_read(3)); tt_sem_get(3); tt_sem_post(4);)\n"
    "    MATH(while (!tt_sem_read(4)); tt_sem_get(4);)\n"
    "    init_sfpu(0, 16);\n"
    "    for (uint32_t i = 0; i < n; i++) {\n"
    "        tile_regs_acquire();\n"
    "        cb_wait_front(0, 1);\n"
    "        copy_tile(0, 0, 0);\n"
    "        add_unary_tile(0, 0x3F800000u);\n"
    "        tile_regs_commit();\n"
    "        tile_regs_wait();\n"
    "        cb_reserve_back(16, 1);\n"
    "        pack_tile(0, 16);\n"
    "        cb_pop_front(0, 1);\n"
    "        tile_regs_release();\n"
    "        cb_push_back(16, 1);\n"
    "    }\n"
    "}\n";

static void older_names_and_semaphore_polling_in_mode(void)
{
    ttm_device *dev = open_dev();
    CHECK(dev);
    CHECK_EQ(run_add1(dev, 3, 0, acquire_release_src, 3, 0), 0);
    CHECK_EQ(run_add1(dev, 3, 0, sem_poll_src, 2, 3000), 0);
    ttm_device_close(dev);
}
MODES(older_names_and_semaphore_polling)

/* The fault is reported against the TRISC, the launch fails at once, and the core runs
 * add1_sfpu afterwards. */
static void expect_fault(ttm_device *dev, const char *src, const char *core, const char *what)
{
    CHECK_EQ(run_add1(dev, 1, 1, src, 1, 60000), -EFAULT);
    const char *e = ttm_last_error();
    if (!strstr(e, core) || !strstr(e, what))
        printf("  error was: %s\n", e);
    CHECK(strstr(e, core) != NULL);
    CHECK(strstr(e, what) != NULL);
    CHECK_EQ(run_add1(dev, 1, 1, add1_sfpu_compute_src, 2, 0), 0);
}

static void refused_instructions_fault_in_mode(void)
{
    if (test_on_kmd)
        SKIP("a card does not report a core's faults: they show as hangs");
    ttm_device *dev = open_dev();
    CHECK(dev);
    for (size_t i = 0; i < sizeof compute_faults / sizeof compute_faults[0]; i++)
        expect_fault(dev, compute_faults[i].src, compute_faults[i].core, compute_faults[i].what);
    /* An instruction the model does not run (ttsim does). */
    expect_fault(dev, COMPUTE_BROKEN("TTI(0x33000000u)", ""), "TRISC1", "not modelled");
    ttm_device_close(dev);
}
MODES(refused_instructions_fault)

static void hung_coprocessor_is_reported_and_the_core_recovers_in_mode(void)
{
    ttm_device *dev = open_dev();
    CHECK(dev);
    /* Waits for semaphore 3 to be posted, which nothing does: the firmware's wait for the
     * thread to finish never returns. */
    const char *src = COMPUTE_BROKEN("TTI(TT_SEMINIT(1, 0, 3)); TTI(TT_SEMWAIT(TT_BLOCK_FPU, 3, 1))", "");
    CHECK_EQ(run_add1(dev, 1, 1, src, 1, 300), -ETIMEDOUT);
    const char *e = ttm_last_error();
    CHECK(strstr(e, "TRISC1 pc 0x") != NULL);
    CHECK_EQ(run_add1(dev, 1, 1, add1_sfpu_compute_src, 2, 0), 0);
    ttm_device_close(dev);
}
MODES(hung_coprocessor_is_reported_and_the_core_recovers)

/* The CB's data format reaches the unpacker: a float32 input CB is unpacked to bfloat16,
 * then add1 as usual into a bfloat16 CB. */
static void float32_input_cb_in_mode(void)
{
    ttm_device *dev = open_dev();
    CHECK(dev);
    int rc;
    run_add1_rc(dev, 0, 2, add1_sfpu_compute_src, 3, 4, true, 0, &rc);
    CHECK_EQ(rc, 0);
    ttm_device_close(dev);
}
MODES(float32_input_cb)
