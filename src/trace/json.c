/* A trace as Chrome's trace-event JSON, which Perfetto's UI and chrome://tracing load:
 * process 1 the host's API calls, process 2 the dispatch cores, process 3 the workers;
 * one thread per track, sorted in track order; times in microseconds of device clock. */
#include <errno.h>
#include <inttypes.h>

#include "trace.h"
#include "ttm/kernel/abi.h"

enum { PID_HOST = 1, PID_DISPATCH = 2, PID_WORKERS = 3 };

struct json {
    const struct trace *tr;
    FILE *f;
    uint32_t flows;
};

static int pid_of(const struct trace *tr, uint32_t track)
{
    if (track == UINT32_MAX)
        return PID_HOST;
    return tr->tracks[track].role == TRACE_WORKER ? PID_WORKERS : PID_DISPATCH;
}

static void metadata(FILE *f, int pid, uint32_t tid, const char *what, const char *name)
{
    fprintf(f, "{\"ph\":\"M\",\"pid\":%d,\"tid\":%" PRIu32 ",\"name\":\"%s\","
               "\"args\":{\"name\":\"%s\"}},\n", pid, tid, what, name);
}

static int item(void *ctx, const struct trace_item *it)
{
    struct json *j = ctx;
    int pid = pid_of(j->tr, it->track);
    uint32_t tid = it->track == UINT32_MAX ? 0 : it->track;
    double t0 = trace_us(j->tr, it->t0), t1 = trace_us(j->tr, it->t1);
    const char *name = trace_item_name(it);
    switch (it->shape) {
    case TRACE_SPAN:
        fprintf(j->f, "{\"ph\":\"X\",\"pid\":%d,\"tid\":%" PRIu32 ",\"ts\":%.3f,\"dur\":%.3f,"
                      "\"name\":\"%s\",\"args\":{\"arg\":%" PRIu32 ",\"seq\":%u,"
                      "\"cycles\":%" PRIu64 "}},\n",
                pid, tid, t0, t1 - t0, name, it->arg, it->seq, it->t1 - it->t0);
        break;
    case TRACE_INSTANT:
        fprintf(j->f, "{\"ph\":\"i\",\"s\":\"t\",\"pid\":%d,\"tid\":%" PRIu32 ",\"ts\":%.3f,"
                      "\"name\":\"%s\",\"args\":{\"arg\":%" PRIu32 "}},\n",
                pid, tid, t0, name, it->arg);
        break;
    default:
        /* From inside the launch that ended to the start of the next one. */
        j->flows++;
        fprintf(j->f, "{\"ph\":\"s\",\"cat\":\"flow\",\"id\":%" PRIu32 ",\"pid\":%d,"
                      "\"tid\":%" PRIu32 ",\"ts\":%.3f,\"name\":\"%s\"},\n",
                j->flows, pid, tid, t0 - 0.001, name);
        fprintf(j->f, "{\"ph\":\"f\",\"bp\":\"e\",\"cat\":\"flow\",\"id\":%" PRIu32 ",\"pid\":%d,"
                      "\"tid\":%" PRIu32 ",\"ts\":%.3f,\"name\":\"%s\"},\n",
                j->flows, pid, tid, t1, name);
    }
    return ferror(j->f) ? -EIO : 0;
}

int trace_write_json(const struct trace *tr, FILE *f)
{
    fprintf(f, "{\"displayTimeUnit\":\"ns\",\n\"otherData\":{\"clock\":\"device cycles, %u a "
               "microsecond\",\"start_cycles\":%" PRIu64 ",\"lost_events\":%" PRIu64 "},\n"
               "\"traceEvents\":[\n",
            tr->mhz, tr->t0, tr->lost);
    metadata(f, PID_HOST, 0, "process_name", "host");
    metadata(f, PID_HOST, 0, "thread_name", "API calls");
    metadata(f, PID_DISPATCH, 0, "process_name", "dispatch cores");
    metadata(f, PID_WORKERS, 0, "process_name", "workers");
    for (uint32_t k = 0; k < tr->n_tracks; k++) {
        char name[48];
        int pid = pid_of(tr, k);
        trace_track_name(&tr->tracks[k], name, sizeof name);
        metadata(f, pid, k, "thread_name", name);
        fprintf(f, "{\"ph\":\"M\",\"pid\":%d,\"tid\":%" PRIu32 ",\"name\":\"thread_sort_index\","
                   "\"args\":{\"sort_index\":%" PRIu32 "}},\n", pid, k, k);
    }
    struct json j = {tr, f, 0};
    int rc = trace_items(tr, item, &j);
    /* The last element has no comma after it. */
    fprintf(f, "{\"ph\":\"M\",\"pid\":%d,\"tid\":0,\"name\":\"process_sort_index\","
               "\"args\":{\"sort_index\":%d}}\n]}\n", PID_HOST, 0);
    if (!rc && ferror(f))
        rc = -EIO;
    return rc ? err_set(rc, "writing the trace's JSON failed") : 0;
}
