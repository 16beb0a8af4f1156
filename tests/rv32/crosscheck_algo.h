/* The cross-check workload, compiled twice: by clang for the chip's rv32 cores
 * (tests/rv32/crosscheck.c) and by the host compiler into tests/isa/instructions.c. Both must
 * produce the same words, so any difference points at the emulator (or a compiler).
 *
 * Kept to what both builds agree on: fixed-width integers, no libc, no C undefined
 * behaviour (no division by zero or INT_MIN / -1, no clz/ctz of 0, shift counts below 32),
 * no 64-bit division (it would need libgcc on rv32). Signed right shifts and out-of-range
 * conversions to int32_t are implementation-defined; gcc and clang both do the two's
 * complement thing. At -O2 with Zbb, clang lowers the rotates, bswap and bit counts to
 * single instructions, and the 64-bit products to mul/mulh/mulhsu/mulhu. */
#pragma once

#include <stdint.h>

#define XC_MAX_WORDS 128

struct xc {
    uint32_t *out;
    uint32_t n;
    uint32_t seed;
};

static inline void xc_put(struct xc *x, uint32_t v)
{
    if (x->n < XC_MAX_WORDS)
        x->out[x->n] = v;
    x->n++;
}

/* Numerical Recipes' 32-bit LCG. */
static inline uint32_t xc_rand(struct xc *x)
{
    x->seed = x->seed * 1664525u + 1013904223u;
    return x->seed;
}

static inline uint32_t xc_rotl(uint32_t v, uint32_t s)
{
    return (v << (s & 31)) | (v >> (-s & 31));
}

static inline uint32_t xc_rotr(uint32_t v, uint32_t s)
{
    return (v >> (s & 31)) | (v << (-s & 31));
}

static void xc_multiply(struct xc *x)
{
    for (int i = 0; i < 6; i++) {
        uint32_t a = xc_rand(x), b = xc_rand(x);
        int64_t sa = (int32_t)a, sb = (int32_t)b;
        xc_put(x, a * b);
        xc_put(x, (uint32_t)(((uint64_t)a * b) >> 32));
        xc_put(x, (uint32_t)((uint64_t)(sa * sb) >> 32));
        xc_put(x, (uint32_t)((uint64_t)(sa * (int64_t)b) >> 32));
    }
}

static void xc_divide(struct xc *x)
{
    for (int i = 0; i < 6; i++) {
        uint32_t a = xc_rand(x);
        /* Divisors of every magnitude, from 1 up to full width. */
        uint32_t b = xc_rand(x);
        b >>= xc_rand(x) & 31;
        if (b == 0)
            b = 7;
        int32_t sa = (int32_t)a, sb = (int32_t)b;
        if (sa == INT32_MIN && sb == -1)
            sb = 3;
        xc_put(x, a / b);
        xc_put(x, a % b);
        xc_put(x, (uint32_t)(sa / sb));
        xc_put(x, (uint32_t)(sa % sb));
    }
}

static void xc_bits(struct xc *x)
{
    for (int i = 0; i < 4; i++) {
        uint32_t v = xc_rand(x), s = xc_rand(x) & 31;
        xc_put(x, v << s);
        xc_put(x, v >> s);
        xc_put(x, (uint32_t)((int32_t)v >> s));
        xc_put(x, (uint32_t)__builtin_clz(v | 1));
        xc_put(x, (uint32_t)__builtin_ctz(v | 0x80000000u));
        xc_put(x, (uint32_t)__builtin_popcount(v));
        xc_put(x, xc_rotl(v, s));
        xc_put(x, xc_rotr(v, s + 7));
        xc_put(x, __builtin_bswap32(v));
    }
}

/* Insertion sort of 16 values, signed, with duplicates likely in the low bits. */
static void xc_sort(struct xc *x)
{
    int32_t a[16];
    for (int i = 0; i < 16; i++)
        a[i] = (int32_t)(xc_rand(x) & 0xFFFF000Fu);
    for (int i = 1; i < 16; i++) {
        int32_t v = a[i];
        int j = i - 1;
        for (; j >= 0 && a[j] > v; j--)
            a[j + 1] = a[j];
        a[j + 1] = v;
    }
    for (int i = 0; i < 16; i++)
        xc_put(x, (uint32_t)a[i]);
}

/* CRC-32 (IEEE, reflected, poly 0xEDB88320), bit by bit. */
static uint32_t xc_crc32(const uint8_t *p, uint32_t len)
{
    uint32_t crc = 0xFFFFFFFFu;
    for (uint32_t i = 0; i < len; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & -(crc & 1));
    }
    return ~crc;
}

/* The same CRC through a 256-entry table built at run time. */
static uint32_t xc_crc32_table(const uint8_t *p, uint32_t len)
{
    uint32_t table[256];
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & -(c & 1));
        table[i] = c;
    }
    uint32_t crc = 0xFFFFFFFFu;
    for (uint32_t i = 0; i < len; i++)
        crc = table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

static void xc_crc(struct xc *x)
{
    static const uint8_t check[9] = {'1', '2', '3', '4', '5', '6', '7', '8', '9'};
    uint8_t buf[200];
    for (int i = 0; i < 200; i++)
        buf[i] = (uint8_t)(xc_rand(x) >> 24);
    xc_put(x, xc_crc32(check, 9)); /* the standard check value, 0xCBF43926 */
    xc_put(x, xc_crc32(buf, 200));
    xc_put(x, xc_crc32_table(buf, 200));
}

/* Knuth's MMIX 64-bit LCG: 64 x 64 multiplies and 64-bit adds with carries. */
static void xc_lcg64(struct xc *x)
{
    uint64_t hi = xc_rand(x);
    uint64_t s = hi << 32 | xc_rand(x);
    for (int i = 0; i < 4; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        xc_put(x, (uint32_t)s);
        xc_put(x, (uint32_t)(s >> 32));
    }
}

#define XC_SEED 12345u

/* Fills out[] and returns the number of words written (at most XC_MAX_WORDS). Callers
 * pass XC_SEED so that the compiler cannot see it; otherwise it folds the whole workload
 * into constants. */
static uint32_t xc_run(uint32_t *out, uint32_t seed)
{
    struct xc x = {out, 0, seed};
    for (int i = 0; i < 8; i++)
        xc_put(&x, xc_rand(&x));
    xc_multiply(&x);
    xc_divide(&x);
    xc_bits(&x);
    xc_sort(&x);
    xc_crc(&x);
    xc_lcg64(&x);
    return x.n;
}
