/* The objects behind the public handles (include/ttm.h): devices, buffers, programs with
 * their kernels and circular buffers. src/api/ creates and checks them; src/dispatch/ runs
 * them on the chip.
 *
 * Lifetime: a device owns its chip; buffers and programs point at their device and stay
 * valid handles after it closes (every call on them then fails with -ENODEV); the
 * device's memory goes when it is closed and its last child is destroyed. Which handles
 * are live, and the locking, are src/api/handles.c's. */
#pragma once

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chip/chip.h"
#include "load/xip.h"
#include "ttm.h"

#define TTM_MAX_ARGS 256u          /* runtime args per kernel per core */
#define TTM_MAX_KERNELS 16u
#define TTM_MAX_PROGRAM_CBS 64u
#define TTM_MAX_PROGRAM_SEMS 64u   /* semaphores; ids repeat on disjoint core sets */

struct dispatch_ops;
struct fast;
struct fast_stream;

struct trace;
struct kprint;

struct ttm_device {
    struct ttm_chip chip;
    const struct dispatch_ops *dispatch;  /* slow or fast, chosen at open */
    struct fast *fast;          /* fast dispatch state; NULL in slow dispatch */
    char backend[16];
    uint32_t next_program_id;
    struct trace *trace;        /* collecting a timeline (src/trace/); NULL: not */
    unsigned trace_env;         /* traced for TTM_TRACE: its number in the process, else 0 */
    struct kprint *kprint;      /* kernel print on (src/trace/kprint.c); NULL: off */
    pthread_mutex_t lock;       /* held by every call on the device or its children */
    /* Guarded by the handle table's lock (src/api/handles.c); closed is also written
     * only with `lock` held. */
    bool closed;
    uint32_t children;          /* live handles of buffers, programs, kernels, CBs */
    uint32_t pins;              /* calls waiting for `lock` */
};

struct ttm_buffer {
    struct ttm_device *dev;
    uint32_t type;              /* enum ttm_buffer_type */
    uint64_t addr;              /* bank-local base */
    uint64_t bank_bytes;        /* taken in each bank */
    uint64_t size;
    uint32_t page_size;
};

/* A set of logical cores: bit (y * grid_x + x). */
struct core_set {
    uint64_t bits[(TTM_MAX_L1_BANKS + 63) / 64];
};

static inline bool core_set_has(const struct core_set *s, uint32_t i)
{
    return s->bits[i / 64] >> (i % 64) & 1;
}

static inline void core_set_add(struct core_set *s, uint32_t i)
{
    s->bits[i / 64] |= 1ull << (i % 64);
}

static inline bool core_set_overlaps(const struct core_set *a, const struct core_set *b)
{
    for (size_t i = 0; i < sizeof a->bits / sizeof a->bits[0]; i++)
        if (a->bits[i] & b->bits[i])
            return true;
    return false;
}

/* A dataflow kernel runs on one processor; a compute kernel's three parts (one source
 * built three times) on TRISC0-2, sharing its runtime args. */
#define KERNEL_MAX_PARTS 3
#define KERNEL_NO_NOC 0xFFu     /* compute kernels make no NoC requests */

struct ttm_kernel {
    struct ttm_program *prog;
    uint32_t proc;              /* enum bh_core of the first part */
    uint32_t n_parts;           /* processors proc .. proc + n_parts - 1 */
    uint32_t noc;               /* 0, 1 or KERNEL_NO_NOC */
    struct core_set cores;
    struct xip_image image[KERNEL_MAX_PARTS];
    char name[64];              /* file name or "<string>", for messages */
    uint32_t n_common;
    uint32_t common[TTM_MAX_ARGS];
    uint32_t max_args;          /* most unique args any core has */
    uint16_t *n_args;           /* per core (index y * grid_x + x) */
    uint32_t *args;             /* per core, TTM_MAX_ARGS each, allocated on first use */
};

/* The image kernel k runs on processor proc. */
static inline const struct xip_image *kernel_image(const struct ttm_kernel *k, uint32_t proc)
{
    return &k->image[proc - k->proc];
}

struct ttm_cb {
    struct ttm_program *prog;
    struct core_set cores;
    uint32_t index, total_size, page_size, format;
    uint64_t addr;              /* L1 address on every core of the set */
};

/* A semaphore: word `id` of the launch's semaphore block, set to `value` on these cores
 * at every launch. */
struct ttm_sem {
    struct core_set cores;
    uint32_t id, value;
};

struct ttm_program {
    struct ttm_device *dev;
    uint32_t id;
    uint32_t version;           /* bumped by every change to kernels, CBs, common args */
    struct fast_stream *stream; /* fast dispatch's cached command stream, or NULL */
    uint32_t n_kernels, n_cbs, n_sems;
    struct ttm_kernel *kernels[TTM_MAX_KERNELS];
    struct ttm_cb *cbs[TTM_MAX_PROGRAM_CBS];
    struct ttm_sem sems[TTM_MAX_PROGRAM_SEMS];
};
