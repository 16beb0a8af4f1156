/* A Tensix tile's address space: L1, the five cores' local data RAMs and the registers
 * the model implements (ISA TensixTile/BabyRISCV/README.md memory map, TTSIM register
 * tables). Registers outside that set fault rather than read as zero, so firmware that
 * leans on an unmodelled register is caught here instead of on a card. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "emu.h"

#define LDM_TOTAL (2 * BH_LDM_SIZE_DM + 3 * BH_LDM_SIZE_T)
#define TILE_MAP_SIZE (BH_L1_SIZE + LDM_TOTAL)

int tensix_create(struct bhemu *emu, struct tensix_tile *t)
{
    /* L1 and the local RAMs are one reservation backed page by page as they are touched,
     * so an idle chip costs a few pages per tile. */
    t->mem = mmap(NULL, TILE_MAP_SIZE, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (t->mem == MAP_FAILED) {
        t->mem = NULL;
        return -ENOMEM;
    }
    t->emu = emu;
    t->l1 = t->mem;
    uint8_t *ldm = t->mem + BH_L1_SIZE;
    for (unsigned i = 0; i < BH_CORES_PER_TILE; i++) {
        struct rv_core *c = &t->core[i];
        c->id = (uint8_t)i;
        c->tile = t;
        c->ldm = ldm;
        c->ldm_size = bh_core_desc(i)->ldm_size;
        c->state = BHEMU_CORE_RESET;
        c->global_index = t->index * BH_CORES_PER_TILE + i;
        ldm += c->ldm_size;
    }
    t->soft_reset = BH_RESET_ALL_RISCS;
    niu_init(&t->niu[0]);
    niu_init(&t->niu[1]);
    return 0;
}

void tensix_destroy(struct tensix_tile *t)
{
    for (unsigned p = 0; p < EMU_L1_PAGES; p++)
        free(t->dec[p]);
    if (t->mem)
        munmap(t->mem, TILE_MAP_SIZE);
}

static uint32_t reset_pc(const struct tensix_tile *t, unsigned core)
{
    static const uint32_t trisc_default[3] = {BH_TRISC0_DEFAULT_PC, BH_TRISC1_DEFAULT_PC,
                                              BH_TRISC2_DEFAULT_PC};
    switch (core) {
    case BH_BRISC:
        return 0; /* BRISC always starts at 0 (ISA SoftReset.md) */
    case BH_NCRISC:
        return (t->ncrisc_pc_override & 1) ? t->ncrisc_reset_pc : BH_NCRISC_DEFAULT_PC;
    default: {
        unsigned i = core - BH_TRISC0;
        return (t->trisc_pc_override >> i & 1) ? t->trisc_reset_pc[i] : trisc_default[i];
    }
    }
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
            sched_stop(c, BHEMU_CORE_RESET);
            if (src && src->core == c)
                c->stop = 1;
        } else if (!(v & bit) && (old & bit)) {
            rv_reset(c, reset_pc(t, i));
            memset(c->ldm, 0, c->ldm_size);
            c->time = emu_time(t->emu);
            c->state = BHEMU_CORE_RUNNING;
            sched_make_runnable(c);
        }
    }
}

static uint64_t tile_time(const struct tensix_tile *t, const struct emu_src *src)
{
    if (src && src->core)
        return src->core->time + (uint64_t)src->core->run_done;
    return t->emu->now;
}

/* Debug/control registers at 0xFFB12000. */
static bool debug_load(struct tensix_tile *t, uint32_t a, uint32_t *v, bool *vol,
                       const struct emu_src *src)
{
    switch (a) {
    case BH_SOFT_RESET_0: *v = t->soft_reset; return true;
    case BH_WALL_CLOCK_0: {
        uint64_t now = tile_time(t, src);
        t->wall_clock_hi_at = (uint32_t)(now >> 32);
        *v = (uint32_t)now;
        *vol = true;
        return true;
    }
    case BH_WALL_CLOCK_1: *v = (uint32_t)(tile_time(t, src) >> 32); *vol = true; return true;
    case BH_WALL_CLOCK_1_AT: *v = t->wall_clock_hi_at; return true;
    case BH_TRISC0_RESET_PC:
    case BH_TRISC0_RESET_PC + 4:
    case BH_TRISC0_RESET_PC + 8: *v = t->trisc_reset_pc[(a - BH_TRISC0_RESET_PC) / 4]; return true;
    case BH_TRISC_RESET_PC_OVERRIDE: *v = t->trisc_pc_override; return true;
    case BH_NCRISC_RESET_PC: *v = t->ncrisc_reset_pc; return true;
    case BH_NCRISC_RESET_PC_OVERRIDE: *v = t->ncrisc_pc_override; return true;
    }
    if (a >= BH_PC_SNAPSHOT && a < BH_PC_SNAPSHOT + 4 * BH_CORES_PER_TILE) {
        *v = t->core[(a - BH_PC_SNAPSHOT) / 4].pc;
        *vol = true;
        return true;
    }
    return false;
}

static bool debug_store(struct tensix_tile *t, uint32_t a, uint32_t v, const struct emu_src *src)
{
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
    }
    return false;
}

/* Overlay stream registers: plain storage plus the space-available counter (TTSIM: writes
 * to REMOTE_DEST_BUF_SIZE also set it; writes to SPACE_AVAILABLE_UPDATE add v >> 6). */
static bool stream_load(struct tensix_tile *t, uint32_t off, uint32_t *v)
{
    unsigned s = off / BH_STREAM_STRIDE, r = (off % BH_STREAM_STRIDE) / 4;
    switch (r) {
    case BH_STREAM_REMOTE_SRC: *v = t->stream_src[s]; return true;
    case BH_STREAM_REMOTE_DEST_BUF_START: *v = t->stream_start[s]; return true;
    case BH_STREAM_REMOTE_DEST_BUF_SIZE: *v = t->stream_size[s]; return true;
    case BH_STREAM_SPACE_AVAILABLE: *v = t->stream_avail[s]; return true;
    }
    return false;
}

static bool stream_store(struct tensix_tile *t, uint32_t off, uint32_t v)
{
    unsigned s = off / BH_STREAM_STRIDE, r = (off % BH_STREAM_STRIDE) / 4;
    uint32_t watch = off;
    switch (r) {
    case BH_STREAM_REMOTE_SRC:
        if (v > 0xFFFFFF)
            return false; /* 24 bits; ttsim refuses more rather than dropping them */
        t->stream_src[s] = v;
        break;
    case BH_STREAM_REMOTE_DEST_BUF_START: t->stream_start[s] = v & BH_STREAM_COUNTER_MASK; break;
    case BH_STREAM_REMOTE_DEST_BUF_SIZE:
        t->stream_size[s] = t->stream_avail[s] = v & BH_STREAM_COUNTER_MASK;
        watch = s * BH_STREAM_STRIDE + 4 * BH_STREAM_SPACE_AVAILABLE;
        sched_note_write(t, EMU_LOC_STREAM(watch), 4);
        watch = off;
        break;
    case BH_STREAM_SPACE_AVAILABLE_UPDATE:
        if (v & 0x3F)
            return false; /* the increment lives in bits 31:6 */
        t->stream_avail[s] = (t->stream_avail[s] + (v >> 6)) & BH_STREAM_COUNTER_MASK;
        watch = s * BH_STREAM_STRIDE + 4 * BH_STREAM_SPACE_AVAILABLE;
        break;
    default: return false;
    }
    sched_note_write(t, EMU_LOC_STREAM(watch), 4);
    return true;
}

/* The local RAM word that address `a`, in the slow-path alias range, names, or NULL past
 * the end of that core's RAM; *loc is the location parked cores watch. */
static uint8_t *ldm_alias(struct tensix_tile *t, uint32_t a, uint32_t *loc)
{
    unsigned core = (a - BH_LDM_ALIAS_BASE) / BH_LDM_ALIAS_STRIDE;
    uint32_t off = (a - BH_LDM_ALIAS_BASE) % BH_LDM_ALIAS_STRIDE;
    *loc = EMU_LOC_LDM(core, off);
    return off < t->core[core].ldm_size ? t->core[core].ldm + off : NULL;
}

/* One aligned register word, from a core of the tile or from outside (src->core NULL or
 * another tile's core). The caller has already ruled out L1. */
static bool reg_load(struct tensix_tile *t, uint32_t a, uint32_t *v, bool *vol,
                     const struct emu_src *src)
{
    if (a - BH_DEBUG_REGS < 0x2000)
        return debug_load(t, a, v, vol, src);
    uint32_t loc;
    if (a - BH_LDM_ALIAS_BASE < BH_CORES_PER_TILE * BH_LDM_ALIAS_STRIDE) {
        uint8_t *p = ldm_alias(t, a, &loc);
        if (p)
            memcpy(v, p, 4);
        return p != NULL;
    }
    if (a - BH_NIU0_BASE < 2 * BH_NIU_SIZE)
        return niu_load(t, (a - BH_NIU0_BASE) / BH_NIU_SIZE, (a - BH_NIU0_BASE) % BH_NIU_SIZE, v,
                        vol);
    if (a - BH_STREAM_BASE < BH_STREAMS * BH_STREAM_STRIDE)
        return stream_load(t, a - BH_STREAM_BASE, v);
    return false;
}

static bool reg_store(struct tensix_tile *t, uint32_t a, uint32_t v, const struct emu_src *src)
{
    if (a - BH_DEBUG_REGS < 0x2000)
        return debug_store(t, a, v, src);
    uint32_t loc;
    if (a - BH_LDM_ALIAS_BASE < BH_CORES_PER_TILE * BH_LDM_ALIAS_STRIDE) {
        uint8_t *p = ldm_alias(t, a, &loc);
        if (p) {
            memcpy(p, &v, 4);
            sched_note_write(t, loc, 4);
        }
        return p != NULL;
    }
    if (a - BH_NIU0_BASE < 2 * BH_NIU_SIZE)
        return niu_store(t, (a - BH_NIU0_BASE) / BH_NIU_SIZE, (a - BH_NIU0_BASE) % BH_NIU_SIZE, v,
                         src);
    if (a - BH_STREAM_BASE < BH_STREAMS * BH_STREAM_STRIDE)
        return stream_store(t, a - BH_STREAM_BASE, v);
    return false;
}

bool tensix_mmio_load(struct rv_core *c, uint32_t addr, uint32_t *val, bool *volatile_read)
{
    struct emu_src src = emu_core_src(c);
    if (reg_load(c->tile, addr, val, volatile_read, &src))
        return true;
    emu_fault(c->tile->emu, BHEMU_FAULT_LOAD, &src, addr, "load from unmapped address");
    return false;
}

bool tensix_mmio_store(struct rv_core *c, uint32_t addr, uint32_t val)
{
    struct emu_src src = emu_core_src(c);
    if (reg_store(c->tile, addr, val, &src))
        return true;
    emu_fault(c->tile->emu, BHEMU_FAULT_STORE, &src, addr, "store to unmapped address");
    return false;
}

int tensix_access(struct tensix_tile *t, uint64_t addr, void *buf, size_t len, bool write,
                  const struct emu_src *src)
{
    if (addr < BH_L1_SIZE) {
        if (len > BH_L1_SIZE - addr)
            return -EFAULT;
        if (write) {
            memcpy(t->l1 + addr, buf, len);
            rv_invalidate(t, (uint32_t)addr, (uint32_t)len);
            sched_note_write(t, EMU_LOC_L1(addr), (uint32_t)len);
        } else {
            memcpy(buf, t->l1 + addr, len);
        }
        return 0;
    }
    /* Registers: one aligned word at a time (the core-local RAM at 0xFFB00000 is not
     * visible from outside; its slow-path aliases are). */
    if (len != 4 || (addr & 3) || addr > UINT32_MAX)
        return -EFAULT;
    uint32_t v;
    bool vol = false;
    if (write) {
        memcpy(&v, buf, 4);
        return reg_store(t, (uint32_t)addr, v, src) ? 0 : -EFAULT;
    }
    if (!reg_load(t, (uint32_t)addr, &v, &vol, src))
        return -EFAULT;
    memcpy(buf, &v, 4);
    return 0;
}
