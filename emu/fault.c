/* Faults: what device code (or a host access) did that the chip refuses. Each is queued
 * for the host (bhemu_fault_pop) and the unit that made it stops until it is reset
 * again; the host process never exits. In the clock's parallel phase a tile's faults wait
 * in the tile, and the serial phase queues them in tile order, so the queue's order does
 * not depend on which host thread ran which tile. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "emu.h"

void bhe_fault(struct bhemu *emu, uint32_t cause, const struct emu_src *src, uint64_t addr,
               const char *fmt, ...)
{
    struct emu_unit *u = src ? src->unit : NULL;
    struct tensix_tile *t = src ? src->tile : NULL;
    struct bhemu_fault *f = NULL;
    if (emu->parallel && t) {
        if (t->n_staged < EMU_TILE_FAULTS)
            f = &t->staged[t->n_staged++];
        else
            t->staged_dropped++;
    } else {
        emu->st.faults++;
        if (emu->fault_len < EMU_FAULT_QUEUE)
            f = &emu->faults[(emu->fault_head + emu->fault_len++) % EMU_FAULT_QUEUE];
        else
            emu->st.faults_dropped++;
    }
    if (f) {
        va_list ap;
        memset(f, 0, sizeof *f);
        f->cause = cause;
        f->core = u ? u->index : -1;
        f->x = t ? t->x : BH_XLAT_PCIE_X;
        f->y = t ? t->y : BH_XLAT_PCIE_Y;
        f->pc = u ? u->pc : 0;
        f->addr = addr;
        f->cycle = bhe_src_time(emu, src);
        va_start(ap, fmt);
        vsnprintf(f->what, sizeof f->what, fmt, ap);
        va_end(ap);
    }
    if (u) {
        bhe_stop(u, BHEMU_CORE_FAULTED);
        u->stop = STOP_HALT;
    }
}

void bhe_fault_flush(struct tensix_tile *t)
{
    struct bhemu *emu = t->emu;
    for (unsigned i = 0; i < t->n_staged; i++) {
        emu->st.faults++;
        if (emu->fault_len < EMU_FAULT_QUEUE)
            emu->faults[(emu->fault_head + emu->fault_len++) % EMU_FAULT_QUEUE] = t->staged[i];
        else
            emu->st.faults_dropped++;
    }
    emu->st.faults += t->staged_dropped;
    emu->st.faults_dropped += t->staged_dropped;
    t->n_staged = 0;
    t->staged_dropped = 0;
}

int bhemu_fault_pop(bhemu *emu, struct bhemu_fault *f)
{
    if (!emu->fault_len)
        return 0;
    *f = emu->faults[emu->fault_head];
    emu->fault_head = (emu->fault_head + 1) % EMU_FAULT_QUEUE;
    emu->fault_len--;
    return 1;
}
