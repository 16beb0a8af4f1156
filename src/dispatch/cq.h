/* The host end of the command queue (ttm/kernel/abi.h "Fast dispatch"): records built in
 * place in the issue ring, announced through the prefetcher's queue, the completion ring
 * read back, and the dispatch cores' control block, which no other file lays out, reads
 * or writes (fast_boot.c only hands the image made here to the boot). Nothing here knows
 * what the commands mean. */
#pragma once

#include <stdint.h>

#include "../chip/chip.h"
#include "../util/err.h"

/* What the queue's owner does with one completion entry (header checked, data_len bytes
 * of data after it for a READ): 0, or a negative error that stops the drain. */
typedef int (*cq_completion_fn)(void *arg, const struct ttm_cq_completion *e,
                                const uint8_t *data);

struct cq {
    struct ttm_chip *chip;
    uint8_t *host;                     /* TTM_CQ_HOST_SIZE bytes the device reaches */
    uint64_t host_noc;                 /* their NoC address (bit 60 set) */
    struct chip_worker pf, dp;         /* prefetcher and dispatcher cores */

    uint32_t issue_wr;                 /* issue-ring bytes produced */
    uint32_t seq;                      /* records announced */
    uint32_t known_records;            /* records the prefetcher is known to have fetched */
    uint32_t known_issue_rd;           /* issue-ring bytes it is known to have consumed */

    uint8_t *rec;                      /* the record being built, in the issue ring */
    uint32_t rec_len;
    uint16_t rec_cmds;

    uint32_t cpl_rd;                   /* completion bytes consumed */
    cq_completion_fn on_completion;
    void *completion_arg;
};

/* Allocate the host memory of the queue; the caller boots the dispatch cores. Completion
 * entries go to on_completion(arg, ...), in order, whenever the queue is drained: by
 * cq_drain, and while cq_cmd and cq_flush wait for room (the dispatcher may be waiting
 * for completion-ring room before it consumes what the host waits on). */
MUST_CHECK int cq_open(struct cq *q, struct ttm_chip *chip, struct chip_worker pf,
                       struct chip_worker dp, cq_completion_fn on_completion, void *arg);

/* The dispatch cores' L1 from the control block to the scratch area, as the firmware
 * must find it at boot: the configuration below, counters at 0, empty queues. */
#define CQ_CTRL_BLOCK (TTM_L1_CQ_SCRATCH - TTM_L1_CQ_CTRL)
void cq_ctrl_image(const struct cq *q, const struct chip_rect *go_rects, unsigned n_go_rects,
                   uint32_t n_workers, uint8_t block[CQ_CTRL_BLOCK]);
/* Records the dispatcher has executed. */
MUST_CHECK int cq_dispatcher_records(struct cq *q, uint32_t *records);
/* The dispatcher answered a command of the records-th record: the prefetcher has fetched
 * that many at least, and the next records need not ask it. */
void cq_fetched(struct cq *q, uint32_t records);
/* Where the dispatcher and its subordinate are, in a sentence, for hang reports. */
void cq_describe(struct cq *q, char *buf, size_t len);
void cq_close(struct cq *q);
/* Forget all queue state (after the dispatch cores were re-booted). */
void cq_reset(struct cq *q);

/* Room for one command of `len` bytes (16-byte multiple, at most what a record holds) in
 * the current record, starting a new one when it is full; waits for ring space. The
 * command's bytes are the caller's to fill; its header's len is set. */
MUST_CHECK int cq_cmd(struct cq *q, uint32_t len, struct wait_budget *b,
                      struct ttm_cq_cmd **out);
/* Room for `n` whole commands of `len` bytes in all, back to back in one record, whose
 * headers the caller writes in full. */
MUST_CHECK int cq_cmds(struct cq *q, uint32_t len, uint32_t n, struct wait_budget *b,
                       uint8_t **out);
/* Most bytes of commands one record holds. */
#define CQ_MAX_CMDS_BYTES (TTM_CQ_MAX_RECORD - sizeof(struct ttm_cq_record))
/* Largest command payload that fits a record. */
#define CQ_MAX_PAYLOAD (TTM_CQ_MAX_RECORD - sizeof(struct ttm_cq_record) - sizeof(struct ttm_cq_cmd))
/* Announce the record being built, if any. */
MUST_CHECK int cq_flush(struct cq *q, struct wait_budget *b);

/* Deliver every completion entry the dispatcher has published to on_completion, in
 * order; the bytes are then released to the dispatcher. Everything read from the ring is
 * checked before use (-EIO: the ring is corrupt). Returns how many entries, or the
 * handler's error. */
MUST_CHECK int cq_drain(struct cq *q);
