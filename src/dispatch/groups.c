#include "groups.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../util/err.h"

static uint32_t align16(uint32_t v)
{
    return (v + 15) & ~15u;
}

/* The kernel of each processor, the CB of each index and the semaphore values at core i
 * decide its group; they go into g's k[], cb[] and sem[], the rest of g is left alone. Returns whether the core
 * runs a kernel at all. */
static bool core_key(const struct ttm_program *p, uint32_t i, struct group *g)
{
    bool any = false;
    memset(g->k, 0, sizeof g->k);
    memset(g->cb, 0, sizeof g->cb);
    for (uint32_t n = 0; n < p->n_kernels; n++) {
        struct ttm_kernel *k = p->kernels[n];
        if (core_set_has(&k->cores, i)) {
            for (uint32_t m = 0; m < k->n_parts; m++)
                g->k[k->proc + m] = k;
            any = true;
        }
    }
    for (uint32_t n = 0; n < p->n_cbs && any; n++)
        if (core_set_has(&p->cbs[n]->cores, i))
            g->cb[p->cbs[n]->index] = p->cbs[n];
    memset(g->sem, 0, sizeof g->sem);
    g->has_sems = p->n_sems > 0;
    for (uint32_t n = 0; n < p->n_sems && any; n++)
        if (core_set_has(&p->sems[n].cores, i))
            g->sem[p->sems[n].id] = p->sems[n].value;
    return any;
}

/* Processor j runs another part of the kernel of processor j - 1: they share its args. */
static bool shares_args(const struct group *g, uint32_t j)
{
    return j && g->k[j] && g->k[j] == g->k[j - 1];
}

static int layout(struct group *g)
{
    uint32_t off = 0;
    for (uint32_t j = 0; j < BH_CORES_PER_TILE; j++) {
        g->rta_off[j] = shares_args(g, j) ? g->rta_off[j - 1] : (uint16_t)off;
        off += g->k[j] && !shares_args(g, j) ? 4 * g->k[j]->max_args : 0;
    }
    off = align16(off);
    for (uint32_t j = 0; j < BH_CORES_PER_TILE; j++) {
        g->crta_off[j] = shares_args(g, j) ? g->crta_off[j - 1] : (uint16_t)off;
        off += g->k[j] && !shares_args(g, j) ? 4 * g->k[j]->n_common : 0;
    }
    off = align16(off);
    g->cb_off = (uint16_t)off;
    for (uint32_t i = 0; i < TTM_MAX_CBS; i++) {
        if (g->cb[i]) {
            g->cb_mask |= 1u << i;
            off = g->cb_off + 16 * (i + 1);
        }
    }
    /* The CBs' data formats, for compute kernels' unpackers and packers. */
    g->cb_format_off = (uint16_t)off;
    off += g->cb_mask ? TTM_MAX_CBS : 0;
    for (uint32_t j = 0; j < BH_CORES_PER_TILE; j++) {
        off = align16(off);
        g->text_off[j] = off;
        off += g->k[j] ? kernel_image(g->k[j], j)->size : 0;
    }
    g->size = align16(off);
    if (TTM_SEM_BLOCK + g->size > TTM_L1_KERNEL_CONFIG_SIZE)
        return err_set(-E2BIG, "kernel-config image of %u bytes exceeds the %u reserved",
                       TTM_SEM_BLOCK + g->size, TTM_L1_KERNEL_CONFIG_SIZE);
    return 0;
}

int plan_build(const struct ttm_device *dev, const struct ttm_program *prog, struct plan *l)
{
    const struct ttm_chip *c = &dev->chip;
    memset(l, 0, sizeof *l);
    l->groups = calloc(c->n_workers, sizeof *l->groups);
    l->cores = calloc(c->n_workers, sizeof *l->cores);
    if (!l->groups || !l->cores)
        return err_set(-ENOMEM, "out of memory");
    for (uint32_t i = 0; i < c->n_workers; i++) {
        /* The key is built in the first free group (calloc'ed): kept if it is new. */
        struct group *key = &l->groups[l->n_groups];
        if (!core_key(prog, i, key))
            continue;
        uint32_t g = 0;
        while (g < l->n_groups && (memcmp(l->groups[g].k, key->k, sizeof key->k) ||
                                   memcmp(l->groups[g].cb, key->cb, sizeof key->cb) ||
                                   memcmp(l->groups[g].sem, key->sem, sizeof key->sem)))
            g++;
        if (g == l->n_groups)
            l->n_groups++;
        core_set_add(&l->groups[g].cores, i);
        l->cores[l->n_cores++] = i;
    }
    if (!l->n_cores)
        return err_set(-EINVAL, "program %u has no kernels", prog->id);
    for (uint32_t g = 0; g < l->n_groups; g++) {
        int rc = layout(&l->groups[g]);
        if (rc)
            return rc;
    }
    return 0;
}

void plan_free(struct plan *pl)
{
    free(pl->groups);
    free(pl->cores);
    memset(pl, 0, sizeof *pl);
}

int plan_region(const struct plan *pl, uint32_t *bytes)
{
    uint32_t off = TTM_SEM_BLOCK;
    for (uint32_t g = 0; g < pl->n_groups; g++)
        off += pl->groups[g].size;
    if (off > TTM_L1_KERNEL_CONFIG_SIZE)
        return err_set(-E2BIG, "the program's kernel-config images take %u bytes, more than "
                               "the %u bytes of the ring", off, TTM_L1_KERNEL_CONFIG_SIZE);
    *bytes = off;
    return 0;
}

int plan_check(const struct ttm_device *dev, const struct ttm_program *prog, bool side_by_side)
{
    struct plan pl;
    uint32_t bytes;
    int rc = plan_build(dev, prog, &pl);
    if (!rc && side_by_side)
        rc = plan_region(&pl, &bytes);
    plan_free(&pl);
    return rc;
}

/* A CB's format as the Tensix unpacker and packer name it. */
static uint8_t tensix_format(uint32_t format)
{
    switch (format) {
    case TTM_FORMAT_FLOAT32: return TTM_TT_FORMAT_FLOAT32;
    case TTM_FORMAT_BFLOAT16: return TTM_TT_FORMAT_BFLOAT16;
    case TTM_FORMAT_UINT32: return TTM_TT_FORMAT_INT32;
    case TTM_FORMAT_UINT16: return TTM_TT_FORMAT_UINT16;
    }
    return TTM_TT_FORMAT_NONE;
}

void group_image(const struct group *g, uint32_t base, uint8_t *img)
{
    memset(img, 0, g->size);
    for (uint32_t j = 0; j < BH_CORES_PER_TILE; j++) {
        const struct ttm_kernel *k = g->k[j];
        if (!k)
            continue;
        const struct xip_image *im = kernel_image(k, j);
        memcpy(img + g->crta_off[j], k->common, 4 * k->n_common);
        memcpy(img + g->text_off[j], im->data, im->size);
        xip_relocate(im, img + g->text_off[j], base + g->text_off[j]);
    }
    struct ttm_cb_config *cbc = (struct ttm_cb_config *)(img + g->cb_off);
    for (uint32_t i = 0; i < TTM_MAX_CBS; i++) {
        const struct ttm_cb *cb = g->cb[i];
        if (cb) {
            cbc[i] = (struct ttm_cb_config){(uint32_t)cb->addr, cb->total_size,
                                            cb->total_size / cb->page_size, cb->page_size};
            img[g->cb_format_off + i] = tensix_format(cb->format);
        }
    }
}

void group_args(const struct group *g, uint32_t i, uint8_t *img)
{
    memset(img, 0, g->crta_off[0]);
    for (uint32_t j = 0; j < BH_CORES_PER_TILE; j++)
        if (g->k[j] && g->k[j]->args && !shares_args(g, j))
            memcpy(img + g->rta_off[j], &g->k[j]->args[(size_t)i * TTM_MAX_ARGS],
                   4 * g->k[j]->n_args[i]);
}

void group_sems(const struct group *g, uint8_t *block)
{
    memset(block, 0, TTM_SEM_BLOCK);
    for (uint32_t i = 0; i < TTM_MAX_SEMS; i++)
        memcpy(block + 16 * i, &g->sem[i], 4);
}

void group_launch_msg(const struct ttm_program *p, const struct group *g, uint32_t base,
                      uint32_t sem_addr, uint8_t mode, struct ttm_launch_msg *msg)
{
    memset(msg, 0, sizeof *msg);
    msg->kernel_config_base = base;
    msg->sem_addr = sem_addr;
    for (uint32_t j = 0; j < BH_CORES_PER_TILE; j++) {
        msg->rta_offset[j] = g->rta_off[j];
        msg->crta_offset[j] = g->crta_off[j];
        if (g->k[j]) {
            msg->kernel_text_offset[j] = g->text_off[j] + kernel_image(g->k[j], j)->entry_offset;
            msg->enables |= (uint8_t)(1u << j);
            if (j < sizeof msg->noc) /* the data-movement processors, BRISC and NCRISC */
                msg->noc[j] = (uint8_t)g->k[j]->noc;
        }
    }
    msg->local_cb_offset = g->cb_off;
    msg->cb_format_offset = g->cb_format_off;
    msg->local_cb_mask = g->cb_mask;
    msg->mode = mode;
    msg->host_id = p->id;
}

int for_each_rect(const struct ttm_chip *c, const struct core_set *s,
                         int (*fn)(void *arg, uint32_t x0, uint32_t y0, uint32_t x1, uint32_t y1),
                         void *arg)
{
    struct core_set left = *s;
    for (uint32_t y = 0; y < c->grid_y; y++) {
        for (uint32_t x = 0; x < c->grid_x; x++) {
            if (!core_set_has(&left, y * c->grid_x + x))
                continue;
            uint32_t x1 = x, y1 = y;
            while (x1 + 1 < c->grid_x && core_set_has(&left, y * c->grid_x + x1 + 1))
                x1++;
            for (bool full = true; full && y1 + 1 < c->grid_y;) {
                for (uint32_t xx = x; xx <= x1 && full; xx++)
                    full = core_set_has(&left, (y1 + 1) * c->grid_x + xx);
                if (full)
                    y1++;
            }
            for (uint32_t yy = y; yy <= y1; yy++)
                for (uint32_t xx = x; xx <= x1; xx++)
                    left.bits[(yy * c->grid_x + xx) / 64] &= ~(1ull << ((yy * c->grid_x + xx) % 64));
            int rc = fn(arg, x, y, x1, y1);
            if (rc)
                return rc;
            x = x1;
        }
    }
    return 0;
}

