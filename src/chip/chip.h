/* One Blackhole chip seen from the host, above the PCIe seam: TLB windows, NoC access from
 * the host, the worker grid discovered from ARC telemetry, firmware boot, allocators and
 * bounded waits. The same code drives a card, ttsim and the emulator. */
#pragma once

#include "../util/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ttm/kernel/abi.h"
#include "../pcie/pcie.h"
#include "alloc.h"

/* At most this many 2 MiB windows are taken from the backend: all but the one tt-kmd
 * keeps for itself. */
#define CHIP_TLB_WINDOWS BH_TLB_2M_KMD_WINDOW

struct tlb_window {
    uint32_t id;              /* the backend's window id */
    bool valid;               /* points at the target below */
    bool mcast;
    uint8_t x0, y0, x1, y1;   /* unicast: (x1, y1); multicast: the rectangle */
    uint64_t base;            /* 2 MiB-aligned local address */
    uint64_t last_use;
};

#define CHIP_FAULTS 16                 /* device faults kept for the next report */

struct chip_worker {
    uint8_t x, y;             /* translated NoC coordinates */
};

struct ttm_chip {
    struct ttm_pcie pcie;
    struct tlb_window win[CHIP_TLB_WINDOWS];
    unsigned n_win;                    /* windows taken from the backend */
    bool tlb_full;                     /* it had no more to give */
    uint64_t tlb_clock;
    unsigned tlb_last;                 /* the window used last */
    uint64_t bar_bytes_written;

    uint32_t board;                    /* enum ttm_board */
    uint32_t grid_x, grid_y;           /* logical worker grid */
    uint32_t n_workers;
    uint8_t col_x[BH_TENSIX_COLS];     /* translated x of logical column */
    uint32_t n_dram;
    uint8_t dram_x[BH_DRAM_BANKS], dram_y[BH_DRAM_BANKS]; /* translated, one port per bank */

    struct pcie_fault faults[CHIP_FAULTS];  /* collected, not yet described */
    unsigned n_faults, faults_dropped;

    /* Called at every look of a bounded wait (chip_poll); kernel print drains there. */
    void (*wait_hook)(void *arg);
    void *wait_hook_arg;

    struct chip_alloc dram_alloc;      /* one address range, the same in every bank */
    struct chip_alloc l1_alloc;        /* worker L1 above TTM_L1_UNRESERVED */
};

/* Open the backend, check coordinate translation, discover the grid. */
MUST_CHECK int chip_open(struct ttm_chip *chip, const struct ttm_pcie_ops *ops,
                         const struct ttm_device_opts *opts);
void chip_close(struct ttm_chip *chip);

static inline struct chip_worker chip_worker_at(const struct ttm_chip *chip, uint32_t lx,
                                                uint32_t ly)
{
    struct chip_worker w = {chip->col_x[lx], (uint8_t)(BH_TENSIX_Y0 + ly)};
    return w;
}

/* Give every TLB window back to the backend (chip_close does). */
void chip_tlb_release(struct ttm_chip *chip);

/* Host NoC access through TLB windows (translated coordinates). Accesses are split at
 * window boundaries; a multicast goes to every Tensix tile in the rectangle. */
MUST_CHECK int chip_read(struct ttm_chip *chip, uint32_t x, uint32_t y, uint64_t addr,
                         void *dst, size_t len);
MUST_CHECK int chip_write(struct ttm_chip *chip, uint32_t x, uint32_t y, uint64_t addr,
                          const void *src, size_t len);
MUST_CHECK int chip_write_mcast(struct ttm_chip *chip, uint32_t x0, uint32_t y0, uint32_t x1,
                                uint32_t y1, uint64_t addr, const void *src, size_t len);
MUST_CHECK int chip_read32(struct ttm_chip *chip, uint32_t x, uint32_t y, uint64_t addr,
                           uint32_t *val);
MUST_CHECK int chip_write32(struct ttm_chip *chip, uint32_t x, uint32_t y, uint64_t addr,
                            uint32_t val);

/* A rectangle of translated coordinates. */
struct chip_rect {
    uint8_t x0, y0, x1, y1;
};
#define CHIP_MAX_RECTS 2   /* Tensix columns form two runs of adjacent translated x */

/* The translated rectangles covering the logical rectangle [lx0, lx1] x [ly0, ly1] with
 * Tensix tiles only; returns how many (at most CHIP_MAX_RECTS). */
unsigned chip_worker_rects(const struct ttm_chip *chip, uint32_t lx0, uint32_t ly0, uint32_t lx1,
                           uint32_t ly1, struct chip_rect *out);

/* Write the same bytes to every worker in the logical rectangle [lx0, lx1] x [ly0, ly1],
 * as few multicasts as the translated columns allow. */
MUST_CHECK int chip_write_workers(struct ttm_chip *chip, uint32_t lx0, uint32_t ly0,
                                  uint32_t lx1, uint32_t ly1, uint64_t addr, const void *src,
                                  size_t len);

/* Move the faults the backend recorded into chip->faults; returns how many of them a core
 * or a device access made (those end any wait: chip_poll returns -EFAULT). */
unsigned chip_collect_faults(struct ttm_chip *chip);
/* The collected faults in a sentence (each core named by logical and NoC coordinates),
 * then forgotten. */
void chip_describe_faults(struct ttm_chip *chip, char *buf, size_t len);

/* How long one call may wait, over all its waits (ttm.h): it gives up once timeout_ms
 * have passed with no wait of the call making progress, and in any case
 * CHIP_WAIT_CAP * timeout_ms after it started, progress or not. */
#define CHIP_WAIT_CAP 4u
struct wait_budget {
    uint64_t start_ms;         /* monotonic clock; 0 until the call first waits */
    uint64_t quiet_since_ms;   /* the last progress, or the start */
    uint32_t timeout_ms;
};
/* A call's budget. The clock starts at its first wait: a call that never waits (most
 * enqueues) never reads it. */
void wait_budget_start(struct wait_budget *b, uint32_t timeout_ms);

/* Bounded wait: call check(arg) until it returns 1 (done) or a negative error, letting
 * device time pass in between. 0 means no progress; 2 means progress. Returns 0, the
 * error, -EFAULT as soon as device code faults (the faults wait in chip->faults), or
 * -ETIMEDOUT when the budget is spent. */
MUST_CHECK int chip_poll(struct ttm_chip *chip, int (*check)(void *arg), void *arg,
                         struct wait_budget *b);
/* One slice of device time, as a wait lets pass between two looks (cycles on a model, a
 * short pause on a card): a call that looks without waiting still lets a model run.
 * -EFAULT when device code faulted meanwhile. */
MUST_CHECK int chip_tick(struct ttm_chip *chip);

/* Firmware: put the workers in reset, load our worker firmware on each processor that has
 * one (procs.h), the bank table and the mailboxes, release BRISC and wait until every
 * worker reports DONE. */
MUST_CHECK int chip_boot(struct ttm_chip *chip, struct wait_budget *b);
/* Re-boot the given workers (index y * grid_x + x) after a hang. */
MUST_CHECK int chip_reboot_workers(struct ttm_chip *chip, const uint32_t *workers, size_t n,
                                   struct wait_budget *b);
/* Boot one core (logical coordinates, which may lie past the worker grid, e.g. a reserved
 * dispatch column) with other embedded firmware, one image per processor (NULL: held in
 * reset; BRISC needs one); `extra` is written at extra_addr before the core is released.
 * Waits for the firmware's DONE. */
MUST_CHECK int chip_boot_core(struct ttm_chip *chip, uint32_t lx, uint32_t ly,
                              const char *const fw[BH_CORES_PER_TILE], uint32_t extra_addr,
                              const void *extra, size_t extra_len, struct wait_budget *b);
