/* Tracing: a known program's trace has the expected events in the expected order on every
 * core, in both dispatch modes; the files are written; misuse is refused. The JSON and
 * SVG are checked against their formats by tests/e2e/python/test_trace.py. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"
#include "modes.h"
#include "objects.h"
#include "test.h"
#include "trace/trace.h"
#include "ttm.h"
#include "ttm/kernel/abi.h"

static ttm_device *open_dev(void)
{
    struct ttm_device_opts o = {.argsz = sizeof o, .backend = "emu", .dispatch = mode};
    ttm_device *dev = NULL;
    return ttm_device_create_opts(test_backend(&o), &dev) ? NULL : dev;
}

static const char dataflow_src[] =
    "#include <ttm/kernel/dataflow.h>\nvoid kernel_main(void) { (void)get_arg_val(0); }\n";
static const char compute_src[] = "#include <ttm/kernel/compute.h>\nvoid kernel_main(void) {}\n";

/* BRISC and NCRISC kernels on cores (1,1)-(2,2), a compute kernel on (1,1) alone. */
static ttm_program *program(ttm_device *dev)
{
    ttm_program *p;
    ttm_kernel *k;
    struct ttm_core_range four = {1, 1, 2, 2}, one = {1, 1, 1, 1};
    struct ttm_kernel_opts b = {.argsz = sizeof b, .processor = TTM_RISCV_0};
    struct ttm_kernel_opts n = {.argsz = sizeof n, .processor = TTM_RISCV_1, .noc = 1};
    struct ttm_kernel_opts c = {.argsz = sizeof c};
    uint32_t arg = 7;
    if (ttm_program_create(dev, &p) ||
        ttm_kernel_create_dataflow_from_string(p, dataflow_src, &four, 1, &b, &k) ||
        ttm_set_common_runtime_args(p, k, &arg, 1) ||
        ttm_kernel_create_dataflow_from_string(p, dataflow_src, &four, 1, &n, &k) ||
        ttm_set_common_runtime_args(p, k, &arg, 1) ||
        ttm_kernel_create_compute_from_string(p, compute_src, &one, 1, &c, &k))
        return NULL;
    return p;
}

/* The events of one track, in order. */
static size_t track_events(const struct trace *tr, uint32_t track, uint16_t *what, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < tr->n_ev && n < max; i++)
        if (tr->ev[i].track == track)
            what[n++] = tr->ev[i].what;
    return n;
}

static uint32_t worker_track(const struct trace *tr, uint32_t lx, uint32_t ly, uint32_t proc)
{
    for (uint32_t k = 0; k < tr->n_tracks; k++)
        if (tr->tracks[k].role == TRACE_WORKER && tr->tracks[k].lx == lx &&
            tr->tracks[k].ly == ly && tr->tracks[k].proc == proc)
            return k;
    return UINT32_MAX;
}

static uint32_t role_track(const struct trace *tr, uint32_t role)
{
    for (uint32_t k = 0; k < tr->n_tracks; k++)
        if (tr->tracks[k].role == role)
            return k;
    return UINT32_MAX;
}

static void a_known_program_leaves_its_events_in_order_in_mode(void)
{
    ttm_device *dev = open_dev();
    CHECK(dev);
    ttm_program *p = program(dev);
    CHECK(p);
    CHECK_EQ(ttm_program_launch(dev, p, 0), 0); /* kernels built, caches warm */
    CHECK_EQ(ttm_trace_begin(dev), 0);
    CHECK_EQ(ttm_trace_begin(dev), -EBUSY);
    for (int i = 0; i < 2; i++)
        CHECK_EQ(ttm_program_launch(dev, p, 0), 0);
    const struct trace *tr = dev->trace;
    CHECK(tr);
    CHECK_EQ(tr->lost, 0);
    uint16_t w[64];
    /* Each core of the program: two launches, each GO, the kernel, DONE. */
    for (uint32_t y = 1; y <= 2; y++) {
        for (uint32_t x = 1; x <= 2; x++) {
            static const uint16_t brisc[] = {TTM_TR_GO, TTM_TR_KERNEL_BEGIN, TTM_TR_KERNEL_END,
                                             TTM_TR_DONE};
            size_t n = track_events(tr, worker_track(tr, x, y, BH_BRISC), w, 64);
            CHECK_EQ(n, 8);
            for (size_t i = 0; i < n; i++)
                CHECK_EQ(w[i], brisc[i % 4]);
            n = track_events(tr, worker_track(tr, x, y, BH_NCRISC), w, 64);
            CHECK_EQ(n, 4);
            for (size_t i = 0; i < n; i++)
                CHECK_EQ(w[i], i % 2 ? TTM_TR_KERNEL_END : TTM_TR_KERNEL_BEGIN);
            /* The compute kernel runs on (1,1) only. */
            n = track_events(tr, worker_track(tr, x, y, BH_TRISC1), w, 64);
            CHECK_EQ(n, x == 1 && y == 1 ? 4u : 0u);
        }
    }
    /* Each processor's events come in time order, within its launch. */
    for (size_t i = 0; i < tr->n_ev; i++)
        for (size_t j = i + 1; j < tr->n_ev; j++)
            if (tr->ev[j].track == tr->ev[i].track) {
                CHECK(tr->ev[j].t >= tr->ev[i].t);
                break;
            }
    /* NCRISC's kernel starts after BRISC saw GO and ends before BRISC says DONE. */
    uint32_t b = worker_track(tr, 1, 1, BH_BRISC), nc = worker_track(tr, 1, 1, BH_NCRISC);
    uint64_t go = 0, done = 0, kb = 0, ke = 0;
    for (size_t i = 0; i < tr->n_ev; i++) {
        const struct trace_event *e = &tr->ev[i];
        if (e->track == b && e->what == TTM_TR_GO && !go)
            go = e->t;
        if (e->track == b && e->what == TTM_TR_DONE && !done)
            done = e->t;
        if (e->track == nc && e->what == TTM_TR_KERNEL_BEGIN && !kb)
            kb = e->t;
        if (e->track == nc && e->what == TTM_TR_KERNEL_END && !ke)
            ke = e->t;
    }
    CHECK(go < kb && kb < ke && ke < done);
    if (mode == TTM_DISPATCH_FAST) {
        /* The subordinate sends each GO once the DONEs it waits for are in; the
         * dispatcher ran the records; the prefetcher fetched and delivered them. */
        static const uint16_t sub[] = {TTM_TR_WAIT_BEGIN, TTM_TR_WAIT_END, TTM_TR_GO_SENT};
        size_t n = track_events(tr, role_track(tr, TRACE_SUBORDINATE), w, 64);
        CHECK_EQ(n, 6);
        for (size_t i = 0; i < n; i++)
            CHECK_EQ(w[i], sub[i % 3]);
        n = track_events(tr, role_track(tr, TRACE_DISPATCHER), w, 64);
        CHECK(n >= 4);
        CHECK_EQ(w[0], TTM_TR_RECORD_BEGIN);
        n = track_events(tr, role_track(tr, TRACE_PREFETCHER), w, 64);
        CHECK(n >= 3);
        CHECK_EQ(w[0], TTM_TR_FETCH_BEGIN);
        CHECK_EQ(w[1], TTM_TR_FETCH_END);
        CHECK_EQ(w[2], TTM_TR_DELIVERED);
    } else {
        CHECK_EQ(role_track(tr, TRACE_DISPATCHER), UINT32_MAX);
    }
    /* The host's calls are there, on the device clock. */
    bool launch_seen = false;
    for (size_t i = 0; i < tr->n_calls; i++)
        launch_seen |= !strcmp(tr->calls[i].name, "ttm_program_launch") &&
                       tr->calls[i].t1 > tr->calls[i].t0;
    CHECK(launch_seen);
    char json[] = "/tmp/ttm-trace-XXXXXX";
    int fd = mkstemp(json);
    CHECK(fd >= 0);
    close(fd);
    char svg[64];
    snprintf(svg, sizeof svg, "%s.svg", json);
    CHECK_EQ(ttm_trace_end(dev, json, svg), 0);
    CHECK_EQ(ttm_trace_end(dev, json, svg), -EINVAL);
    FILE *f = fopen(json, "r");
    CHECK(f);
    char head[32] = "";
    CHECK(fread(head, 1, sizeof head - 1, f) > 0);
    fclose(f);
    CHECK(!strncmp(head, "{\"displayTimeUnit\"", 18));
    f = fopen(svg, "r");
    CHECK(f);
    CHECK(fread(head, 1, sizeof head - 1, f) > 0);
    fclose(f);
    CHECK(!strncmp(head, "<?xml", 5));
    unlink(json);
    unlink(svg);
    /* A file that cannot be written is said so, and the device goes on. */
    CHECK_EQ(ttm_trace_begin(dev), 0);
    CHECK_EQ(ttm_trace_end(dev, "/nonexistent/dir/trace.json", NULL), -ENOENT);
    CHECK(strstr(ttm_last_error(), "cannot write /nonexistent/dir/trace.json"));
    CHECK_EQ(ttm_program_launch(dev, p, 0), 0);
    ttm_program_destroy(p);
    CHECK_EQ(ttm_device_close(dev), 0);
}
MODES(a_known_program_leaves_its_events_in_order)

/* A ring holds TTM_TRACE_EVENTS a processor: more launches than that between two drains
 * lose the oldest, and the trace says how many. */
/* A fast-dispatch device tracing, and a program to queue on it. */
static ttm_device *open_fast_tracing(ttm_program **p)
{
    mode = TTM_DISPATCH_FAST;
    ttm_device *dev = open_dev();
    *p = dev ? program(dev) : NULL;
    if (*p && !ttm_trace_begin(dev))
        return dev;
    if (*p)
        ttm_program_destroy(*p);
    if (dev)
        ttm_device_close(dev);
    return NULL;
}

TEST(events_a_ring_could_not_hold_are_counted_as_lost)
{
    ttm_program *p;
    ttm_device *dev = open_fast_tracing(&p);
    CHECK(dev);
    /* Four events a launch on BRISC: 80 launches are 320, 64 more than its ring. */
    for (int i = 0; i < 80; i++)
        CHECK_EQ(ttm_enqueue_program(dev, p), 0);
    CHECK_EQ(ttm_finish(dev, 0), 0);
    CHECK(dev->trace->lost >= 4 * 64);
    CHECK_EQ(ttm_trace_end(dev, NULL, NULL), 0);
    ttm_program_destroy(p);
    CHECK_EQ(ttm_device_close(dev), 0);
}

/* A hang's recovery reboots the firmware, whose rings start over: the trace goes on
 * whole, without billions of "lost" events or old ones read again. */
static void a_recovery_during_a_trace_keeps_it_whole_in_mode(void)
{
    ttm_device *dev = open_dev();
    CHECK(dev);
    ttm_program *good = program(dev), *hang;
    CHECK(good);
    ttm_kernel *k;
    struct ttm_core_range one = {1, 1, 1, 1};
    struct ttm_kernel_opts b = {.argsz = sizeof b, .processor = TTM_RISCV_0};
    CHECK_EQ(ttm_program_create(dev, &hang), 0);
    CHECK_EQ(ttm_cb_create(hang, &one, 1, 3, 4096, 4096, 0, NULL), 0);
    CHECK_EQ(ttm_kernel_create_dataflow_from_string(
                 hang, "#include <ttm/kernel/dataflow.h>\nvoid kernel_main(void) { cb_wait_front(3, 1); }\n",
                 &one, 1, &b, &k), 0);
    for (int i = 0; i < 3; i++)
        CHECK_EQ(ttm_program_launch(dev, good, 0), 0);
    CHECK_EQ(ttm_trace_begin(dev), 0);
    CHECK_EQ(ttm_program_launch(dev, good, 0), 0);
    CHECK_EQ(ttm_program_launch(dev, hang, 300), -ETIMEDOUT);
    CHECK_EQ(ttm_program_launch(dev, good, 0), 0);
    const struct trace *tr = dev->trace;
    CHECK(tr->lost < 1000);
    /* Core (1,1) ran: good, (hang), good: its BRISC kernels, each once. */
    uint16_t w[64];
    size_t n = track_events(tr, worker_track(tr, 1, 1, BH_BRISC), w, 64);
    unsigned kernels = 0;
    for (size_t i = 0; i < n; i++)
        kernels += w[i] == TTM_TR_KERNEL_BEGIN;
    CHECK(kernels >= 2 && kernels <= 3);
    CHECK_EQ(ttm_trace_end(dev, NULL, NULL), 0);
    ttm_program_destroy(good);
    ttm_program_destroy(hang);
    CHECK_EQ(ttm_device_close(dev), 0);
}
MODES(a_recovery_during_a_trace_keeps_it_whole)

/* A processor that rebooted and then recorded more events than were drained before it
 * did: its count did not go back, but its ring started over, and every event since is in
 * the trace. The reboot is played by setting BRISC's ring count of core (1,1) back to 0,
 * as its firmware does when it boots. */
TEST(a_reboot_hidden_by_a_count_that_grew_past_the_last_drain_is_read_whole)
{
    ttm_program *p;
    ttm_device *dev = open_fast_tracing(&p);
    CHECK(dev);
    for (int i = 0; i < 3; i++)
        CHECK_EQ(ttm_enqueue_program(dev, p), 0);
    CHECK_EQ(ttm_finish(dev, 0), 0);
    const struct trace *tr = dev->trace;
    uint32_t track = worker_track(tr, 1, 1, BH_BRISC);
    uint32_t before = tr->tracks[track].seen, x, y;
    CHECK(before > 0);
    CHECK_EQ(ttm_core_noc_xy(dev, 1, 1, 0, &x, &y), 0);
    CHECK_EQ(chip_write32(&dev->chip, x, y, TTM_TRACE_RING_ADDR(BH_BRISC), 0), 0);
    for (int i = 0; i < 4; i++) /* more events than `before`, in one drain */
        CHECK_EQ(ttm_enqueue_program(dev, p), 0);
    CHECK_EQ(ttm_finish(dev, 0), 0);
    CHECK(tr->tracks[track].seen > before);
    uint16_t w[128];
    size_t n = track_events(tr, track, w, 128);
    unsigned kernels = 0;
    for (size_t i = 0; i < n; i++)
        kernels += w[i] == TTM_TR_KERNEL_BEGIN;
    CHECK_EQ(kernels, 7);
    CHECK_EQ(tr->lost, 0);
    CHECK_EQ(ttm_trace_end(dev, NULL, NULL), 0);
    ttm_program_destroy(p);
    CHECK_EQ(ttm_device_close(dev), 0);
}
