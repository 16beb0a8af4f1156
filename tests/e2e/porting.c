/* What kernels ported from TT-Metal rely on: semaphores at one L1 address on every core of
 * a program (CreateSemaphore), NoC coordinates of a logical core from the host, circular
 * buffers aligned for DRAM traffic. Each test runs in slow and fast dispatch. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "test.h"
#include "ttm.h"

static uint32_t mode;

static ttm_device *open_dev(void)
{
    struct ttm_device_opts o = {.argsz = sizeof o, .backend = "emu", .dispatch = mode};
    ttm_device *dev = NULL;
    return ttm_device_create_opts(&o, &dev) ? NULL : dev;
}

#define BOTH_MODES(name)                                                                \
    static void name##_in_mode(void);                                                   \
    TEST(name)                                                                          \
    {                                                                                   \
        uint32_t modes[2] = {TTM_DISPATCH_SLOW, TTM_DISPATCH_FAST};                     \
        for (int m = 0; m < 2 && !test_failed(); m++) {                                 \
            mode = modes[m];                                                            \
            name##_in_mode();                                                           \
            if (test_failed())                                                          \
                printf("  (in %s dispatch)\n", m ? "fast" : "slow");                   \
        }                                                                               \
    }                                                                                   \
    static void name##_in_mode(void)

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

BOTH_MODES(semaphores_sit_at_one_address_on_every_core_of_a_program)
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

BOTH_MODES(host_noc_coordinates_match_what_kernels_see)
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

BOTH_MODES(circular_buffers_are_aligned_for_dram_traffic)
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
