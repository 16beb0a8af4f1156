/* Handles that are stale, NULL or of the wrong kind fail with -EINVAL (or -ENODEV while
 * their device is closed but not yet gone), never by touching freed memory: the
 * sanitizer build runs this file too. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "backend.h"
#include "test.h"
#include "ttm.h"

static ttm_device *open_slow(void)
{
    struct ttm_device_opts o = {.argsz = sizeof o, .backend = "emu", .dispatch = TTM_DISPATCH_SLOW};
    ttm_device *dev = NULL;
    return ttm_device_create_opts(test_backend(&o), &dev) ? NULL : dev;
}

static const char store_src[] =
    "#include <ttm/kernel/dataflow.h>\n"
    "void kernel_main(void) { *(volatile uint32_t *)get_arg_val(0) = get_arg_val(1); }\n";

TEST(closing_a_device_twice_fails_with_einval)
{
    ttm_device *dev = open_slow();
    CHECK(dev);
    CHECK_EQ(ttm_device_close(dev), 0);
    CHECK_EQ(ttm_device_close(dev), -EINVAL);
    CHECK(strstr(ttm_last_error(), "not a live device handle"));
    struct ttm_device_info info = {.argsz = sizeof info};
    CHECK_EQ(ttm_device_info(dev, &info), -EINVAL);
}

TEST(closing_a_device_twice_while_a_buffer_lives_fails_with_enodev)
{
    ttm_device *dev = open_slow();
    CHECK(dev);
    ttm_buffer *b;
    CHECK_EQ(ttm_buffer_create_interleaved(dev, 4096, 1024, TTM_BUFFER_DRAM, &b), 0);
    CHECK_EQ(ttm_device_close(dev), 0);
    CHECK_EQ(ttm_device_close(dev), -ENODEV);
    CHECK_EQ(ttm_buffer_size(b), 4096);     /* still a handle, to be destroyed */
    CHECK_EQ(ttm_buffer_destroy(b), 0);     /* the device's memory goes now */
    CHECK_EQ(ttm_device_close(dev), -EINVAL);
    CHECK_EQ(ttm_buffer_destroy(b), -EINVAL);
}

TEST(destroying_twice_fails_with_einval)
{
    ttm_device *dev = open_slow();
    CHECK(dev);
    ttm_buffer *b;
    ttm_program *p;
    CHECK_EQ(ttm_buffer_create_interleaved(dev, 4096, 1024, TTM_BUFFER_DRAM, &b), 0);
    CHECK_EQ(ttm_program_create(dev, &p), 0);
    CHECK_EQ(ttm_buffer_destroy(b), 0);
    CHECK_EQ(ttm_buffer_destroy(b), -EINVAL);
    CHECK(strstr(ttm_last_error(), "not a live buffer handle"));
    char data[16] = {0};
    CHECK_EQ(ttm_buffer_write(b, 0, data, 16), -EINVAL);
    CHECK_EQ(ttm_buffer_size(b), 0);
    CHECK_EQ(ttm_buffer_address(b), 0);
    CHECK_EQ(ttm_program_destroy(p), 0);
    CHECK_EQ(ttm_program_destroy(p), -EINVAL);
    CHECK_EQ(ttm_program_launch(dev, p, 0), -EINVAL);
    CHECK_EQ(ttm_device_close(dev), 0);
}

TEST(a_handle_of_the_wrong_kind_fails_with_einval)
{
    ttm_device *dev = open_slow();
    CHECK(dev);
    ttm_buffer *b;
    ttm_program *p;
    CHECK_EQ(ttm_buffer_create_interleaved(dev, 4096, 1024, TTM_BUFFER_DRAM, &b), 0);
    CHECK_EQ(ttm_program_create(dev, &p), 0);
    CHECK_EQ(ttm_program_destroy((ttm_program *)b), -EINVAL);
    CHECK_EQ(ttm_buffer_destroy((ttm_buffer *)p), -EINVAL);
    CHECK_EQ(ttm_device_close((ttm_device *)b), -EINVAL);
    uint64_t word = 0;
    CHECK_EQ(ttm_finish((ttm_device *)&word, 0), -EINVAL);  /* never a handle at all */
    CHECK_EQ(ttm_buffer_destroy(b), 0);
    CHECK_EQ(ttm_program_destroy(p), 0);
    CHECK_EQ(ttm_device_close(dev), 0);
}

TEST(null_handles_and_pointers_fail_with_einval)
{
    CHECK_EQ(ttm_device_close(NULL), -EINVAL);
    CHECK_EQ(ttm_buffer_destroy(NULL), -EINVAL);
    CHECK_EQ(ttm_program_destroy(NULL), -EINVAL);
    CHECK_EQ(ttm_buffer_size(NULL), 0);
    CHECK_EQ(ttm_finish(NULL, 0), -EINVAL);
    ttm_device *dev = open_slow();
    CHECK(dev);
    CHECK_EQ(ttm_program_create(dev, NULL), -EINVAL);
    CHECK_EQ(ttm_buffer_create_interleaved(dev, 4096, 1024, TTM_BUFFER_DRAM, NULL), -EINVAL);
    CHECK_EQ(ttm_device_info(dev, NULL), -EINVAL);
    CHECK_EQ(ttm_device_close(dev), 0);
}

/* No args, with a NULL pointer: a kernel that reads none runs. */
TEST(runtime_args_null_with_count_zero_are_no_args)
{
    ttm_device *dev = open_slow();
    CHECK(dev);
    ttm_program *p;
    ttm_kernel *k;
    struct ttm_core_range core = {0, 0, 0, 0};
    struct ttm_kernel_opts o = {.argsz = sizeof o};
    CHECK_EQ(ttm_program_create(dev, &p), 0);
    CHECK_EQ(ttm_kernel_create_dataflow_from_string(p, store_src, &core, 1, &o, &k), 0);
    uint32_t args[2] = {0, 0};
    CHECK_EQ(ttm_set_runtime_args(p, k, 0, 0, args, 2), 0);
    CHECK_EQ(ttm_set_runtime_args(p, k, 0, 0, NULL, 0), 0);
    CHECK_EQ(ttm_set_common_runtime_args(p, k, NULL, 0), 0);
    CHECK_EQ(ttm_set_runtime_args(p, k, 0, 0, NULL, 1), -EINVAL);
    CHECK_EQ(ttm_program_destroy(p), 0);
    CHECK_EQ(ttm_device_close(dev), 0);
}

TEST(a_kernel_of_a_destroyed_program_fails_with_einval)
{
    ttm_device *dev = open_slow();
    CHECK(dev);
    ttm_program *p, *q;
    ttm_kernel *k;
    struct ttm_core_range core = {0, 0, 0, 0};
    struct ttm_kernel_opts o = {.argsz = sizeof o};
    CHECK_EQ(ttm_program_create(dev, &p), 0);
    CHECK_EQ(ttm_kernel_create_dataflow_from_string(p, store_src, &core, 1, &o, &k), 0);
    CHECK_EQ(ttm_program_create(dev, &q), 0);
    uint32_t args[2] = {0, 0};
    CHECK_EQ(ttm_set_runtime_args(q, k, 0, 0, args, 2), -EINVAL);  /* another program's */
    CHECK_EQ(ttm_program_destroy(p), 0);
    CHECK_EQ(ttm_set_runtime_args(q, k, 0, 0, args, 2), -EINVAL);
    CHECK_EQ(ttm_set_runtime_args(p, k, 0, 0, args, 2), -EINVAL);
    CHECK_EQ(ttm_program_destroy(q), 0);
    CHECK_EQ(ttm_device_close(dev), 0);
}

/* Many live handles: the table grows and shrinks with them, and each one still names
 * its own buffer. */
TEST(thousands_of_handles_stay_distinct)
{
    ttm_device *dev = open_slow();
    CHECK(dev);
    enum { N = 3000 };
    static ttm_buffer *b[N];
    for (int i = 0; i < N; i++)
        CHECK_EQ(ttm_buffer_create_interleaved(dev, 1024u * (i % 7 + 1), 1024, TTM_BUFFER_DRAM,
                                               &b[i]), 0);
    for (int i = 0; i < N; i += 2)
        CHECK_EQ(ttm_buffer_destroy(b[i]), 0);
    for (int i = 0; i < N; i++)
        CHECK_EQ(ttm_buffer_size(b[i]), i % 2 ? 1024u * (i % 7 + 1) : 0);
    for (int i = 1; i < N; i += 2)
        CHECK_EQ(ttm_buffer_destroy(b[i]), 0);
    CHECK_EQ(ttm_device_close(dev), 0);
}
