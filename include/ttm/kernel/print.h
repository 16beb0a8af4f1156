/* Printing from kernels to the host, for debugging: in C
 *
 *   ttm_print("tile %u of %u: %x\n", i, n, word);   (%d %i %u %x %X %c %s %%)
 *
 * and in C++ as with TT-Metal's DPRINT:
 *
 *   DPRINT << "tile " << i << " of " << n << ENDL();
 *
 * The text goes into a ring of the kernel's processor in L1 (ttm/kernel/abi.h, kernel
 * print, 512 bytes); the host prints each whole line, prefixed with the core and processor, while it
 * waits, and a hung kernel's last line goes into the error that reports it. A full ring
 * makes the kernel wait for the host.
 *
 * Printing is on when the device is opened with TTM_KERNEL_PRINT=1 in the environment:
 * kernels are then built with TTM_KERNEL_PRINT defined. Otherwise every call compiles to
 * nothing (and its arguments are not evaluated in C). */
#ifndef TTM_KERNEL_PRINT_H
#define TTM_KERNEL_PRINT_H

#include <stdarg.h>
#include <stdint.h>

#include "abi.h"

#ifdef TTM_KERNEL_PRINT

static inline void ttm_print_char(char c)
{
    volatile struct ttm_print_ring *r =
        (volatile struct ttm_print_ring *)TTM_PRINT_RING_ADDR(TTM_KCTX->proc);
    uint32_t w = r->written;
    while (w - r->read >= TTM_PRINT_RING)
        __asm__ volatile("fence" ::: "memory"); /* the host's `read` is re-read */
    r->buf[w % TTM_PRINT_RING] = c;
    r->written = w + 1;
}

static inline void ttm_print_str(const char *s)
{
    while (*s)
        ttm_print_char(*s++);
}

static inline void ttm_print_uint(uint32_t v, uint32_t base, int upper)
{
    char digits[10];
    int n = 0;
    do {
        uint32_t d = v % base;
        digits[n++] = (char)(d < 10 ? '0' + d : (upper ? 'A' : 'a') + d - 10);
        v /= base;
    } while (v);
    while (n)
        ttm_print_char(digits[--n]);
}

/* A 64-bit value past 32 bits, in hex: kernels have no 64-bit division. */
static inline void ttm_print_hex64(uint64_t v)
{
    ttm_print_str("0x");
    ttm_print_uint((uint32_t)(v >> 32), 16, 0);
    for (int s = 28; s >= 0; s -= 4)
        ttm_print_char("0123456789abcdef"[(uint32_t)v >> s & 15]);
}

static inline void ttm_print_int(int32_t v)
{
    if (v < 0) {
        ttm_print_char('-');
        ttm_print_uint(0u - (uint32_t)v, 10, 0);
    } else {
        ttm_print_uint((uint32_t)v, 10, 0);
    }
}

static inline void ttm_print(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    for (; *fmt; fmt++) {
        if (*fmt != '%' || !fmt[1]) {
            ttm_print_char(*fmt);
            continue;
        }
        switch (*++fmt) {
        case 'd':
        case 'i': ttm_print_int(va_arg(ap, int32_t)); break;
        case 'u': ttm_print_uint(va_arg(ap, uint32_t), 10, 0); break;
        case 'x': ttm_print_uint(va_arg(ap, uint32_t), 16, 0); break;
        case 'X': ttm_print_uint(va_arg(ap, uint32_t), 16, 1); break;
        case 'c': ttm_print_char((char)va_arg(ap, int)); break;
        case 's': ttm_print_str(va_arg(ap, const char *)); break;
        default: ttm_print_char(*fmt); /* %% and anything unknown print themselves */
        }
    }
    va_end(ap);
}

#else

#define ttm_print(...) ((void)0)

#endif

#ifdef __cplusplus
/* DPRINT << ... << ENDL(): each << prints its operand: text, a character, an integer (a
 * 64-bit one that does not fit 32 bits in hex, as kernels have no 64-bit division), a
 * pointer (in hex). The same operands are accepted with printing off, so a kernel that
 * builds one way builds the other. */
struct ttm_dprint_endl {};
static inline ttm_dprint_endl ENDL() { return ttm_dprint_endl(); }

#ifdef TTM_KERNEL_PRINT
#define TTM_DPRINT_DO(...) __VA_ARGS__
#else
#define TTM_DPRINT_DO(...)
#endif

struct ttm_dprint {
    const ttm_dprint &operator<<(const char *s) const
    {
        TTM_DPRINT_DO(ttm_print_str(s);)
        (void)s;
        return *this;
    }
    const ttm_dprint &operator<<(char c) const
    {
        TTM_DPRINT_DO(ttm_print_char(c);)
        (void)c;
        return *this;
    }
    const ttm_dprint &operator<<(ttm_dprint_endl) const
    {
        TTM_DPRINT_DO(ttm_print_char('\n');)
        return *this;
    }
    const ttm_dprint &operator<<(int v) const { return *this << (long long)v; }
    const ttm_dprint &operator<<(long v) const { return *this << (long long)v; }
    const ttm_dprint &operator<<(unsigned v) const { return *this << (unsigned long long)v; }
    const ttm_dprint &operator<<(unsigned long v) const
    {
        return *this << (unsigned long long)v;
    }
    const ttm_dprint &operator<<(long long v) const
    {
        TTM_DPRINT_DO(if (v >= INT32_MIN && v <= INT32_MAX) ttm_print_int((int32_t)v);
                      else ttm_print_hex64((uint64_t)v);)
        (void)v;
        return *this;
    }
    const ttm_dprint &operator<<(unsigned long long v) const
    {
        TTM_DPRINT_DO(if (v >> 32) ttm_print_hex64(v);
                      else ttm_print_uint((uint32_t)v, 10, 0);)
        (void)v;
        return *this;
    }
    const ttm_dprint &operator<<(const void *p) const
    {
        TTM_DPRINT_DO(ttm_print_str("0x"); ttm_print_uint((uint32_t)(uintptr_t)p, 16, 0);)
        (void)p;
        return *this;
    }
};
#ifdef TTM_KERNEL_PRINT
#define DPRINT ttm_dprint()
#else
/* Off, the statement is still compiled (so it builds both ways) but never run, so its
 * operands are not evaluated, as with TT-Metal's. A while, not an if, so that an else
 * after the statement keeps to the if it was written for. */
#define DPRINT while (0) ttm_dprint()
#endif
#endif

#endif
