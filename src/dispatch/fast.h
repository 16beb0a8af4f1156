/* Fast dispatch, host side (seeds 000, 001, 002, 004): the state its files share.
 *
 *   fast.c             open, close, and the ops table (dispatch.h)
 *   fast_boot.c        booting the prefetcher and dispatcher cores
 *   fast_stream.c      a program's command stream: built once, cached, patched per launch
 *   fast_launch.c      enqueueing a launch: kernel-config ring regions and launch slots
 *   fast_transfer.c    buffer writes and reads through the queue
 *   fast_completion.c  what comes back: events, read data, refusals
 *   fast_wait.c        waiting on the queue; events and finish
 *   fast_recover.c     reporting a hang or a refusal, and resetting
 *   cq.c               the queue itself: records, prefetch queue, completion ring, and the
 *                      dispatch cores' control block
 *
 * The last logical column of workers runs the dispatch firmware: the prefetcher on its
 * first core, the dispatcher on its second.
 */
#pragma once

#include "../util/err.h"

#include <errno.h>
#include <stdint.h>

#include "../objects.h"
#include "cq.h"
#include "dispatch.h"

struct inflight {
    uint32_t cfg_start;        /* start of its config region (free-running bytes) */
    uint32_t done;             /* DONE count once it has finished */
};

struct pending_read {
    uint32_t id;
    uint8_t *dst;
    uint32_t len;
};

/* Events a reset dropped: ids from..to (inclusive). */
struct lost_events {
    uint64_t from, to;
};

struct fast {
    struct cq q;
    uint32_t n_workers;
    struct chip_rect rects[CHIP_MAX_RECTS]; /* all workers, for GO multicasts */
    unsigned n_rects;
    uint32_t launches;         /* launches enqueued since boot */
    uint32_t done_target;      /* DONE count once every enqueued launch has finished */
    uint32_t cfg_wr;           /* kernel-config ring bytes handed out */
    struct inflight inflight[TTM_LAUNCH_SLOTS];
    /* Events: ids are 64-bit on the host; the device carries their low 32 bits, and an
     * answer is taken as the next id with those bits (fewer than 2^32 are outstanding). */
    uint64_t next_event, events_done;
    struct lost_events *lost;    /* ranges dropped by resets, ascending */
    unsigned n_lost;
    size_t cap_lost;
    uint32_t next_read;
    struct pending_read *reads;  /* FIFO, in id order */
    uint32_t reads_head, reads_len, reads_cap;
    char error_msg[160];         /* why the dispatcher refused a record */
};

/* Failures that leave the queue or the cores in an unknown state: the call that meets
 * one resets the device before it returns (fast_recover). */
static inline int fast_needs_reset(int rc)
{
    return rc == -ETIMEDOUT || rc == -EPROTO || rc == -EIO || rc == -EFAULT;
}

/* fast.c, for tests: submit one record holding these commands as they are; make the next
 * event id `next` (nothing may be outstanding). */
MUST_CHECK int fast_submit_raw(struct ttm_device *dev, const void *cmds, uint32_t len,
                               uint16_t n_cmds);
void fast_set_next_event(struct ttm_device *dev, uint64_t next);

/* fast_boot.c: hold both dispatch cores in reset, then load and start the dispatch
 * firmware with a fresh control block. */
MUST_CHECK int fast_boot(struct ttm_device *dev, struct wait_budget *b);

/* fast_stream.c */
/* The program's command stream, rebuilt when the program changed since it was built. */
MUST_CHECK int fast_stream_get(struct ttm_device *dev, struct ttm_program *prog,
                               const struct fast_stream **out);
/* Kernel-config ring bytes a launch of the stream needs. */
uint32_t fast_stream_region(const struct fast_stream *s);
/* Copy the stream into the queue for one launch: its config region at L1 `region`, launch
 * slot `slot`, first waiting for DONE count `wait_for`, GO once the count is `go_after`. */
MUST_CHECK int fast_stream_emit(struct fast *f, const struct fast_stream *s, uint32_t region,
                                uint32_t slot, uint32_t wait_for, uint32_t go_after,
                                struct wait_budget *b);
void fast_args_changed(struct ttm_program *prog, uint32_t core);
void fast_program_free(struct ttm_program *prog);

/* fast_launch.c */
MUST_CHECK int fast_enqueue_program(struct ttm_device *dev, struct ttm_program *prog,
                                    struct wait_budget *b);
/* A header-only command `id` (WAIT, EVENT) whose arg0 is the DONE count every launch
 * enqueued so far reaches: it acts once they have all finished. */
MUST_CHECK int fast_emit_after_launches(struct fast *f, uint8_t id, struct wait_budget *b,
                                        struct ttm_cq_cmd **out);

/* fast_transfer.c */
MUST_CHECK int fast_write_buffer(struct ttm_buffer *buf, uint64_t offset, const void *src,
                                 uint64_t size, int blocking, struct wait_budget *b);
MUST_CHECK int fast_read_buffer(struct ttm_buffer *buf, uint64_t offset, void *dst,
                                uint64_t size, int blocking, struct wait_budget *b);

/* fast_completion.c: the queue's completion handler (cq_open), and read answers to
 * expect. */
int fast_on_completion(void *fast, const struct ttm_cq_completion *e, const uint8_t *data);
MUST_CHECK int fast_expect_read(struct fast *f, uint32_t id, uint8_t *dst, uint32_t len);

/* fast_wait.c */
/* Flush the queue and wait until done(f, arg). */
MUST_CHECK int fast_wait(struct ttm_device *dev,
                         int (*done)(const struct fast *f, uint64_t arg), uint64_t arg,
                         struct wait_budget *b);
int fast_reads_done(const struct fast *f, uint64_t unused);
MUST_CHECK int fast_record_event(struct ttm_device *dev, uint64_t *event,
                                 struct wait_budget *b);
MUST_CHECK int fast_event_wait(struct ttm_device *dev, uint64_t event, struct wait_budget *b);
MUST_CHECK int fast_event_query(struct ttm_device *dev, uint64_t event, struct wait_budget *b);
MUST_CHECK int fast_finish(struct ttm_device *dev, struct wait_budget *b);

/* fast_recover.c: after a failure fast_needs_reset() names: describe what is stuck or
 * faulted, reboot workers and dispatch cores, and drop what was queued (its events then
 * fail with -ECANCELED). Returns rc with the description in err_get(), or the reset's own
 * error. The reset has a budget of timeout_ms of its own. */
MUST_CHECK int fast_recover(struct ttm_device *dev, int rc, uint32_t timeout_ms);
