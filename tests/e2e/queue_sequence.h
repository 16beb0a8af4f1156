/* A random sequence of command-queue calls checked against a host model of the buffer:
 * writes and reads from one byte to several times each ring's size, blocking and not,
 * events recorded and waited on, launches of a kernel that changes the buffer, finishes.
 * Shared by tests/e2e/queue_model.c (the emulator) and tests/ttsim/ (ttsim).
 *
 * queue_sequence() returns 0, or -1 with the first mismatch or failure in `why`. */
#pragma once

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ttm.h"

#define QS_PAGE 4096u
#define QS_BUFFER (16u << 20)   /* room for transfers several times the issue ring */

/* Adds 1 to each of the 16 words of the first 64 bytes of buffer page arg 1. */
static const char qs_bump_src[] =
    "#include <ttm/kernel/dataflow.h>\n"
    "void kernel_main(void) {\n"
    "    uint64_t a = interleaved_noc_addr(get_arg_val(0), 4096, 1, get_arg_val(1), 0);\n"
    "    noc_async_read(a, 0x60000, 64);\n"
    "    noc_async_read_barrier();\n"
    "    volatile uint32_t *w = (volatile uint32_t *)0x60000;\n"
    "    for (int i = 0; i < 16; i++) w[i] += 1;\n"
    "    noc_async_write(0x60000, a, 64);\n"
    "    noc_async_write_barrier();\n"
    "}\n";

struct qs_read {
    uint8_t *got, *want;
    uint64_t size;
    uint64_t event;              /* the first event recorded after it, 0: none yet */
};

struct qs {
    ttm_device *dev;
    ttm_buffer *buf;
    ttm_program *prog;
    ttm_kernel *k;
    uint8_t *model;
    uint64_t rng;
    struct qs_read reads[64];
    unsigned n_reads;
    uint64_t events[64];
    unsigned n_events;
    char *why;
    size_t why_len;
};

static int qs_fail(struct qs *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int qs_fail(struct qs *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(s->why, s->why_len, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < s->why_len)
        snprintf(s->why + n, s->why_len - (size_t)n, " (%s)", ttm_last_error());
    return -1;
}

static uint64_t qs_rand(struct qs *s)
{
    s->rng ^= s->rng << 13;
    s->rng ^= s->rng >> 7;
    s->rng ^= s->rng << 17;
    return s->rng;
}

/* A size from 1 byte to max, each power of two as likely as the next. */
static uint64_t qs_size(struct qs *s, uint64_t max)
{
    unsigned bits = 0;
    while ((2ull << bits) <= max)
        bits++;
    uint64_t top = 1ull << (qs_rand(s) % (bits + 1));
    uint64_t v = top + qs_rand(s) % top;
    return v > max ? max : v;
}

/* Reads whose data must be in place: all (event 0) or those before `event`. */
static int qs_settle_reads(struct qs *s, uint64_t event)
{
    unsigned kept = 0;
    uint64_t bad = 0;
    for (unsigned i = 0; i < s->n_reads; i++) {
        struct qs_read *r = &s->reads[i];
        if (event && (!r->event || r->event > event)) {
            s->reads[kept++] = *r;
            continue;
        }
        if (!bad && memcmp(r->got, r->want, r->size))
            bad = r->size;
        free(r->got);
        free(r->want);
    }
    s->n_reads = kept;
    return bad ? qs_fail(s, "a non-blocking read of %llu bytes came back wrong",
                         (unsigned long long)bad)
               : 0;
}

/* A read of [off, off + size), compared with the model as it is now: at once when
 * blocking, else once something guarantees it has landed. */
static int qs_read(struct qs *s, uint64_t off, uint64_t size, int blocking)
{
    if (s->n_reads == sizeof s->reads / sizeof s->reads[0]) {
        if (ttm_finish(s->dev, 0))
            return qs_fail(s, "finish");
        if (qs_settle_reads(s, 0))
            return -1;
    }
    struct qs_read r = {malloc(size), malloc(size), size, 0};
    if (!r.got || !r.want) {
        free(r.got);
        free(r.want);
        return qs_fail(s, "out of memory");
    }
    memcpy(r.want, s->model + off, size);
    int rc = ttm_enqueue_read_buffer(s->buf, off, r.got, size, blocking);
    if (rc || blocking) {
        int bad = !rc && memcmp(r.got, r.want, size);
        free(r.got);
        free(r.want);
        if (rc)
            return qs_fail(s, "read of %llu bytes at %llu: %d", (unsigned long long)size,
                           (unsigned long long)off, rc);
        return bad ? qs_fail(s, "a blocking read of %llu bytes at %llu came back wrong",
                             (unsigned long long)size, (unsigned long long)off)
                   : 0;
    }
    s->reads[s->n_reads++] = r;
    return 0;
}

static int qs_step(struct qs *s, uint64_t max)
{
    unsigned op = (unsigned)(qs_rand(s) % 16);
    uint64_t size = qs_size(s, max);
    uint64_t off = qs_rand(s) % (QS_BUFFER - size + 1);
    int blocking = qs_rand(s) & 1;
    if (op < 5) { /* write */
        uint8_t *data = malloc(size);
        if (!data)
            return qs_fail(s, "out of memory");
        for (uint64_t i = 0; i < size; i++)
            data[i] = (uint8_t)qs_rand(s);
        memcpy(s->model + off, data, size);
        int rc = ttm_enqueue_write_buffer(s->buf, off, data, size, blocking);
        free(data); /* the queue keeps its own copy */
        return rc ? qs_fail(s, "write of %llu bytes at %llu: %d", (unsigned long long)size,
                            (unsigned long long)off, rc)
                  : 0;
    }
    if (op < 9)
        return qs_read(s, off, size, blocking);
    if (op < 12) { /* launch, queued or waited for */
        uint32_t page = (uint32_t)(qs_rand(s) % (QS_BUFFER / QS_PAGE));
        uint32_t args[2] = {(uint32_t)ttm_buffer_address(s->buf), page};
        for (int i = 0; i < 16; i++) {
            uint32_t w;
            memcpy(&w, s->model + (uint64_t)page * QS_PAGE + 4 * i, 4);
            w++;
            memcpy(s->model + (uint64_t)page * QS_PAGE + 4 * i, &w, 4);
        }
        int rc = ttm_set_runtime_args(s->prog, s->k, 0, 0, args, 2);
        if (!rc)
            rc = blocking ? ttm_program_launch(s->dev, s->prog, 0)
                          : ttm_enqueue_program(s->dev, s->prog);
        if (!rc && blocking)
            rc = qs_settle_reads(s, 0);
        if (rc)
            return qs_fail(s, "launch: %d", rc);
        /* What the kernel did, read back behind it (later writes may cover the page). */
        return qs_read(s, (uint64_t)page * QS_PAGE, 64, 0);
    }
    if (op < 14) { /* record an event */
        uint64_t ev;
        if (ttm_enqueue_record_event(s->dev, &ev))
            return qs_fail(s, "record event");
        for (unsigned i = 0; i < s->n_reads; i++)
            if (!s->reads[i].event)
                s->reads[i].event = ev;
        if (s->n_events < sizeof s->events / sizeof s->events[0])
            s->events[s->n_events++] = ev;
        return 0;
    }
    if (op < 15 && s->n_events) { /* wait for one of them */
        uint64_t ev = s->events[qs_rand(s) % s->n_events];
        int rc = ttm_event_wait(s->dev, ev, 0);
        return rc ? qs_fail(s, "event %llu: %d", (unsigned long long)ev, rc)
                  : qs_settle_reads(s, ev);
    }
    if (ttm_finish(s->dev, 0))
        return qs_fail(s, "finish");
    return qs_settle_reads(s, 0);
}

/* `ops` random calls with transfers of up to max_size bytes, then the whole buffer read
 * back and compared. */
static int queue_sequence(ttm_device *dev, uint32_t seed, unsigned ops, uint64_t max_size,
                          char *why, size_t why_len)
{
    struct qs s = {.dev = dev, .rng = 0x9E3779B97F4A7C15ull ^ seed, .why = why, .why_len = why_len};
    struct ttm_kernel_opts o = {.argsz = sizeof o, .processor = TTM_RISCV_0};
    struct ttm_core_range core = {0, 0, 0, 0};
    int rc = -1;
    s.model = calloc(1, QS_BUFFER);
    uint8_t *back = malloc(QS_BUFFER);
    if (!s.model || !back || ttm_buffer_create_interleaved(dev, QS_BUFFER, QS_PAGE, TTM_BUFFER_DRAM, &s.buf) ||
        ttm_buffer_write(s.buf, 0, s.model, QS_BUFFER) || ttm_program_create(dev, &s.prog) ||
        ttm_kernel_create_dataflow_from_string(s.prog, qs_bump_src, &core, 1, &o, &s.k)) {
        qs_fail(&s, "setting up");
        goto out;
    }
    for (unsigned i = 0; i < ops; i++)
        if (qs_step(&s, max_size))
            goto out;
    if (ttm_finish(dev, 0) || qs_settle_reads(&s, 0) || ttm_buffer_read(s.buf, 0, back, QS_BUFFER)) {
        qs_fail(&s, "finishing");
        goto out;
    }
    for (uint64_t i = 0; i < QS_BUFFER; i++) {
        if (back[i] != s.model[i]) {
            qs_fail(&s, "byte %llu is 0x%02x, the model says 0x%02x", (unsigned long long)i,
                    back[i], s.model[i]);
            goto out;
        }
    }
    rc = 0;
out:
    for (unsigned i = 0; i < s.n_reads; i++) {
        free(s.reads[i].got);
        free(s.reads[i].want);
    }
    if (s.prog)
        ttm_program_destroy(s.prog);
    if (s.buf)
        ttm_buffer_destroy(s.buf);
    free(s.model);
    free(back);
    return rc;
}
