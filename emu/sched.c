/* The clock: bhemu_clock(n) runs every runnable unit for n cycles, interleaving them in
 * slices of EMU_QUANTUM cycles in a fixed order (tile index, then unit), so a run is a
 * pure function of its inputs. Removal from the run queue is lazy (units that stop or
 * park are dropped at the next slice boundary); units made runnable during a slice join
 * at the next one (park.c). */
#include <stdlib.h>

#include "emu.h"

/* With a single runnable unit nothing needs interleaving; it still runs in bounded
 * chunks so its spin probe is re-armed now and then. */
#define SOLO_CHUNK 4096

/* Run one unit for up to `budget` cycles with its kind's run function, which leaves why
 * it ended in u->ended. */
static int64_t unit_run(struct emu_unit *u, int64_t budget)
{
    switch (u->kind) {
    case UNIT_RISCV: return bhe_rv_run((struct rv_core *)u, budget);
    }
    u->ended = UNIT_HALT;
    return 0;
}

static int by_order(const void *a, const void *b)
{
    const struct emu_unit *x = *(struct emu_unit *const *)a, *y = *(struct emu_unit *const *)b;
    return (x->order > y->order) - (x->order < y->order);
}

/* Drop units that stopped, add the ones made runnable, keep the fixed order. */
static void merge(struct bhemu *emu)
{
    unsigned n = 0;
    for (unsigned i = 0; i < emu->runq_len; i++) {
        struct emu_unit *u = emu->runq[i];
        if (u->state == BHEMU_CORE_RUNNING)
            emu->runq[n++] = u;
        else
            u->in_runq = 0;
    }
    bool added = false;
    for (unsigned i = 0; i < emu->pending_len; i++) {
        struct emu_unit *u = emu->pending[i];
        if (u->state != BHEMU_CORE_RUNNING) {
            u->in_runq = 0;
            continue;
        }
        emu->runq[n++] = u;
        added = true;
    }
    emu->pending_len = 0;
    emu->runq_len = n;
    if (added)
        qsort(emu->runq, n, sizeof *emu->runq, by_order);
}

int bhemu_clock(bhemu *emu, uint64_t n)
{
    uint64_t target = emu->now + n;
    merge(emu);
    while (emu->now < target) {
        if (!emu->runq_len) {
            emu->now = target;
            break;
        }
        uint64_t slice = emu->runq_len == 1 ? SOLO_CHUNK : EMU_QUANTUM;
        uint64_t end = target - emu->now < slice ? target : emu->now + slice;
        for (unsigned i = 0; i < emu->runq_len; i++) {
            struct emu_unit *u = emu->runq[i];
            if (u->state != BHEMU_CORE_RUNNING || u->time >= end)
                continue;
            emu->running = u;
            u->run_done = 0;
            u->time += (uint64_t)unit_run(u, (int64_t)(end - u->time));
            u->run_done = 0;
            emu->running = NULL;
            if (u->ended == UNIT_PARK)
                bhe_park(u);
        }
        emu->now = end;
        merge(emu);
    }
    return 0;
}

uint64_t bhemu_now(const bhemu *emu)
{
    return emu->now;
}
