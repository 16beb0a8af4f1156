/* Threads: devices share no mutable state, and one device may be called from several
 * threads at once (each call holds the device's lock). Run under ThreadSanitizer by
 * `make test-threads` (TSAN=1 build), where a data race fails the run. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "queue_sequence.h"
#include "test.h"
#include "ttm.h"

static ttm_device *open_board(uint32_t mode, uint32_t board)
{
    struct ttm_device_opts o = {.argsz = sizeof o, .backend = "emu", .dispatch = mode,
                                .emu_board = board};
    ttm_device *dev = NULL;
    return ttm_device_create_opts(test_backend(&o), &dev) ? NULL : dev;
}

/* ---- Two devices, two threads ---- */

/* Two boards, so that through the kmd backend they are two cards. */
struct own_device {
    pthread_t t;
    uint32_t board, seed;
    int rc;
    char why[256];
};

static void *own_device_run(void *arg)
{
    struct own_device *d = arg;
    ttm_device *dev = open_board(TTM_DISPATCH_FAST, d->board);
    if (!dev) {
        snprintf(d->why, sizeof d->why, "open: %s", ttm_last_error());
        d->rc = -1;
        return NULL;
    }
    d->rc = queue_sequence(dev, d->seed, 16, 1u << 20, d->why, sizeof d->why);
    if (ttm_device_close(dev) && !d->rc) {
        snprintf(d->why, sizeof d->why, "close: %s", ttm_last_error());
        d->rc = -1;
    }
    return NULL;
}

TEST(devices_in_two_threads_run_independently)
{
    struct own_device d[2] = {{.board = TTM_BOARD_P100A, .seed = 11},
                              {.board = TTM_BOARD_P150A, .seed = 12}};
    for (int i = 0; i < 2; i++)
        CHECK_EQ(pthread_create(&d[i].t, NULL, own_device_run, &d[i]), 0);
    for (int i = 0; i < 2; i++)
        pthread_join(d[i].t, NULL);
    for (int i = 0; i < 2; i++) {
        if (d[i].rc)
            printf("  thread %d: %s\n", i, d[i].why);
        CHECK_EQ(d[i].rc, 0);
    }
}

/* ---- One device, several threads ---- */

/* Writes its thread's value to the first word of L1 buffer page arg 1 on its own core. */
static const char mark_src[] =
    "#include <ttm/kernel/dataflow.h>\n"
    "void kernel_main(void) {\n"
    "    volatile uint32_t *w = (volatile uint32_t *)0x60000;\n"
    "    *w = get_arg_val(1);\n"
    "    uint64_t a = interleaved_noc_addr(get_arg_val(0), 1024, 1, get_arg_val(2), 0);\n"
    "    noc_async_write(0x60000, a, 64);\n"
    "    noc_async_write_barrier();\n"
    "}\n";

enum { ROUNDS = 6, THREADS = 3 };

struct shared {
    ttm_device *dev;
    int fast;
    ttm_buffer *marks;          /* one 1 KiB page per thread and round */
};

struct worker {
    pthread_t t;
    struct shared *s;
    uint32_t id;
    int rc;
    char why[256];
};

static void *fail(struct worker *w, const char *what)
{
    snprintf(w->why, sizeof w->why, "%s: %s", what, ttm_last_error());
    w->rc = -1;
    return NULL;
}

/* Each thread: its own buffer written and read back, its own program created, launched
 * on its own core, and destroyed, round after round. */
static void *worker_run(void *arg)
{
    struct worker *w = arg;
    ttm_device *dev = w->s->dev;
    ttm_buffer *b;
    if (ttm_buffer_create_interleaved(dev, 64 * 1024, 2048, TTM_BUFFER_DRAM, &b))
        return fail(w, "buffer");
    uint32_t data[1024], back[1024];
    for (uint32_t r = 0; r < ROUNDS; r++) {
        for (uint32_t i = 0; i < 1024; i++)
            data[i] = w->id << 24 | r << 16 | i;
        uint64_t off = (uint64_t)r * 4096;
        int rc = w->s->fast ? ttm_enqueue_write_buffer(b, off, data, sizeof data, r & 1)
                            : ttm_buffer_write(b, off, data, sizeof data);
        if (rc)
            return fail(w, "write");
        uint64_t ev = 0;
        if (w->s->fast && ttm_enqueue_record_event(dev, &ev))
            return fail(w, "record event");
        if (ttm_buffer_read(b, off, back, sizeof back))
            return fail(w, "read");
        if (memcmp(data, back, sizeof data))
            return fail(w, "read back wrong data");
        if (ev && ttm_event_query(dev, ev) != 1)
            return fail(w, "event not complete after a later blocking read");

        ttm_program *p;
        ttm_kernel *k;
        struct ttm_core_range core = {w->id, 0, w->id, 0};
        struct ttm_kernel_opts o = {.argsz = sizeof o};
        if (ttm_program_create(dev, &p))
            return fail(w, "program");
        uint32_t args[3] = {(uint32_t)ttm_buffer_address(w->s->marks), w->id << 8 | r,
                            r * THREADS + w->id};
        if (ttm_kernel_create_dataflow_from_string(p, mark_src, &core, 1, &o, &k) ||
            ttm_set_runtime_args(p, k, w->id, 0, args, 3) || ttm_program_launch(dev, p, 0)) {
            ttm_program_destroy(p);
            return fail(w, "launch");
        }
        if (ttm_program_destroy(p))
            return fail(w, "program destroy");
    }
    if (ttm_buffer_destroy(b))
        return fail(w, "buffer destroy");
    return NULL;
}

static void shared_device(uint32_t mode)
{
    struct shared s = {.dev = open_board(mode, TTM_BOARD_P100A), .fast = mode == TTM_DISPATCH_FAST};
    CHECK(s.dev);
    CHECK_EQ(ttm_buffer_create_interleaved(s.dev, ROUNDS * THREADS * 1024, 1024, TTM_BUFFER_DRAM,
                                           &s.marks), 0);
    struct worker w[THREADS];
    for (uint32_t i = 0; i < THREADS; i++) {
        w[i] = (struct worker){.s = &s, .id = i};
        CHECK_EQ(pthread_create(&w[i].t, NULL, worker_run, &w[i]), 0);
    }
    for (uint32_t i = 0; i < THREADS; i++)
        pthread_join(w[i].t, NULL);
    for (uint32_t i = 0; i < THREADS; i++) {
        if (w[i].rc)
            printf("  thread %u: %s\n", i, w[i].why);
        CHECK_EQ(w[i].rc, 0);
    }
    static uint32_t marks[ROUNDS * THREADS * 256];
    CHECK_EQ(ttm_buffer_read(s.marks, 0, marks, sizeof marks), 0);
    for (uint32_t r = 0; r < ROUNDS; r++)
        for (uint32_t t = 0; t < THREADS; t++)
            CHECK_EQ(marks[(r * THREADS + t) * 256], t << 8 | r);
    CHECK_EQ(ttm_buffer_destroy(s.marks), 0);
    CHECK_EQ(ttm_device_close(s.dev), 0);
}

TEST(one_fast_dispatch_device_shared_by_three_threads)
{
    shared_device(TTM_DISPATCH_FAST);
}

TEST(one_slow_dispatch_device_shared_by_three_threads)
{
    shared_device(TTM_DISPATCH_SLOW);
}

/* ---- Closing under another thread ---- */

struct closer {
    pthread_t t;
    ttm_device *dev;
    int rc;
};

static void *close_run(void *arg)
{
    struct closer *c = arg;
    c->rc = ttm_device_close(c->dev);
    return NULL;
}

/* Two threads close one device: one succeeds, the other fails cleanly. */
TEST(two_threads_closing_one_device_close_it_once)
{
    for (int round = 0; round < 4; round++) {
        ttm_device *dev = open_board(TTM_DISPATCH_SLOW, TTM_BOARD_P100A);
        CHECK(dev);
        struct closer c[2] = {{.dev = dev}, {.dev = dev}};
        for (int i = 0; i < 2; i++)
            CHECK_EQ(pthread_create(&c[i].t, NULL, close_run, &c[i]), 0);
        for (int i = 0; i < 2; i++)
            pthread_join(c[i].t, NULL);
        CHECK((c[0].rc == 0) != (c[1].rc == 0));
        int other = c[0].rc ? c[0].rc : c[1].rc;
        CHECK(other == -EINVAL || other == -ENODEV);
    }
}
