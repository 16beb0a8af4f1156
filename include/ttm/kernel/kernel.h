/* What every kernel needs, dataflow or compute: the entry's declaration and the few C
 * library functions the compiler may call on its own. Included by dataflow.h and
 * compute.h. */
#ifndef TTM_KERNEL_KERNEL_H
#define TTM_KERNEL_KERNEL_H

#include <stddef.h>
#include <stdint.h>

/* The kernel's entry, placed first in its image; declared here so that a C++ kernel's
 * `void kernel_main()` gets C linkage without saying so. */
#ifdef __cplusplus
extern "C" void kernel_main();
#else
void kernel_main(void);
#endif

/* ---- What the compiler may call on its own ----
 * Kernels link without a C library, yet clang turns large aggregate copies and clears into
 * memcpy / memset calls even in freestanding code. Weak, so a kernel may bring its own
 * (or define TTM_NO_LIBC_SHIMS); the driver builds with -fno-builtin, so these loops stay
 * loops. For bulk data, use the NoC. */
#ifndef TTM_NO_LIBC_SHIMS
#ifdef __cplusplus
extern "C" {
#endif
typedef uint32_t __attribute__((may_alias)) ttm_word;

__attribute__((weak)) void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = (unsigned char *)dst;
    const unsigned char *s = (const unsigned char *)src;
    if (!(((uintptr_t)d | (uintptr_t)s | n) & 3)) {
        for (; n; n -= 4, d += 4, s += 4)
            *(ttm_word *)d = *(const ttm_word *)s;
        return dst;
    }
    while (n--)
        *d++ = *s++;
    return dst;
}

__attribute__((weak)) void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = (unsigned char *)dst;
    const unsigned char *s = (const unsigned char *)src;
    if (d <= s || d >= s + n)
        return memcpy(dst, src, n);
    while (n--)
        d[n] = s[n];
    return dst;
}

__attribute__((weak)) void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = (unsigned char *)dst;
    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}
#ifdef __cplusplus
}
#endif
#endif

#endif
