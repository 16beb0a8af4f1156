/* Fast dispatch, host side.
 *
 * A launch is a handful of commands: a WAIT until what it is about to overwrite is no
 * longer in use, its kernel-config images (multicast per kernel group), the unique
 * runtime args (one packed write), launch messages for every worker (cores without a
 * kernel get an empty one, so every worker's launch ring moves in step), and a GO that
 * the dispatcher's subordinate sends once the previous launch's DONE count is complete.
 * Up to TTM_LAUNCH_SLOTS launches are in flight: while launch N runs, N+1's images and
 * messages are already written (seed 002 "Asynchronous Dispatch").
 *
 * Each launch takes a region of the workers' kernel-config ring; when that region
 * overlaps one of a launch still running, or the launch-message slot is still in use, the
 * WAIT makes the dispatcher stall until it is free (seed 002: "Kernel N and N+1 too large").
 *
 * A program's commands are built once and cached; an enqueue copies them into the issue
 * ring and patches what depends on the launch: the region's address, the launch slot and
 * the DONE counts to wait for. Runtime-arg changes are patched into the cache.
 */
#include "fast.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../api/internal.h"
#include "../util/err.h"
#include "cq.h"
#include "groups.h"
#include "hang.h"

#define TIMEOUT_MS 10000
#define CFG_RING TTM_L1_KERNEL_CONFIG_SIZE
#define LAUNCH_ADDR (TTM_L1_MAILBOX + offsetof(struct ttm_mailbox, launch))
#define DONE_MASK BH_STREAM_COUNTER_MASK

/* What an enqueue patches in a cached command stream. */
enum patch_kind {
    PATCH_CFG,     /* u32 += the launch's kernel-config region address */
    PATCH_SLOT,    /* u32 += launch slot * sizeof(struct ttm_launch_msg) */
    PATCH_WAIT,    /* u32 = DONE count the launch must wait for first */
    PATCH_GO,      /* u32 = DONE count the GO waits for */
};

struct patch {
    uint32_t off;
    uint32_t kind;
};

struct fast_tmpl {
    uint32_t version;          /* of the program it was built from */
    uint8_t *blob;             /* commands back to back */
    uint32_t len, cap;
    uint32_t *cmds;            /* offset of each command */
    uint32_t n_cmds, cap_cmds;
    struct patch *patches;     /* ascending offsets */
    uint32_t n_patches, cap_patches;
    uint32_t region;           /* kernel-config bytes a launch needs */
    uint32_t *args_at;         /* per core: blob offset of its unique args, or 0 */
    struct plan plan;
};

struct inflight {
    uint32_t cfg_start;        /* start of its config region (free-running bytes) */
    uint32_t done;             /* DONE count once it has finished */
};

struct pending_read {
    uint32_t id;
    uint8_t *dst;
    uint32_t len;
};

struct fast {
    struct cq q;
    struct chip_worker pf, dp;
    uint32_t n_workers;
    struct chip_rect rects[CHIP_MAX_RECTS];
    unsigned n_rects;
    uint32_t launches;         /* launches enqueued since boot */
    uint32_t done_target;      /* DONE count once every enqueued launch has finished */
    uint32_t cfg_wr;           /* kernel-config ring bytes handed out */
    struct inflight inflight[TTM_LAUNCH_SLOTS];
    uint64_t next_event, events_done;
    uint32_t next_read;
    struct pending_read *reads;  /* FIFO, in id order */
    uint32_t reads_head, reads_len, reads_cap;
    int error;                   /* set by a refused record */
    char error_msg[160];
};

/* ---- building command streams ---- */

static int tmpl_grow(void **p, uint32_t *cap, uint32_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    uint32_t c = *cap ? *cap : 256;
    while (c < need)
        c *= 2;
    void *n = realloc(*p, (size_t)c * elem);
    if (!n)
        return err_set(-ENOMEM, "out of memory");
    *p = n;
    *cap = c;
    return 0;
}

/* Append a command of `payload` bytes; returns its header (zeroed) or NULL. */
static struct ttm_cq_cmd *tmpl_cmd(struct fast_tmpl *t, uint8_t id, uint32_t payload)
{
    uint32_t len = (uint32_t)sizeof(struct ttm_cq_cmd) + ((payload + 15) & ~15u);
    if (tmpl_grow((void **)&t->blob, &t->cap, t->len + len, 1) ||
        tmpl_grow((void **)&t->cmds, &t->cap_cmds, t->n_cmds + 1, sizeof *t->cmds))
        return NULL;
    struct ttm_cq_cmd *c = (struct ttm_cq_cmd *)(t->blob + t->len);
    memset(c, 0, len);
    c->id = id;
    c->len = len;
    t->cmds[t->n_cmds++] = t->len;
    t->len += len;
    return c;
}

static int tmpl_patch(struct fast_tmpl *t, const void *at, uint32_t kind)
{
    if (tmpl_grow((void **)&t->patches, &t->cap_patches, t->n_patches + 1, sizeof *t->patches))
        return -ENOMEM;
    t->patches[t->n_patches++] = (struct patch){(uint32_t)((const uint8_t *)at - t->blob), kind};
    return 0;
}

static uint32_t rect_arg(struct chip_rect r)
{
    return (uint32_t)r.x0 | (uint32_t)r.y0 << 8 | (uint32_t)r.x1 << 16 | (uint32_t)r.y1 << 24;
}

/* WRITE_LINEAR of `len` bytes to every rectangle, split to fit records, with the address
 * patched by `patch_kind`. For a one-piece write, payload[i] gets the blob offset of
 * rectangle i's copy of the data, if asked. */
static int emit_write(struct fast_tmpl *t, const struct chip_rect *r, unsigned n_rects,
                      uint32_t addr, int patch_kind, const uint8_t *data, uint32_t len,
                      uint32_t *payload)
{
    for (unsigned i = 0; i < n_rects; i++) {
        for (uint32_t done = 0; done < len;) {
            uint32_t n = len - done < CQ_MAX_PAYLOAD ? len - done : (uint32_t)CQ_MAX_PAYLOAD & ~15u;
            struct ttm_cq_cmd *c = tmpl_cmd(t, TTM_CQ_WRITE_LINEAR, n);
            if (!c)
                return -ENOMEM;
            c->arg[0] = rect_arg(r[i]);
            c->arg[1] = addr + done;
            c->arg[3] = n;
            memcpy(c + 1, data + done, n);
            if (tmpl_patch(t, &c->arg[1], (uint32_t)patch_kind))
                return -ENOMEM;
            if (payload)
                payload[i] = (uint32_t)((uint8_t *)(c + 1) - t->blob);
            done += n;
        }
    }
    return 0;
}

struct rects {
    const struct ttm_chip *chip;
    struct chip_rect r[64];
    unsigned n;
};

static int collect_rect(void *arg, uint32_t x0, uint32_t y0, uint32_t x1, uint32_t y1)
{
    struct rects *rs = arg;
    if (rs->n + CHIP_MAX_RECTS > sizeof rs->r / sizeof rs->r[0])
        return err_set(-E2BIG, "kernel group spread over too many rectangles");
    rs->n += chip_worker_rects(rs->chip, x0, y0, x1, y1, rs->r + rs->n);
    return 0;
}

/* One kernel group: shared image, packed unique args, launch messages. */
static int emit_group(struct fast_tmpl *t, const struct ttm_device *dev,
                      const struct ttm_program *p, const struct group *g, uint32_t off)
{
    const struct ttm_chip *c = &dev->chip;
    struct rects rs = {.chip = c};
    int rc = for_each_rect(c, &g->cores, collect_rect, &rs);
    if (rc)
        return rc;
    uint8_t *img = malloc(g->size);
    if (!img)
        return err_set(-ENOMEM, "out of memory");
    /* Relocate kernels for the region at address 0; PATCH_CFG adds the real address to
     * every absolute word, as it does to the command addresses. */
    group_image(g, off, img);
    uint32_t shared = g->crta_off[0];
    size_t first_patch = t->n_patches;
    if ((rc = emit_write(t, rs.r, rs.n, off + shared, PATCH_CFG, img + shared, g->size - shared, NULL))) {
        free(img);
        return rc;
    }
    /* Absolute words in kernel text: one patch per copy written above. */
    for (uint32_t j = 0; j < BH_CORES_PER_TILE && rs.n; j++) {
        const struct ttm_kernel *k = g->k[j];
        for (uint32_t r = 0; k && r < k->image.n_abs_relocs; r++) {
            uint32_t at = g->text_off[j] + k->image.abs_relocs[r] - shared; /* in the payload */
            /* Find the piece holding that byte in each rectangle's copy. */
            for (size_t pi = first_patch; pi < t->n_patches; pi++) {
                uint32_t cmd_off = t->patches[pi].off - (uint32_t)offsetof(struct ttm_cq_cmd, arg[1]);
                struct ttm_cq_cmd *cmd = (struct ttm_cq_cmd *)(t->blob + cmd_off);
                uint32_t piece = cmd->arg[1] - (off + shared);
                if (at >= piece && at < piece + cmd->arg[3] &&
                    (rc = tmpl_patch(t, (uint8_t *)(cmd + 1) + (at - piece), PATCH_CFG)))
                    break;
            }
        }
    }
    free(img);
    if (rc)
        return rc;
    /* Unique runtime args: one packed write for the group's cores. */
    uint32_t n = 0;
    for (uint32_t i = 0; i < c->n_workers; i++)
        n += core_set_has(&g->cores, i);
    if (shared) {
        uint32_t xy_bytes = (4 * n + 15) & ~15u, stride = (shared + 15) & ~15u;
        if (xy_bytes + (uint64_t)n * stride > CQ_MAX_PAYLOAD)
            return err_set(-E2BIG, "runtime args of %u cores do not fit one command", n);
        struct ttm_cq_cmd *cmd = tmpl_cmd(t, TTM_CQ_WRITE_PACKED, xy_bytes + n * stride);
        if (!cmd || tmpl_patch(t, &cmd->arg[1], PATCH_CFG))
            return -ENOMEM;
        cmd->count = (uint16_t)n;
        cmd->arg[1] = off;
        cmd->arg[3] = shared;
        uint8_t *base = (uint8_t *)(cmd + 1);
        uint32_t k = 0;
        for (uint32_t i = 0; i < c->n_workers; i++) {
            if (!core_set_has(&g->cores, i))
                continue;
            struct chip_worker w = chip_worker_at(c, i % c->grid_x, i / c->grid_x);
            ((uint32_t *)base)[k] = w.x | (uint32_t)w.y << 8;
            t->args_at[i] = (uint32_t)(base + xy_bytes + k * stride - t->blob);
            group_args(g, i, t->blob + t->args_at[i]);
            k++;
        }
    }
    /* Launch messages: the region-relative base gets the region address added. */
    struct ttm_launch_msg msg;
    group_launch_msg(p, g, off, TTM_DISPATCH_MODE_DEV, &msg);
    uint32_t payload[64];
    if ((rc = emit_write(t, rs.r, rs.n, LAUNCH_ADDR, PATCH_SLOT, (const uint8_t *)&msg, sizeof msg,
                         payload)))
        return rc;
    for (unsigned i = 0; i < rs.n; i++)
        if (tmpl_patch(t, t->blob + payload[i] + offsetof(struct ttm_launch_msg, kernel_config_base),
                       PATCH_CFG))
            return -ENOMEM;
    return 0;
}

static int cmp_patch(const void *a, const void *b)
{
    const struct patch *x = a, *y = b;
    return (x->off > y->off) - (x->off < y->off);
}

/* Workers without a kernel still take a (empty) launch message: every launch-ring slot
 * moves on every worker. */
static int emit_idle(struct fast_tmpl *t, const struct ttm_device *dev, const struct ttm_program *p)
{
    const struct ttm_chip *c = &dev->chip;
    struct core_set idle = {0};
    for (uint32_t i = 0; i < c->n_workers; i++)
        core_set_add(&idle, i);
    for (uint32_t g = 0; g < t->plan.n_groups; g++)
        for (size_t w = 0; w < sizeof idle.bits / sizeof idle.bits[0]; w++)
            idle.bits[w] &= ~t->plan.groups[g].cores.bits[w];
    struct rects rs = {.chip = c};
    int rc = for_each_rect(c, &idle, collect_rect, &rs);
    if (rc || !rs.n)
        return rc;
    struct ttm_launch_msg msg = {.mode = TTM_DISPATCH_MODE_DEV, .host_id = p->id};
    return emit_write(t, rs.r, rs.n, LAUNCH_ADDR, PATCH_SLOT, (const uint8_t *)&msg, sizeof msg,
                      NULL);
}

static void tmpl_free(struct fast_tmpl *t)
{
    free(t->blob);
    free(t->cmds);
    free(t->patches);
    free(t->args_at);
    plan_free(&t->plan);
    free(t);
}

static int tmpl_build(const struct ttm_device *dev, struct ttm_program *p, struct fast_tmpl **out)
{
    struct fast_tmpl *t = calloc(1, sizeof *t);
    if (!t)
        return err_set(-ENOMEM, "out of memory");
    int rc = plan_build(dev, p, &t->plan);
    if (!rc && !(t->args_at = calloc(dev->chip.n_workers, sizeof *t->args_at)))
        rc = err_set(-ENOMEM, "out of memory");
    struct ttm_cq_cmd *c;
    if (!rc && (!(c = tmpl_cmd(t, TTM_CQ_WAIT, 0)) || tmpl_patch(t, &c->arg[0], PATCH_WAIT)))
        rc = -ENOMEM;
    uint32_t off = 0;
    for (uint32_t g = 0; !rc && g < t->plan.n_groups; g++) {
        rc = emit_group(t, dev, p, &t->plan.groups[g], off);
        off += t->plan.groups[g].size;
    }
    if (!rc && off > CFG_RING)
        rc = err_set(-E2BIG, "the program's kernel-config images take %u bytes, more than the "
                             "%u bytes of the ring", off, CFG_RING);
    if (!rc)
        rc = emit_idle(t, dev, p);
    if (!rc && (!(c = tmpl_cmd(t, TTM_CQ_GO, 0)) || tmpl_patch(t, &c->arg[0], PATCH_GO)))
        rc = -ENOMEM;
    if (rc) {
        tmpl_free(t);
        return rc;
    }
    c->arg[1] = TTM_GO_WORD_DEV(dev->fast->dp.x, dev->fast->dp.y, TTM_STREAM_DONE);
    qsort(t->patches, t->n_patches, sizeof *t->patches, cmp_patch);
    t->region = off;
    t->version = p->version;
    *out = t;
    return 0;
}

void fast_program_changed(struct ttm_program *p)
{
    p->version++;
}

void fast_args_changed(struct ttm_program *p, uint32_t core)
{
    struct fast_tmpl *t = p->tmpl;
    if (!t || t->version != p->version || !t->args_at[core])
        return;
    for (uint32_t g = 0; g < t->plan.n_groups; g++)
        if (core_set_has(&t->plan.groups[g].cores, core))
            group_args(&t->plan.groups[g], core, t->blob + t->args_at[core]);
}

void fast_program_free(struct ttm_program *p)
{
    if (p->tmpl)
        tmpl_free(p->tmpl);
    p->tmpl = NULL;
}

/* ---- completions and waiting ---- */

static int on_completion(void *arg, const struct ttm_cq_completion *e, const uint8_t *data)
{
    struct fast *f = arg;
    switch (e->kind) {
    case TTM_CQ_DONE_EVENT:
        f->events_done = e->id;
        return 0;
    case TTM_CQ_DONE_TIMESTAMP:
        return 0;
    case TTM_CQ_DONE_READ: {
        if (!f->reads_len || f->reads[f->reads_head].id != e->id)
            return err_set(-EIO, "read answer %u arrived, none was expected", e->id);
        struct pending_read *r = &f->reads[f->reads_head];
        if (e->data_len != r->len)
            return err_set(-EIO, "read answer %u carries %u bytes, %u were asked for", e->id,
                           e->data_len, r->len);
        memcpy(r->dst, data, r->len);
        f->reads_head = (f->reads_head + 1) % f->reads_cap;
        f->reads_len--;
        return 0;
    }
    case TTM_CQ_DONE_ERROR: {
        static const char *const why[] = {"", "bad record header", "unknown command",
                                          "command length out of range", "target out of range"};
        f->error = -EPROTO;
        snprintf(f->error_msg, sizeof f->error_msg,
                 "the dispatcher refused record %u: %s (command at byte %u)", e->id,
                 e->value < 5 ? why[e->value] : "unknown error", e->offset);
        return 0;
    }
    }
    return err_set(-EIO, "completion entry of unknown kind %u", e->kind);
}

struct waiter {
    struct fast *f;
    int (*done)(const struct fast *f, uint64_t arg);
    uint64_t arg;
    uint32_t dp_records;       /* records the dispatcher had run at the last look */
};

static int poll_once(void *arg)
{
    struct waiter *w = arg;
    int rc = cq_drain(&w->f->q, on_completion, w->f);
    if (rc < 0)
        return rc;
    if (w->f->error)
        return w->f->error;
    if (w->done(w->f, w->arg))
        return 1;
    if (rc > 0)
        return 2;
    /* A long run of records answers nothing until its end: the dispatcher moving on to
     * the next record is progress too (a slow model could otherwise time out). */
    uint32_t dp = w->dp_records;
    if (!chip_read32(w->f->q.chip, w->f->dp.x, w->f->dp.y,
                     TTM_L1_CQ_CTRL + offsetof(struct ttm_cq_ctrl, dp_records), &dp) &&
        dp != w->dp_records) {
        w->dp_records = dp;
        return 2;
    }
    return 0;
}

static int event_done(const struct fast *f, uint64_t id)
{
    return f->events_done >= id;
}

static int reads_done(const struct fast *f, uint64_t unused)
{
    (void)unused;
    return f->reads_len == 0;
}

static int reset(struct ttm_device *dev);

/* Describe what is stuck, bring the device back, and say what happened. */
static int recover(struct ttm_device *dev, int rc, uint32_t timeout_ms)
{
    struct fast *f = dev->fast;
    char msg[1536] = "";
    if (rc == -ETIMEDOUT) {
        struct ttm_chip *c = &dev->chip;
        uint32_t *cores = calloc(c->n_workers, sizeof *cores), *stuck = calloc(c->n_workers, sizeof *stuck);
        uint32_t ctrl[sizeof(struct ttm_cq_ctrl) / 4] = {0};
        if (!cores || !stuck) {
            free(cores);
            free(stuck);
            return err_set(-ENOMEM, "out of memory");
        }
        for (uint32_t i = 0; i < c->n_workers; i++)
            cores[i] = i;
        uint32_t n = hang_describe(c, cores, c->n_workers, msg, sizeof msg, stuck);
        chip_read(c, f->dp.x, f->dp.y, TTM_L1_CQ_CTRL, ctrl, sizeof ctrl);
        const struct ttm_cq_ctrl *cc = (const struct ttm_cq_ctrl *)ctrl;
        free(cores);
        free(stuck);
        err_set(rc, "fast dispatch: not done within %u ms; %u workers still running%s%s; "
                    "dispatcher at record %u of %u, subordinate sent %u GOs",
                timeout_ms, n, n ? ": " : "", msg, cc->dp_records, f->q.seq, cc->sub_gos);
    } else if (rc == -EPROTO) {
        err_set(rc, "%s", f->error_msg);
    }
    snprintf(msg, sizeof msg, "%s", err_get());
    int rrc = reset(dev);
    if (rrc)
        return err_wrap(rrc, "resetting after: %s", msg);
    err_set(rc, "%s", msg);
    return rc;
}

static int wait(struct ttm_device *dev, int (*done)(const struct fast *, uint64_t), uint64_t arg,
                uint32_t timeout_ms)
{
    struct fast *f = dev->fast;
    int rc = cq_flush(&f->q, timeout_ms);
    struct waiter w = {f, done, arg, 0};
    if (!rc)
        rc = chip_poll(&dev->chip, poll_once, &w, timeout_ms);
    if (rc == -ETIMEDOUT || rc == -EPROTO)
        return recover(dev, rc, timeout_ms);
    return rc;
}

/* ---- setup ---- */

static int boot_dispatch(struct ttm_device *dev)
{
    struct fast *f = dev->fast;
    struct ttm_chip *c = &dev->chip;
    /* Control block, empty prefetch queue and subordinate queue, in one write. */
    static uint8_t init[TTM_L1_CQ_SCRATCH - TTM_L1_CQ_CTRL];
    memset(init, 0, sizeof init);
    struct ttm_cq_ctrl *ctrl = (struct ttm_cq_ctrl *)init;
    ctrl->host_lo = (uint32_t)f->q.host_noc;
    ctrl->host_hi = (uint32_t)(f->q.host_noc >> 32);
    ctrl->pcie_x = BH_XLAT_PCIE_X;
    ctrl->pcie_y = BH_XLAT_PCIE_Y;
    ctrl->prefetch_x = f->pf.x;
    ctrl->prefetch_y = f->pf.y;
    ctrl->dispatch_x = f->dp.x;
    ctrl->dispatch_y = f->dp.y;
    ctrl->n_go_rects = (uint8_t)f->n_rects;
    for (unsigned i = 0; i < f->n_rects; i++)
        memcpy(ctrl->go_rect[i], &f->rects[i], 4);
    ctrl->n_workers = f->n_workers;
    uint32_t col = c->grid_x; /* the reserved column, just past the workers */
    static const char *const dispatcher[BH_CORES_PER_TILE] = {
        [BH_BRISC] = "firmware/dispatch.elf", [BH_NCRISC] = "firmware/dispatch_sub.elf"};
    static const char *const prefetcher[BH_CORES_PER_TILE] = {
        [BH_BRISC] = "firmware/prefetch.elf"};
    int rc = chip_boot_core(c, col, 1, dispatcher, TTM_L1_CQ_CTRL, init, sizeof init, TIMEOUT_MS);
    if (!rc)
        rc = chip_boot_core(c, col, 0, prefetcher, TTM_L1_CQ_CTRL, init, sizeof init, TIMEOUT_MS);
    return rc ? err_wrap(rc, "booting the dispatch cores") : 0;
}

static int reset(struct ttm_device *dev)
{
    struct fast *f = dev->fast;
    int rc = chip_boot(&dev->chip, TIMEOUT_MS);
    cq_reset(&f->q);
    f->launches = f->done_target = f->cfg_wr = 0;
    memset(f->inflight, 0, sizeof f->inflight);
    f->events_done = f->next_event; /* what was outstanding is gone */
    f->reads_len = f->reads_head = 0;
    f->error = 0;
    return rc ? rc : boot_dispatch(dev);
}

int fast_open(struct ttm_device *dev)
{
    struct ttm_chip *c = &dev->chip;
    struct fast *f = calloc(1, sizeof *f);
    if (!f)
        return err_set(-ENOMEM, "out of memory");
    dev->fast = f;
    f->pf = chip_worker_at(c, c->grid_x, 0);
    f->dp = chip_worker_at(c, c->grid_x, 1);
    f->n_workers = c->n_workers;
    f->n_rects = chip_worker_rects(c, 0, 0, c->grid_x - 1, c->grid_y - 1, f->rects);
    int rc = cq_open(&f->q, c, f->pf, f->dp);
    if (!rc)
        rc = boot_dispatch(dev);
    if (rc) {
        fast_close(dev);
        return rc;
    }
    return 0;
}

void fast_close(struct ttm_device *dev)
{
    struct fast *f = dev->fast;
    if (!f)
        return;
    cq_close(&f->q);
    free(f->reads);
    free(f);
    dev->fast = NULL;
}

/* ---- enqueueing ---- */

static int later(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) > 0;
}

/* Copy the cached commands into the queue, patching what depends on this launch. */
static int copy_stream(struct fast *f, const struct fast_tmpl *t, uint32_t region, uint32_t slot,
                       uint32_t wait_for, uint32_t go_after)
{
    uint32_t pi = 0;
    for (uint32_t i = 0; i < t->n_cmds; i++) {
        uint32_t off = t->cmds[i], len = ((const struct ttm_cq_cmd *)(t->blob + off))->len;
        struct ttm_cq_cmd *c;
        int rc = cq_cmd(&f->q, len, TIMEOUT_MS, &c);
        if (rc)
            return rc;
        memcpy(c, t->blob + off, len);
        for (; pi < t->n_patches && t->patches[pi].off < off + len; pi++) {
            uint32_t *w = (uint32_t *)((uint8_t *)c + (t->patches[pi].off - off));
            switch (t->patches[pi].kind) {
            case PATCH_CFG: *w += region; break;
            case PATCH_SLOT: *w += slot * (uint32_t)sizeof(struct ttm_launch_msg); break;
            case PATCH_WAIT: *w = wait_for & DONE_MASK; break;
            case PATCH_GO: *w = go_after & DONE_MASK; break;
            }
        }
    }
    return 0;
}

int fast_enqueue_program(struct ttm_device *dev, struct ttm_program *p)
{
    struct fast *f = dev->fast;
    int rc;
    if (!p->tmpl || p->tmpl->version != p->version) {
        fast_program_free(p);
        if ((rc = tmpl_build(dev, p, &p->tmpl)))
            return rc;
    }
    const struct fast_tmpl *t = p->tmpl;
    uint32_t j = f->launches, slot = j % TTM_LAUNCH_SLOTS;
    uint32_t pos = f->cfg_wr % CFG_RING;
    uint32_t start = f->cfg_wr + (pos + t->region > CFG_RING ? CFG_RING - pos : 0);
    uint32_t end = start + t->region;
    /* The launch slot frees when launch j - 8 finishes; the config region when every
     * launch whose region it overwrites has: the ring holds the CFG_RING bytes before
     * `end`, so a region starting before end - CFG_RING is overwritten. */
    uint32_t wait_for = 0;
    for (uint32_t k = 1; k <= TTM_LAUNCH_SLOTS && k <= j; k++) {
        const struct inflight *in = &f->inflight[(j - k) % TTM_LAUNCH_SLOTS];
        if ((k == TTM_LAUNCH_SLOTS || later(end - CFG_RING, in->cfg_start)) && later(in->done, wait_for))
            wait_for = in->done;
    }
    if ((rc = copy_stream(f, t, TTM_L1_KERNEL_CONFIG + start % CFG_RING, slot, wait_for,
                          f->done_target)) ||
        (rc = cq_flush(&f->q, TIMEOUT_MS)))
        return rc;
    f->done_target += f->n_workers;
    f->inflight[slot] = (struct inflight){start, f->done_target};
    f->cfg_wr = end;
    f->launches++;
    return 0;
}

/* ---- buffers ---- */

/* Commands after this one see every launch before it finished. */
static int emit_wait_all(struct fast *f)
{
    struct ttm_cq_cmd *c;
    int rc = cq_cmd(&f->q, sizeof *c, TIMEOUT_MS, &c);
    if (rc)
        return rc;
    c->id = TTM_CQ_WAIT;
    c->arg[0] = f->done_target & DONE_MASK;
    return 0;
}

int fast_write_buffer(struct ttm_buffer *b, uint64_t offset, const void *src, uint64_t size,
                      int blocking)
{
    struct ttm_device *dev = b->dev;
    struct fast *f = dev->fast;
    const uint8_t *p = src;
    int rc = emit_wait_all(f);
    while (!rc && size) {
        struct buffer_span s;
        buffer_span(b, offset, size, (uint32_t)CQ_MAX_PAYLOAD & ~15u, &s);
        struct ttm_cq_cmd *c;
        if ((rc = cq_cmd(&f->q, sizeof *c + ((s.len + 15) & ~15u), TIMEOUT_MS, &c)))
            break;
        c->id = TTM_CQ_WRITE_LINEAR;
        c->arg[0] = s.x | s.y << 8 | s.x << 16 | s.y << 24;
        c->arg[1] = (uint32_t)s.addr;
        c->arg[2] = (uint32_t)(s.addr >> 32);
        c->arg[3] = s.len;
        memcpy(c + 1, p, s.len);
        p += s.len;
        offset += s.len;
        size -= s.len;
    }
    if (!rc)
        rc = cq_flush(&f->q, TIMEOUT_MS);
    if (!rc && blocking) {
        uint64_t ev;
        if (!(rc = fast_record_event(dev, &ev)))
            rc = fast_event_wait(dev, ev, TIMEOUT_MS);
    }
    return rc;
}

static int push_read(struct fast *f, uint32_t id, uint8_t *dst, uint32_t len)
{
    if (f->reads_len == f->reads_cap) {
        uint32_t cap = f->reads_cap ? 2 * f->reads_cap : 64;
        struct pending_read *n = malloc(cap * sizeof *n);
        if (!n)
            return err_set(-ENOMEM, "out of memory");
        for (uint32_t i = 0; i < f->reads_len; i++)
            n[i] = f->reads[(f->reads_head + i) % f->reads_cap];
        free(f->reads);
        f->reads = n;
        f->reads_cap = cap;
        f->reads_head = 0;
    }
    f->reads[(f->reads_head + f->reads_len++) % f->reads_cap] = (struct pending_read){id, dst, len};
    return 0;
}

int fast_read_buffer(struct ttm_buffer *b, uint64_t offset, void *dst, uint64_t size,
                     int blocking)
{
    struct ttm_device *dev = b->dev;
    struct fast *f = dev->fast;
    uint8_t *p = dst;
    int rc = emit_wait_all(f);
    while (!rc && size) {
        struct buffer_span s;
        buffer_span(b, offset, size, TTM_CQ_MAX_READ, &s);
        struct ttm_cq_cmd *c;
        if ((rc = cq_cmd(&f->q, sizeof *c, TIMEOUT_MS, &c)))
            break;
        c->id = TTM_CQ_READ_LINEAR;
        c->arg[0] = s.x | s.y << 8;
        c->arg[1] = (uint32_t)s.addr;
        c->arg[2] = (uint32_t)(s.addr >> 32);
        c->arg[3] = s.len;
        c->arg[4] = ++f->next_read;
        if ((rc = push_read(f, c->arg[4], p, s.len)))
            break;
        p += s.len;
        offset += s.len;
        size -= s.len;
    }
    if (!rc)
        rc = cq_flush(&f->q, TIMEOUT_MS);
    if (!rc && blocking)
        rc = wait(dev, reads_done, 0, TIMEOUT_MS);
    return rc;
}

/* ---- events ---- */

int fast_record_event(struct ttm_device *dev, uint64_t *event)
{
    struct fast *f = dev->fast;
    struct ttm_cq_cmd *c;
    int rc = cq_cmd(&f->q, sizeof *c, TIMEOUT_MS, &c);
    if (rc)
        return rc;
    c->id = TTM_CQ_EVENT;
    c->arg[0] = f->done_target & DONE_MASK;
    c->arg[1] = (uint32_t)++f->next_event;
    *event = f->next_event;
    return cq_flush(&f->q, TIMEOUT_MS);
}

int fast_event_wait(struct ttm_device *dev, uint64_t event, uint32_t timeout_ms)
{
    if (event > dev->fast->next_event)
        return err_set(-EINVAL, "event %llu was never recorded", (unsigned long long)event);
    return wait(dev, event_done, event, timeout_ms);
}

int fast_event_query(struct ttm_device *dev, uint64_t event)
{
    struct fast *f = dev->fast;
    if (event > f->next_event)
        return err_set(-EINVAL, "event %llu was never recorded", (unsigned long long)event);
    int rc = cq_flush(&f->q, TIMEOUT_MS);
    if (!rc && (rc = cq_drain(&f->q, on_completion, f)) >= 0)
        rc = f->error ? recover(dev, f->error, 0) : 0;
    return rc < 0 ? rc : f->events_done >= event;
}

int fast_finish(struct ttm_device *dev, uint32_t timeout_ms)
{
    uint64_t ev;
    int rc = fast_record_event(dev, &ev);
    if (!rc)
        rc = wait(dev, event_done, ev, timeout_ms);
    if (!rc && dev->fast->reads_len)
        rc = wait(dev, reads_done, 0, timeout_ms);
    return rc;
}

int fast_submit_raw(struct ttm_device *dev, const void *cmds, uint32_t len, uint16_t n_cmds)
{
    struct fast *f = dev->fast;
    struct ttm_cq_cmd *c;
    /* Reserve the bytes as one command, then make the record count what was given. */
    int rc = cq_cmd(&f->q, (len + 15) & ~15u, TIMEOUT_MS, &c);
    if (rc)
        return rc;
    memcpy(c, cmds, len);
    f->q.rec_cmds = (uint16_t)(f->q.rec_cmds - 1 + n_cmds);
    return cq_flush(&f->q, TIMEOUT_MS);
}
