/* Operand triples for fp_ops.c, the same on every host: specials (zeros, infinities,
 * NaNs, denormals, the largest and smallest normals, integers near the conversion
 * limits) and random bit patterns, half of them in a range where sums and products stay
 * normal. */
#pragma once

#include <stdint.h>

static const uint32_t fp_specials[] = {
    0x00000000u, 0x80000000u, 0x7F800000u, 0xFF800000u, 0x7FC00000u, 0x7F800001u,
    0xFFC00001u, 0x00000001u, 0x807FFFFFu, 0x00800000u, 0x80800000u, 0x7F7FFFFFu,
    0xFF7FFFFFu, 0x3F800000u, 0xBF800000u, 0x3F000000u, 0x3FC00000u, 0x4F000000u,
    0xCF000000u, 0x4F800000u, 0x4EFFFFFFu, 0xCF000001u, 0x3EFFFFFFu, 0x3F400000u,
};
#define FP_N_SPECIALS (sizeof fp_specials / sizeof fp_specials[0])

static uint32_t fp_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return (uint32_t)(*s >> 16);
}

/* Operand i of triple t (of n) for a given seed. */
static inline void fp_operands(uint64_t seed, uint32_t n, uint32_t *out)
{
    uint64_t s = seed * 0x9E3779B97F4A7C15ull | 1;
    for (uint32_t i = 0; i < 3 * n; i++) {
        uint32_t r = fp_rand(&s), pick = r % 8;
        if (pick == 0)
            out[i] = fp_specials[fp_rand(&s) % FP_N_SPECIALS];
        else if (pick < 5) /* exponent 100..154: sums and products normal */
            out[i] = (fp_rand(&s) & 0x807FFFFFu) | (100u + fp_rand(&s) % 55) << 23;
        else if (pick < 7)
            out[i] = fp_rand(&s) ^ fp_rand(&s) << 16;
        else /* small integers' patterns, for fcvt.s.w */
            out[i] = (uint32_t)((int32_t)fp_rand(&s) >> (fp_rand(&s) % 31));
    }
}
