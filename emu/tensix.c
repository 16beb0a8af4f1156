/* A Tensix tile's address space: L1, the five cores' local data RAMs and the registers
 * the model implements (ISA TensixTile/BabyRISCV/README.md memory map, TTSIM register
 * tables), registered as a table of address ranges. The table serves accesses from the
 * tile's cores and from the NoC alike, and says for each register where a parked unit
 * watches for its value to change. Registers outside it fault rather than read as zero,
 * so firmware that leans on an unmodelled register is caught here instead of on a card. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cop.h"
#include "emu.h"

#define LDM_TOTAL (2 * BH_LDM_SIZE_DM + 3 * BH_LDM_SIZE_T)
#define DEC_TOTAL (EMU_L1_PAGES * EMU_DEC_SLOTS * sizeof(struct rv_insn))
#define TILE_MAP_SIZE (BH_L1_SIZE + LDM_TOTAL + DEC_TOTAL)

int bhe_tensix_create(struct bhemu *emu, struct tensix_tile *t)
{
    /* L1, the local RAMs and the decode cache's pages are one reservation backed page by
     * page as they are touched, so an idle chip costs a few pages per tile. */
    t->mem = bhe_map_get(TILE_MAP_SIZE);
    if (!t->mem)
        return -ENOMEM;
    t->emu = emu;
    t->l1 = t->mem;
    uint8_t *ldm = t->mem + BH_L1_SIZE;
    for (unsigned i = 0; i < BH_CORES_PER_TILE; i++) {
        struct rv_core *c = &t->core[i];
        c->u.kind = UNIT_RISCV;
        c->u.index = (uint8_t)i;
        c->u.tile = t;
        c->u.state = BHEMU_CORE_RESET;
        c->u.order = t->index * BH_CORES_PER_TILE + i;
        c->ldm = ldm;
        c->ldm_size = bh_core_desc(i)->ldm_size;
        ldm += c->ldm_size;
        t->units[i] = &c->u;
    }
    t->dec_slots = (struct rv_insn *)ldm;
    t->soft_reset = BH_RESET_ALL_RISCS;
    bhe_niu_init(&t->niu[0]);
    bhe_niu_init(&t->niu[1]);
    return 0;
}

void bhe_tensix_destroy(struct tensix_tile *t)
{
    cop_release(t);
    /* Only the decode pages taken into use were written: clear them here, and let the
     * pool look for written pages in L1 and the local RAMs alone. */
    for (unsigned p = 0; p < EMU_L1_PAGES; p++)
        if (t->dec[p])
            memset(t->dec[p], 0, EMU_DEC_SLOTS * sizeof *t->dec[p]);
    bhe_map_put(t->mem, TILE_MAP_SIZE, 0, BH_L1_SIZE + LDM_TOTAL);
}

/* Where a core starts: BRISC at 0, the others at their default PC unless their override
 * bit selects their reset-PC register (ISA SoftReset.md). */
static uint32_t reset_pc(const struct tensix_tile *t, unsigned core)
{
    const struct bh_core_desc *d = bh_core_desc(core);
    if (core == BH_NCRISC)
        return (t->ncrisc_pc_override & d->pc_override_bit) ? t->ncrisc_reset_pc : d->default_pc;
    if (core >= BH_TRISC0)
        return (t->trisc_pc_override & d->pc_override_bit) ? t->trisc_reset_pc[core - BH_TRISC0]
                                                            : d->default_pc;
    return d->default_pc;
}

/* SOFT_RESET_0 has no set/clear aliases: a write is the new state of every bit. A core
 * whose bit goes from 1 to 0 starts at its reset PC with registers and local RAM cleared
 * (ISA SoftReset.md); a core whose bit goes to 1 stops where it is. */
static void write_soft_reset(struct tensix_tile *t, uint32_t v, const struct emu_src *src)
{
    uint32_t old = t->soft_reset;
    t->soft_reset = v;
    for (unsigned i = 0; i < BH_CORES_PER_TILE; i++) {
        struct rv_core *c = &t->core[i];
        uint32_t bit = bh_core_desc(i)->reset_bit;
        if ((v & bit) && !(old & bit)) {
            bhe_stop(&c->u, BHEMU_CORE_RESET);
            if (src && src->unit == &c->u)
                c->u.stop = STOP_HALT;
        } else if (!(v & bit) && (old & bit)) {
            bhe_rv_reset(c, reset_pc(t, i));
            if (c->ldm_written)
                memset(c->ldm, 0, c->ldm_size);
            c->ldm_written = false;
            c->u.time = bhe_time(t);
            c->u.state = BHEMU_CORE_RUNNING;
            bhe_make_runnable(&c->u);
        }
    }
    /* With its three TRISCs held, the coprocessor returns to its power-on state, so a
     * reboot recovers from a kernel that left it waiting (ttsim has no such reset: a
     * hung coprocessor stays hung there). */
    uint32_t triscs = BH_RESET_TRISC0 | BH_RESET_TRISC1 | BH_RESET_TRISC2;
    if ((v & triscs) == triscs)
        cop_release(t);
}

/* ---- Register ranges. Each handler gets the offset within its range. ---- */

/* Debug/control registers at 0xFFB12000; all change by themselves or matter only when
 * written, so none is a place to park on. */
/* A load or store by one of the tile's own cores (not the host, not the NoC). */
static bool own_core(const struct tensix_tile *t, const struct emu_src *src)
{
    return src && src->unit && src->tile == t;
}

static bool debug_load(struct tensix_tile *t, uint32_t off, uint32_t *v, uint32_t *watch,
                       const struct emu_src *src)
{
    uint32_t a = BH_DEBUG_REGS + off;
    *watch = EMU_LOC_NONE;
    /* The cores cannot read the write-only NCRISC reset-PC registers nor the PC
     * snapshots (ttsim refuses them from a core); the host's hang reports read the
     * snapshots. */
    if (own_core(t, src) && (a == BH_NCRISC_RESET_PC || a == BH_NCRISC_RESET_PC_OVERRIDE ||
                             (a >= BH_PC_SNAPSHOT && a < BH_PC_SNAPSHOT + 4 * BH_CORES_PER_TILE)))
        return false;
    switch (a) {
    case BH_SOFT_RESET_0: *v = t->soft_reset; return true;
    case BH_WALL_CLOCK_0: {
        uint64_t now = bhe_src_time(t->emu, src);
        t->wall_clock_hi_at = (uint32_t)(now >> 32);
        *v = (uint32_t)now;
        return true;
    }
    case BH_WALL_CLOCK_1: *v = (uint32_t)(bhe_src_time(t->emu, src) >> 32); return true;
    case BH_WALL_CLOCK_1_AT: *v = t->wall_clock_hi_at; return true;
    case BH_TRISC0_RESET_PC:
    case BH_TRISC0_RESET_PC + 4:
    case BH_TRISC0_RESET_PC + 8: *v = t->trisc_reset_pc[(a - BH_TRISC0_RESET_PC) / 4]; return true;
    case BH_TRISC_RESET_PC_OVERRIDE: *v = t->trisc_pc_override; return true;
    case BH_NCRISC_RESET_PC: *v = t->ncrisc_reset_pc; return true;
    case BH_NCRISC_RESET_PC_OVERRIDE: *v = t->ncrisc_pc_override; return true;
    }
    if (a >= BH_PC_SNAPSHOT && a < BH_PC_SNAPSHOT + 4 * BH_CORES_PER_TILE) {
        *v = t->core[(a - BH_PC_SNAPSHOT) / 4].u.pc;
        return true;
    }
    return false;
}

static bool debug_store(struct tensix_tile *t, uint32_t off, uint32_t v, const struct emu_src *src)
{
    uint32_t a = BH_DEBUG_REGS + off;
    switch (a) {
    case BH_SOFT_RESET_0:
        /* Only the five RISC-V reset bits are modelled; bit 31 is written by tools and
         * means nothing here (TTSIM ignores it too). */
        v &= 0x7FFFFFFFu;
        if (v & ~BH_RESET_ALL_RISCS)
            return false;
        write_soft_reset(t, v, src);
        return true;
    case BH_TRISC0_RESET_PC:
    case BH_TRISC0_RESET_PC + 4:
    case BH_TRISC0_RESET_PC + 8: t->trisc_reset_pc[(a - BH_TRISC0_RESET_PC) / 4] = v; return true;
    case BH_TRISC_RESET_PC_OVERRIDE: t->trisc_pc_override = v & 7; return true;
    case BH_NCRISC_RESET_PC: t->ncrisc_reset_pc = v; return true;
    case BH_NCRISC_RESET_PC_OVERRIDE: t->ncrisc_pc_override = v & 1; return true;
    case BH_DBG_BUS_CTRL:
        /* Selects what the debug bus shows: accepted (reserved bits refused, as ttsim
         * does); the bus itself, read through DBG_RD_DATA, is not modelled. */
        return !(v & BH_DBG_BUS_CTRL_RESERVED);
    }
    return false;
}

/* The slow-path aliases of the cores' local RAMs, 0x2000 apart: the local RAM word that
 * offset `off` names, or NULL past the end of that core's RAM. */
static uint8_t *ldm_alias(struct tensix_tile *t, uint32_t off, uint32_t *watch)
{
    unsigned core = off / BH_LDM_ALIAS_STRIDE;
    uint32_t in = off % BH_LDM_ALIAS_STRIDE;
    *watch = EMU_LOC_LDM(core, in);
    return in < t->core[core].ldm_size ? t->core[core].ldm + in : NULL;
}

/* The aliases serve the host and the NoC; a core uses its own local RAM at BH_LDM_BASE
 * (ttsim refuses the aliases from a core). */
static bool ldm_alias_load(struct tensix_tile *t, uint32_t off, uint32_t *v, uint32_t *watch,
                           const struct emu_src *src)
{
    if (own_core(t, src)) {
        *watch = EMU_LOC_NONE;
        return false;
    }
    uint8_t *p = ldm_alias(t, off, watch);
    if (p)
        memcpy(v, p, 4);
    return p != NULL;
}

static bool ldm_alias_store(struct tensix_tile *t, uint32_t off, uint32_t v,
                            const struct emu_src *src)
{
    if (own_core(t, src))
        return false;
    uint32_t watch;
    uint8_t *p = ldm_alias(t, off, &watch);
    if (p) {
        memcpy(p, &v, 4);
        t->core[off / BH_LDM_ALIAS_STRIDE].ldm_written = true;
        bhe_note_write(t, watch, 4);
    }
    return p != NULL;
}

/* The NIUs: requests finish when issued, so no register changes while a core polls it;
 * they are still no place to park on (a request of the core itself moves them). */
static bool niu_load(struct tensix_tile *t, uint32_t off, uint32_t *v, uint32_t *watch,
                     const struct emu_src *src)
{
    (void)src;
    *watch = EMU_LOC_NONE;
    return bhe_niu_load(t, off / BH_NIU_SIZE, off % BH_NIU_SIZE, v);
}

static bool niu_store(struct tensix_tile *t, uint32_t off, uint32_t v, const struct emu_src *src)
{
    return bhe_niu_store(t, off / BH_NIU_SIZE, off % BH_NIU_SIZE, v, src);
}

/* Overlay stream registers: plain storage plus the space-available counter (TTSIM: writes
 * to REMOTE_DEST_BUF_SIZE also set it; writes to SPACE_AVAILABLE_UPDATE add v >> 6). */
static bool stream_load(struct tensix_tile *t, uint32_t off, uint32_t *v, uint32_t *watch,
                        const struct emu_src *src)
{
    (void)src;
    unsigned s = off / BH_STREAM_STRIDE, r = (off % BH_STREAM_STRIDE) / 4;
    *watch = EMU_LOC_STREAM(off);
    switch (r) {
    case BH_STREAM_REMOTE_SRC: *v = t->stream_src[s]; return true;
    case BH_STREAM_REMOTE_DEST_BUF_START: *v = t->stream_start[s]; return true;
    case BH_STREAM_REMOTE_DEST_BUF_SIZE: *v = t->stream_size[s]; return true;
    case BH_STREAM_SPACE_AVAILABLE: *v = t->stream_avail[s]; return true;
    }
    return false;
}

static bool stream_store(struct tensix_tile *t, uint32_t off, uint32_t v, const struct emu_src *src)
{
    (void)src;
    unsigned s = off / BH_STREAM_STRIDE, r = (off % BH_STREAM_STRIDE) / 4;
    uint32_t avail = s * BH_STREAM_STRIDE + 4 * BH_STREAM_SPACE_AVAILABLE;
    switch (r) {
    case BH_STREAM_REMOTE_SRC:
        if (v > 0xFFFFFF)
            return false; /* 24 bits; ttsim refuses more rather than dropping them */
        t->stream_src[s] = v;
        break;
    case BH_STREAM_REMOTE_DEST_BUF_START: t->stream_start[s] = v & BH_STREAM_COUNTER_MASK; break;
    case BH_STREAM_REMOTE_DEST_BUF_SIZE:
        t->stream_size[s] = t->stream_avail[s] = v & BH_STREAM_COUNTER_MASK;
        bhe_note_write(t, EMU_LOC_STREAM(avail), 4);
        break;
    case BH_STREAM_SPACE_AVAILABLE_UPDATE:
        if (v & 0x3F)
            return false; /* the increment lives in bits 31:6 */
        t->stream_avail[s] = (t->stream_avail[s] + (v >> BH_STREAM_SPACE_AVAILABLE_UPDATE_SHIFT)) &
                             BH_STREAM_COUNTER_MASK;
        off = avail;
        break;
    default: return false;
    }
    bhe_note_write(t, EMU_LOC_STREAM(off), 4);
    return true;
}

struct reg_range {
    uint32_t base, size;
    bool (*load)(struct tensix_tile *t, uint32_t off, uint32_t *v, uint32_t *watch,
                 const struct emu_src *src);
    bool (*store)(struct tensix_tile *t, uint32_t off, uint32_t v, const struct emu_src *src);
};

static const struct reg_range reg_ranges[] = {
    {BH_DEBUG_REGS, BH_DEBUG_REGS_SIZE, debug_load, debug_store},
    {BH_LDM_ALIAS_BASE, BH_CORES_PER_TILE * BH_LDM_ALIAS_STRIDE, ldm_alias_load, ldm_alias_store},
    {BH_NIU0_BASE, 2 * BH_NIU_SIZE, niu_load, niu_store},
    {BH_STREAM_BASE, BH_STREAMS * BH_STREAM_STRIDE, stream_load, stream_store},
};

static const struct reg_range *reg_range(uint32_t a)
{
    for (size_t i = 0; i < sizeof reg_ranges / sizeof reg_ranges[0]; i++)
        if (a - reg_ranges[i].base < reg_ranges[i].size)
            return &reg_ranges[i];
    return NULL;
}

/* One aligned register word, from a unit of the tile or from outside. The caller has
 * already ruled out L1. A miss records no fault: the callers say what kind it is. */
static bool reg_access(struct tensix_tile *t, uint32_t a, uint32_t *v, uint32_t *watch, bool write,
                       const struct emu_src *src)
{
    const struct reg_range *r = reg_range(a);
    if (!r)
        return false;
    return write ? r->store(t, a - r->base, *v, src) : r->load(t, a - r->base, v, watch, src);
}

bool bhe_tensix_reg_load(struct tensix_tile *t, uint32_t addr, uint32_t *val, uint32_t *watch,
                         const struct emu_src *src)
{
    if (reg_access(t, addr, val, watch, false, src))
        return true;
    bhe_fault(t->emu, BHEMU_FAULT_LOAD, src, addr, "load from unmapped address");
    return false;
}

bool bhe_tensix_reg_store(struct tensix_tile *t, uint32_t addr, uint32_t val,
                          const struct emu_src *src)
{
    if (reg_access(t, addr, &val, NULL, true, src))
        return true;
    bhe_fault(t->emu, BHEMU_FAULT_STORE, src, addr, "store to unmapped address");
    return false;
}

int bhe_tensix_access(void *tile, uint64_t addr, void *buf, size_t len, bool write,
                      const struct emu_src *src)
{
    struct tensix_tile *t = tile;
    if (addr < BH_L1_SIZE) {
        if (len > BH_L1_SIZE - addr)
            return -EFAULT;
        if (write) {
            memcpy(t->l1 + addr, buf, len);
            bhe_rv_invalidate(t, (uint32_t)addr, (uint32_t)len);
            bhe_note_write(t, EMU_LOC_L1(addr), (uint32_t)len);
        } else {
            memcpy(buf, t->l1 + addr, len);
        }
        return 0;
    }
    /* Registers: one aligned word at a time (the core-local RAM at 0xFFB00000 is not
     * visible from outside; its slow-path aliases are). */
    if (len != 4 || (addr & 3) || addr > UINT32_MAX)
        return -EFAULT;
    uint32_t v, watch;
    if (write)
        memcpy(&v, buf, 4);
    if (!reg_access(t, (uint32_t)addr, &v, &watch, write, src))
        return -EFAULT;
    if (!write)
        memcpy(buf, &v, 4);
    return 0;
}
