/* Collecting a trace: which rings to read, draining them, and the host's API calls. */
#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "../chip/chip.h"
#include "../chip/grid.h"
#include "../dispatch/fast.h"
#include "../objects.h"
#include "trace.h"
#include "ttm/kernel/abi.h"

/* The device clock: a worker's wall clock, read twice around the low word so that a
 * carry between the halves is seen (host-facts 2.7: reading the low word latches the
 * high one, which the firmware's own reads rely on; the live high word leaves it be). */
static int device_clock(struct ttm_device *dev, uint64_t *t)
{
    struct ttm_chip *c = &dev->chip;
    struct chip_worker w = chip_worker_at(c, 0, 0);
    uint32_t hi, lo, hi2;
    for (int tries = 0; tries < 3; tries++) {
        int rc = chip_read32(c, w.x, w.y, BH_WALL_CLOCK_1, &hi);
        if (!rc)
            rc = chip_read32(c, w.x, w.y, BH_WALL_CLOCK_0, &lo);
        if (!rc)
            rc = chip_read32(c, w.x, w.y, BH_WALL_CLOCK_1, &hi2);
        if (rc)
            return rc;
        if (hi == hi2) {
            *t = (uint64_t)hi << 32 | lo;
            return 0;
        }
    }
    return err_set(-EIO, "the device's wall clock does not read steadily");
}

static void add_track(struct trace *tr, uint8_t role, uint8_t proc, struct chip_worker w,
                      uint32_t lx, uint32_t ly)
{
    tr->tracks[tr->n_tracks++] = (struct trace_track){.role = role, .proc = proc, .x = w.x,
                                                      .y = w.y, .lx = (uint8_t)lx,
                                                      .ly = (uint8_t)ly};
}

/* Every worker processor, then (fast dispatch) the prefetcher, the dispatcher and its
 * subordinate. */
static int make_tracks(struct ttm_device *dev, struct trace *tr)
{
    struct ttm_chip *c = &dev->chip;
    tr->grid_x = c->grid_x;
    tr->grid_y = c->grid_y;
    tr->tracks = calloc((size_t)c->n_workers * BH_CORES_PER_TILE + 3, sizeof *tr->tracks);
    if (!tr->tracks)
        return err_set(-ENOMEM, "out of memory");
    for (uint32_t ly = 0; ly < c->grid_y; ly++)
        for (uint32_t lx = 0; lx < c->grid_x; lx++)
            for (uint8_t p = 0; p < BH_CORES_PER_TILE; p++)
                add_track(tr, TRACE_WORKER, p, chip_worker_at(c, lx, ly), lx, ly);
    if (dev->fast) {
        add_track(tr, TRACE_PREFETCHER, BH_BRISC, dev->fast->q.pf, 0, 0);
        add_track(tr, TRACE_DISPATCHER, BH_BRISC, dev->fast->q.dp, 0, 0);
        add_track(tr, TRACE_SUBORDINATE, BH_NCRISC, dev->fast->q.dp, 0, 0);
    }
    return 0;
}

static int written(struct ttm_device *dev, const struct trace_track *k, uint32_t *n)
{
    return chip_read32(&dev->chip, k->x, k->y, TTM_TRACE_RING_ADDR(k->proc), n);
}

/* Events [from, from + n) of a track's ring (n <= TTM_TRACE_EVENTS, the ring wrapping). */
static int read_events(struct ttm_device *dev, const struct trace_track *k, uint32_t from,
                       uint32_t n, struct ttm_trace_event *ev)
{
    uint32_t first = from % TTM_TRACE_EVENTS;
    uint32_t part = n < TTM_TRACE_EVENTS - first ? n : TTM_TRACE_EVENTS - first;
    uint64_t base = TTM_TRACE_RING_ADDR(k->proc) + offsetof(struct ttm_trace_ring, ev);
    int rc = chip_read(&dev->chip, k->x, k->y, base + first * sizeof ev[0], ev, part * sizeof ev[0]);
    if (!rc && part < n)
        rc = chip_read(&dev->chip, k->x, k->y, base, ev + part, (n - part) * sizeof ev[0]);
    return rc;
}

int trace_begin(struct ttm_device *dev)
{
    if (dev->trace)
        return err_set(-EBUSY, "the device is already tracing");
    struct trace *tr = calloc(1, sizeof *tr);
    if (!tr)
        return err_set(-ENOMEM, "out of memory");
    int rc = make_tracks(dev, tr);
    for (uint32_t i = 0; !rc && i < tr->n_tracks; i++) {
        struct trace_track *k = &tr->tracks[i];
        rc = written(dev, k, &k->seen);
        /* The event before tracing began, to tell a later reboot (drain_track). */
        k->has_last = !rc && k->seen;
        if (k->has_last)
            rc = read_events(dev, k, k->seen - 1, 1, &k->last);
    }
    if (!rc)
        rc = device_clock(dev, &tr->t0);
    /* Wall-clock ticks are AICLK cycles; a card's clock may not be raised (kmd-facts
     * 2.7). A value out of reason, or none, leaves the nominal busy clock. */
    uint32_t mhz;
    tr->mhz = !rc && !grid_telemetry(&dev->chip, BH_TAG_AICLK, &mhz) && mhz >= 100 && mhz <= 5000
                  ? mhz
                  : BH_AICLK_MHZ;
    if (rc) {
        free(tr->tracks);
        free(tr);
        return err_wrap(rc, "starting a trace");
    }
    dev->trace = tr;
    return 0;
}

static int push_event(struct trace *tr, const struct trace_event *e)
{
    if (tr->n_ev == tr->cap_ev) {
        size_t cap = tr->cap_ev ? 2 * tr->cap_ev : 4096;
        struct trace_event *ev = realloc(tr->ev, cap * sizeof *ev);
        if (!ev)
            return err_set(-ENOMEM, "out of memory for trace events");
        tr->ev = ev;
        tr->cap_ev = cap;
    }
    tr->ev[tr->n_ev++] = *e;
    return 0;
}

/* The events of one ring since the last drain, oldest first; the ones overwritten before
 * they could be read are counted as lost. The processor may go on recording meanwhile:
 * what it overwrote during the copy is dropped too.
 *
 * A rebooted processor (a recovery) starts its ring over from 0. Its count going back
 * shows that only while it is below the last drain's; so the copy also takes the last
 * event read before, when the ring still holds it, and a reboot shows as that slot
 * changed. Events recorded before the reboot and not drained are gone, uncounted. */
static int drain_track(struct ttm_device *dev, struct trace *tr, uint32_t index)
{
    struct trace_track *k = &tr->tracks[index];
    uint32_t now, after;
    int rc = written(dev, k, &now);
    if (rc || now == k->seen)
        return rc;
    if ((int32_t)(now - k->seen) < 0)
        k->seen = 0, k->has_last = false;
    uint32_t fresh = now - k->seen;
    if (fresh > TTM_TRACE_EVENTS) {
        tr->lost += fresh - TTM_TRACE_EVENTS;
        fresh = TTM_TRACE_EVENTS;
    }
    uint32_t check = k->has_last && fresh < TTM_TRACE_EVENTS; /* 1: ev[0] is the last one */
    uint32_t from = now - fresh - check, n = fresh + check;
    struct ttm_trace_event ev[TTM_TRACE_EVENTS];
    rc = read_events(dev, k, from, n, ev);
    if (!rc)
        rc = written(dev, k, &after);
    if (rc)
        return rc;
    /* A slot the processor reached again during the copy, or was writing as it ended
     * (it writes the slot of `after`, then counts it), is not whole: those are the copy's
     * oldest. */
    uint32_t skip = 0;
    if ((int32_t)(after + 1 - from) > (int32_t)TTM_TRACE_EVENTS) {
        uint32_t reached = after + 1 - from - TTM_TRACE_EVENTS;
        skip = reached < n ? reached : n;
    }
    if (check && !skip && memcmp(&ev[0], &k->last, sizeof ev[0])) {
        k->seen = 0, k->has_last = false; /* rebooted: read its ring from the start */
        return drain_track(dev, tr, index);
    }
    uint32_t start = skip > check ? skip : check;
    tr->lost += start - check;
    for (uint32_t i = start; !rc && i < n; i++) {
        /* Read from the device: an event it could not have made is left out. */
        if (!ev[i].what || ev[i].what >= TTM_TR_WHAT_END)
            continue;
        struct trace_event e = {(uint64_t)ev[i].t_hi << 32 | ev[i].t_lo, ev[i].arg, ev[i].what,
                                ev[i].seq, index};
        rc = push_event(tr, &e);
    }
    k->seen = now;
    k->has_last = start < n;
    if (k->has_last)
        k->last = ev[n - 1];
    return rc;
}

int trace_drain(struct ttm_device *dev)
{
    struct trace *tr = dev->trace;
    int rc = 0;
    for (uint32_t i = 0; tr && !rc && i < tr->n_tracks; i++)
        rc = drain_track(dev, tr, i);
    return rc ? err_wrap(rc, "reading the device's trace rings") : 0;
}

void trace_call_begin(struct ttm_device *dev, const char *name)
{
    struct trace *tr = dev->trace;
    if (!tr || tr->in_call || device_clock(dev, &tr->in_call_t0))
        return;
    tr->in_call = name;
}

void trace_call_end(struct ttm_device *dev)
{
    struct trace *tr = dev->trace;
    uint64_t t1;
    if (!tr || !tr->in_call || device_clock(dev, &t1))
        return;
    if (tr->n_calls == tr->cap_calls) {
        size_t cap = tr->cap_calls ? 2 * tr->cap_calls : 256;
        struct trace_call *c = realloc(tr->calls, cap * sizeof *c);
        if (!c) /* the call goes unrecorded; the device's events do not */
            return;
        tr->calls = c;
        tr->cap_calls = cap;
    }
    tr->calls[tr->n_calls++] = (struct trace_call){tr->in_call, tr->in_call_t0, t1};
    tr->in_call = NULL;
}

/* Numbers are written with a '.' whatever locale the program set: the formats need it. */
static int write_file(const struct trace *tr, const char *path, bool svg)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return err_set(-errno, "cannot write %s: %s", path, strerror(errno));
    locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    locale_t was = c ? uselocale(c) : (locale_t)0;
    int rc = svg ? trace_write_svg(tr, f) : trace_write_json(tr, f);
    if (c) {
        uselocale(was);
        freelocale(c);
    }
    if (fclose(f) && !rc)
        rc = err_set(-EIO, "cannot write %s", path);
    return rc;
}

int trace_end(struct ttm_device *dev, const char *json_path, const char *svg_path)
{
    struct trace *tr = dev->trace;
    if (!tr)
        return err_set(-EINVAL, "the device is not tracing");
    int rc = trace_drain(dev);
    if (!rc && json_path)
        rc = write_file(tr, json_path, false);
    if (!rc && svg_path)
        rc = write_file(tr, svg_path, true);
    dev->trace = NULL;
    free(tr->tracks);
    free(tr->ev);
    free(tr->calls);
    free(tr);
    return rc;
}
