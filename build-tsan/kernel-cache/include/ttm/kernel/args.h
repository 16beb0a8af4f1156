/* What a kernel knows about its launch: runtime args, compile-time args and where it runs,
 * all from the kernel context the firmware fills in before calling kernel_main
 * (ttm/kernel/abi.h struct ttm_kctx; runtime args as in seed 003).
 */
#ifndef TTM_KERNEL_ARGS_H
#define TTM_KERNEL_ARGS_H

#include <stdint.h>

#include "abi.h"

/* The kernel context without volatile: only this core writes it, and the firmware has
 * finished before the kernel starts, so the compiler may keep its fields in registers. */
static inline struct ttm_kctx *ttm_kctx(void)
{
    return (struct ttm_kctx *)(uintptr_t)TTM_KCTX_ADDR;
}

/* ---- Runtime args: 32-bit words in L1 written by the host before GO ---- */
static inline uint32_t get_arg_addr(uint32_t i)
{
    return ttm_kctx()->rta + 4 * i;
}

static inline uint32_t get_common_arg_addr(uint32_t i)
{
    return ttm_kctx()->crta + 4 * i;
}

static inline uint32_t get_arg_val(uint32_t i)
{
    return *(const uint32_t *)(uintptr_t)get_arg_addr(i);
}

static inline uint32_t get_common_arg_val(uint32_t i)
{
    return *(const uint32_t *)(uintptr_t)get_common_arg_addr(i);
}

/* ---- Compile-time args: the driver passes -DTTM_CT_ARGS_N=n and -DTTM_CT_ARG_<i>=v
 * (unsigned), so an arg is a constant expression, usable in array sizes, static asserts
 * and #if. The index must be a literal. ---- */
#define get_compile_time_arg_val(i) TTM_CT_ARG_##i
#define TTM_CT_ARG(i) TTM_CT_ARG_##i

/* ---- Where the kernel runs ---- */
static inline uint32_t my_x(void)          /* translated NoC coordinates */
{
    return ttm_kctx()->noc_x;
}

static inline uint32_t my_y(void)
{
    return ttm_kctx()->noc_y;
}

static inline uint32_t my_logical_x(void)  /* as the host names cores */
{
    return ttm_kctx()->logical_x;
}

static inline uint32_t my_logical_y(void)
{
    return ttm_kctx()->logical_y;
}

static inline uint32_t my_noc(void)        /* the NoC (0 or 1) the kernel's requests use */
{
    return ttm_kctx()->noc;
}

#ifdef __cplusplus
/* TT-Metal's forms: get_arg_val<T>(i) for any 4-byte T. */
template <typename T> inline T get_arg_val(uint32_t i)
{
    static_assert(sizeof(T) == 4, "runtime args are 32-bit words");
    T v;
    __builtin_memcpy(&v, (const void *)(uintptr_t)get_arg_addr(i), sizeof v);
    return v;
}

template <typename T> inline T get_common_arg_val(uint32_t i)
{
    static_assert(sizeof(T) == 4, "runtime args are 32-bit words");
    T v;
    __builtin_memcpy(&v, (const void *)(uintptr_t)get_common_arg_addr(i), sizeof v);
    return v;
}
#endif

#endif
