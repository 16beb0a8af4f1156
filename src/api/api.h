/* What the entry points of the public C ABI share: handle and argument checks. Each
 * entry point checks its arguments, then calls down (src/dispatch/, src/build/, ...). */
#pragma once

#include "../util/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../objects.h"

#define VIS __attribute__((visibility("default")))

/* Handles (handles.c). Every entry point enters its call through the handle it was given:
 * the handle must be live and of the right kind (-EINVAL), its device open (-ENODEV,
 * unless HANDLE_CLOSED_OK), and the device stays locked for this thread until api_leave. */
enum handle_kind { HANDLE_DEVICE = 1, HANDLE_BUFFER, HANDLE_PROGRAM, HANDLE_KERNEL, HANDLE_CB };
#define HANDLE_KIND_MASK 0xffu
#define HANDLE_CLOSED_OK 0x100u     /* the call also runs once the device closed (destroy) */

MUST_CHECK int api_enter_at(const char *fn, const void *h, uint32_t kind,
                            struct ttm_device **dev);
/* The entry point's name goes with it: a tracing device shows its calls (src/trace/). */
#define api_enter(h, kind, dev) api_enter_at(__func__, h, kind, dev)
/* Unlock the device (freeing its memory once it is closed and has no handle left);
 * returns rc. */
int api_leave(struct ttm_device *dev, int rc);
/* api_leave for a call that waited on the device: a tracing device first reads the
 * events its cores recorded meanwhile, and a device with kernel print on prints what
 * they printed (src/trace/), so that their rings do not fill. */
int api_leave_waited(struct ttm_device *dev, int rc);
/* A new handle of dev (a device names itself), counted among its children. */
MUST_CHECK int api_handle_add(const void *h, uint32_t kind, struct ttm_device *dev);
/* The handle goes. A device's own handle marks it closed and stays (calls on it fail with
 * -ENODEV) until the device's last child goes. Called with the device locked. */
void api_handle_remove(const void *h);
/* h is a live handle of that kind on dev. */
bool api_handle_is(const void *h, uint32_t kind, const struct ttm_device *dev);

/* TTM_TRACE (trace.c): start tracing a new device when it is set; at close, write the
 * files it names. */
MUST_CHECK int api_trace_from_env(struct ttm_device *dev);
MUST_CHECK int api_trace_close(struct ttm_device *dev);

/* The device has a command queue: fast dispatch (seed 000: the modes do not mix). */
MUST_CHECK int api_check_queue(const struct ttm_device *dev);
/* [offset, offset + size) is inside the buffer and the host pointer set. */
MUST_CHECK int api_check_range(const struct ttm_buffer *b, uint64_t offset, const void *host,
                               uint64_t size);
/* The logical cores of the ranges, all inside the worker grid. */
MUST_CHECK int api_core_set(const struct ttm_device *dev, const struct ttm_core_range *ranges,
                            size_t n, struct core_set *out);
/* Free a kernel of a program being destroyed (kernel.c). */
void api_kernel_free(struct ttm_kernel *k);
/* The root directory relative kernel paths are resolved against ("" when unset). */
void api_root_dir(char *out, size_t size);
