/* Kernel print: lines reach the host with their core and processor, in order, more of
 * them than a ring holds; C's ttm_print and C++'s DPRINT; nothing when off; and a hung
 * kernel's last line in the error that reports it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"
#include "modes.h"
#include "objects.h"
#include "test.h"
#include "trace/kprint.h"
#include "ttm.h"
#include "ttm/kernel/abi.h"

static ttm_device *open_printing(bool on)
{
    if (on)
        setenv("TTM_KERNEL_PRINT", "1", 1);
    else
        unsetenv("TTM_KERNEL_PRINT");
    struct ttm_device_opts o = {.argsz = sizeof o, .backend = "emu", .dispatch = mode};
    ttm_device *dev = NULL;
    int rc = ttm_device_create_opts(test_backend(&o), &dev);
    unsetenv("TTM_KERNEL_PRINT");
    return rc ? NULL : dev;
}

/* 41 lines of about 50 bytes: more than twice a ring, so the kernel waits for the host. */
static const char c_src[] =
    "#include <ttm/kernel/dataflow.h>\n"
    "void kernel_main(void) {\n"
    "    ttm_print(\"hello %d %u %x %X %s %c%%\\n\", -5, 7u, 0xabcu, 0xabcu, \"str\", 'z');\n"
    "    for (int i = 0; i < 40; i++)\n"
    "        ttm_print(\"line %d of a run of lines longer than the ring\\n\", i);\n"
    "}\n";
static const char cpp_src[] =
    "#include <ttm/kernel/compute.h>\n"
    "void kernel_main() {\n"
    "    DPRINT << \"cxx \" << 42 << ' ' << -3 << \" \" << 7u << ENDL();\n"
    "    DPRINT << (uint64_t)0x100000005ull << ' ' << (int64_t)-2 << ' ' << (uint8_t)9 << ENDL();\n"
    "}\n";

/* cpp_src in a file of its own (C++ kernels are told by their path). */
static int write_cpp(char path[27], const char *src)
{
    strcpy(path, "/tmp/ttm-dprint-XXXXXX.cpp");
    int fd = mkstemps(path, 4);
    if (fd < 0)
        return -1;
    size_t len = strlen(src);
    ssize_t n = write(fd, src, len);
    close(fd);
    return n == (ssize_t)len ? 0 : -1;
}

static void printed_lines_reach_the_host_with_their_core_in_mode(void)
{
    ttm_device *dev = open_printing(true);
    CHECK(dev);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    CHECK(out);
    kprint_set_output(dev, out);
    char cpp[27];
    CHECK_EQ(write_cpp(cpp, cpp_src), 0);
    ttm_program *p;
    ttm_kernel *k;
    struct ttm_core_range two = {1, 2, 2, 2}, one = {0, 0, 0, 0};
    struct ttm_kernel_opts b = {.argsz = sizeof b, .processor = TTM_RISCV_0};
    struct ttm_kernel_opts c = {.argsz = sizeof c};
    CHECK_EQ(ttm_program_create(dev, &p), 0);
    CHECK_EQ(ttm_kernel_create_dataflow_from_string(p, c_src, &two, 1, &b, &k), 0);
    CHECK_EQ(ttm_kernel_create_compute(p, cpp, &one, 1, &c, &k), 0);
    unlink(cpp);
    CHECK_EQ(ttm_program_launch(dev, p, 0), 0);
    ttm_program_destroy(p);
    uint32_t x, y;
    CHECK_EQ(ttm_core_noc_xy(dev, 1, 2, 0, &x, &y), 0);
    CHECK_EQ(ttm_device_close(dev), 0);
    fclose(out);
    char want[128];
    snprintf(want, sizeof want, "(1,2) [%u,%u] BRISC: hello -5 7 abc ABC str z%%\n", x, y);
    CHECK(strstr(text, want));
    /* Each core's lines in order, all of them. */
    for (int core = 1; core <= 2; core++) {
        char prefix[32];
        snprintf(prefix, sizeof prefix, "(%d,2) ", core);
        int next = 0;
        for (char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
            int i;
            if (!strncmp(l, prefix, strlen(prefix)) &&
                sscanf(strstr(l, "BRISC: ") + 7, "line %d of", &i) == 1) {
                CHECK_EQ(i, next);
                next++;
            }
        }
        CHECK_EQ(next, 40);
    }
    for (int t = 0; t < 3; t++) {
        snprintf(want, sizeof want, "TRISC%d: cxx 42 -3 7\n", t);
        CHECK(strstr(text, want));
        snprintf(want, sizeof want, "TRISC%d: 0x100000005 -2 9\n", t);
        CHECK(strstr(text, want));
    }
    free(text);
}
MODES(printed_lines_reach_the_host_with_their_core)

static void printing_off_prints_nothing_in_mode(void)
{
    ttm_device *dev = open_printing(false);
    CHECK(dev);
    CHECK(!dev->kprint);
    ttm_program *p;
    ttm_kernel *k;
    struct ttm_core_range one = {1, 1, 1, 1};
    struct ttm_kernel_opts b = {.argsz = sizeof b, .processor = TTM_RISCV_0};
    CHECK_EQ(ttm_program_create(dev, &p), 0);
    CHECK_EQ(ttm_kernel_create_dataflow_from_string(p, c_src, &one, 1, &b, &k), 0);
    /* What DPRINT takes with printing on, it takes off. */
    char cpp[27];
    struct ttm_kernel_opts c = {.argsz = sizeof c};
    CHECK_EQ(write_cpp(cpp, cpp_src), 0);
    CHECK_EQ(ttm_kernel_create_compute(p, cpp, &one, 1, &c, &k), 0);
    unlink(cpp);
    CHECK_EQ(ttm_program_launch(dev, p, 0), 0);
    uint32_t x, y, written = 1;
    CHECK_EQ(ttm_core_noc_xy(dev, 1, 1, 0, &x, &y), 0);
    for (uint32_t proc = 0; proc < BH_CORES_PER_TILE; proc++) {
        CHECK_EQ(chip_read32(&dev->chip, x, y, TTM_PRINT_RING_ADDR(proc), &written), 0);
        CHECK_EQ(written, 0);
    }
    ttm_program_destroy(p);
    CHECK_EQ(ttm_device_close(dev), 0);
}
MODES(printing_off_prints_nothing)

static void a_hung_kernels_last_line_is_in_its_report_in_mode(void)
{
    ttm_device *dev = open_printing(true);
    CHECK(dev);
    FILE *out = fopen("/dev/null", "w");
    CHECK(out);
    kprint_set_output(dev, out);
    ttm_program *p;
    ttm_kernel *k;
    struct ttm_core_range one = {2, 3, 2, 3};
    struct ttm_kernel_opts b = {.argsz = sizeof b, .processor = TTM_RISCV_0};
    CHECK_EQ(ttm_program_create(dev, &p), 0);
    CHECK_EQ(ttm_cb_create(p, &one, 1, 4, 4096, 4096, 0, NULL), 0);
    CHECK_EQ(ttm_kernel_create_dataflow_from_string(
                 p, "#include <ttm/kernel/dataflow.h>\nvoid kernel_main(void) {\n"
                    "    ttm_print(\"step %d\\n\", 1);\n"
                    "    ttm_print(\"waiting for page %d\\n\", 0);\n"
                    "    cb_wait_front(4, 1);\n}\n", &one, 1, &b, &k), 0);
    CHECK_EQ(ttm_program_launch(dev, p, 300), -ETIMEDOUT);
    if (!strstr(ttm_last_error(), "last printed: \"waiting for page 0\""))
        printf("  error was: %s\n", ttm_last_error());
    CHECK(strstr(ttm_last_error(), "BRISC"));
    CHECK(strstr(ttm_last_error(), "last printed: \"waiting for page 0\""));
    ttm_program_destroy(p);
    CHECK_EQ(ttm_device_close(dev), 0);
    fclose(out);
}
MODES(a_hung_kernels_last_line_is_in_its_report)

/* A DPRINT statement has its effects only with printing on, as TT-Metal's: off, its
 * operands are not evaluated; either way an else after it keeps to its own if. */
static const char effects_src[] =
    "#include <ttm/kernel/dataflow.h>\n"
    "void kernel_main() {\n"
    "    volatile uint32_t *w = (volatile uint32_t *)get_arg_val(0);\n"
    "    uint32_t n = 0;\n"
    "    DPRINT << \"n \" << ++n << ENDL();\n"
    "    if (get_arg_val(1))\n"
    "        DPRINT << \"flag\" << ENDL();\n"
    "    else\n"
    "        w[1] = 7;\n"
    "    w[0] = n;\n"
    "}\n";

TEST(dprint_operands_run_only_with_printing_on)
{
    for (int on = 0; on < 2; on++) {
        ttm_device *dev = open_printing(on);
        CHECK(dev);
        FILE *out = fopen("/dev/null", "w");
        CHECK(out);
        if (on)
            kprint_set_output(dev, out);
        struct ttm_device_info info = {.argsz = sizeof info};
        CHECK_EQ(ttm_device_info(dev, &info), 0);
        ttm_program *p;
        ttm_kernel *k;
        struct ttm_core_range one = {0, 1, 0, 1};
        struct ttm_kernel_opts b = {.argsz = sizeof b, .processor = TTM_RISCV_0};
        CHECK_EQ(ttm_program_create(dev, &p), 0);
        char cpp[27];
        CHECK_EQ(write_cpp(cpp, effects_src), 0);
        int rc = ttm_kernel_create_dataflow(p, cpp, &one, 1, &b, &k);
        unlink(cpp);
        CHECK_EQ(rc, 0);
        uint32_t args[2] = {info.l1_unreserved, 0}, x, y, got[2];
        CHECK_EQ(ttm_set_runtime_args(p, k, 0, 1, args, 2), 0);
        CHECK_EQ(ttm_program_launch(dev, p, 0), 0);
        CHECK_EQ(ttm_core_noc_xy(dev, 0, 1, 0, &x, &y), 0);
        CHECK_EQ(chip_read(&dev->chip, x, y, info.l1_unreserved, got, sizeof got), 0);
        CHECK_EQ(got[0], (uint32_t)on); /* ++n ran only with printing on */
        CHECK_EQ(got[1], 7);
        ttm_program_destroy(p);
        CHECK_EQ(ttm_device_close(dev), 0);
        fclose(out);
    }
}
