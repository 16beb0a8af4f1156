/* Kernel groups: the cores of a program that run the same kernels with the same circular
 * buffers and semaphore values share one kernel-config image layout (seed 003 layout:
 * runtime args at 0, common args 16-byte aligned, local CB configs, kernel text 16-byte
 * aligned) and are written together by multicast. The semaphores are not in the image:
 * they open the launch's region (TTM_SEM_BLOCK), at one address for every group. Used by
 * slow and fast dispatch. */
#pragma once

#include "../util/err.h"

#include "../objects.h"

struct group {
    struct ttm_kernel *k[BH_CORES_PER_TILE]; /* the kernel of each processor (or NULL) */
    struct ttm_cb *cb[TTM_MAX_CBS];
    uint32_t sem[TTM_MAX_SEMS];              /* initial semaphore values */
    bool has_sems;                           /* the program has semaphores */
    struct core_set cores;
    uint16_t rta_off[BH_CORES_PER_TILE], crta_off[BH_CORES_PER_TILE], cb_off, cb_format_off;
    uint32_t text_off[BH_CORES_PER_TILE], size, cb_mask;
};

struct plan {
    struct group *groups;
    uint32_t n_groups;
    uint32_t *cores;                         /* every core with a kernel, ascending index */
    uint32_t n_cores;
};

/* Group the program's cores and lay out each group's image. */
MUST_CHECK int plan_build(const struct ttm_device *dev, const struct ttm_program *prog,
                          struct plan *pl);
void plan_free(struct plan *pl);
/* The bytes of a launch's config region holding its semaphores and every group's image
 * side by side (fast dispatch keeps launches in flight in one ring), or -E2BIG when they
 * do not fit the ring. */
MUST_CHECK int plan_region(const struct plan *pl, uint32_t *bytes);
/* Whether the program can be laid out as it is now: each group's image fits the config
 * area and, with `side_by_side`, all of them together (plan_region). */
MUST_CHECK int plan_check(const struct ttm_device *dev, const struct ttm_program *prog,
                          bool side_by_side);

/* The part of a group's image shared by its cores, [crta_off[0], size), for an image at
 * L1 address `base`: common args, CB configs, relocated kernels. `img` holds g->size
 * bytes; the unique-args part is left zero. */
void group_image(const struct group *g, uint32_t base, uint8_t *img);
/* Core i's unique runtime args into img[0, crta_off[0]). */
void group_args(const struct group *g, uint32_t i, uint8_t *img);
/* The group's semaphore block (TTM_SEM_BLOCK bytes): its initial values, 16 bytes apart. */
void group_sems(const struct group *g, uint8_t *block);
/* The launch message of a group whose image sits at `base`, the semaphores at sem_addr. */
void group_launch_msg(const struct ttm_program *p, const struct group *g, uint32_t base,
                      uint32_t sem_addr, uint8_t mode, struct ttm_launch_msg *msg);

/* Call fn once per rectangle of logical cores covering the set: runs of adjacent columns
 * in a row, stacked while the next row has the same run. */
MUST_CHECK int for_each_rect(const struct ttm_chip *c, const struct core_set *s,
                             int (*fn)(void *arg, uint32_t x0, uint32_t y0, uint32_t x1,
                                       uint32_t y1),
                             void *arg);
