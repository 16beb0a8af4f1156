/* ttm overhead: the dispatch-overhead scenarios of TT-Metal's dispatch guide (seed 002),
 * measured on the current device from the firmware's own timestamps (ttm.h, Tracing):
 * sixteen launches of each program queued back to back in fast dispatch, and the median
 * over them of
 *   - done -> go: the last worker's DONE of a launch to the first worker's GO of the next;
 *   - period: one launch's last DONE to the next one's;
 *   - setup: a worker's GO to its BRISC kernel's start (the CB configs are read there).
 * The guide's figures are printed beside ours. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "objects.h"
#include "trace/trace.h"
#include "ttm/kernel/abi.h"

static const char usage[] =
    "usage: ttm overhead [--backend NAME] [--device N] [--board B] [--svg FILE]\n"
    "\n"
    "Runs the dispatch-overhead scenarios of TT-Metal's dispatch guide on the device in\n"
    "fast dispatch, and prints a table of device cycles measured from the firmware's\n"
    "timestamps, beside the guide's figures: DONE -> GO at best, many short kernels, two\n"
    "kernels too large to share the config ring, runtime args (unique and common, 0-256\n"
    "a core), kernel groups (1-16) and CB configs (0-32). --svg also draws the series as\n"
    "a chart. Exit status: 0, 1 when the device or a scenario fails, 2 bad usage.\n";

#define LAUNCHES 16u

struct figures {
    double done_to_go, period, setup;  /* medians, device cycles */
};

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static double median(uint64_t *v, size_t n)
{
    if (!n)
        return 0;
    qsort(v, n, sizeof *v, cmp_u64);
    return (double)v[n / 2];
}

/* The figures of the launches in the trace, from the workers' GO, kernel start and DONE
 * events, grouped by launch (a worker's seq counts its launches since boot). */
static void figures_of(const struct trace *tr, struct figures *f)
{
    enum { N = LAUNCHES };
    uint64_t first_go[N], last_done[N], setup[N * 4];
    uint16_t seq0 = 0;
    bool any = false;
    size_t n_setup = 0;
    for (size_t i = 0; i < tr->n_ev; i++) {
        const struct trace_event *e = &tr->ev[i];
        if (tr->tracks[e->track].role == TRACE_WORKER && e->what == TTM_TR_GO &&
            (!any || (int16_t)(e->seq - seq0) < 0)) {
            seq0 = e->seq;
            any = true;
        }
    }
    memset(first_go, 0xFF, sizeof first_go);
    memset(last_done, 0, sizeof last_done);
    for (size_t i = 0; any && i < tr->n_ev; i++) {
        const struct trace_event *e = &tr->ev[i];
        const struct trace_track *k = &tr->tracks[e->track];
        unsigned l = (uint16_t)(e->seq - seq0);
        if (k->role != TRACE_WORKER || k->proc != BH_BRISC || l >= N)
            continue;
        if (e->what == TTM_TR_GO && e->t < first_go[l])
            first_go[l] = e->t;
        if (e->what == TTM_TR_DONE && e->t > last_done[l])
            last_done[l] = e->t;
        /* Setup on worker (0,0): its GO to its kernel's start. */
        if (k->lx == 0 && k->ly == 0 && e->what == TTM_TR_KERNEL_BEGIN && n_setup < N * 4)
            for (size_t j = i; j-- > 0;)
                if (tr->ev[j].track == e->track && tr->ev[j].what == TTM_TR_GO) {
                    setup[n_setup++] = e->t - tr->ev[j].t;
                    break;
                }
    }
    uint64_t d2g[N], per[N];
    size_t n = 0;
    /* The first launches fill the pipeline: the steady state is the second half. */
    for (unsigned l = N / 2; l + 1 < N; l++) {
        if (!last_done[l] || !last_done[l + 1] || first_go[l + 1] == UINT64_MAX)
            continue;
        d2g[n] = first_go[l + 1] > last_done[l] ? first_go[l + 1] - last_done[l] : 0;
        per[n++] = last_done[l + 1] - last_done[l];
    }
    f->done_to_go = median(d2g, n);
    f->period = median(per, n);
    f->setup = median(setup, n_setup);
}

/* Sixteen launches of p, queued back to back, traced. */
static int measure(ttm_device *dev, ttm_program *p, struct figures *f)
{
    int rc = ttm_program_launch(dev, p, 0); /* built and resident before timing */
    if (!rc)
        rc = ttm_trace_begin(dev);
    for (unsigned i = 0; !rc && i < LAUNCHES; i++)
        rc = ttm_enqueue_program(dev, p);
    if (!rc)
        rc = ttm_finish(dev, 0);
    if (!rc)
        figures_of(dev->trace, f);
    if (dev->trace && ttm_trace_end(dev, NULL, NULL) && !rc)
        rc = -EIO;
    return rc;
}

struct shape {
    uint32_t rtas;          /* unique runtime args a core, BRISC and NCRISC kernels */
    uint32_t crtas;         /* common runtime args */
    uint32_t groups;        /* kernel groups: distinct BRISC kernels over column bands */
    uint32_t cbs;           /* circular buffers */
    uint32_t text_kib;      /* a BRISC kernel this large (the config ring) */
};

/* An empty kernel, made distinct per group by a define; `big` adds that many KiB of
 * read-only data to its image. */
static int kernel_src(char *buf, size_t len, uint32_t big_kib)
{
    return snprintf(buf, len,
                    "#include <ttm/kernel/dataflow.h>\n"
                    "%s"
                    "void kernel_main(void) {%s}\n",
                    big_kib ? "static const volatile uint32_t big[BIG_WORDS] = {1};\n" : "",
                    big_kib ? " (void)big[GROUP];" : "");
}

static int program_of(ttm_device *dev, const struct ttm_device_info *info,
                      const struct shape *s, ttm_program **out)
{
    ttm_program *p;
    int rc = ttm_program_create(dev, &p);
    if (rc)
        return rc;
    uint32_t args[256];
    for (unsigned i = 0; i < 256; i++)
        args[i] = i;
    char src[512], defines[64];
    kernel_src(src, sizeof src, s->text_kib);
    struct ttm_core_range all = {0, 0, info->grid_x - 1, info->grid_y - 1};
    for (uint32_t g = 0; !rc && g < s->groups; g++) {
        struct ttm_kernel_opts o = {.argsz = sizeof o, .processor = TTM_RISCV_0,
                                    .defines = defines};
        snprintf(defines, sizeof defines, "GROUP=%u BIG_WORDS=%u", g, s->text_kib * 256 + 1);
        ttm_kernel *k;
        /* A band of whole rows per group keeps each group one rectangle. */
        uint32_t rows = info->grid_y / s->groups ? info->grid_y / s->groups : 1;
        struct ttm_core_range band = {0, g * rows, info->grid_x - 1,
                                      g + 1 == s->groups ? info->grid_y - 1 : g * rows + rows - 1};
        if (s->groups > info->grid_y) /* more groups than rows: single cores */
            band = (struct ttm_core_range){g % info->grid_x, g / info->grid_x, g % info->grid_x,
                                           g / info->grid_x};
        rc = ttm_kernel_create_dataflow_from_string(p, src, &band, 1, &o, &k);
        for (uint32_t y = band.y0; !rc && s->rtas && y <= band.y1; y++)
            for (uint32_t x = band.x0; !rc && x <= band.x1; x++)
                rc = ttm_set_runtime_args(p, k, x, y, args, s->rtas);
        if (!rc && s->crtas)
            rc = ttm_set_common_runtime_args(p, k, args, s->crtas);
    }
    for (uint32_t i = 0; !rc && i < s->cbs; i++)
        rc = ttm_cb_create(p, &all, 1, i, 2048, 1024, TTM_FORMAT_RAW, NULL);
    if (rc) {
        ttm_program_destroy(p);
        return rc;
    }
    *out = p;
    return 0;
}

struct row {
    const char *scenario, *setting;
    struct shape shape;
    const char *guide;      /* what TT-Metal's guide says of it */
};

static const struct row rows[] = {
    {"short kernels back to back", "empty kernels", {0, 0, 1, 0, 0}, "done->go ~700 ns"},
    {"config ring: N, N+1 too large", "96 KiB kernel", {0, 0, 1, 0, 96}, "7-15 us stalls"},
    {"runtime args, unique", "8 a core", {8, 0, 1, 0, 0}, ""},
    {"runtime args, unique", "32 a core", {32, 0, 1, 0, 0}, "flat to ~36"},
    {"runtime args, unique", "64 a core", {64, 0, 1, 0, 0}, "then steps every 8"},
    {"runtime args, unique", "256 a core", {256, 0, 1, 0, 0}, ""},
    {"runtime args, common", "32", {0, 32, 1, 0, 0}, "multicast: more cycles,"},
    {"runtime args, common", "256", {0, 256, 1, 0, 0}, "less NoC traffic"},
    {"kernel groups", "2", {0, 0, 2, 0, 0}, "more groups, more"},
    {"kernel groups", "8", {0, 0, 8, 0, 0}, "dispatch and NoC"},
    {"kernel groups", "16", {0, 0, 16, 0, 0}, "(16: a program's most)"},
    {"CB configs", "8", {0, 0, 1, 8, 0}, "~20 cycles each"},
    {"CB configs", "32", {0, 0, 1, 32, 0}, "(~640 ns for 32)"},
};
#define ROWS (sizeof rows / sizeof rows[0])

static void chart(const char *path, const struct figures *f)
{
    FILE *o = fopen(path, "w");
    if (!o) {
        fprintf(stderr, "ttm overhead: cannot write %s\n", path);
        return;
    }
    double max = 1;
    for (unsigned i = 0; i < ROWS; i++)
        if (f[i].period > max)
            max = f[i].period;
    fprintf(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
               "width=\"900\" height=\"%u\" font-family=\"sans-serif\" font-size=\"11\">\n"
               "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n<text x=\"8\" y=\"16\" "
               "font-size=\"13\">launch period and DONE to GO, device cycles</text>\n",
            40 + 20 * (unsigned)ROWS + 20);
    for (unsigned i = 0; i < ROWS; i++) {
        double y = 30 + 20.0 * i, w = 500 * f[i].period / max, g = 500 * f[i].done_to_go / max;
        fprintf(o, "<text x=\"8\" y=\"%.0f\">%s, %s</text>\n<rect x=\"300\" y=\"%.0f\" "
                   "width=\"%.1f\" height=\"8\" fill=\"#4e79a7\"><title>period %.0f</title></rect>\n"
                   "<rect x=\"300\" y=\"%.0f\" width=\"%.1f\" height=\"6\" fill=\"#e15759\"><title>"
                   "done to go %.0f</title></rect>\n<text x=\"%.0f\" y=\"%.0f\">%.0f</text>\n",
                y + 12, rows[i].scenario, rows[i].setting, y + 2, w, f[i].period, y + 11,
                g < 1 ? 1 : g, f[i].done_to_go, 305 + w, y + 10, f[i].period);
    }
    fprintf(o, "<text x=\"8\" y=\"%u\">blue: launch period; red: DONE to GO</text>\n</svg>\n",
            40 + 20 * (unsigned)ROWS + 10);
    fclose(o);
}

int cmd_overhead(int argc, char **argv)
{
    struct ttm_device_opts o = {.argsz = sizeof o};
    const char *svg = NULL;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            fputs(usage, stdout);
            return 0;
        }
        if (!strcmp(argv[i], "--svg") && i + 1 < argc) {
            svg = argv[++i];
            continue;
        }
        int r = cli_device_option("overhead", argc, argv, &i, &o);
        if (r < 0)
            return EXIT_BAD_USAGE;
        if (!r) {
            fprintf(stderr, "ttm overhead: bad option \"%s\" (ttm overhead --help)\n", argv[i]);
            return EXIT_BAD_USAGE;
        }
    }
    o.dispatch = TTM_DISPATCH_FAST; /* the scenarios are fast dispatch's */
    ttm_device *dev;
    struct ttm_device_info info = {.argsz = sizeof info};
    if (ttm_device_create_opts(&o, &dev) || ttm_device_info(dev, &info)) {
        fprintf(stderr, "ttm overhead: %s\n", ttm_last_error());
        return 1;
    }
    struct figures f[ROWS];
    int rc = 0;
    for (unsigned i = 0; !rc && i < ROWS; i++) {
        fprintf(stderr, "\rttm overhead: %u of %u: %s, %s...%*s", i + 1, (unsigned)ROWS,
                rows[i].scenario, rows[i].setting, 10, "");
        ttm_program *p;
        rc = program_of(dev, &info, &rows[i].shape, &p);
        if (!rc) {
            rc = measure(dev, p, &f[i]);
            ttm_program_destroy(p);
        }
        if (rc)
            fprintf(stderr, "\nttm overhead: %s, %s: %s\n", rows[i].scenario, rows[i].setting,
                    ttm_last_error());
    }
    fprintf(stderr, "\r%*s\r", 78, "");
    if (!rc) {
        printf("%s, %s, %u workers, fast dispatch; device cycles, medians of %u launches\n",
               info.backend, info.board == TTM_BOARD_P150A ? "P150A" : "P100A",
               info.num_workers, LAUNCHES / 2 - 1);
        printf("%-30s %-14s %10s %10s %10s  %s\n", "scenario", "setting", "done->go", "period",
               "setup", "TT-Metal's guide");
        for (unsigned i = 0; i < ROWS; i++)
            printf("%-30s %-14s %10.0f %10.0f %10.0f  %s\n", rows[i].scenario, rows[i].setting,
                   f[i].done_to_go, f[i].period, f[i].setup, rows[i].guide);
        if (strcmp(info.backend, "kmd"))
            printf("(cycles of a model: the %s backend's timing is an approximation of the "
                   "chip's; a card's are real)\n", info.backend);
        if (svg)
            chart(svg, f);
    }
    return ttm_device_close(dev) || rc ? 1 : 0;
}
