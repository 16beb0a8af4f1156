/* The two dispatch modes behind one interface (seed 000): slow dispatch, where the host
 * drives every core through TLB windows, and fast dispatch, where our prefetcher and
 * dispatcher firmware serve a command queue in host memory. The mode is chosen when a
 * device opens and never changes; src/api/ calls only through this table.
 *
 * Every function returns 0 (or what its comment says) or a negative errno value with the
 * reason in err_get(). Timeouts are in milliseconds. */
#pragma once

#include "../util/err.h"

#include <stdint.h>

#include "../objects.h"

/* How long a wait the caller did not bound may take (ttm.h: a timeout of 0 means this). */
#define DISPATCH_TIMEOUT_MS 10000u

struct dispatch_ops {
    uint32_t mode;              /* enum ttm_dispatch: TTM_DISPATCH_FAST or _SLOW */
    /* Boot the chip's workers (and whatever the mode runs besides); on failure the chip
     * is left for the caller to close. */
    int (*open)(struct ttm_device *dev);
    void (*close)(struct ttm_device *dev);
    /* Run the program and wait until it (and, in fast dispatch, everything queued before
     * it) has finished. A hang or a refused command is reported and the device reset. */
    int (*launch)(struct ttm_device *dev, struct ttm_program *prog, uint32_t timeout_ms);
    /* Buffer transfers; `blocking` 0 only where there is a queue to leave them in. */
    int (*write_buffer)(struct ttm_buffer *buf, uint64_t offset, const void *src,
                        uint64_t size, int blocking);
    int (*read_buffer)(struct ttm_buffer *buf, uint64_t offset, void *dst, uint64_t size,
                       int blocking);

    /* The command queue; NULL in slow dispatch. */
    int (*enqueue_program)(struct ttm_device *dev, struct ttm_program *prog);
    int (*record_event)(struct ttm_device *dev, uint64_t *event);
    int (*event_wait)(struct ttm_device *dev, uint64_t event, uint32_t timeout_ms);
    int (*event_query)(struct ttm_device *dev, uint64_t event); /* 1 done, 0 not yet */
    int (*finish)(struct ttm_device *dev, uint32_t timeout_ms);

    /* Whether the program as it is now can be launched in this mode: its kernel-config
     * images fit. Asked when a kernel, a CB or a semaphore is added, so such a program is
     * refused then; runtime args that grow an image past the area fail at launch. */
    int (*check_program)(const struct ttm_device *dev, const struct ttm_program *prog);

    /* What a mode caches per program (NULL: nothing): core `core`'s runtime args
     * changed (any other change bumps prog->version); the program goes away. */
    void (*args_changed)(struct ttm_program *prog, uint32_t core);
    void (*program_free)(struct ttm_program *prog);
};

extern const struct dispatch_ops dispatch_slow_ops, dispatch_fast_ops;
