/* The states of the units the clock steps: runnable, parked, stopped.
 *
 * A unit the spin detector (rv32.c) finds looping on memory nothing changes is parked on
 * the locations its loop reads: it leaves the run queue until a write reaches one of
 * them, so an idle chip costs almost nothing to clock. Units made runnable (released from
 * reset, woken) join the run queue at the next quantum (sched.c). Everything here acts on
 * one tile, so the clock's parallel phase may call it from any host thread. */
#include "emu.h"

void bhe_make_runnable(struct emu_unit *u)
{
    struct bhemu *emu = u->tile->emu;
    if (u->in_runq)
        return;
    u->in_runq = 1;
    /* In the parallel phase only the tile's own units wake it; the serial phase collects
     * them (sched.c). */
    if (emu->parallel)
        u->tile->woken |= (uint8_t)(1u << u->index);
    else
        emu->pending[emu->pending_len++] = u;
}

/* The L1 pages the tile's parked units watch, for the store path's first test
 * (bhe_l1_watched): recounted whenever the set of parked units changes, which is rare
 * next to the stores it spares a search of the watch lists. */
static void count_watched_pages(struct tensix_tile *t)
{
    for (unsigned i = 0; i < EMU_L1_PAGES / 64; i++)
        t->watched_pages[i] = 0;
    for (unsigned parked = t->parked; parked; parked &= parked - 1) {
        const struct emu_unit *u = t->units[__builtin_ctz(parked)];
        for (unsigned i = 0; i < u->n_watch; i++) {
            uint32_t w = u->watch[i];
            if (w < BH_L1_SIZE)
                t->watched_pages[w >> EMU_PAGE_SHIFT >> 6] |= 1ull << (w >> EMU_PAGE_SHIFT & 63);
        }
    }
}

void bhe_stop(struct emu_unit *u, uint8_t state)
{
    if (u->state == BHEMU_CORE_PARKED) {
        u->tile->parked &= (uint8_t)~(1u << u->index);
        count_watched_pages(u->tile);
    }
    u->state = state;
}

void bhe_park(struct emu_unit *u)
{
    u->state = BHEMU_CORE_PARKED;
    u->tile->parked |= (uint8_t)(1u << u->index);
    /* Which parked units the coprocessor's progress can wake (cop.c asks before it
     * writes EMU_LOC_COP, which it does at every step). */
    u->tile->parked_on_cop &= (uint8_t)~(1u << u->index);
    for (unsigned i = 0; i < u->n_watch; i++)
        if (u->watch[i] == EMU_LOC_COP)
            u->tile->parked_on_cop |= (uint8_t)(1u << u->index);
    count_watched_pages(u->tile);
}

static bool watches(const struct emu_unit *u, uint32_t loc, uint32_t len)
{
    for (unsigned i = 0; i < u->n_watch; i++) {
        uint32_t w = u->watch[i]; /* a word-aligned location */
        if (w + 4 > loc && w < loc + len)
            return true;
    }
    return false;
}

void bhe_wake(struct tensix_tile *t, uint32_t loc, uint32_t len)
{
    uint8_t was = t->parked;
    for (unsigned parked = t->parked; parked; parked &= parked - 1) {
        struct emu_unit *u = t->units[__builtin_ctz(parked)];
        if (!watches(u, loc, len))
            continue;
        t->parked &= (uint8_t)~(1u << u->index);
        u->state = BHEMU_CORE_RUNNING;
        uint64_t now = bhe_time(t);
        if (u->time < now)
            u->time = now; /* time spent parked passes without executing */
        bhe_make_runnable(u);
        bhe_end_solo(t->emu, now);
    }
    if (t->parked != was)
        count_watched_pages(t);
}
