/* Devices: opening one on a backend in a dispatch mode, its description, closing it. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../dispatch/dispatch.h"
#include "../trace/kprint.h"
#include "../trace/trace.h"
#include "../util/err.h"
#include "api.h"

int api_check_queue(const struct ttm_device *dev)
{
    return dev->dispatch->enqueue_program
               ? 0
               : err_set(-EPERM, "Mixing fast and slow dispatch is prohibited!");
}

/* Fast dispatch unless the options or TTM_SLOW_DISPATCH=1 ask for slow (seed 000). */
static int choose_dispatch(const struct ttm_device_opts *opts, const struct dispatch_ops **ops)
{
    uint32_t mode = opts ? opts->dispatch : TTM_DISPATCH_DEFAULT;
    if (mode > TTM_DISPATCH_SLOW)
        return err_set(-EINVAL, "unknown dispatch mode %u", mode);
    if (mode == TTM_DISPATCH_DEFAULT) {
        const char *env = getenv("TTM_SLOW_DISPATCH");
        mode = env && *env && strcmp(env, "0") ? TTM_DISPATCH_SLOW : TTM_DISPATCH_FAST;
    }
    *ops = mode == TTM_DISPATCH_FAST ? &dispatch_fast_ops : &dispatch_slow_ops;
    return 0;
}

VIS int ttm_device_create_opts(const struct ttm_device_opts *opts, ttm_device **out)
{
    if (!out)
        return err_set(-EINVAL, "ttm_device_create: out is NULL");
    *out = NULL;
    if (opts && opts->argsz != sizeof *opts)
        return err_set(-EINVAL, "ttm_device_opts.argsz is %u, expected %zu", opts->argsz,
                       sizeof *opts);
    if (opts && opts->flags)
        return err_set(-EINVAL, "ttm_device_opts.flags must be 0");
    const char *name = opts && opts->backend ? opts->backend : pcie_default_backend();
    const struct ttm_pcie_ops *ops = pcie_backend(name);
    if (!ops)
        return err_set(-EINVAL, "unknown backend \"%s\" (use emu, ttsim or kmd)", name);
    struct ttm_device *dev = calloc(1, sizeof *dev);
    if (!dev)
        return err_set(-ENOMEM, "out of memory");
    snprintf(dev->backend, sizeof dev->backend, "%s", ops->name);
    int rc = choose_dispatch(opts, &dev->dispatch);
    if (rc || (rc = chip_open(&dev->chip, ops, opts))) {
        free(dev);
        return err_wrap(rc, "opening device (backend %s)", name);
    }
    if ((rc = dev->dispatch->open(dev))) {
        chip_close(&dev->chip);
        free(dev);
        return err_wrap(rc, "booting device (backend %s)", name);
    }
    pthread_mutex_init(&dev->lock, NULL);
    if ((rc = kprint_open(dev)) || (rc = api_trace_from_env(dev)) ||
        (rc = api_handle_add(dev, HANDLE_DEVICE, dev))) {
        if (dev->trace && trace_end(dev, NULL, NULL))
            err_wrap(rc, "tracing");
        kprint_close(dev);
        dev->dispatch->close(dev);
        chip_close(&dev->chip);
        pthread_mutex_destroy(&dev->lock);
        free(dev);
        return rc;
    }
    *out = dev;
    return 0;
}

VIS int ttm_device_create(uint32_t device_id, ttm_device **out)
{
    struct ttm_device_opts opts = {.argsz = sizeof opts, .device_id = device_id};
    return ttm_device_create_opts(&opts, out);
}

VIS int ttm_device_close(ttm_device *dev)
{
    struct ttm_device *d;
    int rc = api_enter(dev, HANDLE_DEVICE, &d);
    if (rc)
        return rc;
    trace_call_end(d); /* the trace it writes ends with this call's start */
    rc = api_trace_close(d);
    int printed = kprint_drain(d);
    rc = rc ? rc : printed;
    kprint_close(d);
    dev->dispatch->close(dev);
    chip_close(&dev->chip);
    api_handle_remove(dev);
    return api_leave(d, rc);
}

VIS int ttm_device_info(ttm_device *dev, struct ttm_device_info *info)
{
    if (!info || info->argsz != sizeof *info)
        return err_set(-EINVAL, "ttm_device_info: argsz must be %zu", sizeof *info);
    struct ttm_device *d;
    int rc = api_enter(dev, HANDLE_DEVICE, &d);
    if (rc)
        return rc;
    const struct ttm_chip *c = &dev->chip;
    memset(info, 0, sizeof *info);
    info->argsz = sizeof *info;
    info->board = c->board;
    info->grid_x = c->grid_x;
    info->grid_y = c->grid_y;
    info->num_workers = c->n_workers;
    info->num_dram_banks = c->n_dram;
    info->dram_bank_size = c->dram_alloc.end;
    info->l1_size = TTM_L1_END;
    info->l1_unreserved = TTM_L1_UNRESERVED;
    info->dispatch = dev->dispatch->mode;
    snprintf(info->backend, sizeof info->backend, "%s", dev->backend);
    info->align = TTM_DRAM_ALIGN;
    return api_leave(d, 0);
}

static int noc_xy(const struct ttm_device *dev, uint32_t x, uint32_t y, uint32_t noc,
                  uint32_t *noc_x, uint32_t *noc_y)
{
    const struct ttm_chip *c = &dev->chip;
    if (!noc_x || !noc_y)
        return err_set(-EINVAL, "ttm_core_noc_xy: noc_x or noc_y is NULL");
    if (noc > 1)
        return err_set(-EINVAL, "NoC %u: Blackhole has NoC 0 and NoC 1", noc);
    if (x >= c->grid_x || y >= c->grid_y)
        return err_set(-EINVAL, "core (%u,%u) is outside the %ux%u worker grid", x, y,
                       c->grid_x, c->grid_y);
    struct chip_worker w = chip_worker_at(c, x, y);
    *noc_x = w.x;
    *noc_y = w.y;
    return 0;
}

VIS int ttm_core_noc_xy(ttm_device *dev, uint32_t x, uint32_t y, uint32_t noc, uint32_t *noc_x,
                        uint32_t *noc_y)
{
    struct ttm_device *d;
    int rc = api_enter(dev, HANDLE_DEVICE, &d);
    return rc ? rc : api_leave(d, noc_xy(d, x, y, noc, noc_x, noc_y));
}

int api_core_set(const struct ttm_device *dev, const struct ttm_core_range *ranges, size_t n,
                 struct core_set *out)
{
    const struct ttm_chip *c = &dev->chip;
    memset(out, 0, sizeof *out);
    if (!ranges || !n)
        return err_set(-EINVAL, "no core range given");
    for (size_t i = 0; i < n; i++) {
        const struct ttm_core_range *r = &ranges[i];
        if (r->x0 > r->x1 || r->y0 > r->y1 || r->x1 >= c->grid_x || r->y1 >= c->grid_y)
            return err_set(-EINVAL, "core range %zu (%u,%u)-(%u,%u) is outside the %ux%u "
                                    "worker grid or inverted", i, r->x0, r->y0, r->x1, r->y1,
                           c->grid_x, c->grid_y);
        for (uint32_t y = r->y0; y <= r->y1; y++)
            for (uint32_t x = r->x0; x <= r->x1; x++)
                core_set_add(out, y * c->grid_x + x);
    }
    return 0;
}
