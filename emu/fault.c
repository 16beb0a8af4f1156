/* Faults: what device code (or a host access) did that the chip refuses. Each is queued
 * for the host (bhemu_fault_pop) and the unit that made it stops until it is reset
 * again; the host process never exits. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "emu.h"

void bhe_fault(struct bhemu *emu, uint32_t cause, const struct emu_src *src, uint64_t addr,
               const char *fmt, ...)
{
    struct emu_unit *u = src ? src->unit : NULL;
    struct tensix_tile *t = src ? src->tile : NULL;
    emu->st.faults++;
    if (emu->fault_len < EMU_FAULT_QUEUE) {
        struct bhemu_fault *f = &emu->faults[(emu->fault_head + emu->fault_len++) % EMU_FAULT_QUEUE];
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
    } else {
        emu->st.faults_dropped++;
    }
    if (u) {
        bhe_stop(u, BHEMU_CORE_FAULTED);
        u->stop = 1;
    }
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
