/* Buffer transfers through the command queue: writes carry their data in WRITE_LINEAR
 * commands, one per run of a page; reads are READ_LINEAR commands answered in the
 * completion ring. Both first wait for every launch enqueued before them, so they see
 * (and are seen by) the programs in queue order. */
#include <stdbool.h>
#include <string.h>

#include "../chip/banks.h"
#include "fast.h"

int fast_write_buffer(struct ttm_buffer *buf, uint64_t offset, const void *src, uint64_t size,
                      int blocking, struct wait_budget *b)
{
    struct ttm_device *dev = buf->dev;
    struct fast *f = dev->fast;
    bool dram = buf->type == TTM_BUFFER_DRAM;
    const uint8_t *p = src;
    struct ttm_cq_cmd *c;
    int rc = fast_emit_after_launches(f, TTM_CQ_WAIT, b, &c);
    while (!rc && size) {
        struct bank_span s;
        chip_bank_span(&dev->chip, dram, buf->addr, buf->page_size, offset, size,
                       (uint32_t)CQ_MAX_PAYLOAD & ~15u, &s);
        if ((rc = cq_cmd(&f->q, sizeof *c + ((s.len + 15) & ~15u), b, &c)))
            break;
        c->id = TTM_CQ_WRITE_LINEAR;
        c->arg[0] = s.x | s.y << 8 | s.x << 16 | s.y << 24;
        c->arg[1] = (uint32_t)s.addr;
        c->arg[2] = (uint32_t)(s.addr >> 32);
        c->arg[3] = s.len;
        memcpy(c + 1, p, s.len);
        p += s.len;
        offset += s.len;
        size -= s.len;
    }
    if (!rc)
        rc = cq_flush(&f->q, b);
    if (!rc && blocking) {
        uint64_t ev;
        if (!(rc = fast_record_event(dev, &ev, b)))
            rc = fast_event_wait(dev, ev, b);
    }
    return rc;
}

int fast_read_buffer(struct ttm_buffer *buf, uint64_t offset, void *dst, uint64_t size,
                     int blocking, struct wait_budget *b)
{
    struct ttm_device *dev = buf->dev;
    struct fast *f = dev->fast;
    bool dram = buf->type == TTM_BUFFER_DRAM;
    uint8_t *p = dst;
    struct ttm_cq_cmd *c;
    int rc = fast_emit_after_launches(f, TTM_CQ_WAIT, b, &c);
    while (!rc && size) {
        struct bank_span s;
        chip_bank_span(&dev->chip, dram, buf->addr, buf->page_size, offset, size, TTM_CQ_MAX_READ,
                       &s);
        if ((rc = cq_cmd(&f->q, sizeof *c, b, &c)))
            break;
        c->id = TTM_CQ_READ_LINEAR;
        c->arg[0] = s.x | s.y << 8;
        c->arg[1] = (uint32_t)s.addr;
        c->arg[2] = (uint32_t)(s.addr >> 32);
        c->arg[3] = s.len;
        c->arg[4] = ++f->next_read;
        if ((rc = fast_expect_read(f, c->arg[4], p, s.len)))
            break;
        p += s.len;
        offset += s.len;
        size -= s.len;
    }
    if (!rc)
        rc = cq_flush(&f->q, b);
    if (!rc && blocking)
        rc = fast_wait(dev, fast_reads_done, 0, b);
    return rc;
}
