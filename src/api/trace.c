/* Tracing's entry points (ttm.h "Tracing") and TTM_TRACE, which traces every device of a
 * process from creation to close. */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../trace/trace.h"
#include "api.h"

VIS int ttm_trace_begin(ttm_device *dev)
{
    struct ttm_device *d;
    int rc = api_enter(dev, HANDLE_DEVICE, &d);
    return rc ? rc : api_leave(d, trace_begin(d));
}

VIS int ttm_trace_end(ttm_device *dev, const char *json_path, const char *svg_path)
{
    struct ttm_device *d;
    int rc = api_enter(dev, HANDLE_DEVICE, &d);
    if (rc)
        return rc;
    /* What it writes ends with this call's start. */
    trace_call_end(d);
    return api_leave(d, trace_end(d, json_path, svg_path));
}

/* TTM_TRACE's files for the n-th traced device of the process: the path as given, then
 * "-n" before a ".json" ending; the picture beside it, ".svg" in place of ".json". */
static void env_paths(const char *path, unsigned n, char *json, char *svg, size_t len)
{
    size_t l = strlen(path);
    bool dot_json = l > 5 && !strcmp(path + l - 5, ".json");
    int stem = (int)(dot_json ? l - 5 : l);
    char suffix[16] = "";
    if (n > 1)
        snprintf(suffix, sizeof suffix, "-%u", n);
    snprintf(json, len, "%.*s%s%s", stem, path, suffix, dot_json ? ".json" : "");
    snprintf(svg, len, "%.*s%s.svg", stem, path, suffix);
}

static atomic_uint env_traces;

int api_trace_from_env(struct ttm_device *dev)
{
    const char *path = getenv("TTM_TRACE");
    if (!path || !*path)
        return 0;
    int rc = trace_begin(dev);
    if (rc)
        return rc;
    dev->trace_env = atomic_fetch_add(&env_traces, 1) + 1;
    return 0;
}

int api_trace_close(struct ttm_device *dev)
{
    if (!dev->trace)
        return 0;
    const char *path = getenv("TTM_TRACE");
    if (!dev->trace_env || !path || !*path)
        return trace_end(dev, NULL, NULL);
    char json[4096], svg[4096];
    env_paths(path, dev->trace_env, json, svg, sizeof json);
    return trace_end(dev, json, svg);
}
