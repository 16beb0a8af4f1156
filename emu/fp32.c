/* Single precision as the Blackhole cores compute it: the baby RISC-V cores' F subset and
 * (later) the SFPU share one multiply-add (compute-facts 5.2; ISA BabyRISCV and SFPMAD:
 * "bit-perfect software model"), which Tenstorrent's simulator implements and the
 * differential tests hold us to, bit for bit:
 *
 * - inputs with exponent 0 are zero (denormals flushed); NaN and infinity follow IEEE,
 *   and every NaN result is the canonical 0x7FC00000;
 * - the product is exact, then cut to 26 bits plus a sticky bit before the addition
 *   ("partially fused"); a product too small to be normal on its own is dropped;
 * - one rounding, to nearest even; results too small to be normal flush to a zero of
 *   the result's sign.
 *
 * The rest (compare, min/max, classify, conversions) is IEEE 754 as the RISC-V F
 * extension defines it, conversions rounding to nearest even (the cores' only mode). */
#include <stdbool.h>
#include <stdint.h>

#include "emu.h"

#define SIGN 0x80000000u
#define QNAN 0x7FC00000u
#define INF 0x7F800000u

static uint32_t exp_of(uint32_t v) { return v >> 23 & 0xFF; }

/* The significand with its hidden bit; zero for zeros and denormals (flushed). */
static uint32_t sig_of(uint32_t v)
{
    return exp_of(v) ? (v & 0x7FFFFF) | 0x800000 : 0;
}

static bool is_nan(uint32_t v) { return (v & ~SIGN) > INF; }

/* Shift v right by s, keeping a sticky low bit for what fell off, but only if anything
 * is left (the model's alignment shift: a value shifted out entirely becomes 0). */
static uint32_t align_right(uint32_t v, uint32_t s)
{
    if (s >= 32)
        return 0;
    uint32_t r = v >> s;
    return r ? r | ((r << s) != v) : 0;
}

uint32_t bhe_fp32_fma(uint32_t x, uint32_t y, uint32_t z)
{
    uint32_t ex = exp_of(x), ey = exp_of(y), ez = exp_of(z);
    uint32_t mx = sig_of(x), my = sig_of(y), mz = sig_of(z);
    uint32_t psign = (x ^ y) & SIGN, zsign = z & SIGN;
    /* The product, with 3 guard bits, cut from 51 to 28 bits (23 dropped into a sticky
     * bit); its exponent pe is then on z's scale, where mz << 3 has exponent ez. */
    uint64_t full = (uint64_t)mx * my << 3;
    uint32_t p = (uint32_t)(full >> 23) | ((full & 0x7FFFFF) != 0);
    int32_t pe = (int32_t)ex + (int32_t)ey - 127;
    uint32_t zm = mz << 3;

    if (ex == 255 || ey == 255 || ez == 255 || pe >= 255) {
        bool x_nan = ex == 255 && mx != 0x800000, y_nan = ey == 255 && my != 0x800000;
        bool inf_times_zero = (ex == 255 && !my) || (ey == 255 && !mx);
        bool z_nan = ez == 255 && mz != 0x800000;
        bool opposite_infs = ez == 255 && (ex == 255 || ey == 255) && zsign != psign;
        if (x_nan || y_nan || inf_times_zero || z_nan || opposite_infs)
            return QNAN;
        return ez == 255 ? z : psign | INF;
    }
    /* A zero product, or one below the normal range on its own: z as it is (or a zero
     * whose sign IEEE gives a sum of zeros). */
    if (!p || pe < 0)
        return zm ? z : zsign & psign;

    /* Align to the larger exponent and add magnitudes as signed values. */
    int32_t re = pe > (int32_t)ez ? pe : (int32_t)ez;
    if (pe < re)
        p = align_right(p, (uint32_t)(re - pe));
    if ((int32_t)ez < re)
        zm = align_right(zm, (uint32_t)(re - (int32_t)ez));
    uint32_t rsign = p >= zm ? psign : zsign;
    uint32_t r = psign == zsign ? p + zm : p >= zm ? p - zm : zm - p;
    if (!r)
        return zsign & psign;

    /* Normalise so the leading one is bit 26 (3 guard bits below 23 fraction bits). */
    int32_t n = 5 - __builtin_clz(r);
    re += n;
    if (re >= 255)
        return rsign | INF;
    if (re <= 0) {
        /* Below the normal range: the model shifts one more and takes exponent 0; the
         * result flushes to zero below unless rounding carries it back up. */
        n += 1;
        re = 0;
    }
    if (n <= 0)
        r <<= -n;
    else /* the model's sticky here tests bit 0 and the bits of n, not the bits lost */
        r = (r >> n) | ((r & ((uint32_t)n | 1)) != 0);
    uint32_t out = ((uint32_t)re << 23) + ((r >> 3) & 0x7FFFFF);
    out += ((r & 7) + (out & 1)) > 4; /* to nearest even: guard bits above half, or half and odd */
    if (!(out >> 23))
        out = 0;
    return rsign | out;
}

/* ---- Compare, min/max, classify: IEEE 754 as RISC-V F defines them ---- */

static bool equal(uint32_t a, uint32_t b)
{
    return a == b || !((a | b) & ~SIGN); /* +0 == -0 */
}

static bool less(uint32_t a, uint32_t b)
{
    if (equal(a, b))
        return false;
    if ((a ^ b) & SIGN)
        return a & SIGN;
    return a & SIGN ? (a & ~SIGN) > (b & ~SIGN) : a < b;
}

uint32_t bhe_fp32_compare(uint32_t a, uint32_t b, enum fp32_cmp op)
{
    if (is_nan(a) || is_nan(b))
        return 0;
    switch (op) {
    case FP32_EQ: return equal(a, b);
    case FP32_LT: return less(a, b);
    case FP32_LE: return less(a, b) || equal(a, b);
    }
    return 0;
}

/* fmin/fmax: a NaN operand gives way to the other (both NaN: canonical NaN); -0 is below
 * +0. */
uint32_t bhe_fp32_min_max(uint32_t a, uint32_t b, bool max)
{
    if (is_nan(a))
        return is_nan(b) ? QNAN : b;
    if (is_nan(b))
        return a;
    if (equal(a, b))
        return max ? a & b : a | b; /* only zeros differ here: pick the sign */
    return less(a, b) != max ? a : b;
}

/* fclass: one bit of ten. */
uint32_t bhe_fp32_classify(uint32_t v)
{
    bool neg = v & SIGN;
    uint32_t e = exp_of(v), m = v & 0x7FFFFF;
    if (e == 255)
        return !m ? (neg ? 1u << 0 : 1u << 7) : (m & 0x400000) ? 1u << 9 : 1u << 8;
    if (!e)
        return !m ? (neg ? 1u << 3 : 1u << 4) : (neg ? 1u << 2 : 1u << 5);
    return neg ? 1u << 1 : 1u << 6;
}

/* ---- Conversions, rounding to nearest even ---- */

/* |v| rounded to an integer, or 2^32 when it is 2^32 or more (infinity included). */
static uint64_t magnitude(uint32_t v)
{
    uint32_t e = exp_of(v);
    if (e >= 127 + 32)
        return 1ull << 32;
    if (!e)
        return 0;
    uint64_t s = (v & 0x7FFFFF) | 0x800000;
    if (e >= 150)
        return s << (e - 150);
    uint32_t drop = 150 - e;
    if (drop >= 64)
        return 0;
    uint64_t q = s >> drop, rest = s & ((1ull << drop) - 1), half = 1ull << (drop - 1);
    return q + (rest > half || (rest == half && (q & 1)));
}

uint32_t bhe_fp32_to_i32(uint32_t v)
{
    if (is_nan(v))
        return 0x7FFFFFFF;
    uint64_t m = magnitude(v);
    if (v & SIGN)
        return m >= 0x80000000ull ? 0x80000000u : (uint32_t)(0 - m);
    return m >= 0x80000000ull ? 0x7FFFFFFF : (uint32_t)m;
}

uint32_t bhe_fp32_to_u32(uint32_t v)
{
    if (is_nan(v))
        return 0xFFFFFFFF;
    if (v & SIGN)
        return 0;
    uint64_t m = magnitude(v);
    return m >> 32 ? 0xFFFFFFFF : (uint32_t)m;
}

static uint32_t from_magnitude(uint32_t m, uint32_t sign)
{
    if (!m)
        return 0;
    uint32_t top = 31 - (uint32_t)__builtin_clz(m), e = top + 127;
    if (top <= 23)
        return sign | e << 23 | ((m << (23 - top)) & 0x7FFFFF);
    uint32_t drop = top - 23, q = m >> drop, rest = m & ((1u << drop) - 1);
    uint32_t half = 1u << (drop - 1);
    q += rest > half || (rest == half && (q & 1));
    if (q >> 24) { /* rounding carried into a new leading bit */
        q >>= 1;
        e++;
    }
    return sign | e << 23 | (q & 0x7FFFFF);
}

uint32_t bhe_fp32_from_i32(uint32_t v)
{
    return (int32_t)v < 0 ? from_magnitude(0 - v, SIGN) : from_magnitude(v, 0);
}

uint32_t bhe_fp32_from_u32(uint32_t v)
{
    return from_magnitude(v, 0);
}
