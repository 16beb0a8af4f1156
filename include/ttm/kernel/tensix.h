/* The Tensix coprocessor from a TRISC: pushing instructions, waiting for them, the sync
 * unit's semaphores and the backend configuration (compute-facts 2).
 *
 * An instruction whose word is a compile-time constant is emitted as a `.ttinsn`: the
 * RISC-V word is the instruction rotated left by two, and the core pushes it to its own
 * thread as it executes it. A full instruction FIFO stalls that core until there is room.
 * Only words known at run time go through a store to the instruction buffer, which no
 * FIFO limit holds back (Tenstorrent's simulator refuses a FIFO past 512 entries), so a
 * loop of such pushes must also push constant ones. Kernels build with -O2; at -O0
 * constants too would take the store.
 */
#ifndef TTM_KERNEL_TENSIX_H
#define TTM_KERNEL_TENSIX_H

#include <stdint.h>

#include "../blackhole.h"

#define TT_REG32(a) (*(volatile uint32_t *)(uintptr_t)(a))

/* Push one instruction to this TRISC's thread. */
#define TTI(insn) __asm__ volatile(".word %0" ::"i"(BH_TT_ROTL2((uint32_t)(insn))) : "memory")

static inline __attribute__((always_inline)) void tt_push(uint32_t insn)
{
    if (__builtin_constant_p(insn))
        __asm__ volatile(".word %0" ::"i"(BH_TT_ROTL2(insn)) : "memory");
    else
        TT_REG32(BH_INSTRN_BUF_BASE) = insn;
}

/* Wait until every instruction this thread pushed has finished (ManualTTSync.md: store,
 * then load, then use the value, so the load is not reordered before earlier pushes). */
static inline void tensix_sync(void)
{
    TT_REG32(BH_TT_DONE_CHECK) = 0;
    uint32_t v = TT_REG32(BH_TT_DONE_CHECK);
    __asm__ volatile("" ::"r"(v) : "memory");
}

/* Semaphores of the sync unit: value, post (+1, must be below 15) and get (-1, must be
 * above 0) from the RISC-V side. */
static inline uint32_t tt_sem_read(uint32_t i)
{
    return TT_REG32(BH_TT_SEM(i));
}

static inline void tt_sem_post(uint32_t i)
{
    TT_REG32(BH_TT_SEM(i)) = 0;
}

static inline void tt_sem_get(uint32_t i)
{
    TT_REG32(BH_TT_SEM(i)) = 1;
}

/* A backend configuration word of bank 0. A store does not wait for instructions
 * already pushed that read the word: call tensix_sync() first when some may. */
static inline void tt_cfg_write(uint32_t index, uint32_t value)
{
    TT_REG32(BH_TENSIX_CFG_BASE + 4 * index) = value;
}

static inline uint32_t tt_cfg_read(uint32_t index)
{
    return TT_REG32(BH_TENSIX_CFG_BASE + 4 * index);
}

#endif
