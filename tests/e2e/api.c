/* End to end on the emulator through the public API: programs on several harvest masks,
 * kernel groups, relaunches, the kernel-config layout, and the error paths (compile
 * error, hang, faulting kernel, bad ranges and sizes, use after close). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backend.h"
#include "objects.h"
#include "modes.h"
#include "test.h"
#include "ttm.h"

#define PAGE 4096u

#include "../../examples/add1_kernels.h"

/* Every test runs in both dispatch modes, slow then fast (modes.h). */

static ttm_device *open_emu(uint32_t board, uint32_t cols, uint32_t banks)
{
    struct ttm_device_opts o = {.argsz = sizeof o, .backend = "emu", .emu_board = board,
                                .emu_tensix_cols_off = cols, .emu_dram_banks_off = banks,
                                .dispatch = mode};
    ttm_device *dev = NULL;
    if (ttm_device_create_opts(test_backend(&o), &dev))
        fprintf(stderr, "device: %s\n", ttm_last_error());
    return dev;
}

struct add_prog {
    ttm_program *prog;
    ttm_kernel *reader, *writer;
    ttm_buffer *in, *out;
    uint32_t pages;
};

/* add1 over the cores of `r`, `per_core` pages each, writer adding `add`. */
static int add_setup(ttm_device *dev, struct ttm_core_range r, uint32_t per_core, int add,
                     struct add_prog *a)
{
    uint32_t cores = (r.x1 - r.x0 + 1) * (r.y1 - r.y0 + 1), page = PAGE;
    a->pages = cores * per_core;
    int rc;
    if ((rc = ttm_buffer_create_interleaved(dev, (uint64_t)a->pages * PAGE, PAGE, TTM_BUFFER_DRAM, &a->in)) ||
        (rc = ttm_buffer_create_interleaved(dev, (uint64_t)a->pages * PAGE, PAGE, TTM_BUFFER_DRAM, &a->out)) ||
        (rc = ttm_program_create(dev, &a->prog)) ||
        (rc = ttm_cb_create(a->prog, &r, 1, 0, 2 * PAGE, PAGE, TTM_FORMAT_UINT32, NULL)))
        return rc;
    char defs[32];
    snprintf(defs, sizeof defs, "ADD=%d", add);
    struct ttm_kernel_opts ro = {.argsz = sizeof ro, .processor = TTM_RISCV_1, .noc = 1};
    struct ttm_kernel_opts wo = {.argsz = sizeof wo, .processor = TTM_RISCV_0, .noc = 0, .defines = defs};
    if ((rc = ttm_kernel_create_dataflow_from_string(a->prog, add1_reader_src, &r, 1, &ro, &a->reader)) ||
        (rc = ttm_kernel_create_dataflow_from_string(a->prog, add1_writer_src, &r, 1, &wo, &a->writer)) ||
        (rc = ttm_set_common_runtime_args(a->prog, a->reader, &page, 1)) ||
        (rc = ttm_set_common_runtime_args(a->prog, a->writer, &page, 1)))
        return rc;
    uint32_t i = 0;
    for (uint32_t y = r.y0; y <= r.y1; y++) {
        for (uint32_t x = r.x0; x <= r.x1; x++, i++) {
            uint32_t ra[3] = {(uint32_t)ttm_buffer_address(a->in), i * per_core, per_core};
            uint32_t wa[3] = {(uint32_t)ttm_buffer_address(a->out), i * per_core, per_core};
            if ((rc = ttm_set_runtime_args(a->prog, a->reader, x, y, ra, 3)) ||
                (rc = ttm_set_runtime_args(a->prog, a->writer, x, y, wa, 3)))
                return rc;
        }
    }
    return 0;
}

static void add_free(struct add_prog *a)
{
    ttm_program_destroy(a->prog);
    ttm_buffer_destroy(a->in);
    ttm_buffer_destroy(a->out);
}

/* Fill the input, run, check out[i] == in[i] + add. Returns the number of bad words. */
static long add_run(ttm_device *dev, struct add_prog *a, uint32_t seed, int add)
{
    size_t words = (size_t)a->pages * PAGE / 4;
    uint32_t *in = malloc(words * 4), *out = malloc(words * 4);
    long bad = -1;
    for (size_t i = 0; in && i < words; i++)
        in[i] = (uint32_t)(i * 2654435761u) ^ seed;
    if (in && out && !ttm_buffer_write(a->in, 0, in, words * 4) &&
        !ttm_program_launch(dev, a->prog, 0) && !ttm_buffer_read(a->out, 0, out, words * 4)) {
        bad = 0;
        for (size_t i = 0; i < words; i++)
            bad += out[i] != in[i] + (uint32_t)add;
    } else {
        fprintf(stderr, "add_run: %s\n", ttm_last_error());
    }
    free(in);
    free(out);
    return bad;
}

static void add1_on_three_harvest_masks_in_mode(void)
{
    static const struct { uint32_t board, cols, banks; } masks[] = {
        {TTM_BOARD_P150A, 0, 0},
        {TTM_BOARD_P100A, 0, 0},
        {TTM_BOARD_P100A, 1u << 2 | 1u << 11, 1u << 3},
    };
    for (unsigned m = 0; m < 3; m++) {
        ttm_device *dev = open_emu(masks[m].board, masks[m].cols, masks[m].banks);
        CHECK(dev);
        struct ttm_device_info info = {.argsz = sizeof info};
        CHECK_EQ(ttm_device_info(dev, &info), 0);
        struct ttm_core_range all = {0, 0, info.grid_x - 1, info.grid_y - 1};
        struct add_prog a = {0};
        CHECK_EQ(add_setup(dev, all, 3, 1, &a), 0);
        CHECK_EQ(add_run(dev, &a, m, 1), 0);
        add_free(&a);
        CHECK_EQ(ttm_device_close(dev), 0);
    }
}

static void relaunch_with_new_args_and_two_kernel_groups_in_mode(void)
{
    ttm_device *dev = open_emu(TTM_BOARD_P100A, 0, 0);
    CHECK(dev);
    /* Two programs on disjoint rectangles, adding different amounts, run one after the
     * other and again, with the input changed in between. */
    struct add_prog a = {0}, b = {0};
    CHECK_EQ(add_setup(dev, (struct ttm_core_range){0, 0, 5, 4}, 2, 1, &a), 0);
    CHECK_EQ(add_setup(dev, (struct ttm_core_range){6, 5, 10, 9}, 2, 7, &b), 0);
    for (uint32_t round = 0; round < 3; round++) {
        CHECK_EQ(add_run(dev, &a, round, 1), 0);
        CHECK_EQ(add_run(dev, &b, round + 100, 7), 0);
    }
    add_free(&a);
    add_free(&b);
    ttm_device_close(dev);
}

static void kernel_config_image_follows_the_seed_layout_in_mode(void)
{
    ttm_device *dev = open_emu(TTM_BOARD_P150A, 0, 0);
    CHECK(dev);
    struct add_prog a = {0};
    CHECK_EQ(add_setup(dev, (struct ttm_core_range){2, 3, 2, 3}, 1, 1, &a), 0);
    CHECK_EQ(add_run(dev, &a, 5, 1), 0);
    struct ttm_chip *chip = &dev->chip;
    struct chip_worker w = chip_worker_at(chip, 2, 3);
    struct ttm_launch_msg msg;
    CHECK_EQ(chip_read(chip, w.x, w.y, TTM_L1_MAILBOX + offsetof(struct ttm_mailbox, launch), &msg,
                       sizeof msg), 0);
    CHECK(msg.kernel_config_base >= TTM_L1_KERNEL_CONFIG &&
          msg.kernel_config_base < TTM_L1_KERNEL_CONFIG + TTM_L1_KERNEL_CONFIG_SIZE);
    CHECK_EQ(msg.mode, mode == TTM_DISPATCH_FAST ? TTM_DISPATCH_MODE_DEV : TTM_DISPATCH_MODE_HOST);
    CHECK_EQ(msg.rta_offset[BH_BRISC], 0);          /* runtime args at offset 0 */
    CHECK_EQ(msg.enables, 3);
    CHECK_EQ(msg.crta_offset[BH_BRISC] % 16, 0);     /* common args 16-byte aligned */
    CHECK(msg.local_cb_offset >= msg.crta_offset[BH_NCRISC]);
    /* The semaphores open the launch's region, ahead of the group's image. */
    CHECK(msg.sem_addr >= TTM_L1_KERNEL_CONFIG && msg.sem_addr + TTM_SEM_BLOCK <= msg.kernel_config_base);
    for (int p = 0; p < 2; p++) {
        CHECK(msg.kernel_text_offset[p] >= msg.local_cb_offset + 16u); /* one local CB config */
        CHECK_EQ(msg.kernel_text_offset[p] % 16, 0);       /* kernel text 16-byte aligned */
    }
    CHECK_EQ(msg.local_cb_mask, 1);
    uint32_t args[3], common, cb[4];
    CHECK_EQ(chip_read(chip, w.x, w.y, msg.kernel_config_base + msg.rta_offset[BH_NCRISC], args, 12), 0);
    CHECK_EQ(args[0], ttm_buffer_address(a.in));
    CHECK_EQ(args[2], 1);
    CHECK_EQ(chip_read32(chip, w.x, w.y, msg.kernel_config_base + msg.crta_offset[BH_BRISC], &common), 0);
    CHECK_EQ(common, PAGE);
    CHECK_EQ(chip_read(chip, w.x, w.y, msg.kernel_config_base + msg.local_cb_offset, cb, 16), 0);
    CHECK_EQ(cb[1], 2 * PAGE); /* {addr, size, pages, page size} */
    CHECK_EQ(cb[2], 2);
    CHECK_EQ(cb[3], PAGE);
    CHECK(cb[0] >= TTM_L1_UNRESERVED);
    add_free(&a);
    ttm_device_close(dev);
}

static int make_kernel(ttm_program *p, const char *src, struct ttm_core_range r, uint32_t proc,
                       uint32_t noc, ttm_kernel **k)
{
    struct ttm_kernel_opts o = {.argsz = sizeof o, .processor = proc, .noc = noc};
    return ttm_kernel_create_dataflow_from_string(p, src, &r, 1, &o, k);
}

static void compile_error_reaches_the_caller_in_mode(void)
{
    ttm_device *dev = open_emu(TTM_BOARD_P100A, 0, 0);
    CHECK(dev);
    ttm_program *p;
    CHECK_EQ(ttm_program_create(dev, &p), 0);
    ttm_kernel *k;
    int rc = make_kernel(p, "#include <ttm/kernel/dataflow.h>\nvoid kernel_main(void) { int x = ; }\n",
                         (struct ttm_core_range){0, 0, 0, 0}, 0, 0, &k);
    CHECK_EQ(rc, -EINVAL);
    CHECK(strstr(ttm_last_error(), "error") != NULL);
    CHECK(strstr(ttm_last_error(), ":2:") != NULL); /* the compiler's line number */
    ttm_program_destroy(p);
    ttm_device_close(dev);
}

static void hung_kernel_is_reported_and_the_device_recovers_in_mode(void)
{
    ttm_device *dev = open_emu(TTM_BOARD_P100A, 0, 0);
    CHECK(dev);
    ttm_program *p;
    ttm_kernel *k;
    CHECK_EQ(ttm_program_create(dev, &p), 0);
    /* Waits for a CB page nobody will ever push. */
    CHECK_EQ(ttm_cb_create(p, &(struct ttm_core_range){3, 4, 4, 4}, 1, 5, PAGE, PAGE, 0, NULL), 0);
    CHECK_EQ(make_kernel(p, "#include <ttm/kernel/dataflow.h>\nvoid kernel_main(void) { cb_wait_front(5, 1); }\n",
                         (struct ttm_core_range){3, 4, 4, 4}, 0, 0, &k), 0);
    CHECK_EQ(ttm_program_launch(dev, p, 300), -ETIMEDOUT);
    const char *e = ttm_last_error();
    CHECK(strstr(e, mode == TTM_DISPATCH_FAST ? "2 workers still running"
                                              : "2 of 2 cores did not finish") != NULL);
    CHECK(strstr(e, "(3,4): BRISC pc 0x") != NULL);
    CHECK(strstr(e, "in its kernel") != NULL);
    ttm_program_destroy(p);
    /* The same cores run a good program afterwards. */
    struct add_prog a = {0};
    CHECK_EQ(add_setup(dev, (struct ttm_core_range){3, 4, 4, 4}, 2, 1, &a), 0);
    CHECK_EQ(add_run(dev, &a, 9, 1), 0);
    add_free(&a);
    ttm_device_close(dev);
}

static void faulting_kernel_is_reported_and_the_device_recovers_in_mode(void)
{
    if (test_on_kmd)
        SKIP("a card does not report a core's faults: they show as hangs");
    ttm_device *dev = open_emu(TTM_BOARD_P100A, 0, 0);
    CHECK(dev);
    ttm_program *p;
    ttm_kernel *k;
    CHECK_EQ(ttm_program_create(dev, &p), 0);
    /* A read from beyond the end of a 4 GiB DRAM bank. */
    CHECK_EQ(make_kernel(p, "#include <ttm/kernel/dataflow.h>\nvoid kernel_main(void) {\n"
                            "  uint64_t a = interleaved_noc_addr(0xFFFFFFC0u, 64, 1, 0, 0) + 0x40;\n"
                            "  noc_async_read(a, 0x60000, 64);\n  noc_async_read_barrier();\n}\n",
                         (struct ttm_core_range){1, 1, 1, 1}, 1, 1, &k), 0);
    /* Reported when it happens, not at the timeout; the core named both ways. */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK_EQ(ttm_program_launch(dev, p, 60000), -EFAULT);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    CHECK(t1.tv_sec - t0.tv_sec < 20);
    CHECK(strstr(ttm_last_error(), "NCRISC of worker (1,1) (logical; NoC ") != NULL);
    CHECK(strstr(ttm_last_error(), "faulted") != NULL);
    ttm_program_destroy(p);
    struct add_prog a = {0};
    CHECK_EQ(add_setup(dev, (struct ttm_core_range){1, 1, 1, 1}, 2, 1, &a), 0);
    CHECK_EQ(add_run(dev, &a, 3, 1), 0);
    add_free(&a);
    ttm_device_close(dev);
}

static void bad_arguments_are_refused_with_a_reason_in_mode(void)
{
    ttm_device *dev = open_emu(TTM_BOARD_P100A, 0, 0);
    CHECK(dev);
    ttm_buffer *b;
    CHECK_EQ(ttm_buffer_create_interleaved(dev, 4096, 100, TTM_BUFFER_DRAM, &b), -EINVAL);
    CHECK(strstr(ttm_last_error(), "multiple of 64") != NULL);
    CHECK_EQ(ttm_buffer_create_interleaved(dev, 4000, 1024, TTM_BUFFER_DRAM, &b), -EINVAL);
    CHECK_EQ(ttm_buffer_create_interleaved(dev, 4096, 1024, 7, &b), -EINVAL);
    CHECK_EQ(ttm_buffer_create_interleaved(dev, 1ull << 40, 1024, TTM_BUFFER_DRAM, &b), -ENOMEM);
    CHECK_EQ(ttm_buffer_create_interleaved(dev, 4096, 1024, TTM_BUFFER_L1, &b), 0);
    char buf[64] = {0};
    CHECK_EQ(ttm_buffer_write(b, 4090, buf, 16), -EINVAL);    /* past the end */
    CHECK_EQ(ttm_buffer_read(b, 1ull << 63, buf, 16), -EINVAL);
    ttm_program *p;
    ttm_kernel *k;
    CHECK_EQ(ttm_program_create(dev, &p), 0);
    struct ttm_device_info info = {.argsz = sizeof info};
    CHECK_EQ(ttm_device_info(dev, &info), 0);
    CHECK_EQ(make_kernel(p, add1_reader_src, (struct ttm_core_range){0, 0, info.grid_x, 0}, 1, 1, &k),
             -EINVAL);
    char grid[32];
    snprintf(grid, sizeof grid, "outside the %ux10", info.grid_x);
    CHECK(strstr(ttm_last_error(), grid) != NULL);
    CHECK_EQ(make_kernel(p, add1_reader_src, (struct ttm_core_range){2, 0, 1, 0}, 1, 1, &k), -EINVAL);
    CHECK_EQ(make_kernel(p, add1_reader_src, (struct ttm_core_range){0, 0, 1, 1}, 2, 1, &k), -EINVAL);
    CHECK_EQ(make_kernel(p, add1_reader_src, (struct ttm_core_range){0, 0, 1, 1}, 1, 1, &k), 0);
    uint32_t args[300] = {0};
    CHECK_EQ(ttm_set_runtime_args(p, k, 5, 5, args, 3), -EINVAL);     /* core without it */
    CHECK_EQ(ttm_set_runtime_args(p, k, 0, 0, args, 300), -EINVAL);   /* too many */
    ttm_kernel *k2;
    CHECK_EQ(make_kernel(p, add1_reader_src, (struct ttm_core_range){1, 1, 2, 2}, 1, 1, &k2), -EEXIST);
    /* Two kernels of one core on one NoC: refused when the second is made. */
    CHECK_EQ(make_kernel(p, add1_writer_src, (struct ttm_core_range){1, 1, 2, 2}, 0, 1, &k2), -EINVAL);
    CHECK(strstr(ttm_last_error(), "different NoCs") != NULL);
    CHECK_EQ(make_kernel(p, add1_writer_src, (struct ttm_core_range){2, 2, 2, 2}, 0, 1, &k2), 0);
    /* A kernel whose image cannot fit the kernel-config area: refused when it is made, and
     * the program keeps working without it. */
    static char big[400 * 1024];
    int n = snprintf(big, sizeof big, "#include <ttm/kernel/dataflow.h>\n"
                                      "static const volatile uint32_t table[50000] = {1};\n"
                                      "void kernel_main(void) { (void)table[get_arg_val(0)]; }\n");
    CHECK(n > 0 && (size_t)n < sizeof big);
    CHECK_EQ(make_kernel(p, big, (struct ttm_core_range){3, 3, 3, 3}, 0, 0, &k2), -E2BIG);
    CHECK(strstr(ttm_last_error(), "exceeds the") != NULL);
    /* Compute kernels: options checked as a dataflow kernel's, no processor or NoC of
     * their own, and only the fidelities the FPU has. */
    const struct ttm_core_range one = {0, 0, 0, 0};
    CHECK_EQ(ttm_kernel_create_compute_from_string(p, "x", &one, 1, NULL, &k2), -EINVAL);
    struct ttm_kernel_opts co = {.argsz = sizeof co, .noc = 1};
    CHECK_EQ(ttm_kernel_create_compute_from_string(p, "x", &one, 1, &co, &k2), -EINVAL);
    CHECK(strstr(ttm_last_error(), "processor and noc must be 0") != NULL);
    co.noc = 0;
    co.math_fidelity = 1;
    CHECK_EQ(ttm_kernel_create_compute_from_string(p, "x", &one, 1, &co, &k2), -EINVAL);
    CHECK(strstr(ttm_last_error(), "math fidelity 1") != NULL);
    co.math_fidelity = TTM_HIFI4;
    co.fp32_dest_acc = 2;
    CHECK_EQ(ttm_kernel_create_compute_from_string(p, "x", &one, 1, &co, &k2), -EINVAL);
    ttm_program_destroy(p);
    ttm_buffer_destroy(b);
    ttm_device_close(dev);
}

static void unknown_backend_and_absent_card_in_mode(void)
{
    struct ttm_device_opts o = {.argsz = sizeof o, .backend = "nope"};
    ttm_device *dev;
    CHECK_EQ(ttm_device_create_opts(&o, &dev), -EINVAL);
    CHECK(strstr(ttm_last_error(), "unknown backend") != NULL);
    o.backend = "kmd";
    o.device_id = 4095; /* no such card, here or on any machine */
    CHECK_EQ(ttm_device_create_opts(&o, &dev), -ENOENT);
    CHECK(strstr(ttm_last_error(), "no /dev/tenstorrent/4095") != NULL);
    o.device_id = 0;
    o.backend = "emu";
    o.argsz = 4;
    CHECK_EQ(ttm_device_create_opts(&o, &dev), -EINVAL);
    o.argsz = sizeof o;
    o.flags = 1; /* flags must be 0, so they can take a meaning later */
    CHECK_EQ(ttm_device_create_opts(&o, &dev), -EINVAL);
    CHECK(strstr(ttm_last_error(), "flags") != NULL);
    o.flags = 0;
    o.emu_threads = 65;
    CHECK_EQ(ttm_device_create_opts(&o, &dev), -EINVAL);
    CHECK(strstr(ttm_last_error(), "at most 64") != NULL);
    o.emu_threads = 0;
    const char *env = getenv("TTM_EMU_THREADS");
    char *saved = env ? strdup(env) : NULL;
    setenv("TTM_EMU_THREADS", "two", 1);
    CHECK_EQ(ttm_device_create_opts(&o, &dev), -EINVAL);
    CHECK(strstr(ttm_last_error(), "TTM_EMU_THREADS") != NULL);
    if (saved)
        setenv("TTM_EMU_THREADS", saved, 1);
    else
        unsetenv("TTM_EMU_THREADS");
    free(saved);
}

static void handles_fail_cleanly_after_the_device_is_closed_in_mode(void)
{
    ttm_device *dev = open_emu(TTM_BOARD_P100A, 0, 0);
    CHECK(dev);
    struct add_prog a = {0};
    CHECK_EQ(add_setup(dev, (struct ttm_core_range){0, 0, 0, 0}, 1, 1, &a), 0);
    CHECK_EQ(ttm_device_close(dev), 0);
    char buf[16];
    CHECK_EQ(ttm_buffer_write(a.in, 0, buf, 16), -ENODEV);
    CHECK(strstr(ttm_last_error(), "closed") != NULL);
    CHECK_EQ(ttm_program_launch(dev, a.prog, 0), -ENODEV);
    ttm_program *p;
    CHECK_EQ(ttm_program_create(dev, &p), -ENODEV);
    add_free(&a); /* the last child frees what is left of the device */
}

static void kernel_from_a_cpp_file_with_compile_args_in_mode(void)
{
    char dir[] = "/tmp/ttm-e2e-XXXXXX";
    CHECK(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/fill.cpp", dir);
    FILE *f = fopen(path, "w");
    CHECK(f);
    /* Fills page 0 of an L1 buffer on its own core with CT_ARG(0) + get_arg_val<uint32_t>(1). */
    fputs("#include <ttm/kernel/dataflow.h>\n"
          "void kernel_main() {\n"
          "    auto *p = reinterpret_cast<volatile uint32_t *>(get_arg_val<uint32_t>(0));\n"
          "    for (uint32_t i = 0; i < 16; i++) p[i] = get_compile_time_arg_val(0) + get_arg_val<uint32_t>(1) + i;\n"
          "}\n", f);
    fclose(f);
    ttm_device *dev = open_emu(TTM_BOARD_P100A, 0, 0);
    CHECK(dev);
    CHECK_EQ(ttm_set_root_dir(dir), 0);
    ttm_buffer *b;
    CHECK_EQ(ttm_buffer_create_interleaved(dev, 120 * 64, 64, TTM_BUFFER_L1, &b), 0);
    ttm_program *p;
    ttm_kernel *k;
    CHECK_EQ(ttm_program_create(dev, &p), 0);
    uint32_t ct = 1000;
    struct ttm_kernel_opts o = {.argsz = sizeof o, .compile_args = &ct, .n_compile_args = 1,
                                .reserved = 1};
    struct ttm_core_range r = {0, 0, 0, 0};
    CHECK_EQ(ttm_kernel_create_dataflow(p, "fill.cpp", &r, 1, &o, &k), -EINVAL);
    CHECK(strstr(ttm_last_error(), "reserved") != NULL);
    o.reserved = 0;
    CHECK_EQ(ttm_kernel_create_dataflow(p, "fill.cpp", &r, 1, &o, &k), 0);
    uint32_t args[2] = {(uint32_t)ttm_buffer_address(b), 20};
    CHECK_EQ(ttm_set_runtime_args(p, k, 0, 0, args, 2), 0);
    CHECK_EQ(ttm_program_launch(dev, p, 0), 0);
    uint32_t got[16];
    CHECK_EQ(ttm_buffer_read(b, 0, got, sizeof got), 0); /* page 0 lives on core (0,0) */
    for (uint32_t i = 0; i < 16; i++)
        CHECK_EQ(got[i], 1020 + i);
    ttm_program_destroy(p);
    ttm_buffer_destroy(b);
    ttm_device_close(dev);
    ttm_set_root_dir("");
    unlink(path);
    rmdir(dir);
}

/* A kernel whose data holds absolute addresses of its own data (a table of pointers):
 * those words must be rebased to wherever the image lands, which in fast dispatch moves
 * along the kernel-config ring from one launch to the next. */
static void absolute_data_words_are_rebased_at_every_launch_in_mode(void)
{
    static const char src[] =
        "#include <ttm/kernel/dataflow.h>\n"
        "static uint32_t a = 11, b = 22, c = 33;\n"
        "static uint32_t *volatile table[3] = {&a, &b, &c}; /* read at run time */\n"
        "void kernel_main(void) {\n"
        "    volatile uint32_t *out = (volatile uint32_t *)get_arg_val(0);\n"
        "    for (int i = 0; i < 3; i++) out[i] = *table[i] + get_arg_val(1);\n"
        "}\n";
    ttm_device *dev = open_emu(TTM_BOARD_P100A, 0, 0);
    CHECK(dev);
    struct ttm_device_info info = {.argsz = sizeof info};
    CHECK_EQ(ttm_device_info(dev, &info), 0);
    ttm_buffer *b;
    CHECK_EQ(ttm_buffer_create_interleaved(dev, info.num_workers * 64, 64, TTM_BUFFER_L1, &b), 0);
    ttm_program *p;
    ttm_kernel *k;
    CHECK_EQ(ttm_program_create(dev, &p), 0);
    struct ttm_kernel_opts o = {.argsz = sizeof o, .processor = TTM_RISCV_0};
    struct ttm_core_range r = {0, 0, 0, 0};
    CHECK_EQ(ttm_kernel_create_dataflow_from_string(p, src, &r, 1, &o, &k), 0);
    for (uint32_t launch = 0; launch < 3; launch++) {
        uint32_t args[2] = {(uint32_t)ttm_buffer_address(b), 1000 * launch};
        CHECK_EQ(ttm_set_runtime_args(p, k, 0, 0, args, 2), 0);
        CHECK_EQ(ttm_program_launch(dev, p, 0), 0);
        uint32_t got[3];
        CHECK_EQ(ttm_buffer_read(b, 0, got, sizeof got), 0); /* page 0 lives on core (0,0) */
        for (uint32_t i = 0; i < 3; i++)
            CHECK_EQ(got[i], 11 * (i + 1) + 1000 * launch);
    }
    ttm_program_destroy(p);
    ttm_buffer_destroy(b);
    ttm_device_close(dev);
}

MODES(add1_on_three_harvest_masks)
MODES(relaunch_with_new_args_and_two_kernel_groups)
MODES(kernel_config_image_follows_the_seed_layout)
MODES(compile_error_reaches_the_caller)
MODES(hung_kernel_is_reported_and_the_device_recovers)
MODES(faulting_kernel_is_reported_and_the_device_recovers)
MODES(bad_arguments_are_refused_with_a_reason)
MODES(unknown_backend_and_absent_card)
MODES(handles_fail_cleanly_after_the_device_is_closed)
MODES(kernel_from_a_cpp_file_with_compile_args)
MODES(absolute_data_words_are_rebased_at_every_launch)
