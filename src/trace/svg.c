/* A trace as an SVG timeline, readable without a browser's trace viewer: a row for the
 * host's API calls, one per dispatch core, then one per worker, in which a grey bar is a
 * launch (GO to DONE) and five thin lanes are the kernels of BRISC, NCRISC and the three
 * TRISCs. Every bar carries a tooltip with its name and length. */
#include <errno.h>
#include <inttypes.h>

#include "trace.h"
#include "ttm/kernel/abi.h"

#define WIDTH 1400.0
#define LABELS 120.0        /* the row names' column */
#define RIGHT 20.0
#define TOP 56.0            /* title and time axis above the rows */
#define ROW_HOST 16.0
#define ROW_DISPATCH 16.0
#define ROW_WORKER 12.0
#define LANE 2.0            /* a worker processor's kernel lane */

static const char *const proc_color[BH_CORES_PER_TILE] = {"#4e79a7", "#f28e2b", "#59a14f",
                                                          "#17becf", "#b6992d"};

struct svg {
    const struct trace *tr;
    FILE *f;
    double t_min, t_max;    /* microseconds */
    bool any;
    uint32_t dispatch_rows;
    bool launches;          /* this pass draws the launches' bars, under everything else */
};

static int extent(void *ctx, const struct trace_item *it)
{
    struct svg *s = ctx;
    double t0 = trace_us(s->tr, it->t0), t1 = trace_us(s->tr, it->t1);
    if (!s->any || t0 < s->t_min)
        s->t_min = t0;
    if (!s->any || t1 > s->t_max)
        s->t_max = t1;
    s->any = true;
    return 0;
}

static double x_of(const struct svg *s, double us)
{
    return LABELS + (us - s->t_min) / (s->t_max - s->t_min) * (WIDTH - LABELS - RIGHT);
}

/* Top of a track's row, and its height. */
static double row_y(const struct svg *s, uint32_t track, double *h)
{
    if (track == UINT32_MAX) {
        *h = ROW_HOST;
        return TOP;
    }
    const struct trace_track *k = &s->tr->tracks[track];
    double y = TOP + ROW_HOST;
    if (k->role != TRACE_WORKER) {
        *h = ROW_DISPATCH;
        return y + (k->role - 1) * ROW_DISPATCH;
    }
    *h = ROW_WORKER;
    return y + s->dispatch_rows * ROW_DISPATCH + (k->ly * s->tr->grid_x + k->lx) * ROW_WORKER;
}

static const char *dispatch_color(unsigned what)
{
    switch (what) {
    case TTM_TR_RECORD_BEGIN: return "#b07aa1";
    case TTM_TR_WAIT_BEGIN: return "#bab0ac";
    case TTM_TR_FETCH_BEGIN: return "#ff9da7";
    default: return "#9c755f";
    }
}

static void bar(FILE *f, double x0, double x1, double y, double h, const char *fill,
                const char *name, double us)
{
    double w = x1 - x0 < 0.5 ? 0.5 : x1 - x0;
    fprintf(f, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\">"
               "<title>%s: %.3f us</title></rect>\n", x0, y, w, h, fill, name, us);
}

static int draw(void *ctx, const struct trace_item *it)
{
    struct svg *s = ctx;
    double h, y = row_y(s, it->track, &h);
    double t0 = trace_us(s->tr, it->t0), t1 = trace_us(s->tr, it->t1);
    double x0 = x_of(s, t0), x1 = x_of(s, t1);
    const char *name = trace_item_name(it);
    bool launch = it->track != UINT32_MAX && it->what == TTM_TR_GO &&
                  s->tr->tracks[it->track].role == TRACE_WORKER;
    if (it->shape == TRACE_FLOW || launch != s->launches)
        return 0; /* a flow: the gap between the grey bars shows it */
    if (it->shape == TRACE_INSTANT) {
        fprintf(s->f, "<line x1=\"%.2f\" x2=\"%.2f\" y1=\"%.2f\" y2=\"%.2f\" stroke=\"#e15759\">"
                      "<title>%s at %.3f us</title></line>\n", x0, x0, y, y + h, name, t0);
        return ferror(s->f) ? -EIO : 0;
    }
    if (it->track == UINT32_MAX) {
        bar(s->f, x0, x1, y + 2, h - 4, "#4e79a7", name, t1 - t0);
    } else if (s->tr->tracks[it->track].role != TRACE_WORKER) {
        bar(s->f, x0, x1, y + 2, h - 4, dispatch_color(it->what), name, t1 - t0);
    } else if (launch) {
        bar(s->f, x0, x1, y, h - 1, "#dddddd", name, t1 - t0);
    } else {
        unsigned p = s->tr->tracks[it->track].proc;
        bar(s->f, x0, x1, y + 1 + LANE * p, LANE, proc_color[p], name, t1 - t0);
    }
    return ferror(s->f) ? -EIO : 0;
}

/* A tick every 1, 2 or 5 times a power of ten microseconds, about ten in all. */
static void axis(const struct svg *s, double bottom)
{
    double span = s->t_max - s->t_min, step = 1e-3;
    while (span / step > 10) {
        if (span / (step * 2) <= 10) {
            step *= 2;
        } else if (span / (step * 5) <= 10) {
            step *= 5;
        } else {
            step *= 10;
            continue;
        }
        break;
    }
    for (double t = 0; t <= span + step / 2; t += step) {
        double x = x_of(s, s->t_min + t);
        fprintf(s->f, "<line x1=\"%.2f\" x2=\"%.2f\" y1=\"%.2f\" y2=\"%.2f\" stroke=\"#eeeeee\"/>"
                      "<text x=\"%.2f\" y=\"%.2f\" font-size=\"10\" text-anchor=\"middle\">%g</text>\n",
                x, x, TOP - 4, bottom, x, TOP - 8, t);
    }
}

static void labels(const struct svg *s)
{
    double h, y = row_y(s, UINT32_MAX, &h);
    fprintf(s->f, "<text x=\"4\" y=\"%.2f\" font-size=\"10\">host calls</text>\n", y + h - 4);
    for (uint32_t k = 0; k < s->tr->n_tracks; k++) {
        const struct trace_track *t = &s->tr->tracks[k];
        if (t->role == TRACE_WORKER && t->proc != BH_BRISC)
            continue; /* one row a worker */
        char name[48];
        if (t->role == TRACE_WORKER)
            snprintf(name, sizeof name, "worker (%u,%u)", t->lx, t->ly);
        else
            trace_track_name(t, name, sizeof name);
        y = row_y(s, k, &h);
        fprintf(s->f, "<text x=\"4\" y=\"%.2f\" font-size=\"%g\">%s</text>\n", y + h - 2,
                h > 12 ? 10.0 : 8.0, name);
    }
}

static void legend(FILE *f, double y)
{
    static const char *const names[BH_CORES_PER_TILE] = {"BRISC", "NCRISC", "TRISC0", "TRISC1",
                                                         "TRISC2"};
    double x = LABELS;
    fprintf(f, "<rect x=\"%.0f\" y=\"%.0f\" width=\"12\" height=\"8\" fill=\"#dddddd\"/>"
               "<text x=\"%.0f\" y=\"%.0f\" font-size=\"10\">launch (GO to DONE)</text>\n",
            x, y, x + 16, y + 8);
    x += 130;
    for (unsigned p = 0; p < BH_CORES_PER_TILE; p++, x += 110)
        fprintf(f, "<rect x=\"%.0f\" y=\"%.0f\" width=\"12\" height=\"8\" fill=\"%s\"/>"
                   "<text x=\"%.0f\" y=\"%.0f\" font-size=\"10\">%s kernel</text>\n",
                x, y, proc_color[p], x + 16, y + 8, names[p]);
}

int trace_write_svg(const struct trace *tr, FILE *f)
{
    struct svg s = {tr, f, 0, 0, false, 0, false};
    for (uint32_t k = 0; k < tr->n_tracks; k++)
        s.dispatch_rows += tr->tracks[k].role != TRACE_WORKER;
    int rc = trace_items(tr, extent, &s);
    if (rc)
        return err_set(rc, "writing the trace's picture failed");
    if (!s.any || s.t_max <= s.t_min)
        s.t_max = s.t_min + 1;
    double bottom = TOP + ROW_HOST + s.dispatch_rows * ROW_DISPATCH +
                    (double)tr->grid_x * tr->grid_y * ROW_WORKER;
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
               "font-family=\"sans-serif\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
               "<text x=\"4\" y=\"16\" font-size=\"13\">ttm trace: device time in microseconds "
               "(%u cycles each)%s</text>\n",
            WIDTH, bottom + 30, tr->mhz, tr->lost ? ", some events were lost" : "");
    axis(&s, bottom);
    labels(&s);
    s.launches = true;
    rc = trace_items(tr, draw, &s);
    s.launches = false;
    if (!rc)
        rc = trace_items(tr, draw, &s);
    legend(f, bottom + 10);
    fprintf(f, "</svg>\n");
    if (!rc && ferror(f))
        rc = -EIO;
    return rc ? err_set(rc, "writing the trace's picture failed") : 0;
}
