/* The command queue under stress and under attack: no deadlock when the host fills one
 * ring while the device waits on the other, no wait past its caller's timeout, no call
 * that leaves the device unusable, no dropped work reported as done. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend.h"
#include "dispatch/fast.h"
#include "objects.h"
#include "test.h"
#include "ttm.h"

static ttm_device *open_fast(void)
{
    struct ttm_device_opts o = {.argsz = sizeof o, .backend = "emu", .dispatch = TTM_DISPATCH_FAST};
    ttm_device *dev = NULL;
    if (ttm_device_create_opts(test_backend(&o), &dev))
        fprintf(stderr, "device: %s\n", ttm_last_error());
    return dev;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* A program on core (0,0) whose kernel is `src`, with runtime args `args`. */
static int one_core_program(ttm_device *dev, const char *src, const uint32_t *args, size_t n,
                            ttm_program **out)
{
    ttm_kernel *k;
    struct ttm_kernel_opts o = {.argsz = sizeof o, .processor = TTM_RISCV_0};
    struct ttm_core_range r = {0, 0, 0, 0};
    int rc = ttm_program_create(dev, out);
    if (!rc)
        rc = ttm_kernel_create_dataflow_from_string(*out, src, &r, 1, &o, &k);
    if (!rc && n)
        rc = ttm_set_runtime_args(*out, k, 0, 0, args, n);
    return rc;
}

static const char hang_src[] =
    "#include <ttm/kernel/dataflow.h>\n"
    "void kernel_main(void) { for (;;) ttm_fence(); }\n";

/* The device works: a write and a read back through the queue. */
static int usable(ttm_device *dev)
{
    ttm_buffer *b;
    uint32_t w[64], r[64];
    int rc = ttm_buffer_create_interleaved(dev, sizeof w, 64, TTM_BUFFER_DRAM, &b);
    for (unsigned i = 0; i < 64; i++)
        w[i] = i * 0x01010101u + 5;
    if (!rc)
        rc = ttm_buffer_write(b, 0, w, sizeof w);
    if (!rc)
        rc = ttm_buffer_read(b, 0, r, sizeof r);
    if (!rc && memcmp(w, r, sizeof w))
        rc = -EIO;
    if (!rc)
        rc = ttm_finish(dev, 0);
    ttm_buffer_destroy(b);
    if (rc)
        printf("  not usable: %d %s\n", rc, ttm_last_error());
    return rc;
}

/* A read that does not fit the completion ring, then a write that needs issue-ring room:
 * the dispatcher waits for the host to take read data, the host for the dispatcher to
 * take records. The host must drain completions while it waits. */
TEST(a_read_larger_than_the_completion_ring_then_a_write_do_not_deadlock)
{
    ttm_device *dev = open_fast();
    CHECK(dev);
    enum { SIZE = 5 << 20 }; /* five times the completion ring, more than the issue ring */
    ttm_buffer *b;
    CHECK_EQ(ttm_buffer_create_interleaved(dev, SIZE, 4096, TTM_BUFFER_DRAM, &b), 0);
    uint8_t *first = malloc(SIZE), *second = malloc(SIZE), *got = malloc(SIZE);
    CHECK(first && second && got);
    for (size_t i = 0; i < SIZE; i++) {
        first[i] = (uint8_t)(i * 7 + 1);
        second[i] = (uint8_t)(i * 13 + 3);
    }
    CHECK_EQ(ttm_buffer_write(b, 0, first, SIZE), 0);
    CHECK_EQ(ttm_enqueue_read_buffer(b, 0, got, SIZE, 0), 0);
    CHECK_EQ(ttm_enqueue_write_buffer(b, 0, second, SIZE, 0), 0);
    CHECK_EQ(ttm_finish(dev, 0), 0);
    CHECK(!memcmp(got, first, SIZE)); /* the read ran before the write */
    CHECK_EQ(ttm_buffer_read(b, 0, got, SIZE), 0);
    CHECK(!memcmp(got, second, SIZE));
    free(first);
    free(second);
    free(got);
    ttm_buffer_destroy(b);
    ttm_device_close(dev);
}

/* Each event leaves an entry in the completion ring: far more of them than it holds. */
TEST(tens_of_thousands_of_events_without_a_wait)
{
    ttm_device *dev = open_fast();
    CHECK(dev);
    enum { N = 40000 };
    uint64_t first = 0, ev = 0;
    for (int i = 0; i < N; i++) {
        CHECK_EQ(ttm_enqueue_record_event(dev, &ev), 0);
        if (!i)
            first = ev;
    }
    CHECK_EQ(ttm_finish(dev, 0), 0);
    CHECK_EQ(ttm_event_query(dev, first), 1);
    CHECK_EQ(ttm_event_query(dev, ev), 1);
    CHECK_EQ(ev - first, N - 1);
    ttm_device_close(dev);
}

/* A kernel that keeps moving the dispatcher's record count looks like progress forever:
 * the wait still ends, at the documented cap. */
TEST(progress_that_never_ends_is_cut_at_the_cap)
{
    ttm_device *dev = open_fast();
    CHECK(dev);
    struct chip_worker dp = dev->fast->q.dp;
    static const char src[] =
        "#include <ttm/kernel/dataflow.h>\n"
        "void kernel_main(void) {\n"
        "    volatile uint32_t *v = (volatile uint32_t *)0x60000;\n"
        "    uint64_t to = get_noc_addr(get_arg_val(0), get_arg_val(1), get_arg_val(2));\n"
        "    for (uint32_t n = 1;; n++) {\n"
        "        *v = n;\n"
        "        noc_async_write(0x60000, to, 4);\n"
        "        noc_async_write_barrier();\n"
        "    }\n"
        "}\n";
    uint32_t args[3] = {dp.x, dp.y, TTM_L1_CQ_CTRL + offsetof(struct ttm_cq_ctrl, dp_records)};
    ttm_program *p;
    CHECK_EQ(one_core_program(dev, src, args, 3, &p), 0);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK_EQ(ttm_program_launch(dev, p, 300), -ETIMEDOUT);
    double s = seconds_since(&t0);
    printf("  returned after %.2f s (cap %.2f s, then the reset)\n", s, CHIP_WAIT_CAP * 0.3);
    CHECK(s < 10);
    ttm_program_destroy(p);
    CHECK_EQ(usable(dev), 0);
    ttm_device_close(dev);
}

/* With the prefetcher stopped, a wait for a prefetch-queue slot returns by the caller's
 * timeout, not the library's default. */
TEST(a_wedged_queue_returns_by_the_callers_timeout)
{
    ttm_device *dev = open_fast();
    CHECK(dev);
    struct chip_worker pf = dev->fast->q.pf;
    CHECK_EQ(chip_write32(&dev->chip, pf.x, pf.y, BH_SOFT_RESET_0, BH_RESET_ALL_RISCS), 0);
    uint64_t ev;
    for (unsigned i = 0; i < TTM_PREFETCH_Q_ENTRIES; i++)
        CHECK_EQ(ttm_enqueue_record_event(dev, &ev), 0); /* every slot taken */
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK_EQ(ttm_finish(dev, 1500), -ETIMEDOUT);
    double s = seconds_since(&t0);
    printf("  returned after %.2f s\n", s);
    CHECK(s < 6);
    CHECK(strstr(ttm_last_error(), "prefetcher stopped fetching") != NULL);
    CHECK_EQ(usable(dev), 0);
    ttm_device_close(dev);
}

/* Garbage in every prefetch-queue slot: refused, then usable, as both dispatch cores are
 * reset together. */
TEST(an_overwritten_prefetch_queue_is_recovered_from)
{
    ttm_device *dev = open_fast();
    CHECK(dev);
    struct chip_worker pf = dev->fast->q.pf;
    uint32_t junk[TTM_PREFETCH_Q_ENTRIES];
    for (unsigned i = 0; i < TTM_PREFETCH_Q_ENTRIES; i++)
        junk[i] = 64 + 128 * i;
    CHECK_EQ(chip_write(&dev->chip, pf.x, pf.y, TTM_L1_PREFETCH_Q, junk, sizeof junk), 0);
    int rc = ttm_finish(dev, 2000);
    CHECK(rc == -EPROTO || rc == -ETIMEDOUT);
    for (int i = 0; i < 3; i++)
        CHECK_EQ(usable(dev), 0);
    ttm_device_close(dev);
}

/* Corrupt completion rings: a write pointer that is not on an entry, one more than a ring
 * ahead, an entry of impossible length. Each is refused at once (-EIO), the device reset. */
TEST(a_corrupt_completion_ring_is_refused_and_recovered_from)
{
    ttm_device *dev = open_fast();
    CHECK(dev);
    struct cq *q = &dev->fast->q;
    for (int kind = 0; kind < 3; kind++) {
        uint32_t *wr = (uint32_t *)(q->host + TTM_CQ_HOST_COMPLETION_WR);
        if (kind == 0) {
            *wr = q->cpl_rd + 20;
        } else if (kind == 1) {
            *wr = q->cpl_rd + 2 * TTM_CQ_COMPLETION_SIZE;
        } else {
            struct ttm_cq_completion *e = (struct ttm_cq_completion *)(
                q->host + TTM_CQ_HOST_COMPLETION + q->cpl_rd % TTM_CQ_COMPLETION_SIZE);
            e->kind = TTM_CQ_DONE_EVENT;
            e->len = 7;
            *wr = q->cpl_rd + 64;
        }
        struct timespec t0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        CHECK_EQ(ttm_finish(dev, 5000), -EIO);
        CHECK(seconds_since(&t0) < 5);
        CHECK(strstr(ttm_last_error(), "completion") != NULL);
        CHECK_EQ(usable(dev), 0);
    }
    ttm_device_close(dev);
}

/* Work queued behind a hang is dropped by the reset: its events say so. */
TEST(events_dropped_by_a_reset_fail_with_ecanceled)
{
    ttm_device *dev = open_fast();
    CHECK(dev);
    ttm_program *p;
    CHECK_EQ(one_core_program(dev, hang_src, NULL, 0, &p), 0);
    CHECK_EQ(ttm_enqueue_program(dev, p), 0);
    uint64_t ev;
    CHECK_EQ(ttm_enqueue_record_event(dev, &ev), 0);
    CHECK_EQ(ttm_finish(dev, 300), -ETIMEDOUT);
    CHECK_EQ(ttm_event_query(dev, ev), -ECANCELED);
    CHECK_EQ(ttm_event_wait(dev, ev, 0), -ECANCELED);
    CHECK(strstr(ttm_last_error(), "dropped") != NULL);
    ttm_program_destroy(p);
    /* What comes after is not dropped. */
    uint64_t next;
    CHECK_EQ(ttm_enqueue_record_event(dev, &next), 0);
    CHECK(next > ev);
    CHECK_EQ(ttm_event_wait(dev, next, 0), 0);
    CHECK_EQ(ttm_event_query(dev, ev), -ECANCELED);
    CHECK_EQ(usable(dev), 0);
    ttm_device_close(dev);
}

/* The device carries 32 bits of an event id: ids past 2^32 still complete. */
TEST(event_ids_cross_two_to_the_32)
{
    ttm_device *dev = open_fast();
    CHECK(dev);
    fast_set_next_event(dev, (1ull << 32) - 5);
    uint64_t ev[10];
    for (int i = 0; i < 10; i++)
        CHECK_EQ(ttm_enqueue_record_event(dev, &ev[i]), 0);
    CHECK_EQ(ev[0], (1ull << 32) - 5);
    CHECK_EQ(ev[9], (1ull << 32) + 4);
    CHECK_EQ(ttm_event_wait(dev, ev[9], 2000), 0);
    for (int i = 0; i < 10; i++)
        CHECK_EQ(ttm_event_query(dev, ev[i]), 1);
    ttm_device_close(dev);
}
