/* Fast dispatch on the emulator: many launches through wrapping rings, back-pressure,
 * programs whose images cannot sit in the ring together, non-blocking transfers and
 * events, refused records, and the mixing rule. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "objects.h"
#include "dispatch/fast.h"
#include "test.h"
#include "ttm.h"

static ttm_device *open_fast(uint32_t board)
{
    struct ttm_device_opts o = {.argsz = sizeof o, .backend = "emu", .emu_board = board,
                                .dispatch = TTM_DISPATCH_FAST};
    ttm_device *dev = NULL;
    if (ttm_device_create_opts(test_backend(&o), &dev))
        fprintf(stderr, "device: %s\n", ttm_last_error());
    return dev;
}

/* Adds its runtime arg 1 to the word at L1 address arg 0 of its own core. */
static const char count_src[] =
    "#include <ttm/kernel/dataflow.h>\n"
    "void kernel_main(void) {\n"
    "    volatile uint32_t *w = (volatile uint32_t *)get_arg_val(0);\n"
    "    *w += get_arg_val(1);\n"
    "}\n";

struct counter {
    ttm_program *prog;
    ttm_kernel *k;
    ttm_buffer *words;   /* one 16-byte page per worker: page i on worker i */
    struct ttm_device_info info;
};

static int counter_setup(ttm_device *dev, struct counter *c, const char *src)
{
    c->info = (struct ttm_device_info){.argsz = sizeof c->info};
    int rc;
    if ((rc = ttm_device_info(dev, &c->info)) ||
        (rc = ttm_buffer_create_interleaved(dev, 16ull * c->info.num_workers, 16, TTM_BUFFER_L1,
                                            &c->words)) ||
        (rc = ttm_program_create(dev, &c->prog)))
        return rc;
    uint8_t zero[16 * 140] = {0};
    if ((rc = ttm_buffer_write(c->words, 0, zero, 16ull * c->info.num_workers)))
        return rc;
    struct ttm_core_range all = {0, 0, c->info.grid_x - 1, c->info.grid_y - 1};
    struct ttm_kernel_opts o = {.argsz = sizeof o};
    if ((rc = ttm_kernel_create_dataflow_from_string(c->prog, src, &all, 1, &o, &c->k)))
        return rc;
    for (uint32_t y = 0; y < c->info.grid_y; y++) {
        for (uint32_t x = 0; x < c->info.grid_x; x++) {
            uint32_t args[2] = {(uint32_t)ttm_buffer_address(c->words), 1};
            if ((rc = ttm_set_runtime_args(c->prog, c->k, x, y, args, 2)))
                return rc;
        }
    }
    return 0;
}

static void counter_free(struct counter *c)
{
    ttm_program_destroy(c->prog);
    ttm_buffer_destroy(c->words);
}

/* Every worker's word must equal `want`. */
static int counter_check(struct counter *c, uint32_t want)
{
    uint32_t words[4 * 140];
    if (ttm_buffer_read(c->words, 0, words, 16ull * c->info.num_workers))
        return -1;
    for (uint32_t i = 0; i < c->info.num_workers; i++)
        if (words[4 * i] != want) {
            fprintf(stderr, "worker %u counted %u, expected %u\n", i, words[4 * i], want);
            return -1;
        }
    return 0;
}

TEST(ten_thousand_launches_with_events_and_reads_through_wrapping_rings)
{
    ttm_device *dev = open_fast(TTM_BOARD_P100A);
    CHECK(dev);
    struct counter c;
    CHECK_EQ(counter_setup(dev, &c, count_src), 0);
    enum { LAUNCHES = 10000 };
    uint64_t last;
    CHECK_EQ(ttm_enqueue_record_event(dev, &last), 0);
    uint32_t snap[4 * 140];
    for (uint32_t i = 1; i <= LAUNCHES; i++) {
        CHECK_EQ(ttm_enqueue_program(dev, c.prog), 0);
        uint64_t ev;
        CHECK_EQ(ttm_enqueue_record_event(dev, &ev), 0);
        CHECK_EQ(ev, last + 1); /* ids count up, none skipped */
        last = ev;
        if (i % 10 == 0) { /* reads fill the completion ring with data */
            CHECK_EQ(ttm_enqueue_read_buffer(c.words, 0, snap, 16ull * c.info.num_workers, 1), 0);
            for (uint32_t w = 0; w < c.info.num_workers; w++)
                CHECK_EQ(snap[4 * w], i);
        }
        if (i % 1000 == 0)
            CHECK_EQ(ttm_event_query(dev, ev - 600), 1); /* older events have completed */
    }
    CHECK_EQ(ttm_finish(dev, 0), 0);
    CHECK_EQ(ttm_event_query(dev, last), 1);
    CHECK_EQ(counter_check(&c, LAUNCHES), 0);
    /* Records travel through host memory, not BAR writes: per launch the host writes
     * only a prefetch-queue entry (and reads a little). */
    CHECK(dev->chip.bar_bytes_written < (uint64_t)LAUNCHES * 64);
    /* Both host rings went round several times. */
    struct chip_worker pf = chip_worker_at(&dev->chip, dev->chip.grid_x, 0);
    struct chip_worker dp = chip_worker_at(&dev->chip, dev->chip.grid_x, 1);
    struct ttm_cq_ctrl pfc, dpc;
    CHECK_EQ(chip_read(&dev->chip, pf.x, pf.y, TTM_L1_CQ_CTRL, &pfc, sizeof pfc), 0);
    CHECK_EQ(chip_read(&dev->chip, dp.x, dp.y, TTM_L1_CQ_CTRL, &dpc, sizeof dpc), 0);
    CHECK(pfc.pf_issue_rd > 3 * TTM_CQ_ISSUE_SIZE);
    CHECK(dpc.dp_completion_wr > 2 * TTM_CQ_COMPLETION_SIZE);
    CHECK(pfc.pf_ring_wr > 3 * TTM_DISPATCH_RING_SIZE);
    counter_free(&c);
    ttm_device_close(dev);
}

TEST(enqueueing_far_ahead_waits_for_room_and_loses_nothing)
{
    ttm_device *dev = open_fast(TTM_BOARD_P150A);
    CHECK(dev);
    struct counter c;
    CHECK_EQ(counter_setup(dev, &c, count_src), 0);
    /* 500 launches without waiting: more than the prefetch queue (64), the launch ring
     * (8) and the kernel-config ring hold, so the host and the dispatcher must stall. */
    for (int i = 0; i < 500; i++) {
        uint32_t args[2] = {(uint32_t)ttm_buffer_address(c.words), (uint32_t)(i % 3)};
        CHECK_EQ(ttm_set_runtime_args(c.prog, c.k, 2, 3, args, 2), 0); /* patched in place */
        CHECK_EQ(ttm_enqueue_program(dev, c.prog), 0);
    }
    CHECK_EQ(ttm_finish(dev, 0), 0);
    uint32_t words[4 * 140];
    CHECK_EQ(ttm_buffer_read(c.words, 0, words, 16ull * c.info.num_workers), 0);
    uint32_t want23 = 0;
    for (int i = 0; i < 500; i++)
        want23 += (uint32_t)(i % 3);
    for (uint32_t i = 0; i < c.info.num_workers; i++)
        CHECK_EQ(words[4 * i], i == 3 * c.info.grid_x + 2 ? want23 : 500);
    counter_free(&c);
    ttm_device_close(dev);
}

TEST(programs_too_large_to_share_the_config_ring_run_in_turn)
{
    ttm_device *dev = open_fast(TTM_BOARD_P100A);
    CHECK(dev);
    /* A 120 KiB table in the kernel image: two launches cannot both sit in the 192 KiB
     * kernel-config ring, so each waits for the one before to finish. */
    static const char big_src[] =
        "#include <ttm/kernel/dataflow.h>\n"
        "static volatile uint32_t table[30720] = {1};\n"
        "void kernel_main(void) {\n"
        "    volatile uint32_t *w = (volatile uint32_t *)get_arg_val(0);\n"
        "    table[get_arg_val(1)] += 1;\n"
        "    *w += table[0];\n"
        "}\n";
    struct counter c;
    CHECK_EQ(counter_setup(dev, &c, big_src), 0);
    for (int i = 0; i < 20; i++)
        CHECK_EQ(ttm_enqueue_program(dev, c.prog), 0);
    CHECK_EQ(ttm_finish(dev, 0), 0);
    /* table[1] += 1 each time, table[0] stays 1 because the image is rewritten each launch. */
    CHECK_EQ(counter_check(&c, 20), 0);
    counter_free(&c);
    ttm_device_close(dev);
}

TEST(non_blocking_transfers_and_events)
{
    ttm_device *dev = open_fast(TTM_BOARD_P100A);
    CHECK(dev);
    ttm_buffer *b;
    enum { SIZE = 300000 }; /* not a multiple of the page, spans many reads */
    CHECK_EQ(ttm_buffer_create_interleaved(dev, 75 * 4096, 4096, TTM_BUFFER_DRAM, &b), 0);
    uint8_t *src = malloc(SIZE), *dst = malloc(SIZE);
    CHECK(src && dst);
    for (int i = 0; i < SIZE; i++)
        src[i] = (uint8_t)(i * 31 + 7);
    CHECK_EQ(ttm_enqueue_write_buffer(b, 3, src, SIZE, 0), 0);
    memset(src, 0, SIZE); /* the queue holds its own copy */
    memset(dst, 0xEE, SIZE);
    CHECK_EQ(ttm_enqueue_read_buffer(b, 3, dst, SIZE, 0), 0);
    uint64_t ev;
    CHECK_EQ(ttm_enqueue_record_event(dev, &ev), 0);
    CHECK_EQ(ttm_event_wait(dev, ev, 0), 0);
    CHECK_EQ(ttm_finish(dev, 0), 0);
    for (int i = 0; i < SIZE; i++)
        CHECK_EQ(dst[i], (uint8_t)(i * 31 + 7));
    CHECK_EQ(ttm_event_wait(dev, ev + 5, 0), -EINVAL); /* never recorded */
    free(src);
    free(dst);
    ttm_buffer_destroy(b);
    ttm_device_close(dev);
}

/* A caller that only polls ttm_event_query, never waiting, still sees its work complete
 * (on a model, each query lets device time pass). */
TEST(polling_event_query_alone_completes_the_work)
{
    ttm_device *dev = open_fast(TTM_BOARD_P100A);
    CHECK(dev);
    ttm_buffer *b;
    CHECK_EQ(ttm_buffer_create_interleaved(dev, 64 * 4096, 4096, TTM_BUFFER_DRAM, &b), 0);
    static uint8_t src[64 * 4096], dst[64 * 4096];
    for (size_t i = 0; i < sizeof src; i++)
        src[i] = (uint8_t)(i * 13);
    CHECK_EQ(ttm_enqueue_write_buffer(b, 0, src, sizeof src, 0), 0);
    CHECK_EQ(ttm_enqueue_read_buffer(b, 0, dst, sizeof dst, 0), 0);
    uint64_t ev;
    CHECK_EQ(ttm_enqueue_record_event(dev, &ev), 0);
    int done = 0;
    for (long i = 0; i < 1000000 && !done; i++)
        done = ttm_event_query(dev, ev);
    CHECK_EQ(done, 1);
    CHECK(!memcmp(src, dst, sizeof src));
    ttm_buffer_destroy(b);
    ttm_device_close(dev);
}

TEST(malformed_records_are_refused_and_the_device_recovers)
{
    ttm_device *dev = open_fast(TTM_BOARD_P100A);
    CHECK(dev);
    struct counter c;
    CHECK_EQ(counter_setup(dev, &c, count_src), 0);
    static const struct {
        struct ttm_cq_cmd cmd;
        const char *why;
    } bad[] = {
        {{.id = 0x77, .len = 32}, "unknown command"},
        {{.id = TTM_CQ_WRITE_LINEAR, .len = 32, .arg = {0, 0x100, 0, 4096}}, "length out of range"},
        {{.id = TTM_CQ_READ_LINEAR, .len = 32, .arg = {0x0201, 0, 0, 1u << 20}}, "length out of range"},
        {{.id = TTM_CQ_WRITE_LINEAR, .len = 48, .arg = {0x0201, 0, 0x100, 16}}, "target out of range"},
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint8_t buf[48] = {0};
        memcpy(buf, &bad[i].cmd, sizeof bad[i].cmd);
        CHECK_EQ(fast_submit_raw(dev, buf, bad[i].cmd.len, 1), 0);
        CHECK_EQ(ttm_finish(dev, 2000), -EPROTO);
        CHECK(strstr(ttm_last_error(), "refused record") != NULL);
        CHECK(strstr(ttm_last_error(), bad[i].why) != NULL);
        /* Usable afterwards. */
        CHECK_EQ(ttm_program_launch(dev, c.prog, 0), 0);
        CHECK_EQ(counter_check(&c, i + 1), 0);
    }
    counter_free(&c);
    ttm_device_close(dev);
}

TEST(fast_only_calls_on_a_slow_device_are_refused)
{
    struct ttm_device_opts o = {.argsz = sizeof o, .backend = "emu", .dispatch = TTM_DISPATCH_SLOW};
    ttm_device *dev;
    CHECK_EQ(ttm_device_create_opts(test_backend(&o), &dev), 0);
    uint64_t ev;
    CHECK_EQ(ttm_enqueue_record_event(dev, &ev), -EPERM);
    CHECK(strstr(ttm_last_error(), "Mixing fast and slow dispatch is prohibited!") != NULL);
    CHECK_EQ(ttm_finish(dev, 0), -EPERM);
    ttm_program *p;
    CHECK_EQ(ttm_program_create(dev, &p), 0);
    CHECK_EQ(ttm_enqueue_program(dev, p), -EPERM);
    ttm_program_destroy(p);
    ttm_device_close(dev);
    o.dispatch = 7;
    CHECK_EQ(ttm_device_create_opts(test_backend(&o), &dev), -EINVAL);
}

/* 256 unique runtime args on every worker of a P150A are 140 KiB, more than one command
 * holds: they go in several packed writes, and every core gets its own. */
static const char sum_args_src[] =
    "#include <ttm/kernel/dataflow.h>\n"
    "void kernel_main(void) {\n"
    "    uint32_t s = 0;\n"
    "    for (uint32_t i = 2; i < 256; i++) s += get_arg_val(i) * i;\n"
    "    volatile uint32_t *w = (volatile uint32_t *)get_arg_val(1);\n"
    "    w[0] = s;\n"
    "    noc_async_write(get_arg_val(1), interleaved_noc_addr(get_arg_val(0) >> 8, 64, 1,\n"
    "                                                         get_arg_val(0) & 0xFF, 0), 64);\n"
    "    noc_async_write_barrier();\n"
    "}\n";

TEST(runtime_args_larger_than_one_command_reach_every_core)
{
    ttm_device *dev = open_fast(TTM_BOARD_P150A);
    CHECK(dev);
    struct ttm_device_info info = {.argsz = sizeof info};
    CHECK_EQ(ttm_device_info(dev, &info), 0);
    uint32_t n = info.num_workers;
    ttm_buffer *out;
    ttm_program *p;
    ttm_kernel *k;
    CHECK_EQ(ttm_buffer_create_interleaved(dev, 64ull * n, 64, TTM_BUFFER_DRAM, &out), 0);
    /* The buffer's address, shifted, shares arg 0 with the page: it is 256-aligned. */
    CHECK_EQ(ttm_buffer_address(out) & 0xFF, 0);
    CHECK_EQ(ttm_program_create(dev, &p), 0);
    struct ttm_core_range all = {0, 0, info.grid_x - 1, info.grid_y - 1};
    struct ttm_kernel_opts o = {.argsz = sizeof o, .processor = TTM_RISCV_0};
    CHECK_EQ(ttm_kernel_create_dataflow_from_string(p, sum_args_src, &all, 1, &o, &k), 0);
    uint32_t args[256];
    for (uint32_t c = 0; c < n; c++) {
        args[0] = (uint32_t)(ttm_buffer_address(out) << 8) | c;
        args[1] = info.l1_unreserved;
        for (uint32_t i = 2; i < 256; i++)
            args[i] = c * 7919 + i;
        CHECK_EQ(ttm_set_runtime_args(p, k, c % info.grid_x, c / info.grid_x, args, 256), 0);
    }
    CHECK_EQ(ttm_program_launch(dev, p, 0), 0);
    uint32_t *got = calloc(n, 64);
    CHECK(got);
    CHECK_EQ(ttm_buffer_read(out, 0, got, 64ull * n), 0);
    for (uint32_t c = 0; c < n; c++) {
        uint32_t want = 0;
        for (uint32_t i = 2; i < 256; i++)
            want += (c * 7919 + i) * i;
        CHECK_EQ(got[16 * c], want);
    }
    free(got);
    ttm_program_destroy(p);
    ttm_buffer_destroy(out);
    CHECK_EQ(ttm_device_close(dev), 0);
}
