/* Time and the order in which cores run.
 *
 * bhemu_clock(n) runs every runnable core for n cycles, interleaving them in slices of
 * EMU_QUANTUM cycles in a fixed order (tile index, then core), so a run is a pure function
 * of its inputs. A core the spin detector (rv32.c) finds looping on unchanged memory is
 * parked: it leaves the run queue until a write reaches one of the locations its loop
 * reads, so an idle chip costs almost nothing to clock. Removal from the run queue is lazy
 * (cores that stop are dropped at the next slice boundary); cores made runnable during a
 * slice join at the next one.
 */
#include <stdlib.h>

#include "emu.h"

/* With a single runnable core nothing needs interleaving; it still runs in bounded
 * chunks so its spin probe is re-armed now and then. */
#define SOLO_CHUNK 4096

void sched_make_runnable(struct rv_core *c)
{
    struct bhemu *emu = c->tile->emu;
    if (c->in_runq)
        return;
    c->in_runq = 1;
    emu->pending[emu->pending_len++] = c;
}

void sched_stop(struct rv_core *c, uint8_t state)
{
    if (c->state == BHEMU_CORE_PARKED)
        c->tile->parked &= (uint8_t)~(1u << c->id);
    c->state = state;
}

void sched_park(struct rv_core *c)
{
    c->state = BHEMU_CORE_PARKED;
    c->tile->parked |= (uint8_t)(1u << c->id);
}

static bool watches(const struct rv_core *c, uint32_t loc, uint32_t len)
{
    for (unsigned i = 0; i < c->probe_nloads; i++) {
        uint32_t w = c->probe_loads[i]; /* a word-aligned location */
        if (w + 4 > loc && w < loc + len)
            return true;
    }
    return false;
}

void sched_wake(struct tensix_tile *t, uint32_t loc, uint32_t len)
{
    for (unsigned i = 0; i < BH_CORES_PER_TILE; i++) {
        struct rv_core *c = &t->core[i];
        if (!(t->parked >> i & 1) || !watches(c, loc, len))
            continue;
        t->parked &= (uint8_t)~(1u << i);
        c->state = BHEMU_CORE_RUNNING;
        c->probe = PROBE_IDLE;
        uint64_t now = emu_time(t->emu);
        if (c->time < now)
            c->time = now; /* time spent parked passes without executing */
        sched_make_runnable(c);
    }
}

static int by_index(const void *a, const void *b)
{
    const struct rv_core *x = *(struct rv_core *const *)a, *y = *(struct rv_core *const *)b;
    return (x->global_index > y->global_index) - (x->global_index < y->global_index);
}

/* Drop cores that stopped, add the ones made runnable, keep the fixed order. */
static void merge(struct bhemu *emu)
{
    unsigned n = 0;
    for (unsigned i = 0; i < emu->runq_len; i++) {
        struct rv_core *c = emu->runq[i];
        if (c->state == BHEMU_CORE_RUNNING)
            emu->runq[n++] = c;
        else
            c->in_runq = 0;
    }
    bool added = false;
    for (unsigned i = 0; i < emu->pending_len; i++) {
        struct rv_core *c = emu->pending[i];
        if (c->state != BHEMU_CORE_RUNNING) {
            c->in_runq = 0;
            continue;
        }
        emu->runq[n++] = c;
        added = true;
    }
    emu->pending_len = 0;
    emu->runq_len = n;
    if (added)
        qsort(emu->runq, n, sizeof *emu->runq, by_index);
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
            struct rv_core *c = emu->runq[i];
            if (c->state != BHEMU_CORE_RUNNING)
                continue;
            if (c->time < end) {
                emu->running = c;
                c->run_done = 0;
                c->time += (uint64_t)rv_run(c, (int64_t)(end - c->time));
                c->run_done = 0;
                emu->running = NULL;
            }
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
