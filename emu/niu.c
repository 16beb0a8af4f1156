/* The NIUs of a Tensix tile: their registers and the requests they fire.
 *
 * Requests complete synchronously when NOC_CMD_CTRL is written (in the clock's serial
 * phase: a core that fires one in the parallel phase stops there, sched.c), with every
 * counter updated at once, which satisfies any barrier that compares counters (device-facts 4.5). The
 * rules below follow the hardware description (ISA NoC/MemoryMap.md, NoC/Counters.md) and,
 * where the hardware leaves room, Tenstorrent's simulator: requests it refuses (inline
 * writes to L1, misaligned source/destination pairs, atomics other than an increment,
 * multicasts without path reserve, NOC_CTRL bits it does not model, the byte-enable
 * register NOC_AT_LEN_BE_1) fault here too, so firmware that passes on the model passes
 * on ttsim (tests/ttsim/ runs the same programs on both). The transfers themselves are
 * noc.c's.
 */
#include <errno.h>
#include <string.h>

#include "emu.h"

#define REG(off) ((off) / 4)

void bhe_niu_init(struct niu *n)
{
    memset(n, 0, sizeof *n);
    /* ARC firmware enables translation before boot */
    n->cfg[(BH_NIU_CFG_0 - BH_NOC_CFG(0)) / 4] = BH_NIU_CFG_0_TRANSLATE;
    n->cfg[(BH_ROUTER_CFG_1 - BH_NOC_CFG(0)) / 4] = BH_ROUTER_CFG_1_RESET;
    n->cfg[(BH_ROUTER_CFG_3 - BH_NOC_CFG(0)) / 4] = BH_ROUTER_CFG_3_RESET;
}

uint32_t bhe_niu_node_id(uint32_t px, uint32_t py, unsigned noc)
{
    /* NOC1 runs the other way round; its coordinates mirror NOC0's (device-facts 1.4). */
    if (noc) {
        px = BH_GRID_X - 1 - px;
        py = BH_GRID_Y - 1 - py;
    }
    return px | py << 6 | (uint32_t)BH_GRID_X << 12 | (uint32_t)BH_GRID_Y << 19 |
           (noc ? 0u : 1u) << 28;
}

static uint64_t reg_addr(const uint32_t *r, uint32_t lo, uint32_t mid)
{
    /* MID carries address bits 35:32 and, in bit 28, bit 60 (the PCIe host window). */
    uint32_t m = r[REG(mid)];
    return r[REG(lo)] | (uint64_t)(m & 0xF) << 32 | (uint64_t)(m >> 28 & 1) << 60;
}

struct niu_cmd {
    struct tensix_tile *t;
    struct niu *n;
    unsigned noc;
    const uint32_t *r;
    uint32_t ctrl, len;
    uint64_t targ, ret;
    uint32_t tx, ty, rx, ry, sx, sy;
    const struct emu_src *src;
};

static void charge(const struct niu_cmd *c, uint64_t cycles)
{
    if (c->src->unit)
        c->src->unit->stall += (uint32_t)cycles;
}

static bool cmd_fault(const struct niu_cmd *c, uint64_t addr, const char *what)
{
    bhe_fault(c->t->emu, BHEMU_FAULT_NOC, c->src, addr, "NoC%u: %s", c->noc, what);
    return false;
}

static bool is_self(const struct niu_cmd *c, uint32_t x, uint32_t y)
{
    return x == c->t->x && y == c->t->y;
}

/* Read: TARG (remote) -> RET (this tile's L1). */
static bool cmd_read(const struct niu_cmd *c)
{
    struct bhemu *emu = c->t->emu;
    if (!c->len || c->len > BH_NOC_MAX_BURST)
        return cmd_fault(c, c->targ, "read length out of range");
    if (!is_self(c, c->rx, c->ry) || c->ret + c->len > BH_L1_SIZE)
        return cmd_fault(c, c->ret, "read must land in this tile's L1");
    uint8_t kind = bhe_node(emu, c->tx, c->ty)->kind;
    unsigned align = kind == NODE_DRAM ? 64 : 16;
    if (c->targ < BH_L1_SIZE || kind == NODE_DRAM) {
        if ((c->targ ^ c->ret) & (align - 1))
            return cmd_fault(c, c->targ, "read source and destination alignment differ");
    } else if (kind == NODE_TENSIX && c->len > 4 - (c->ret & 3)) {
        return cmd_fault(c, c->targ, "register read longer than a word");
    }
    if (bhe_noc_read(emu, c->tx, c->ty, c->targ, emu->xfer, c->len, c->src))
        return false;
    bhe_tensix_access(c->t, c->ret, emu->xfer, c->len, true, c->src);
    c->n->status[BH_NIU_MST_RD_RESP_RECEIVED]++;
    charge(c, bhe_noc_cost(c->len));
    return true;
}

static void count_write(const struct niu_cmd *c, unsigned acks)
{
    if (c->ctrl & BH_NOC_CMD_RESP_MARKED) {
        c->n->status[BH_NIU_MST_NONPOSTED_WR_REQ_SENT]++;
        c->n->status[BH_NIU_MST_WR_ACK_RECEIVED] += acks; /* one per destination */
    } else {
        c->n->status[BH_NIU_MST_POSTED_WR_REQ_SENT]++;
    }
}

/* Inline write: AT_DATA -> TARG. Blackhole cannot do this safely to L1 (ISA
 * NoC/MemoryMap.md), so only register targets are accepted. */
static bool cmd_inline(const struct niu_cmd *c)
{
    if (c->targ < BH_L1_SIZE)
        return cmd_fault(c, c->targ, "inline write to L1 is unsafe on Blackhole");
    /* The return coordinates name the issuing tile, as for an atomic: TT-Metal sends
     * inline writes from a command buffer whose RET registers hold its own coordinates,
     * and ttsim refuses any other ("inline write: dst_tile_id"). */
    if (!is_self(c, c->rx, c->ry))
        return cmd_fault(c, c->targ, "inline write whose return address is not this tile");
    if (c->targ & 3)
        return cmd_fault(c, c->targ, "misaligned inline write");
    /* Only Tensix (and Ethernet) tiles take inline writes (ttsim: "inline write:
     * src_tile_type"). */
    uint8_t kind = bhe_node(c->t->emu, c->tx, c->ty)->kind;
    if (kind != NODE_TENSIX && kind != NODE_HARVESTED) /* harvested: faults as unreachable */
        return cmd_fault(c, c->targ, "inline write to a tile that is not a Tensix");
    uint32_t v = c->r[REG(BH_NOC_AT_DATA)];
    if (bhe_noc_write(c->t->emu, c->tx, c->ty, c->targ, &v, 4, c->src))
        return false;
    count_write(c, 1);
    charge(c, 1);
    return true;
}

/* Write: this tile's L1 at TARG -> RET, one tile or a rectangle. */
static bool cmd_write(const struct niu_cmd *c)
{
    struct bhemu *emu = c->t->emu;
    if (c->ctrl & BH_NOC_CMD_WR_BE)
        return cmd_fault(c, c->targ, "byte-enable writes are not modelled");
    if (!c->len || c->len > BH_NOC_MAX_BURST)
        return cmd_fault(c, c->targ, "write length out of range");
    if (c->targ + c->len > BH_L1_SIZE || !is_self(c, c->tx, c->ty))
        return cmd_fault(c, c->targ, "write source must be this tile's L1");
    if ((c->targ ^ c->ret) & 15)
        return cmd_fault(c, c->ret, "write source and destination alignment differ");
    bool to_tensix = (c->ctrl & BH_NOC_CMD_BRCST_PACKET) ||
                     bhe_node(emu, c->rx, c->ry)->kind == NODE_TENSIX;
    if (to_tensix && c->ret >= BH_L1_SIZE && c->len != 4)
        return cmd_fault(c, c->ret, "register write must be one word");
    /* Stage the source: a loopback or multicast may land on the bytes it reads from. */
    uint8_t *data = emu->xfer;
    memcpy(data, c->t->l1 + c->targ, c->len);
    unsigned acks = 1;
    if (c->ctrl & BH_NOC_CMD_BRCST_PACKET) {
        /* Rectangle corners must be ordered the way each NoC travels: NOC0 start <= end,
         * NOC1 start >= end (its coordinates are mirrored); wrapping spans are not
         * modelled. */
        bool ok = c->noc ? (c->sx >= c->rx && c->sy >= c->ry) : (c->sx <= c->rx && c->sy <= c->ry);
        if (!ok)
            return cmd_fault(c, c->ret, "multicast rectangle corners out of order");
        struct emu_src s = *c->src;
        s.include_self = (c->ctrl & BH_NOC_CMD_BRCST_SRC_INCLUDE) != 0;
        struct noc_mcast_mask mask = {c->n->cfg[(BH_ROUTER_CFG_1 - BH_NOC_CFG(0)) / 4],
                                      c->n->cfg[(BH_ROUTER_CFG_3 - BH_NOC_CFG(0)) / 4]};
        if (bhe_noc_mcast_write(emu, c->sx, c->sy, c->rx, c->ry, c->ret, data, c->len, &s,
                                &mask, &acks))
            return false;
    } else if (bhe_noc_write(emu, c->rx, c->ry, c->ret, data, c->len, c->src)) {
        return false;
    }
    count_write(c, acks);
    charge(c, (c->len + EMU_NOC_BYTES_PER_CYCLE - 1) / EMU_NOC_BYTES_PER_CYCLE);
    return true;
}

/* Atomic increment: word at TARG (Tensix L1 or register) += AT_DATA; the old value goes
 * to RET in this tile (ISAWH NoC/Atomics.md). Only INCR_GET over a whole word is
 * modelled. */
static bool cmd_atomic(const struct niu_cmd *c)
{
    struct bhemu *emu = c->t->emu;
    uint32_t opcode = c->len >> 12 & 0xF;
    if (c->ctrl & BH_NOC_CMD_BRCST_PACKET)
        return cmd_fault(c, c->targ, "multicast atomics are not modelled");
    if (opcode != BH_NOC_AT_INS_INCR_GET)
        return cmd_fault(c, c->targ, "atomic opcode not modelled (only INCR_GET)");
    /* The hardware also takes a narrower wrap width and a word index within the 16-byte
     * line (AT_LEN_BE[6:2], [1:0]); Tenstorrent's simulator models only the full 32-bit
     * increment of a line's first word (AT_LEN_BE exactly 0x107C, target 16-byte
     * aligned) and stops on anything else, so that is all the model accepts. */
    if (c->len != (BH_NOC_AT_INS_INCR_GET << 12 | 31u << 2))
        return cmd_fault(c, c->targ, "atomic other than a 32-bit increment (AT_LEN_BE 0x107C)");
    if (c->targ & 15)
        return cmd_fault(c, c->targ, "atomic target not the first word of a 16-byte line");
    /* On a Tensix tile the target may be L1 or a register (a stream register, say): the
     * tile reads the word and writes the sum back, as ttsim does. */
    uint8_t kind = bhe_node(emu, c->tx, c->ty)->kind;
    if (kind != NODE_TENSIX && kind != NODE_HARVESTED) /* harvested: faults as unreachable */
        return cmd_fault(c, c->targ, "atomics work on Tensix tiles only");
    if (!is_self(c, c->rx, c->ry) || c->ret + 4 > BH_L1_SIZE || (c->ret & 3))
        return cmd_fault(c, c->ret, "atomic result must land in this tile's L1");
    uint32_t old;
    if (bhe_noc_atomic_inc(emu, c->tx, c->ty, c->targ, c->r[REG(BH_NOC_AT_DATA)], &old, c->src))
        return false;
    /* The old value comes back to RET even for a posted atomic (TTSIM does the same). */
    bhe_tensix_access(c->t, c->ret, &old, 4, true, c->src);
    if (c->ctrl & BH_NOC_CMD_RESP_MARKED) {
        c->n->status[BH_NIU_MST_ATOMIC_RESP_RECEIVED]++;
    } else {
        c->n->status[BH_NIU_MST_POSTED_ATOMIC_SENT]++;
    }
    charge(c, bhe_noc_cost(4));
    return true;
}

/* NOC_CTRL combinations Tenstorrent's simulator refuses (ttsim tile.cpp noc_cmd_ctrl),
 * none of which TT-Metal issues: a multicast must reserve its path (TT-Metal's
 * multicast_path_reserve; crossing broadcasts without it can deadlock), may only write
 * (no atomics, reads or inline writes), and a unicast must not reserve a path or include
 * its source; reads are non-posted. Returns why, or NULL. */
static const char *ctrl_refused(uint32_t ctrl)
{
    uint32_t type = ctrl & BH_NOC_CMD_TYPE_MASK;
    if (ctrl & (1u << 9 | 7u << 10 | 1u << 16 | 0x1FFu << 18 | 0xFu << 27 | 1u << 31))
        return "NOC_CTRL bits not modelled (ttsim refuses them)";
    if (ctrl & BH_NOC_CMD_BRCST_PACKET) {
        if (type != BH_NOC_CMD_WR || (ctrl & BH_NOC_CMD_WR_INLINE))
            return "multicast other than a plain write";
        if (!(ctrl & BH_NOC_CMD_PATH_RESERVE))
            return "multicast without path reserve (NOC_CMD_PATH_RESERVE)";
        return NULL;
    }
    if (ctrl & (BH_NOC_CMD_PATH_RESERVE | BH_NOC_CMD_BRCST_SRC_INCLUDE))
        return "unicast with path reserve or source include";
    if (type == BH_NOC_CMD_RD && !(ctrl & BH_NOC_CMD_RESP_MARKED))
        return "posted read";
    return NULL;
}

static void niu_exec(struct tensix_tile *t, unsigned noc, unsigned cb, const struct emu_src *src)
{
    struct niu *n = &t->niu[noc];
    const uint32_t *r = n->cmd[cb];
    uint32_t ret_hi = r[REG(BH_NOC_RET_ADDR_HI)];
    struct niu_cmd c = {
        .t = t,
        .n = n,
        .noc = noc,
        .r = r,
        .ctrl = r[REG(BH_NOC_CTRL)],
        .len = r[REG(BH_NOC_AT_LEN_BE)],
        .targ = reg_addr(r, BH_NOC_TARG_ADDR_LO, BH_NOC_TARG_ADDR_MID),
        .ret = reg_addr(r, BH_NOC_RET_ADDR_LO, BH_NOC_RET_ADDR_MID),
        .tx = r[REG(BH_NOC_TARG_ADDR_HI)] & 0x3F,
        .ty = r[REG(BH_NOC_TARG_ADDR_HI)] >> 6 & 0x3F,
        .rx = ret_hi & 0x3F,
        .ry = ret_hi >> 6 & 0x3F,
        .sx = ret_hi >> 12 & 0x3F,
        .sy = ret_hi >> 18 & 0x3F,
        .src = src,
    };
    const char *refused = ctrl_refused(c.ctrl);
    if (refused) {
        cmd_fault(&c, c.targ, refused);
        return;
    }
    switch (c.ctrl & BH_NOC_CMD_TYPE_MASK) {
    case BH_NOC_CMD_RD: cmd_read(&c); break;
    case BH_NOC_CMD_AT: cmd_atomic(&c); break;
    case BH_NOC_CMD_WR:
        if (c.ctrl & BH_NOC_CMD_WR_INLINE)
            cmd_inline(&c);
        else
            cmd_write(&c);
        break;
    default: cmd_fault(&c, c.targ, "reserved request type"); break;
    }
}

/* The status counters ttsim models (tile.cpp noc_regs_rd32); the others the chip has
 * (commands accepted, read requests sent, non-posted atomics sent) are refused, as
 * there. The write-outgoing ones read 0: a write's increment and decrement meet. */
static bool counter_modelled(uint32_t i)
{
    return i == BH_NIU_MST_ATOMIC_RESP_RECEIVED || i == BH_NIU_MST_WR_ACK_RECEIVED ||
           i == BH_NIU_MST_RD_RESP_RECEIVED || i == BH_NIU_MST_POSTED_ATOMIC_SENT ||
           i == BH_NIU_MST_NONPOSTED_WR_REQ_SENT || i == BH_NIU_MST_POSTED_WR_REQ_SENT ||
           (i >= BH_NIU_MST_REQS_OUTSTANDING_ID0 && i < BH_NIU_MST_REQS_OUTSTANDING_ID0 + 16) ||
           (i >= BH_NIU_MST_WRITE_REQS_OUTGOING_ID0 && i < BH_NIU_MST_WRITE_REQS_OUTGOING_ID0 + 16);
}

/* What a NIU answers, as ttsim models it: each command buffer's request registers (not
 * AT_LEN_BE_1 nor BRCST_EXCLUDE) and CMD_CTRL; through command buffer 0 the identity,
 * NIU_CFG_0, ROUTER_CFG_0-3 and the modelled counters. Anything else is refused. */
bool bhe_niu_load(struct tensix_tile *t, unsigned noc, uint32_t off, uint32_t *val)
{
    struct niu *n = &t->niu[noc];
    if (off >= BH_NIU_CMDBUFS * BH_NIU_CMDBUF_STRIDE)
        return false;
    unsigned cb = off / BH_NIU_CMDBUF_STRIDE;
    uint32_t o = off % BH_NIU_CMDBUF_STRIDE;
    if ((o <= BH_NOC_AT_LEN_BE || o == BH_NOC_AT_DATA) && !(o & 3)) {
        *val = n->cmd[cb][REG(o)];
        return true;
    }
    if (o == BH_NOC_CMD_CTRL) {
        *val = 0; /* always ready: requests are synchronous */
        return true;
    }
    if (cb)
        return false;
    if (o == BH_NOC_NODE_ID) {
        *val = bhe_niu_node_id(t->px, t->py, noc);
        return true;
    }
    if (o == BH_NOC_ID_LOGICAL) {
        *val = t->x | (uint32_t)t->y << 6; /* translated coordinates (device-facts 1.5) */
        return true;
    }
    if (o >= BH_NOC_CFG(0) && o <= BH_ROUTER_CFG_3) {
        *val = n->cfg[(o - BH_NOC_CFG(0)) / 4];
        return true;
    }
    if (o >= BH_NOC_STATUS(0) && o < BH_NOC_STATUS(0x40) &&
        counter_modelled((o - BH_NOC_STATUS(0)) / 4)) {
        *val = n->status[(o - BH_NOC_STATUS(0)) / 4];
        return true;
    }
    return false;
}

bool bhe_niu_store(struct tensix_tile *t, unsigned noc, uint32_t off, uint32_t val,
               const struct emu_src *src)
{
    struct niu *n = &t->niu[noc];
    if (off >= BH_NIU_CMDBUFS * BH_NIU_CMDBUF_STRIDE)
        return false;
    unsigned cb = off / BH_NIU_CMDBUF_STRIDE;
    uint32_t o = off % BH_NIU_CMDBUF_STRIDE;
    /* Values ttsim refuses (ttsim tile.cpp noc_regs_wr32) fault here too: the high byte
     * enables NOC_AT_LEN_BE_1 (inline writes to registers ignore byte enables, and L1
     * takes no inline writes), a broadcast exclusion (not modelled: it would be ignored
     * silently), packet tags other than the transaction id, a fire other than 1,
     * configuration registers past ROUTER_CFG_3, router configurations that would let
     * broadcasts reach non-Tensix columns or rows. The store reports the fault itself, so
     * it claims to have been handled. */
    const char *refused = NULL;
    if (o == BH_NOC_AT_LEN_BE_1)
        refused = "NOC_AT_LEN_BE_1 is not modelled (ttsim refuses it)";
    else if (o == BH_NOC_BRCST_EXCLUDE && val)
        refused = "broadcast exclusion is not modelled";
    else if (o == BH_NOC_PACKET_TAG && (val & ~(0xFu << 10)))
        refused = "packet tag bits other than the transaction id";
    else if (o == BH_NOC_CMD_CTRL && val != 1)
        refused = "NOC_CMD_CTRL takes only 1";
    else if (o == BH_NOC_CLEAR_OUTSTANDING_REQ_CNT && val != 0xFFFF)
        refused = "clearing some transaction ids only";
    else if (!cb && o > BH_ROUTER_CFG_3 && o < BH_NOC_CFG(0x20))
        refused = "configuration registers other than NIU_CFG_0 and ROUTER_CFG_0-3 are not "
                  "modelled";
    else if (!cb && o == BH_ROUTER_CFG_1 &&
             (val & BH_ROUTER_CFG_1_RESET) != BH_ROUTER_CFG_1_RESET)
        refused = "ROUTER_CFG_1 must keep the non-Tensix columns opted out";
    else if (!cb && o == BH_ROUTER_CFG_3 &&
             (val & BH_ROUTER_CFG_3_RESET) != BH_ROUTER_CFG_3_RESET)
        refused = "ROUTER_CFG_3 must keep the non-Tensix rows opted out";
    if (refused) {
        bhe_fault(t->emu, BHEMU_FAULT_STORE, src, BH_NIU0_BASE + noc * BH_NIU_SIZE + off,
                  "NoC%u: %s", noc, refused);
        return true;
    }
    if (o <= BH_NOC_BRCST_EXCLUDE && !(o & 3)) {
        n->cmd[cb][REG(o)] = val;
        return true;
    }
    if (o == BH_NOC_CMD_CTRL) {
        /* A request reaches other tiles: in the clock's parallel phase the core stops
         * before this store, which runs again in the serial phase (sched.c). */
        if (t->emu->parallel && src && src->unit) {
            src->unit->stop = STOP_SERIAL;
            return true;
        }
        niu_exec(t, noc, cb, src);
        return true;
    }
    if (o == BH_NOC_CLEAR_OUTSTANDING_REQ_CNT) {
        for (unsigned i = 0; i < 16; i++)
            if (val >> i & 1)
                n->status[BH_NIU_MST_REQS_OUTSTANDING_ID0 + i] = 0;
        return true;
    }
    if (!cb && o >= BH_NOC_CFG(0) && o <= BH_ROUTER_CFG_3) {
        n->cfg[(o - BH_NOC_CFG(0)) / 4] = val;
        return true;
    }
    return false;
}
