/* ttm: a host runtime for the Tenstorrent Blackhole accelerator.
 *
 * A small C ABI meant to be called from C and, through ctypes, from Python: opaque
 * handles, fixed-width integers, pointer + length pairs, no structs passed by value.
 * Every function that can fail returns 0 (or a count) on success and a negative errno
 * value on failure; ttm_last_error() then holds a sentence saying why, for this thread.
 *
 * Handles. A handle is invalid once it has been closed or destroyed; a call given one
 * (or NULL, or a handle of another kind) fails with -EINVAL and touches nothing. Buffers
 * and programs outlive their device's close as handles on which every call but destroy
 * (and the buffer getters, which still answer) fails with -ENODEV, and must still be
 * destroyed; until the last of them is, calls on the
 * closed device fail with -ENODEV too. A handle's value may be given again to an object
 * created later: keep no copy of one past its destroy.
 *
 * Threads. Devices share no mutable state: each may be used from its own thread. One
 * device may be called from several threads at once: every call on a device or on one of
 * its buffers, programs and kernels holds that device's lock until it returns, so calls
 * on one device run one at a time, in the order they take the lock (a thread blocked in
 * ttm_finish holds up the others; compiling a kernel does not). Command-queue order is
 * the order in which the calls ran. ttm_last_error() is per thread.
 *
 * Timeouts. A call that waits for the device takes timeout_ms (0: 10 s; calls without the
 * argument, such as a transfer waiting for queue space, use 10 s). It fails with
 * -ETIMEDOUT once the device has made no progress for timeout_ms; progress (completions,
 * records fetched) extends the wait, but never past 4 x timeout_ms in all. A call that
 * fails with a timeout or a fault resets the device before it returns, which may take up
 * to another timeout_ms; the device is usable by the next call. Faults the backend
 * detects (an illegal instruction, a store outside a core's memory, a NoC request to a
 * harvested tile) end the wait at once with -EFAULT, naming the core in logical and NoC
 * coordinates in ttm_last_error().
 *
 * Cores are named by logical coordinates: x counts enabled Tensix columns from 0 and y
 * rows from 0, so the same program runs whatever columns a chip has harvested.
 *
 * Option and info structs start with argsz (their size, set by the caller). No public
 * struct has hidden padding: every byte is a named field, reserved ones must be 0, and
 * the layouts are pinned by the assertions at the end of this header (for 8- and 4-byte
 * pointers).
 */
#ifndef TTM_H
#define TTM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TTM_VERSION_MAJOR 0
#define TTM_VERSION_MINOR 5
#define TTM_VERSION_PATCH 0

typedef struct ttm_device ttm_device;
typedef struct ttm_program ttm_program;
typedef struct ttm_buffer ttm_buffer;
typedef struct ttm_kernel ttm_kernel;
typedef struct ttm_cb ttm_cb;

/* ---- Library ---- */
const char *ttm_version(void);            /* "major.minor.patch" */
uint32_t ttm_version_number(void);        /* major << 16 | minor << 8 | patch */
const char *ttm_strerror(int err);        /* text for a negative return value */
const char *ttm_last_error(void);         /* detail of the last failure on this thread */
/* Directory that relative kernel source paths are resolved against (default: the
 * current directory). */
int ttm_set_root_dir(const char *dir);

/* ---- Device ----
 * Backends: "emu" (the built-in emulator), "ttsim" (Tenstorrent's simulator, library
 * named by TTSIM_LIB), "kmd" (a card through /dev/tenstorrent/<id>). With backend NULL
 * the TTM_BACKEND environment variable decides, else "kmd" when /dev/tenstorrent/0
 * exists and "emu" otherwise. A backend that cannot start is an error, never a silent
 * fallback. */
enum ttm_board { TTM_BOARD_P100A = 0, TTM_BOARD_P150A = 1 };

/* Dispatch modes (seed 000). Fast dispatch, the default, reserves the last column of
 * workers for its prefetcher and dispatcher firmware; slow dispatch (TTM_SLOW_DISPATCH=1
 * in the environment, or TTM_DISPATCH_SLOW here) drives every core from the host. */
enum ttm_dispatch { TTM_DISPATCH_DEFAULT = 0, TTM_DISPATCH_FAST = 1, TTM_DISPATCH_SLOW = 2 };

struct ttm_device_opts {
    uint32_t argsz;            /* sizeof(struct ttm_device_opts) */
    uint32_t flags;            /* must be 0 */
    const char *backend;       /* NULL: see above */
    uint32_t device_id;        /* /dev/tenstorrent/<id> for kmd */
    uint32_t emu_board;        /* emu: enum ttm_board (default P100A) */
    uint32_t emu_tensix_cols_off; /* emu: NOC0 columns disabled (0: the board default) */
    uint32_t emu_dram_banks_off;  /* emu: DRAM banks disabled (0: the board default) */
    uint32_t dispatch;            /* enum ttm_dispatch */
    uint32_t emu_threads;         /* emu: host threads for the clock, at most 64 (0: the
                                   * TTM_EMU_THREADS environment variable, else one per
                                   * processor up to 8); results and cycle counts do
                                   * not depend on it */
};

int ttm_device_create(uint32_t device_id, ttm_device **out);
int ttm_device_create_opts(const struct ttm_device_opts *opts, ttm_device **out);
int ttm_device_close(ttm_device *dev);

struct ttm_device_info {
    uint32_t argsz;            /* sizeof(struct ttm_device_info), set by the caller */
    uint32_t board;            /* enum ttm_board */
    uint32_t grid_x, grid_y;   /* logical worker grid */
    uint32_t num_workers;
    uint32_t num_dram_banks;
    uint64_t dram_bank_size;   /* usable bytes per bank */
    uint32_t l1_size;          /* bytes of L1 per worker */
    uint32_t l1_unreserved;    /* first L1 address free for buffers */
    uint32_t dispatch;         /* enum ttm_dispatch: FAST or SLOW */
    char backend[16];
    uint32_t align;            /* NoC alignment of L1 <-> DRAM transfers (see Buffers) */
};
int ttm_device_info(ttm_device *dev, struct ttm_device_info *info);

/* The NoC coordinates of logical core (x, y), as a kernel puts them in a NoC address
 * (get_noc_addr(noc_x, noc_y, addr)) to reach that core over NoC `noc` (0 or 1). These are
 * the chip's translated coordinates, the same on both NoCs of Blackhole (its translation
 * tables do NoC 1's mirroring); kernels ask for their own with my_x() and my_y(). */
int ttm_core_noc_xy(ttm_device *dev, uint32_t x, uint32_t y, uint32_t noc, uint32_t *noc_x,
                    uint32_t *noc_y);

/* ---- Core sets ---- */
/* An inclusive rectangle of logical cores. */
struct ttm_core_range {
    uint32_t x0, y0, x1, y1;
};

/* ---- Buffers ---- */
enum ttm_buffer_type { TTM_BUFFER_DRAM = 0, TTM_BUFFER_L1 = 1 };

/* A buffer of `size` bytes whose pages of `page_size` bytes go round-robin over the DRAM
 * banks (or the workers' L1): page p lives in bank p % banks at the same offset in each.
 *
 * Alignment. A NoC transfer between L1 and DRAM needs both addresses aligned to
 * ttm_device_info.align (64 bytes on Blackhole; TTM_DRAM_ALIGN in kernels). DRAM pages
 * are multiples of it; L1 pages multiples of 16 bytes. Every buffer and circular buffer
 * starts on such a boundary, so with pages that are multiples of `align` every page can
 * take DRAM traffic; with smaller L1 pages only those at multiples of it can. */
int ttm_buffer_create_interleaved(ttm_device *dev, uint64_t size, uint32_t page_size,
                                  uint32_t type, ttm_buffer **out);
int ttm_buffer_destroy(ttm_buffer *buf);
uint64_t ttm_buffer_address(const ttm_buffer *buf);   /* bank-local base address */
uint64_t ttm_buffer_size(const ttm_buffer *buf);
uint32_t ttm_buffer_page_size(const ttm_buffer *buf);
/* The compile-time args TT-Metal's TensorAccessorArgs<N> reads for this buffer, to be put
 * at position N of the kernel's compile args (TensorAccessorArgs(buffer) on TT-Metal's
 * host): writes at most `room` words to `args` and returns how many (one for an
 * interleaved buffer: IsDram for DRAM, 0 for L1), or -EINVAL, or -ENOSPC when `room` is
 * too small. */
int ttm_buffer_accessor_args(const ttm_buffer *buf, uint32_t *args, uint32_t room);
/* Copy between host memory and [offset, offset + size) of the buffer, waiting until done
 * (in fast dispatch, through the command queue, after everything queued before). */
int ttm_buffer_write(ttm_buffer *buf, uint64_t offset, const void *src, uint64_t size);
int ttm_buffer_read(ttm_buffer *buf, uint64_t offset, void *dst, uint64_t size);

/* ---- Programs ---- */
int ttm_program_create(ttm_device *dev, ttm_program **out);
int ttm_program_destroy(ttm_program *prog);

/* Circular buffer `index` (0..31) on every core of the ranges: `total_size` bytes in
 * pages of `page_size` (a multiple of 16), allocated in L1 at once, at the same address
 * on every core and aligned to ttm_device_info.align; freed with the program. */
enum ttm_data_format { TTM_FORMAT_RAW = 0, TTM_FORMAT_FLOAT32 = 1, TTM_FORMAT_BFLOAT16 = 2,
                       TTM_FORMAT_UINT32 = 3, TTM_FORMAT_UINT16 = 4, TTM_FORMAT_UINT8 = 5 };
int ttm_cb_create(ttm_program *prog, const struct ttm_core_range *ranges, size_t n_ranges,
                  uint32_t index, uint32_t total_size, uint32_t page_size, uint32_t format,
                  ttm_cb **out);

/* A semaphore on every core of the ranges, set to initial_value at each launch of the
 * program (TT-Metal's CreateSemaphore). *id (0..15) is what a kernel gives get_semaphore():
 * the semaphore sits at the same L1 address on every core of a launch, so
 * noc_semaphore_inc(get_noc_addr(x, y, get_semaphore(id)), 1) reaches core (x, y)'s. The
 * id is the lowest one free on all these cores; cores of the program outside the ranges
 * see 0 there. */
int ttm_semaphore_create(ttm_program *prog, const struct ttm_core_range *ranges,
                         size_t n_ranges, uint32_t initial_value, uint32_t *id);

/* Kernels. Dataflow kernels run on a core's BRISC (RISCV_0) or NCRISC (RISCV_1) and use
 * NoC 0 or 1. Sources are C (or C++ when the path ends in .cpp/.cc) including
 * <ttm/kernel/dataflow.h> and defining kernel_main().
 *
 * Compute kernels run on the three TRISCs and drive the Tensix coprocessor: one source
 * including <ttm/kernel/compute.h>, built three times (TRISC_UNPACK, TRISC_MATH,
 * TRISC_PACK defined in turn), its runtime args shared by the three. Their processor and
 * noc must be 0. */
enum ttm_processor { TTM_RISCV_0 = 0, TTM_RISCV_1 = 1 };
/* How many passes the FPU's multiplier takes over the mantissas (compute-facts 5.4). */
enum ttm_math_fidelity { TTM_LOFI = 0, TTM_HIFI2 = 2, TTM_HIFI3 = 3, TTM_HIFI4 = 4 };
struct ttm_kernel_opts {
    uint32_t argsz;                /* sizeof(struct ttm_kernel_opts), or the size before
                                    * math_fidelity (0.3 callers: HiFi4, 16-bit Dst) */
    uint32_t flags;                /* must be 0 */
    uint32_t processor;            /* dataflow: enum ttm_processor */
    uint32_t noc;                  /* dataflow: 0 or 1 */
    const uint32_t *compile_args;  /* visible as TTM_CT_ARG(i) and TTM_CT_ARGS_N */
    uint32_t n_compile_args;
    uint32_t reserved;             /* must be 0 */
    const char *defines;           /* "NAME=VALUE" pairs separated by spaces, or NULL */
    uint32_t math_fidelity;        /* compute: enum ttm_math_fidelity (dataflow: 0) */
    uint32_t fp32_dest_acc;        /* compute: 1 keeps Dst in fp32 (dataflow: 0) */
};
int ttm_kernel_create_dataflow(ttm_program *prog, const char *path,
                               const struct ttm_core_range *ranges, size_t n_ranges,
                               const struct ttm_kernel_opts *opts, ttm_kernel **out);
int ttm_kernel_create_dataflow_from_string(ttm_program *prog, const char *source,
                                           const struct ttm_core_range *ranges,
                                           size_t n_ranges, const struct ttm_kernel_opts *opts,
                                           ttm_kernel **out);
int ttm_kernel_create_compute(ttm_program *prog, const char *path,
                              const struct ttm_core_range *ranges, size_t n_ranges,
                              const struct ttm_kernel_opts *opts, ttm_kernel **out);
int ttm_kernel_create_compute_from_string(ttm_program *prog, const char *source,
                                          const struct ttm_core_range *ranges, size_t n_ranges,
                                          const struct ttm_kernel_opts *opts, ttm_kernel **out);

/* Tiles as the Tensix unpacker and packer take them: a row-major matrix of rows x cols
 * elements of elem_size bytes (2: bfloat16, 4: float32), both multiples of 32, to 32x32
 * tiles in row-major tile order, each tile four 16x16 faces (top-left, top-right,
 * bottom-left, bottom-right), row-major inside a face; and back. src and dst must not
 * overlap. */
int ttm_tilize(const void *src, void *dst, uint32_t rows, uint32_t cols, uint32_t elem_size);
int ttm_untilize(const void *src, void *dst, uint32_t rows, uint32_t cols, uint32_t elem_size);

/* Runtime args: unique per core (logical x, y) and common to all cores of a kernel. */
int ttm_set_runtime_args(ttm_program *prog, ttm_kernel *kernel, uint32_t x, uint32_t y,
                         const uint32_t *args, size_t n_args);
int ttm_set_common_runtime_args(ttm_program *prog, ttm_kernel *kernel, const uint32_t *args,
                                size_t n_args);

/* Run the program on its cores and wait until every core reported DONE (in fast dispatch:
 * until everything queued before has finished too), or -ETIMEDOUT after timeout_ms (0:
 * the default of 10 s) naming the cores that did not finish and their PCs in
 * ttm_last_error(); the device is reset and usable afterwards. */
int ttm_program_launch(ttm_device *dev, ttm_program *prog, uint32_t timeout_ms);

/* ---- Fast dispatch: the command queue ----
 * These need a device in fast dispatch; on a slow-dispatch device they fail with -EPERM
 * and "Mixing fast and slow dispatch is prohibited!". Commands run in order; any sequence
 * of them completes (the host drains completions while it waits for queue space, and a
 * read larger than the completion ring arrives in pieces).
 *
 * What a reset keeps. After a call fails with -ETIMEDOUT, -EFAULT, -EPROTO or -EIO the
 * device has been reset: buffer contents in DRAM and L1, buffers, programs, kernels and
 * their arguments survive; the work still queued is dropped, which the failed call's
 * error reports. Events recorded before the failure that had not completed then fail with
 * -ECANCELED from ttm_event_wait and ttm_event_query; the destinations of non-blocking
 * reads among the dropped work are left as they were, and dropped writes may or may not
 * have landed. Work enqueued after the failure runs as usual. */
int ttm_enqueue_program(ttm_device *dev, ttm_program *prog);
/* The data is copied into the queue at once; with blocking, return once it is in place. */
int ttm_enqueue_write_buffer(ttm_buffer *buf, uint64_t offset, const void *src, uint64_t size,
                             int blocking);
/* Without blocking, dst is filled by a later ttm_finish / event wait that covers it and
 * must stay valid until then. */
int ttm_enqueue_read_buffer(ttm_buffer *buf, uint64_t offset, void *dst, uint64_t size,
                            int blocking);
/* An event completes when everything enqueued before it has. Ids count up from 1. */
int ttm_enqueue_record_event(ttm_device *dev, uint64_t *event);
int ttm_event_wait(ttm_device *dev, uint64_t event, uint32_t timeout_ms);
/* 1 when the event has completed, 0 when not yet, or a negative error. */
int ttm_event_query(ttm_device *dev, uint64_t event);
/* Wait until everything enqueued has finished. */
int ttm_finish(ttm_device *dev, uint32_t timeout_ms);

/* ---- Tracing ----
 * A timeline of the device's work on its own clock: on every worker processor each
 * launch (GO seen to DONE reported) and kernel; in fast dispatch the prefetcher's
 * fetches, the dispatcher's records and waits, the subordinate's GOs; and this device's
 * API calls. The firmware always records into small rings in L1; a tracing device reads
 * them at the calls that wait (launch, finish, event wait, blocking reads and writes), so
 * a ring holds 256 events a processor between two such calls and older ones are lost
 * (the trace says how many).
 *
 * ttm_trace_begin starts collecting (-EBUSY when the device already traces);
 * ttm_trace_end stops and writes Chrome/Perfetto trace-event JSON to json_path (open it
 * in ui.perfetto.dev or chrome://tracing) and an SVG picture to svg_path; either may be
 * NULL. With TTM_TRACE=path in the environment every device traces from its creation and
 * writes path and path's .svg when closed (a second device of the process adds "-2"). */
int ttm_trace_begin(ttm_device *dev);
int ttm_trace_end(ttm_device *dev, const char *json_path, const char *svg_path);

/* ---- Layouts (for bindings that mirror these structs, e.g. python/ttm/_lib.py) ---- */
#ifdef __cplusplus
#define TTM_LAYOUT(what) static_assert(what, #what)
#else
#define TTM_LAYOUT(what) _Static_assert(what, #what)
#endif
#define TTM_PTR sizeof(void *)
TTM_LAYOUT(offsetof(struct ttm_device_opts, backend) == 8);
TTM_LAYOUT(offsetof(struct ttm_device_opts, device_id) == 8 + TTM_PTR);
TTM_LAYOUT(offsetof(struct ttm_device_opts, dispatch) == 24 + TTM_PTR);
TTM_LAYOUT(offsetof(struct ttm_device_opts, emu_threads) == 28 + TTM_PTR);
TTM_LAYOUT(sizeof(struct ttm_device_opts) == 32 + TTM_PTR);
TTM_LAYOUT(offsetof(struct ttm_device_info, dram_bank_size) == 24);
TTM_LAYOUT(offsetof(struct ttm_device_info, dispatch) == 40);
TTM_LAYOUT(offsetof(struct ttm_device_info, backend) == 44);
TTM_LAYOUT(offsetof(struct ttm_device_info, align) == 60);
TTM_LAYOUT(sizeof(struct ttm_device_info) == 64);
TTM_LAYOUT(sizeof(struct ttm_core_range) == 16);
TTM_LAYOUT(offsetof(struct ttm_kernel_opts, compile_args) == 16);
TTM_LAYOUT(offsetof(struct ttm_kernel_opts, n_compile_args) == 16 + TTM_PTR);
TTM_LAYOUT(offsetof(struct ttm_kernel_opts, reserved) == 20 + TTM_PTR);
TTM_LAYOUT(offsetof(struct ttm_kernel_opts, defines) == 24 + TTM_PTR);
TTM_LAYOUT(offsetof(struct ttm_kernel_opts, math_fidelity) == 24 + 2 * TTM_PTR);
TTM_LAYOUT(sizeof(struct ttm_kernel_opts) == 32 + 2 * TTM_PTR);
#undef TTM_PTR
#undef TTM_LAYOUT

#ifdef __cplusplus
}
#endif

#endif
