/* The clock: bhemu_clock(n) runs every runnable unit for n cycles in slices of EMU_QUANTUM
 * cycles, so a run is a pure function of its inputs, whatever the number of host threads.
 *
 * Each slice has two phases.
 *  - Parallel: every tile runs its units (in unit order) up to the slice's end, or up to
 *    the first instruction that would reach outside the tile: a store that fires a NoC
 *    request. Nothing else a unit does reaches another tile (the coprocessor, local RAM,
 *    the tile's registers are the tile's own), so tiles may run on any host threads in
 *    any order with the same result. What a tile makes during the phase that the chip
 *    holds (faults, units woken) waits in the tile.
 *  - Serial: in tile order, the tiles' faults and wake-ups go to the chip; then, in the
 *    fixed order (tile, then unit), each unit stopped at a NoC request runs on from that
 *    instruction to the slice's end on the calling thread, its requests completing at
 *    once as niu.c describes.
 *
 * Removal from the run queue is lazy (units that stop or park are dropped at the next
 * slice boundary); units made runnable during a slice join at the next one (park.c). */
#include <stdlib.h>

#include "emu.h"

/* With a single runnable unit nothing needs interleaving; it still runs in bounded
 * chunks so its spin probe is re-armed now and then. */
#define SOLO_CHUNK 4096

/* The parallel phase goes to the threads when the last one ran at least this many unit
 * cycles over at least THREADS_MIN_TILES tiles: below that, handing the work out (a few
 * microseconds a slice) costs more than it saves. Which phase runs where changes no
 * result, so the choice may follow the work. */
#define THREADS_MIN_TILES 8
#define THREADS_MIN_WORK 4096

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

/* Run u to `end`; *running names it meanwhile (bhe_time). Returns the cycles it ran. */
static uint64_t run_to(struct emu_unit *u, uint64_t end, struct emu_unit **running)
{
    *running = u;
    u->run_done = 0;
    uint64_t ran = (uint64_t)unit_run(u, (int64_t)(end - u->time));
    u->time += ran;
    u->run_done = 0;
    *running = NULL;
    if (u->ended == UNIT_PARK)
        bhe_park(u);
    return ran;
}

/* The parallel phase's job: tile group g's units, in order. */
static void run_tile(void *ctx, unsigned g)
{
    struct bhemu *emu = ctx;
    uint64_t ran = 0;
    struct tensix_tile *t = emu->runq[emu->groups[g]]->tile;
    for (unsigned i = emu->groups[g]; i < emu->groups[g + 1]; i++) {
        struct emu_unit *u = emu->runq[i];
        if (u->state == BHEMU_CORE_RUNNING && u->time < emu->slice_end)
            ran += run_to(u, emu->slice_end, &t->running);
    }
    t->ran = ran;
}

static void serial_phase(struct bhemu *emu)
{
    emu->last_work = 0;
    for (unsigned g = 0; g < emu->n_groups; g++) {
        struct tensix_tile *t = emu->runq[emu->groups[g]]->tile;
        emu->last_work += t->ran;
        if (t->n_staged || t->staged_dropped)
            bhe_fault_flush(t);
        for (unsigned w = t->woken; w; w &= w - 1)
            emu->pending[emu->pending_len++] = t->units[__builtin_ctz(w)];
        t->woken = 0;
    }
    for (unsigned i = 0; i < emu->runq_len; i++) {
        struct emu_unit *u = emu->runq[i];
        if (u->ended != UNIT_SERIAL)
            continue;
        u->ended = UNIT_RAN;
        if (u->state == BHEMU_CORE_RUNNING && u->time < emu->slice_end)
            run_to(u, emu->slice_end, &emu->running);
    }
}

static int by_order(const void *a, const void *b)
{
    const struct emu_unit *x = *(struct emu_unit *const *)a, *y = *(struct emu_unit *const *)b;
    return (x->order > y->order) - (x->order < y->order);
}

/* Drop units that stopped, add the ones made runnable, keep the fixed order, and group
 * the queue by tile. */
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
    emu->n_groups = 0;
    for (unsigned i = 0; i < n; i++)
        if (!i || emu->runq[i]->tile != emu->runq[i - 1]->tile)
            emu->groups[emu->n_groups++] = i;
    emu->groups[emu->n_groups] = n;
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
        emu->slice_end = target - emu->now < slice ? target : emu->now + slice;
        emu->parallel = true;
        if (emu->threads && emu->n_groups >= THREADS_MIN_TILES &&
            emu->last_work >= THREADS_MIN_WORK) {
            bhe_threads_run(emu->threads, run_tile, emu, emu->n_groups);
        } else {
            for (unsigned g = 0; g < emu->n_groups; g++)
                run_tile(emu, g);
        }
        emu->parallel = false;
        serial_phase(emu);
        emu->now = emu->slice_end;
        merge(emu);
    }
    return 0;
}

uint64_t bhemu_now(const bhemu *emu)
{
    return emu->now;
}
