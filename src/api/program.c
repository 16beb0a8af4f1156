/* Programs: creation, their circular buffers, launch. Kernels are in kernel.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../dispatch/dispatch.h"
#include "../util/err.h"
#include "api.h"

VIS int ttm_program_create(ttm_device *dev, ttm_program **out)
{
    if (!out)
        return err_set(-EINVAL, "ttm_program_create: out is NULL");
    *out = NULL;
    struct ttm_device *d;
    int rc = api_enter(dev, HANDLE_DEVICE, &d);
    if (rc)
        return rc;
    struct ttm_program *p = calloc(1, sizeof *p);
    if (!p)
        return api_leave(d, err_set(-ENOMEM, "out of memory"));
    p->dev = dev;
    p->id = ++dev->next_program_id;
    if ((rc = api_handle_add(p, HANDLE_PROGRAM, dev))) {
        free(p);
        return api_leave(d, rc);
    }
    *out = p;
    return api_leave(d, 0);
}

VIS int ttm_program_destroy(ttm_program *p)
{
    struct ttm_device *dev;
    int rc = api_enter(p, HANDLE_PROGRAM | HANDLE_CLOSED_OK, &dev);
    if (rc)
        return rc;
    if (dev->dispatch->program_free)
        dev->dispatch->program_free(p);
    for (uint32_t i = 0; i < p->n_kernels; i++) {
        api_handle_remove(p->kernels[i]);
        api_kernel_free(p->kernels[i]);
    }
    for (uint32_t i = 0; i < p->n_cbs; i++) {
        if (!dev->closed)
            alloc_give(&dev->chip.l1_alloc, p->cbs[i]->addr, p->cbs[i]->total_size);
        api_handle_remove(p->cbs[i]);
        free(p->cbs[i]);
    }
    api_handle_remove(p);
    free(p);
    return api_leave(dev, 0);
}

static int create_cb(ttm_program *p, const struct ttm_core_range *ranges, size_t n_ranges,
                     uint32_t index, uint32_t total_size, uint32_t page_size, uint32_t format,
                     ttm_cb **out)
{
    int rc;
    struct core_set cores;
    if ((rc = api_core_set(p->dev, ranges, n_ranges, &cores)))
        return rc;
    if (index >= TTM_MAX_CBS)
        return err_set(-EINVAL, "CB index %u is not below %u", index, TTM_MAX_CBS);
    if (format > TTM_FORMAT_UINT8)
        return err_set(-EINVAL, "unknown data format %u", format);
    if (!page_size || page_size % TTM_L1_ALIGN || !total_size || total_size % page_size)
        return err_set(-EINVAL, "CB %u: page size %u must be a non-zero multiple of %u and the "
                                "total size %u a multiple of it", index, page_size, TTM_L1_ALIGN,
                       total_size);
    for (uint32_t i = 0; i < p->n_cbs; i++)
        if (p->cbs[i]->index == index && core_set_overlaps(&p->cbs[i]->cores, &cores))
            return err_set(-EEXIST, "CB %u already exists on some of these cores", index);
    if (p->n_cbs == TTM_MAX_PROGRAM_CBS)
        return err_set(-ENOSPC, "a program has at most %u circular buffers", TTM_MAX_PROGRAM_CBS);
    struct ttm_cb *cb = calloc(1, sizeof *cb);
    if (!cb)
        return err_set(-ENOMEM, "out of memory");
    /* Same L1 address on every core of the set, so one config serves them all; aligned
     * for DRAM traffic (ttm.h: Alignment). */
    if ((rc = alloc_take(&p->dev->chip.l1_alloc, total_size, TTM_DRAM_ALIGN, &cb->addr))) {
        free(cb);
        return err_wrap(rc, "CB %u: allocating %u bytes of L1", index, total_size);
    }
    if ((rc = api_handle_add(cb, HANDLE_CB, p->dev))) {
        alloc_give(&p->dev->chip.l1_alloc, cb->addr, total_size);
        free(cb);
        return rc;
    }
    cb->prog = p;
    cb->cores = cores;
    cb->index = index;
    cb->total_size = total_size;
    cb->page_size = page_size;
    cb->format = format;
    p->cbs[p->n_cbs++] = cb;
    /* A CB on part of a group's cores splits it: refused now if the program could then not
     * be launched. */
    if (p->n_kernels && (rc = p->dev->dispatch->check_program(p->dev, p))) {
        p->cbs[--p->n_cbs] = NULL;
        api_handle_remove(cb);
        alloc_give(&p->dev->chip.l1_alloc, cb->addr, total_size);
        free(cb);
        return err_wrap(rc, "CB %u", index);
    }
    p->version++;
    if (out)
        *out = cb;
    return 0;
}

VIS int ttm_cb_create(ttm_program *p, const struct ttm_core_range *ranges, size_t n_ranges,
                      uint32_t index, uint32_t total_size, uint32_t page_size, uint32_t format,
                      ttm_cb **out)
{
    if (out)
        *out = NULL;
    struct ttm_device *d;
    int rc = api_enter(p, HANDLE_PROGRAM, &d);
    return rc ? rc
              : api_leave(d, create_cb(p, ranges, n_ranges, index, total_size, page_size,
                                       format, out));
}

static int create_sem(ttm_program *p, const struct ttm_core_range *ranges, size_t n_ranges,
                      uint32_t value, uint32_t *id)
{
    struct core_set cores;
    int rc = api_core_set(p->dev, ranges, n_ranges, &cores);
    if (rc)
        return rc;
    if (p->n_sems == TTM_MAX_PROGRAM_SEMS)
        return err_set(-ENOSPC, "a program has at most %u semaphores", TTM_MAX_PROGRAM_SEMS);
    uint32_t taken = 0; /* bit i: id i is used on some of these cores */
    for (uint32_t i = 0; i < p->n_sems; i++)
        if (core_set_overlaps(&p->sems[i].cores, &cores))
            taken |= 1u << p->sems[i].id;
    uint32_t free_id = 0;
    while (free_id < TTM_MAX_SEMS && (taken >> free_id & 1))
        free_id++;
    if (free_id == TTM_MAX_SEMS)
        return err_set(-ENOSPC, "all %u semaphore ids are taken on some of these cores",
                       TTM_MAX_SEMS);
    p->sems[p->n_sems++] = (struct ttm_sem){cores, free_id, value};
    /* Different values on some of a group's cores split it: refused now if the program
     * could then not be launched. */
    if (p->n_kernels && (rc = p->dev->dispatch->check_program(p->dev, p))) {
        p->n_sems--;
        return err_wrap(rc, "semaphore");
    }
    p->version++;
    *id = free_id;
    return 0;
}

VIS int ttm_semaphore_create(ttm_program *p, const struct ttm_core_range *ranges,
                             size_t n_ranges, uint32_t initial_value, uint32_t *id)
{
    if (!id)
        return err_set(-EINVAL, "ttm_semaphore_create: id is NULL");
    struct ttm_device *d;
    int rc = api_enter(p, HANDLE_PROGRAM, &d);
    return rc ? rc : api_leave(d, create_sem(p, ranges, n_ranges, initial_value, id));
}

VIS int ttm_program_launch(ttm_device *dev, ttm_program *p, uint32_t timeout_ms)
{
    struct ttm_device *d;
    int rc = api_enter(p, HANDLE_PROGRAM, &d);
    if (rc)
        return rc;
    if (d != dev)
        rc = err_set(-EINVAL, "the program belongs to another device");
    else
        rc = d->dispatch->launch(d, p, timeout_ms ? timeout_ms : DISPATCH_TIMEOUT_MS);
    return api_leave_waited(d, rc);
}
