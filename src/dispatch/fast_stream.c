/* A program's fast-dispatch command stream, built once and cached.
 *
 * A launch is a handful of commands: a WAIT until what it is about to overwrite is no
 * longer in use, its kernel-config images (multicast per kernel group), the unique
 * runtime args (one packed write per group), launch messages for every worker (cores
 * without a kernel get an empty one, so every worker's launch ring moves in step), and a
 * GO that the dispatcher's subordinate sends once the previous launch's DONE count is
 * complete. The stream is built for a config region at address 0 and launch slot 0, and
 * every word that depends on the launch is recorded as a patch; emitting the stream copies
 * it into the queue and applies them. Runtime-arg changes are written into the cache.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../util/err.h"
#include "../util/grow.h"
#include "fast.h"
#include "groups.h"

#define LAUNCH_ADDR (TTM_L1_MAILBOX + offsetof(struct ttm_mailbox, launch))
#define DONE_MASK BH_STREAM_COUNTER_MASK

/* What emitting a stream patches. */
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

struct fast_stream {
    uint32_t version;          /* of the program it was built from */
    uint8_t *blob;             /* commands back to back, BLOB_LEAD bytes into `mem` */
    uint8_t *mem;
    uint32_t len, cap;
    uint32_t *cmds;            /* offset of each command */
    uint32_t n_cmds;
    size_t cap_cmds;
    struct patch *patches;     /* ascending offsets */
    uint32_t n_patches;
    size_t cap_patches;
    uint32_t region;           /* kernel-config bytes a launch needs */
    uint32_t *args_at;         /* per core: blob offset of its unique args, or 0 */
    struct plan plan;
};

/* A launch's commands go to the issue ring right after a record header, at 16 bytes past
 * a 64-byte boundary (TTM_CQ_RECORD_ALIGN). The blob starts at the same offset from a
 * 64-byte boundary, so every copy has source and destination mutually aligned: where the
 * heap happened to put a misaligned blob, the copies ran at half the speed (an enqueue of
 * the bench's all-worker program took 400 ns instead of 180 ns). */
#define BLOB_LEAD ((uint32_t)sizeof(struct ttm_cq_record) % TTM_CQ_RECORD_ALIGN)

static int grow_blob(struct fast_stream *t, uint32_t need)
{
    if (need <= t->cap)
        return 0;
    uint32_t c = t->cap ? t->cap : 256;
    while (c < need)
        c *= 2;
    uint8_t *m = aligned_alloc(TTM_CQ_RECORD_ALIGN, c + TTM_CQ_RECORD_ALIGN);
    if (!m)
        return err_set(-ENOMEM, "out of memory");
    if (t->len)
        memcpy(m + BLOB_LEAD, t->blob, t->len);
    free(t->mem);
    t->mem = m;
    t->blob = m + BLOB_LEAD;
    t->cap = c;
    return 0;
}

/* Append a command of `payload` bytes; returns its header (zeroed) or NULL. */
static struct ttm_cq_cmd *add_cmd(struct fast_stream *t, uint8_t id, uint32_t payload)
{
    uint32_t len = (uint32_t)sizeof(struct ttm_cq_cmd) + ((payload + 15) & ~15u);
    if (grow_blob(t, t->len + len) ||
        grow_array((void **)&t->cmds, &t->cap_cmds, t->n_cmds + 1, sizeof *t->cmds))
        return NULL;
    struct ttm_cq_cmd *c = (struct ttm_cq_cmd *)(t->blob + t->len);
    memset(c, 0, len);
    c->id = id;
    c->len = len;
    t->cmds[t->n_cmds++] = t->len;
    t->len += len;
    return c;
}

static int add_patch(struct fast_stream *t, const void *at, uint32_t kind)
{
    if (grow_array((void **)&t->patches, &t->cap_patches, t->n_patches + 1, sizeof *t->patches))
        return -ENOMEM;
    t->patches[t->n_patches++] = (struct patch){(uint32_t)((const uint8_t *)at - t->blob), kind};
    return 0;
}

static uint32_t rect_arg(struct chip_rect r)
{
    return (uint32_t)r.x0 | (uint32_t)r.y0 << 8 | (uint32_t)r.x1 << 16 | (uint32_t)r.y1 << 24;
}

/* Where a write's data holds words to rebase to the launch's config region. */
struct relocs {
    const uint32_t *off;       /* byte offsets in the data */
    uint32_t n;
};

/* WRITE_LINEAR of `len` bytes of `data` to every rectangle, split to fit records. Its
 * address is patched by `addr_patch`; each word at an offset listed in `rel` gets
 * PATCH_CFG in every copy. */
static int emit_write(struct fast_stream *t, const struct chip_rect *r, unsigned n_rects,
                      uint32_t addr, uint32_t addr_patch, const uint8_t *data, uint32_t len,
                      const struct relocs *rel, unsigned n_rel)
{
    for (unsigned i = 0; i < n_rects; i++) {
        for (uint32_t done = 0; done < len;) {
            uint32_t n = len - done < CQ_MAX_PAYLOAD ? len - done : (uint32_t)CQ_MAX_PAYLOAD & ~15u;
            struct ttm_cq_cmd *c = add_cmd(t, TTM_CQ_WRITE_LINEAR, n);
            if (!c)
                return -ENOMEM;
            c->arg[0] = rect_arg(r[i]);
            c->arg[1] = addr + done;
            c->arg[3] = n;
            memcpy(c + 1, data + done, n);
            if (add_patch(t, &c->arg[1], addr_patch))
                return -ENOMEM;
            for (unsigned k = 0; k < n_rel; k++)
                for (uint32_t w = 0; w < rel[k].n; w++)
                    if (rel[k].off[w] - done < n &&
                        add_patch(t, (uint8_t *)(c + 1) + (rel[k].off[w] - done), PATCH_CFG))
                        return -ENOMEM;
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

/* The unique runtime args of a group's cores: packed writes, as many cores in each as
 * one command holds (256 args on each of 140 cores is 140 KiB). */
static int emit_args(struct fast_stream *t, const struct ttm_chip *c, const struct group *g,
                     uint32_t off)
{
    uint32_t shared = g->crta_off[0], stride = (shared + 15) & ~15u;
    if (!shared)
        return 0;
    /* Cores a command holds: their xy words, padded to 16 bytes, then their args. */
    uint32_t per = (CQ_MAX_PAYLOAD - 16) / (4 + stride);
    if (!per)
        return err_set(-E2BIG, "%u bytes of runtime args do not fit one command", shared);
    uint32_t i = 0;
    while (i < c->n_workers) {
        uint32_t n = 0, end = i;
        for (; end < c->n_workers && n < per; end++)
            n += core_set_has(&g->cores, end);
        if (!n)
            break;
        uint32_t xy_bytes = (4 * n + 15) & ~15u;
        struct ttm_cq_cmd *cmd = add_cmd(t, TTM_CQ_WRITE_PACKED, xy_bytes + n * stride);
        if (!cmd || add_patch(t, &cmd->arg[1], PATCH_CFG))
            return -ENOMEM;
        cmd->count = (uint16_t)n;
        cmd->arg[1] = off;
        cmd->arg[3] = shared;
        uint8_t *base = (uint8_t *)(cmd + 1);
        uint32_t k = 0;
        for (; i < end; i++) {
            if (!core_set_has(&g->cores, i))
                continue;
            struct chip_worker w = chip_worker_at(c, i % c->grid_x, i / c->grid_x);
            ((uint32_t *)base)[k] = TTM_NOC_XY(w.x, w.y);
            t->args_at[i] = (uint32_t)(base + xy_bytes + k * stride - t->blob);
            group_args(g, i, t->blob + t->args_at[i]);
            k++;
        }
    }
    return 0;
}

/* One kernel group at offset `off` of the config region: shared image, packed unique
 * args, launch messages. */
static int emit_group(struct fast_stream *t, const struct ttm_device *dev,
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
    /* Kernels relocated for the region at address 0: PATCH_CFG adds the region's address
     * to their absolute words, as it does to the command addresses. */
    group_image(g, off, img);
    uint32_t shared = g->crta_off[0];
    struct relocs rel[BH_CORES_PER_TILE];
    uint32_t *words[BH_CORES_PER_TILE] = {0};
    unsigned n_rel = 0;
    for (uint32_t j = 0; j < BH_CORES_PER_TILE && !rc; j++) {
        const struct ttm_kernel *k = g->k[j];
        const struct xip_image *im = k ? kernel_image(k, j) : NULL;
        if (!im || !im->n_abs_relocs)
            continue;
        /* The kernel's words as offsets in the shared part written below. */
        if (!(words[j] = malloc(im->n_abs_relocs * sizeof *words[j]))) {
            rc = err_set(-ENOMEM, "out of memory");
            break;
        }
        for (uint32_t r = 0; r < im->n_abs_relocs; r++)
            words[j][r] = g->text_off[j] - shared + im->abs_relocs[r];
        rel[n_rel++] = (struct relocs){words[j], im->n_abs_relocs};
    }
    if (!rc)
        rc = emit_write(t, rs.r, rs.n, off + shared, PATCH_CFG, img + shared, g->size - shared,
                        rel, n_rel);
    for (uint32_t j = 0; j < BH_CORES_PER_TILE; j++)
        free(words[j]);
    free(img);
    if (rc || (rc = emit_args(t, c, g, off)))
        return rc;
    /* The semaphores' initial values, at the start of the region. */
    if (g->has_sems) {
        uint8_t sems[TTM_SEM_BLOCK];
        group_sems(g, sems);
        if ((rc = emit_write(t, rs.r, rs.n, 0, PATCH_CFG, sems, sizeof sems, NULL, 0)))
            return rc;
    }
    /* Launch messages: the region-relative addresses get the region address added. */
    struct ttm_launch_msg msg;
    group_launch_msg(p, g, off, 0, TTM_DISPATCH_MODE_DEV, &msg);
    static const uint32_t region_words[] = {offsetof(struct ttm_launch_msg, kernel_config_base),
                                            offsetof(struct ttm_launch_msg, sem_addr)};
    struct relocs rel_msg = {region_words, 2};
    return emit_write(t, rs.r, rs.n, LAUNCH_ADDR, PATCH_SLOT, (const uint8_t *)&msg, sizeof msg,
                      &rel_msg, 1);
}

static int cmp_patch(const void *a, const void *b)
{
    const struct patch *x = a, *y = b;
    return (x->off > y->off) - (x->off < y->off);
}

/* Workers without a kernel still take a (empty) launch message: every launch-ring slot
 * moves on every worker. */
static int emit_idle(struct fast_stream *t, const struct ttm_device *dev,
                     const struct ttm_program *p)
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
                      NULL, 0);
}

static void stream_free(struct fast_stream *t)
{
    free(t->mem);
    free(t->cmds);
    free(t->patches);
    free(t->args_at);
    plan_free(&t->plan);
    free(t);
}

static int build(const struct ttm_device *dev, struct ttm_program *p, struct fast_stream **out)
{
    struct fast_stream *t = calloc(1, sizeof *t);
    if (!t)
        return err_set(-ENOMEM, "out of memory");
    uint32_t region = 0;
    int rc = plan_build(dev, p, &t->plan);
    if (!rc)
        rc = plan_region(&t->plan, &region);
    if (!rc && !(t->args_at = calloc(dev->chip.n_workers, sizeof *t->args_at)))
        rc = err_set(-ENOMEM, "out of memory");
    struct ttm_cq_cmd *c;
    if (!rc && (!(c = add_cmd(t, TTM_CQ_WAIT, 0)) || add_patch(t, &c->arg[0], PATCH_WAIT)))
        rc = -ENOMEM;
    uint32_t off = TTM_SEM_BLOCK;
    for (uint32_t g = 0; !rc && g < t->plan.n_groups; g++) {
        rc = emit_group(t, dev, p, &t->plan.groups[g], off);
        off += t->plan.groups[g].size;
    }
    if (!rc)
        rc = emit_idle(t, dev, p);
    if (!rc && (!(c = add_cmd(t, TTM_CQ_GO, 0)) || add_patch(t, &c->arg[0], PATCH_GO)))
        rc = -ENOMEM;
    if (rc) {
        stream_free(t);
        return rc;
    }
    const struct cq *q = &dev->fast->q;
    c->arg[1] = TTM_GO_WORD_DEV(q->dp.x, q->dp.y, TTM_STREAM_DONE);
    qsort(t->patches, t->n_patches, sizeof *t->patches, cmp_patch);
    t->region = region;
    t->version = p->version;
    *out = t;
    return 0;
}

int fast_stream_get(struct ttm_device *dev, struct ttm_program *p, const struct fast_stream **out)
{
    if (!p->stream || p->stream->version != p->version) {
        fast_program_free(p);
        int rc = build(dev, p, &p->stream);
        if (rc)
            return rc;
    }
    *out = p->stream;
    return 0;
}

uint32_t fast_stream_region(const struct fast_stream *s)
{
    return s->region;
}

/* Apply the patches from *pi on that fall in the copy `at` of blob bytes [off, off + len). */
static void apply_patches(const struct fast_stream *t, uint32_t *pi, uint8_t *at, uint32_t off,
                          uint32_t len, uint32_t region, uint32_t slot, uint32_t wait_for,
                          uint32_t go_after)
{
    for (; *pi < t->n_patches && t->patches[*pi].off < off + len; ++*pi) {
        uint32_t *w = (uint32_t *)(at + (t->patches[*pi].off - off));
        switch (t->patches[*pi].kind) {
        case PATCH_CFG: *w += region; break;
        case PATCH_SLOT: *w += slot * (uint32_t)sizeof(struct ttm_launch_msg); break;
        case PATCH_WAIT: *w = wait_for & DONE_MASK; break;
        case PATCH_GO: *w = go_after & DONE_MASK; break;
        }
    }
}

int fast_stream_emit(struct fast *f, const struct fast_stream *t, uint32_t region, uint32_t slot,
                     uint32_t wait_for, uint32_t go_after, struct wait_budget *b)
{
    uint32_t pi = 0;
    uint8_t *at;
    /* A stream that fits a record goes in one copy (the usual case); a longer one command
     * by command, records ending where they fill. */
    if (t->len <= CQ_MAX_CMDS_BYTES) {
        int rc = cq_cmds(&f->q, t->len, t->n_cmds, b, &at);
        if (rc)
            return rc;
        memcpy(at, t->blob, t->len);
        apply_patches(t, &pi, at, 0, t->len, region, slot, wait_for, go_after);
        return 0;
    }
    for (uint32_t i = 0; i < t->n_cmds; i++) {
        uint32_t off = t->cmds[i], len = ((const struct ttm_cq_cmd *)(t->blob + off))->len;
        int rc = cq_cmds(&f->q, len, 1, b, &at);
        if (rc)
            return rc;
        memcpy(at, t->blob + off, len);
        apply_patches(t, &pi, at, off, len, region, slot, wait_for, go_after);
    }
    return 0;
}

void fast_args_changed(struct ttm_program *p, uint32_t core)
{
    struct fast_stream *t = p->stream;
    if (!t || t->version != p->version || !t->args_at[core])
        return;
    for (uint32_t g = 0; g < t->plan.n_groups; g++)
        if (core_set_has(&t->plan.groups[g].cores, core))
            group_args(&t->plan.groups[g], core, t->blob + t->args_at[core]);
}

void fast_program_free(struct ttm_program *p)
{
    if (p->stream)
        stream_free(p->stream);
    p->stream = NULL;
}
