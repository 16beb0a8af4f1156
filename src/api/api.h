/* What the entry points of the public C ABI share: handle and argument checks. Each
 * entry point checks its arguments, then calls down (src/dispatch/, src/build/, ...). */
#pragma once

#include "../util/err.h"

#include <stddef.h>

#include "../objects.h"

#define VIS __attribute__((visibility("default")))

/* The device is open. */
MUST_CHECK int api_check_device(const struct ttm_device *dev);
/* The program handle is valid and its device open. */
MUST_CHECK int api_check_program(const struct ttm_program *p);
/* The device is open and has a command queue: fast dispatch (seed 000: the modes do not
 * mix). */
MUST_CHECK int api_check_queue(const struct ttm_device *dev);
/* The buffer handle is valid, its device open, [offset, offset + size) inside it and the
 * host pointer set. */
MUST_CHECK int api_check_range(const struct ttm_buffer *b, uint64_t offset, const void *host,
                               uint64_t size);
/* The logical cores of the ranges, all inside the worker grid. */
MUST_CHECK int api_core_set(const struct ttm_device *dev, const struct ttm_core_range *ranges,
                            size_t n, struct core_set *out);
/* Free a kernel of a program being destroyed (kernel.c). */
void api_kernel_free(struct ttm_kernel *k);
/* A buffer or program of the device went away. */
void api_device_release(struct ttm_device *dev);
/* The root directory relative kernel paths are resolved against ("" when unset). */
void api_root_dir(char *out, size_t size);
