#include "cq.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../util/err.h"

#define CTRL_FIELD(f) (TTM_L1_CQ_CTRL + offsetof(struct ttm_cq_ctrl, f))

int cq_open(struct cq *q, struct ttm_chip *chip, struct chip_worker pf, struct chip_worker dp,
            cq_completion_fn on_completion, void *arg)
{
    memset(q, 0, sizeof *q);
    q->chip = chip;
    q->pf = pf;
    q->dp = dp;
    q->on_completion = on_completion;
    q->completion_arg = arg;
    void *mem;
    int rc = chip->pcie.ops->host_mem_alloc(&chip->pcie, TTM_CQ_HOST_SIZE, &mem, &q->host_noc);
    if (rc)
        return err_wrap(rc, "allocating the command queue's host memory");
    q->host = mem;
    /* Touch every page now: the first pass over the rings should not pay page faults
     * (memory pinned for a card is resident anyway). */
    memset(q->host, 0, TTM_CQ_HOST_SIZE);
    return 0;
}

void cq_ctrl_image(const struct cq *q, const struct chip_rect *go_rects, unsigned n_go_rects,
                   uint32_t n_workers, uint8_t block[CQ_CTRL_BLOCK])
{
    memset(block, 0, CQ_CTRL_BLOCK);
    struct ttm_cq_ctrl *ctrl = (struct ttm_cq_ctrl *)block;
    ctrl->host_lo = (uint32_t)q->host_noc;
    ctrl->host_hi = (uint32_t)(q->host_noc >> 32);
    ctrl->pcie_x = BH_XLAT_PCIE_X;
    ctrl->pcie_y = BH_XLAT_PCIE_Y;
    ctrl->prefetch_x = q->pf.x;
    ctrl->prefetch_y = q->pf.y;
    ctrl->dispatch_x = q->dp.x;
    ctrl->dispatch_y = q->dp.y;
    ctrl->n_go_rects = (uint8_t)n_go_rects;
    for (unsigned i = 0; i < n_go_rects; i++)
        memcpy(ctrl->go_rect[i], &go_rects[i], 4);
    ctrl->n_workers = n_workers;
}

int cq_dispatcher_records(struct cq *q, uint32_t *records)
{
    return chip_read32(q->chip, q->dp.x, q->dp.y, CTRL_FIELD(dp_records), records);
}

void cq_fetched(struct cq *q, uint32_t records)
{
    uint32_t ahead = records - q->known_records;
    if ((int32_t)ahead > 0 && ahead <= q->seq - q->known_records)
        q->known_records = records;
}

void cq_describe(struct cq *q, char *buf, size_t len)
{
    struct ttm_cq_ctrl ctrl;
    if (chip_read(q->chip, q->dp.x, q->dp.y, TTM_L1_CQ_CTRL, &ctrl, sizeof ctrl))
        snprintf(buf, len, "the dispatcher's state could not be read");
    else
        snprintf(buf, len, "dispatcher at record %u of %u, subordinate sent %u GOs",
                 ctrl.dp_records, q->seq, ctrl.sub_gos);
}

void cq_close(struct cq *q)
{
    if (q->host)
        q->chip->pcie.ops->host_mem_free(&q->chip->pcie, q->host, TTM_CQ_HOST_SIZE);
    q->host = NULL;
}

void cq_reset(struct cq *q)
{
    memset(q->host, 0, TTM_CQ_HOST_SIZE);
    q->issue_wr = q->seq = q->known_records = q->known_issue_rd = 0;
    q->rec = NULL;
    q->rec_len = q->rec_cmds = 0;
    q->cpl_rd = 0;
}

/* ---- waiting for the prefetcher ---- */

struct need {
    struct cq *q;
    uint32_t bytes;      /* issue-ring bytes wanted past issue_wr */
    uint32_t records;    /* records that must have been fetched */
};

/* Has the prefetcher consumed enough? */
static int have(const struct cq *q, uint32_t bytes, uint32_t records)
{
    return (int32_t)(q->known_records - records) >= 0 &&
           q->issue_wr + bytes - q->known_issue_rd <= TTM_CQ_ISSUE_SIZE;
}

/* One look at the prefetcher's progress. Completions are drained first: the dispatcher
 * may wait for completion-ring room before it takes the records whose fetching would
 * free the room the host waits for. What the prefetcher says is checked: it cannot have
 * fetched more records or bytes than the host produced. */
static int refresh(void *arg)
{
    struct need *n = arg;
    struct cq *q = n->q;
    int drained = cq_drain(q);
    if (drained < 0)
        return drained;
    uint32_t pf[2]; /* pf_records, pf_issue_rd, read once */
    int rc = chip_read(q->chip, q->pf.x, q->pf.y, CTRL_FIELD(pf_records), pf, sizeof pf);
    if (rc)
        return rc;
    if (pf[0] - q->known_records > q->seq - q->known_records ||
        pf[1] - q->known_issue_rd > q->issue_wr - q->known_issue_rd)
        return err_set(-EIO, "the prefetcher reports %u records and %u bytes fetched, beyond "
                             "the %u records and %u bytes the host produced", pf[0], pf[1],
                       q->seq, q->issue_wr);
    int progress = pf[0] != q->known_records || drained > 0;
    q->known_records = pf[0];
    q->known_issue_rd = pf[1];
    if (have(q, n->bytes, n->records))
        return 1;
    return progress ? 2 : 0;
}

static int wait_for(struct cq *q, uint32_t bytes, uint32_t records, struct wait_budget *b)
{
    if (have(q, bytes, records))
        return 0;
    struct need n = {q, bytes, records};
    int rc = chip_poll(q->chip, refresh, &n, b);
    return rc == -ETIMEDOUT ? err_set(rc, "the prefetcher stopped fetching records "
                                          "(%u of %u fetched)", q->known_records, q->seq)
                            : rc;
}

/* ---- records ---- */

static int begin_record(struct cq *q, struct wait_budget *b)
{
    uint32_t pos = q->issue_wr % TTM_CQ_ISSUE_SIZE;
    uint32_t skip = pos + TTM_CQ_MAX_RECORD > TTM_CQ_ISSUE_SIZE ? TTM_CQ_ISSUE_SIZE - pos : 0;
    int rc = wait_for(q, skip + TTM_CQ_MAX_RECORD, q->known_records, b);
    if (rc)
        return rc;
    q->issue_wr += skip;
    q->rec = q->host + TTM_CQ_HOST_ISSUE + q->issue_wr % TTM_CQ_ISSUE_SIZE;
    q->rec_len = sizeof(struct ttm_cq_record);
    q->rec_cmds = 0;
    return 0;
}

int cq_flush(struct cq *q, struct wait_budget *b)
{
    if (!q->rec)
        return 0;
    uint32_t size = (q->rec_len + TTM_CQ_RECORD_ALIGN - 1) & ~(TTM_CQ_RECORD_ALIGN - 1);
    memset(q->rec + q->rec_len, 0, size - q->rec_len);
    struct ttm_cq_record *r = (struct ttm_cq_record *)q->rec;
    *r = (struct ttm_cq_record){TTM_CQ_RECORD_MAGIC, q->rec_cmds, size, q->seq, 0};
    /* The slot is free once the record that used it last was fetched: the prefetcher
     * clears a slot before it counts the record (seed 001 section 1). */
    int rc = wait_for(q, 0, q->seq + 1 - TTM_PREFETCH_Q_ENTRIES, b);
    if (rc)
        return rc;
    /* The record must be in host memory before the device can see its announcement. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    rc = chip_write32(q->chip, q->pf.x, q->pf.y,
                      TTM_L1_PREFETCH_Q + 4 * (q->seq % TTM_PREFETCH_Q_ENTRIES), size);
    if (rc)
        return rc;
    q->issue_wr += size;
    q->seq++;
    q->rec = NULL;
    return 0;
}

int cq_cmds(struct cq *q, uint32_t len, uint32_t n, struct wait_budget *b, uint8_t **out)
{
    int rc;
    if (len < n * sizeof(struct ttm_cq_cmd) || len % 16 || len > CQ_MAX_CMDS_BYTES)
        return err_set(-EINVAL, "%u commands of %u bytes do not fit a record", n, len);
    if (q->rec && q->rec_len + len > TTM_CQ_MAX_RECORD && (rc = cq_flush(q, b)))
        return rc;
    if (!q->rec && (rc = begin_record(q, b)))
        return rc;
    *out = q->rec + q->rec_len;
    q->rec_len += len;
    q->rec_cmds += n;
    return 0;
}

int cq_cmd(struct cq *q, uint32_t len, struct wait_budget *b, struct ttm_cq_cmd **out)
{
    uint8_t *p;
    int rc = cq_cmds(q, len, 1, b, &p);
    if (rc)
        return rc;
    struct ttm_cq_cmd *c = (struct ttm_cq_cmd *)p;
    memset(c, 0, sizeof *c);
    c->len = len;
    *out = c;
    return 0;
}

/* ---- completions ---- */

/* Device memory is not trusted: the write pointer and each entry's header are read once
 * and checked before anything is used. */
int cq_drain(struct cq *q)
{
    uint32_t produced = __atomic_load_n((uint32_t *)(q->host + TTM_CQ_HOST_COMPLETION_WR),
                                        __ATOMIC_ACQUIRE);
    uint32_t ahead = produced - q->cpl_rd;
    if (ahead % 64 || ahead > TTM_CQ_COMPLETION_SIZE)
        return err_set(-EIO, "the dispatcher's completion write pointer %u is %s the %u bytes "
                             "read", produced, ahead % 64 ? "misaligned against" : "too far ahead of",
                       q->cpl_rd);
    int n = 0, rc = 0;
    while (q->cpl_rd != produced && !rc) {
        const uint8_t *at = q->host + TTM_CQ_HOST_COMPLETION + q->cpl_rd % TTM_CQ_COMPLETION_SIZE;
        uint32_t room = TTM_CQ_COMPLETION_SIZE - q->cpl_rd % TTM_CQ_COMPLETION_SIZE;
        struct ttm_cq_completion e;
        memcpy(&e, at, sizeof e);
        if (e.len < sizeof e || e.len % 64 || e.len > room || e.len > produced - q->cpl_rd ||
            e.kind < TTM_CQ_DONE_EVENT || e.kind > TTM_CQ_DONE_WRAP ||
            (e.kind == TTM_CQ_DONE_READ && e.data_len > e.len - sizeof e))
            return err_set(-EIO, "malformed completion entry at byte %u (kind %u, %u bytes)",
                           q->cpl_rd, e.kind, e.len);
        if (e.kind != TTM_CQ_DONE_WRAP) {
            rc = q->on_completion(q->completion_arg, &e, at + sizeof e);
            n++;
        }
        q->cpl_rd += e.len;
    }
    if (n) {
        int wrc = chip_write32(q->chip, q->dp.x, q->dp.y, CTRL_FIELD(dp_completion_rd), q->cpl_rd);
        if (!rc)
            rc = wrc;
    }
    return rc ? rc : n;
}
