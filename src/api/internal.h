/* The objects behind the public handles. A device owns its chip; buffers and programs
 * point at their device and stay valid handles after it closes (every call on them then
 * fails with -ENODEV); the device's memory goes when it is closed and its last child is
 * destroyed. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "../chip/chip.h"
#include "../load/xip.h"
#include "ttm.h"

#define TTM_MAX_ARGS 256u          /* runtime args per kernel per core */
#define TTM_MAX_KERNELS 16u
#define TTM_MAX_PROGRAM_CBS 64u

struct fast;

struct ttm_device {
    struct ttm_chip chip;
    struct fast *fast;          /* fast dispatch state; NULL in slow dispatch */
    char backend[16];
    bool closed;
    uint32_t children;          /* live buffers and programs */
    uint32_t next_program_id;
};

struct ttm_buffer {
    struct ttm_device *dev;
    uint32_t type;              /* enum ttm_buffer_type */
    uint64_t addr;              /* bank-local base */
    uint64_t size;
    uint32_t page_size;
};

/* A set of logical cores: bit (y * grid_x + x). */
struct core_set {
    uint64_t bits[(TTM_MAX_L1_BANKS + 63) / 64];
};

struct ttm_kernel {
    struct ttm_program *prog;
    uint32_t proc;              /* enum ttm_proc */
    uint32_t noc;
    struct core_set cores;
    struct xip_image image;
    char name[64];              /* file name or "<string>", for messages */
    uint32_t n_common;
    uint32_t common[TTM_MAX_ARGS];
    uint32_t max_args;          /* most unique args any core has */
    uint16_t *n_args;           /* per core (index y * grid_x + x) */
    uint32_t *args;             /* per core, TTM_MAX_ARGS each, allocated on first use */
};

struct ttm_cb {
    struct ttm_program *prog;
    struct core_set cores;
    uint32_t index, total_size, page_size, format;
    uint64_t addr;              /* L1 address on every core of the set */
};

struct fast_tmpl;

struct ttm_program {
    struct ttm_device *dev;
    uint32_t id;
    uint32_t version;           /* bumped by every change to kernels, CBs, common args */
    struct fast_tmpl *tmpl;     /* cached fast-dispatch command stream */
    uint32_t n_kernels, n_cbs;
    struct ttm_kernel *kernels[TTM_MAX_KERNELS];
    struct ttm_cb *cbs[TTM_MAX_PROGRAM_CBS];
};

/* Shared checks. */
int api_check_device(const struct ttm_device *dev);
/* The device is open and in fast dispatch (seed 000: the modes do not mix). */
int api_check_fast(const struct ttm_device *dev);
int api_core_set(const struct ttm_device *dev, const struct ttm_core_range *ranges, size_t n,
                 struct core_set *out);
static inline bool core_set_has(const struct core_set *s, uint32_t i)
{
    return s->bits[i / 64] >> (i % 64) & 1;
}
static inline void core_set_add(struct core_set *s, uint32_t i)
{
    s->bits[i / 64] |= 1ull << (i % 64);
}
void api_device_release(struct ttm_device *dev);   /* a child went away */

/* A run of a buffer's bytes within one page: where [offset, offset + min(size, max))
 * begins, at most to the end of its page (interleaving: page p in bank p % banks). */
struct buffer_span {
    uint32_t x, y;              /* the bank's translated NoC coordinates */
    uint64_t addr;              /* bank-local address */
    uint32_t len;
};
void buffer_span(const struct ttm_buffer *b, uint64_t offset, uint64_t size, uint32_t max,
                 struct buffer_span *s);

/* src/dispatch/slow.c */
int slow_launch(struct ttm_device *dev, struct ttm_program *prog, uint32_t timeout_ms);
