/* The emulator's fast sums and products (emu/fp32.c: host float arithmetic where the
 * cores' multiply-add is IEEE's) against the model itself, bit for bit, on operands
 * chosen where they could part: every exponent distance up to past the shift-out point,
 * halfway and sticky patterns in the low bits, near-cancellations, results at the edges
 * of the normal range, and random words. */
#include <stdint.h>

#include "../../emu/emu.h"
#include "test.h"

#define SAMPLES 4000000u

static uint32_t next(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(*s >> 32);
}

/* An operand near `of`: exponent within `spread`, low mantissa bits from a few
 * patterns (ties, all ones, one bit) or random. */
static uint32_t near(uint64_t *s, uint32_t of, uint32_t spread)
{
    uint32_t r = next(s), e = (of >> 23) & 0xFF;
    int32_t d = (int32_t)(r % (2 * spread + 1)) - (int32_t)spread;
    int32_t ne = (int32_t)e + d;
    if (ne < 0)
        ne = 0;
    if (ne > 255)
        ne = 255;
    static const uint32_t low[] = {0, 1, 0x400000, 0x7FFFFF, 0x000004, 0x3FFFFF, 0x400001};
    uint32_t m = r >> 8 & 1 ? next(s) & 0x7FFFFF : low[(r >> 9) % 7];
    return (next(s) & 0x80000000u) | (uint32_t)ne << 23 | m;
}

TEST(fast_add_is_the_model)
{
    uint64_t s = 1;
    for (uint32_t i = 0; i < SAMPLES; i++) {
        uint32_t y = next(&s), z;
        switch (i % 4) {
        case 0: z = next(&s); break;                       /* anything */
        case 1: z = near(&s, y, 30); break;                /* alignment, shift-out */
        case 2: z = (y ^ 0x80000000u) + (next(&s) % 9) - 4; break; /* cancellation */
        default: y = near(&s, 0x00800000u, 3); z = near(&s, y, 2); break; /* tiny */
        }
        uint32_t want = bhe_fp32_fma(0x3F800000u, y, z), got = bhe_fp32_add(y, z);
        if (want != got)
            printf("  %08x + %08x: model %08x, fast %08x\n", y, z, want, got);
        CHECK_EQ(got, want);
    }
}

TEST(fast_mul_is_the_model)
{
    uint64_t s = 2;
    for (uint32_t i = 0; i < SAMPLES; i++) {
        uint32_t x = next(&s), y;
        int32_t ex = (int32_t)(x >> 23 & 0xFF);
        int32_t top = 254 + 127 - ex, bottom = 1 + 127 - ex; /* y's exponent for the edges */
        switch (i % 3) {
        case 0: y = next(&s); break;
        case 1: y = near(&s, (uint32_t)(top < 0 ? 0 : top > 255 ? 255 : top) << 23, 2); break;
        default:
            y = near(&s, (uint32_t)(bottom < 0 ? 0 : bottom > 255 ? 255 : bottom) << 23, 2);
            break;
        }
        uint32_t want = bhe_fp32_fma(x, y, 0), got = bhe_fp32_mul(x, y);
        if (want != got)
            printf("  %08x * %08x: model %08x, fast %08x\n", x, y, want, got);
        CHECK_EQ(got, want);
    }
}
