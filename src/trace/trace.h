/* Tracing: a timeline of a device's work. The firmware of every core records its events
 * in L1 rings (ttm/kernel/abi.h, device timestamps); while a device traces, the host
 * drains those rings at the calls that wait, notes its own API calls on the device's
 * clock, and at the end writes the timeline as Chrome/Perfetto trace-event JSON (json.c)
 * and as an SVG picture (svg.c). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../util/err.h"
#include "ttm/kernel/abi.h"

struct ttm_device;

/* Whose ring a track is. */
enum trace_role { TRACE_WORKER, TRACE_PREFETCHER, TRACE_DISPATCHER, TRACE_SUBORDINATE };

struct trace_track {
    uint8_t role;              /* enum trace_role */
    uint8_t proc;              /* enum bh_core: whose ring on the tile */
    uint8_t x, y;              /* translated NoC coordinates */
    uint8_t lx, ly;            /* workers: logical coordinates */
    uint32_t seen;             /* the ring's `written` when last drained */
    bool has_last;             /* `last` holds event seen - 1 as it was read */
    struct ttm_trace_event last;
};

struct trace_event {
    uint64_t t;                /* device wall clock, cycles */
    uint32_t arg;
    uint16_t what;             /* enum ttm_trace_what */
    uint16_t seq;
    uint32_t track;
};

/* One of this device's API calls, on the device's clock. */
struct trace_call {
    const char *name;          /* the entry point (a static string) */
    uint64_t t0, t1;
};

struct trace {
    struct trace_track *tracks;
    uint32_t n_tracks;
    struct trace_event *ev;
    size_t n_ev, cap_ev;
    struct trace_call *calls;
    size_t n_calls, cap_calls;
    const char *in_call;       /* the call in progress, NULL if none */
    uint64_t in_call_t0;
    uint64_t t0;               /* device clock when tracing began */
    uint32_t mhz;              /* device clock cycles a microsecond (AICLK) */
    uint64_t lost;             /* events overwritten in a ring before they were drained */
    uint32_t grid_x, grid_y;   /* the worker grid, for the picture */
};

/* Start collecting on dev (dev->trace). -EBUSY when it already traces. */
MUST_CHECK int trace_begin(struct ttm_device *dev);
/* Move the events the rings gained since the last drain into dev->trace (nothing when
 * the device does not trace). */
MUST_CHECK int trace_drain(struct ttm_device *dev);
/* Stop: drain, write the files that are named (NULL: not that one), free. */
MUST_CHECK int trace_end(struct ttm_device *dev, const char *json_path, const char *svg_path);
/* An API call starts or ends (nothing when the device does not trace). */
void trace_call_begin(struct ttm_device *dev, const char *name);
void trace_call_end(struct ttm_device *dev);

/* The device clock in microseconds since tracing began (tr->mhz cycles a µs). */
double trace_us(const struct trace *tr, uint64_t t);
/* A track's name: "(3,4) BRISC", "dispatcher", ... */
void trace_track_name(const struct trace_track *k, char *buf, size_t len);

/* What a trace shows, made from the events (items.c): spans from a begin event to its end
 * on the same track, instants, and per worker a flow from a launch's DONE to the next GO.
 * Host calls are spans on no track (track UINT32_MAX). */
enum trace_shape { TRACE_SPAN, TRACE_INSTANT, TRACE_FLOW };
struct trace_item {
    uint8_t shape;             /* enum trace_shape */
    uint16_t what;             /* the begin event's (or the instant's) enum ttm_trace_what;
                                * 0 for a host call */
    uint16_t seq;
    uint32_t track;
    uint32_t arg;
    uint64_t t0, t1;           /* device clock; t1 == t0 for an instant */
    const char *call;          /* host calls: the entry point */
};
/* Calls visit(ctx, item) for each item in order of tracks, then host calls; stops at the
 * first non-zero return and returns it. */
MUST_CHECK int trace_items(const struct trace *tr, int (*visit)(void *ctx,
                                                                const struct trace_item *it),
                           void *ctx);
/* The name of an item's kind: "kernel", "launch", "record", ... */
const char *trace_item_name(const struct trace_item *it);

/* The two renderings of a collected trace. */
MUST_CHECK int trace_write_json(const struct trace *tr, FILE *f);
MUST_CHECK int trace_write_svg(const struct trace *tr, FILE *f);
