/* Sums and products that need no model, inline for the SFPU's lane loops.
 *
 * With normal operands and a normal result the cores' multiply-add (fp32.c) is IEEE's
 * correctly rounded sum or product: a product of two 24-bit significands is exact before
 * it is cut to 26 bits plus a sticky bit, enough to round to nearest even once; an addend
 * shifted out whole is below a quarter of the result's last place, where IEEE rounds back
 * as well. The host's float arithmetic (round to nearest even, no flushing) then gives the
 * same bits, many times faster; everything else takes the model. tests/emu/fp32.c holds
 * the two equal. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

uint32_t bhe_fp32_fma(uint32_t x, uint32_t y, uint32_t z); /* x * y + z */

static inline bool bhe_fp32_normal(uint32_t v)
{
    return ((v >> 23) & 0xFF) - 1u < 254u;
}

static inline float bhe_fp32_float(uint32_t v)
{
    float f;
    memcpy(&f, &v, 4);
    return f;
}

static inline uint32_t bhe_fp32_bits(float f)
{
    uint32_t v;
    memcpy(&v, &f, 4);
    return v;
}

/* 1.0 * y + z */
static inline uint32_t bhe_fp32_add(uint32_t y, uint32_t z)
{
    if (bhe_fp32_normal(y) && bhe_fp32_normal(z)) {
        uint32_t r = bhe_fp32_bits(bhe_fp32_float(y) + bhe_fp32_float(z));
        if (bhe_fp32_normal(r))
            return r;
    }
    return bhe_fp32_fma(0x3F800000u, y, z);
}

/* x * y + 0 */
static inline uint32_t bhe_fp32_mul(uint32_t x, uint32_t y)
{
    if (bhe_fp32_normal(x) && bhe_fp32_normal(y)) {
        uint32_t r = bhe_fp32_bits(bhe_fp32_float(x) * bhe_fp32_float(y));
        if (bhe_fp32_normal(r))
            return r;
    }
    return bhe_fp32_fma(x, y, 0);
}
