/* Dispatcher firmware (BRISC of the dispatch core). Executes the records the prefetcher
 * delivers into its ring, command by command (ttm/kernel/abi.h "Fast dispatch"): writes to
 * workers and DRAM, per-core packed writes, waits, events, timestamps and reads back to
 * the host through the completion ring. GO signals go to the subordinate (this core's
 * NCRISC) so that the next program's writes overlap the current one's run (seed 001
 * section 3, seed 002 "Fast Dispatch Timeline"). Anything malformed is refused with an
 * ERROR entry in the completion ring, after which the dispatcher stops.
 */
#include "cq_fw.h"

#define SCRATCH ((volatile uint32_t *)TTM_L1_CQ_SCRATCH)
#define NOC 0u
#define BUF_WR 0u
#define BUF_RD 1u
#define BUF_PACKED 2u

enum { DP_IDLE = 0x10, DP_RECORD = 0x20, DP_WAIT = 0x30, DP_COMPLETION = 0x40,
       DP_SUBQ = 0x50, DP_STOPPED = 0xE0 };

static uint32_t reads, acks, atomics;

/* A non-posted write to `dests` tiles: each of them acknowledges each request (device-
 * facts 4.5), so a multicast adds that many to the count the barrier waits for. */
static void write_acked(uint32_t src, uint64_t dst, uint32_t len, uint32_t ctrl, uint32_t dests)
{
    acks += ttm_noc_write(NOC, BUF_WR, src, dst, len, ctrl | BH_NOC_CMD_RESP_MARKED) * dests;
}

static void barrier(void)
{
    ttm_noc_wait_counter(NOC, BH_NIU_MST_WR_ACK_RECEIVED, acks);
}

/* Copy to `staging` so that the copy sits at `align` mod 16: NoC writes need source and
 * destination to agree mod 16, reads mod 64 for DRAM (TTSIM tile.cpp; device-facts 1.7). */
static uint32_t stage(uint32_t src, uint32_t len, uint32_t staging, uint32_t align)
{
    volatile uint8_t *d = (volatile uint8_t *)(uintptr_t)(staging + (align & 15));
    const volatile uint8_t *s = (const volatile uint8_t *)(uintptr_t)src;
    for (uint32_t i = 0; i < len; i++)
        d[i] = s[i];
    return staging + (align & 15);
}

/* ---- completion ring ---- */
static uint32_t cpl_wr;

static void cpl_wait(uint32_t need)
{
    CTRL->postcode[1] = DP_COMPLETION;
    while (cpl_wr + need - CTRL->dp_completion_rd > TTM_CQ_COMPLETION_SIZE)
        fw_fence();
}

/* Append an entry: the 64-byte header at TTM_L1_CQ_SCRATCH, then data_len bytes from
 * `data` (16-byte aligned). */
static void cpl_put(uint32_t kind, uint32_t id, uint32_t value, uint32_t value_hi,
                    uint32_t data, uint32_t data_len, uint32_t offset)
{
    uint32_t size = sizeof(struct ttm_cq_completion) + ((data_len + 63) & ~63u);
    uint32_t pos = cpl_wr % TTM_CQ_COMPLETION_SIZE;
    uint32_t tail = pos + size > TTM_CQ_COMPLETION_SIZE ? TTM_CQ_COMPLETION_SIZE - pos : 0;
    volatile struct ttm_cq_completion *e = (volatile struct ttm_cq_completion *)SCRATCH;
    cpl_wait(tail + size);
    if (tail) {
        e->kind = TTM_CQ_DONE_WRAP;
        e->len = tail;
        write_acked(TTM_L1_CQ_SCRATCH, fw_host_addr(TTM_CQ_HOST_COMPLETION + pos),
                   sizeof *e, BH_NOC_CMD_WR | TTM_NOC_UNICAST, 1);
        cpl_wr += tail;
        pos = 0;
    }
    e->kind = kind;
    e->len = size;
    e->id = id;
    e->value = value;
    e->value_hi = value_hi;
    e->data_len = data_len;
    e->offset = offset;
    write_acked(TTM_L1_CQ_SCRATCH, fw_host_addr(TTM_CQ_HOST_COMPLETION + pos), sizeof *e,
               BH_NOC_CMD_WR | TTM_NOC_UNICAST, 1);
    if (data_len)
        write_acked(data, fw_host_addr(TTM_CQ_HOST_COMPLETION + pos + sizeof *e), data_len,
                   BH_NOC_CMD_WR | TTM_NOC_UNICAST, 1);
    barrier(); /* the entry is in host memory before the pointer that publishes it */
    cpl_wr += size;
    CTRL->dp_completion_wr = cpl_wr;
    SCRATCH[16] = cpl_wr;
    write_acked(TTM_L1_CQ_SCRATCH + 64, fw_host_addr(TTM_CQ_HOST_COMPLETION_WR), 4,
               BH_NOC_CMD_WR | TTM_NOC_UNICAST, 1);
    barrier();
}

/* Report and stop: nothing after a refused record can be trusted. */
static void refuse(uint32_t seq, uint32_t code, uint32_t offset)
{
    CTRL->dp_error = code;
    cpl_put(TTM_CQ_DONE_ERROR, seq, code, 0, 0, 0, offset);
    CTRL->postcode[1] = DP_STOPPED;
    for (;;)
        fw_fence();
}

/* ---- commands ---- */

static void wait_done(uint32_t target)
{
    CTRL->postcode[1] = DP_WAIT;
    /* Only a wait that waits is traced: most find the count already there. */
    if (fw_count_reached(fw_stream_count(TTM_STREAM_DONE), target))
        return;
    fw_trace(BH_BRISC, TTM_TR_WAIT_BEGIN, 0, target);
    while (!fw_count_reached(fw_stream_count(TTM_STREAM_DONE), target))
        fw_fence();
    fw_trace(BH_BRISC, TTM_TR_WAIT_END, 0, target);
}

/* Rectangles in arg0 are translated coordinates of worker tiles. */
static int rect_ok(uint32_t x0, uint32_t y0, uint32_t x1, uint32_t y1)
{
    return x0 <= x1 && y0 <= y1 && x1 < 64 && y1 < 64;
}

static int cmd_write_linear(const volatile struct ttm_cq_cmd *c, uint32_t payload)
{
    uint32_t x0 = c->arg[0] & 0xFF, y0 = c->arg[0] >> 8 & 0xFF;
    uint32_t x1 = c->arg[0] >> 16 & 0xFF, y1 = c->arg[0] >> 24;
    uint64_t addr = (uint64_t)c->arg[2] << 32 | c->arg[1];
    uint32_t len = c->arg[3];
    if (len > c->len - sizeof *c)
        return TTM_CQ_ERR_LENGTH;
    if (!rect_ok(x0, y0, x1, y1) || addr >> BH_NOC_ADDR_LOCAL_BITS)
        return TTM_CQ_ERR_TARGET;
    if (!len)
        return 0;
    uint32_t src = payload;
    if ((payload ^ (uint32_t)addr) & 15)
        src = stage(payload, len, TTM_L1_DISPATCH_DATA, (uint32_t)addr);
    if (x0 == x1 && y0 == y1) {
        write_acked(src, ttm_noc_addr(x0, y0, addr), len, BH_NOC_CMD_WR | TTM_NOC_UNICAST, 1);
    } else {
        if (addr + len > TTM_L1_END)
            return TTM_CQ_ERR_TARGET;
        /* The rectangles hold worker tiles only (the host splits them at the non-Tensix
         * columns), so every tile in one acknowledges. */
        write_acked(src, ttm_noc_mcast_addr(NOC, x0, y0, x1, y1, addr), len,
                   BH_NOC_CMD_WR | TTM_NOC_MCAST, (x1 - x0 + 1) * (y1 - y0 + 1));
    }
    /* Staged data is rewritten by the next staged write: wait for this one to land. */
    if (src != payload)
        barrier();
    return 0;
}

/* One write per core, all alike but for the source and the tile: the command buffer is
 * programmed once and each write stores three registers (ttm_noc_write_state). */
static int cmd_write_packed(const volatile struct ttm_cq_cmd *c, uint32_t payload)
{
    uint32_t n = c->count, addr = c->arg[1], len = c->arg[3];
    uint32_t stride = (len + 15) & ~15u, xy_bytes = (4 * n + 15) & ~15u;
    if ((uint64_t)xy_bytes + (uint64_t)n * stride > c->len - sizeof *c)
        return TTM_CQ_ERR_LENGTH;
    if (addr & 15 || addr + len > TTM_L1_END || !len || len > BH_NOC_MAX_BURST)
        return TTM_CQ_ERR_TARGET;
    const volatile uint32_t *xy = (const volatile uint32_t *)(uintptr_t)payload;
    uint32_t src = payload + xy_bytes;
    ttm_noc_write_state(NOC, BUF_PACKED, addr, len,
                        BH_NOC_CMD_WR | TTM_NOC_UNICAST | BH_NOC_CMD_RESP_MARKED);
    uint32_t sent = 0;
    for (uint32_t i = 0; i < n; i++, src += stride)
        sent += ttm_noc_write_to(NOC, BUF_PACKED, src, xy[i] & 0xFFFu);
    acks += sent;
    return 0;
}

static int cmd_wait(const volatile struct ttm_cq_cmd *c)
{
    if (c->flags & TTM_CQ_WAIT_MEM) {
        if (c->arg[1] >= TTM_L1_END || c->arg[1] & 3)
            return TTM_CQ_ERR_TARGET;
        CTRL->postcode[1] = DP_WAIT;
        while (*(volatile uint32_t *)(uintptr_t)c->arg[1] < c->arg[0])
            fw_fence();
        return 0;
    }
    wait_done(c->arg[0]);
    return 0;
}

static uint32_t sub_wr;

static int cmd_go(const volatile struct ttm_cq_cmd *c)
{
    barrier(); /* what the launch wrote has landed before its GO can go */
    CTRL->postcode[1] = DP_SUBQ;
    while (sub_wr - CTRL->sub_rd >= TTM_SUB_QUEUE_ENTRIES)
        fw_fence();
    volatile struct ttm_sub_cmd *s = &SUBQ[sub_wr % TTM_SUB_QUEUE_ENTRIES];
    s->target = c->arg[0];
    s->go_word = c->arg[1];
    fw_fence();
    CTRL->sub_wr = ++sub_wr;
    fw_trace(BH_BRISC, TTM_TR_GO_QUEUED, 0, c->arg[0]);
    return 0;
}

static int cmd_read_linear(const volatile struct ttm_cq_cmd *c)
{
    uint32_t x = c->arg[0] & 0xFF, y = c->arg[0] >> 8 & 0xFF, len = c->arg[3];
    uint64_t addr = (uint64_t)c->arg[2] << 32 | c->arg[1];
    if (len > TTM_CQ_MAX_READ || !len)
        return TTM_CQ_ERR_LENGTH;
    if (x >= 64 || y >= 64 || addr >> BH_NOC_ADDR_LOCAL_BITS)
        return TTM_CQ_ERR_TARGET;
    /* Land the bytes at the source's alignment mod 64, then move them to a 16-byte
     * boundary for the write to the host. */
    uint32_t land = TTM_L1_DISPATCH_DATA + ((uint32_t)addr & 63);
    reads += ttm_noc_read(NOC, BUF_RD, ttm_noc_addr(x, y, addr), land, len);
    ttm_noc_wait_counter(NOC, BH_NIU_MST_RD_RESP_RECEIVED, reads);
    uint32_t data = land;
    if (land & 15)
        data = stage(land, len, TTM_L1_DISPATCH_DATA + TTM_CQ_MAX_READ + 64, 0);
    cpl_put(TTM_CQ_DONE_READ, c->arg[4], 0, 0, data, len, 0);
    return 0;
}

static int execute(const volatile struct ttm_cq_cmd *c)
{
    uint32_t payload = (uint32_t)(uintptr_t)c + sizeof *c;
    switch (c->id) {
    case TTM_CQ_WRITE_LINEAR: return cmd_write_linear(c, payload);
    case TTM_CQ_WRITE_PACKED: return cmd_write_packed(c, payload);
    case TTM_CQ_WAIT: return cmd_wait(c);
    case TTM_CQ_GO: return cmd_go(c);
    case TTM_CQ_EVENT:
        wait_done(c->arg[0]);
        cpl_put(TTM_CQ_DONE_EVENT, c->arg[1], 0, 0, 0, 0, 0);
        return 0;
    case TTM_CQ_TIMESTAMP: {
        uint32_t lo = fw_wall_clock(), hi = REG32(BH_WALL_CLOCK_1_AT);
        cpl_put(TTM_CQ_DONE_TIMESTAMP, c->arg[1], lo, hi, 0, 0, 0);
        return 0;
    }
    case TTM_CQ_READ_LINEAR: return cmd_read_linear(c);
    }
    return TTM_CQ_ERR_COMMAND;
}

/* Run one record in the ring at `rec`, `room` bytes before the ring's end. */
static void run_record(uint32_t rec, uint32_t room)
{
    const volatile struct ttm_cq_record *r = (const volatile struct ttm_cq_record *)(uintptr_t)rec;
    if (r->magic != TTM_CQ_RECORD_MAGIC || r->size < sizeof *r || r->size > room ||
        r->size % 16)
        refuse(r->seq, TTM_CQ_ERR_RECORD, 0);
    uint32_t off = sizeof *r;
    for (uint32_t i = 0; i < r->n_cmds; i++) {
        const volatile struct ttm_cq_cmd *c = (const volatile struct ttm_cq_cmd *)(uintptr_t)(rec + off);
        if (off + sizeof *c > r->size || c->len < sizeof *c || c->len % 16 || c->len > r->size - off)
            refuse(r->seq, TTM_CQ_ERR_LENGTH, off);
        int err = execute(c);
        if (err)
            refuse(r->seq, (uint32_t)err, off);
        off += c->len;
    }
    /* Writes read their data from the ring: all landed before its bytes are given back. */
    barrier();
}

int main(void)
{
    uint32_t records = 0, ring_rd = 0;
    reads = ttm_noc_counter(NOC, BH_NIU_MST_RD_RESP_RECEIVED);
    acks = ttm_noc_counter(NOC, BH_NIU_MST_WR_ACK_RECEIVED);
    atomics = ttm_noc_counter(NOC, BH_NIU_MST_ATOMIC_RESP_RECEIVED);
    /* Counters start from zero at every boot (stream registers survive a core reset). */
    REG32(BH_STREAM_REG(TTM_STREAM_DONE, BH_STREAM_REMOTE_DEST_BUF_SIZE)) = 0;
    REG32(BH_STREAM_REG(TTM_STREAM_RECORDS, BH_STREAM_REMOTE_DEST_BUF_SIZE)) = 0;
    /* Bring the subordinate up (its start address was set by the host). */
    REG32(BH_SOFT_RESET_0) &= ~BH_RESET_NCRISC;
    fw_rings_boot(BH_BRISC);
    MAILBOX->fw_version = TTM_FW_ABI_VERSION;
    MAILBOX->go = TTM_GO_WORD(TTM_RUN_MSG_DONE);
    for (;;) {
        CTRL->postcode[1] = DP_IDLE;
        while (fw_stream_count(TTM_STREAM_RECORDS) == (records & BH_STREAM_COUNTER_MASK))
            fw_fence();
        CTRL->postcode[1] = DP_RECORD;
        uint32_t pos = ring_rd % TTM_DISPATCH_RING_SIZE;
        uint32_t rec = TTM_L1_DISPATCH_RING + pos;
        uint32_t seq = ((const volatile struct ttm_cq_record *)(uintptr_t)rec)->seq;
        fw_trace(BH_BRISC, TTM_TR_RECORD_BEGIN, records, seq);
        run_record(rec, TTM_DISPATCH_RING_SIZE - pos);
        fw_trace(BH_BRISC, TTM_TR_RECORD_END, records, seq);
        uint32_t size = ((const volatile struct ttm_cq_record *)(uintptr_t)rec)->size;
        ring_rd += size;
        CTRL->dp_records = ++records;
        /* Give the bytes back to the prefetcher. */
        ttm_noc_atomic_inc(NOC, BUF_WR,
                           ttm_noc_addr(CTRL->prefetch_x, CTRL->prefetch_y,
                                        TTM_L1_CQ_CTRL + offsetof(struct ttm_cq_ctrl, pf_ring_freed)),
                           size, TTM_L1_NOC_SCRATCH);
        ttm_noc_wait_counter(NOC, BH_NIU_MST_ATOMIC_RESP_RECEIVED, ++atomics);
    }
}
