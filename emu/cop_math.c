/* The math thread's data path: register write counters, Src bank hand-over, MOVA2D,
 * ZEROACC and the element-wise FPU operations ELWADD, ELWSUB and ELWMUL with their
 * fidelity phases (compute-facts 4.4, 5.1, 5.4; arithmetic as Tenstorrent's simulator
 * computes it, which claims to match silicon bit for bit). */
#include <string.h>

#include "cop.h"

/* One counter stepped by an ADDR_MOD field: increment, clear, or step its carry
 * register and take that. */
static void step(uint32_t *rwc, uint32_t *cr, uint32_t inc, bool clear, bool use_cr, uint32_t rows)
{
    if (clear)
        *rwc = *cr = 0;
    else if (use_cr)
        *rwc = *cr = (*cr + inc) & (rows - 1);
    else
        *rwc = (*rwc + inc) & (rows - 1);
}

const char *cop_addr_mod(struct tt_cop *cop, unsigned th, uint32_t n, bool fidelity)
{
    struct cop_thread *t = &cop->th[th];
    struct cop_rwc *w = &t->rwc;
    if (t->bias)
        return "a bias increment is not modelled by ttsim";
    uint32_t ab = t->tcfg[12 + n], d = t->tcfg[28 + n], bias = t->tcfg[47 + n];
    step(&w->a, &w->a_cr, ab & 0x3F, ab >> 7 & 1, ab >> 6 & 1, COP_SRC_ROWS);
    step(&w->b, &w->b_cr, ab >> 8 & 0x3F, ab >> 15 & 1, ab >> 14 & 1, COP_SRC_ROWS);
    if (d >> 12 & 1) { /* DestCToCR: step, then the carry register follows */
        if (d >> 10 & 3)
            return "ADDR_MOD DestCToCR with clear or carry";
        w->d = (w->d + (d & 0x3FF)) & (COP_DST_ROWS - 1);
        w->d_cr = w->d;
    } else {
        step(&w->d, &w->d_cr, d & 0x3FF, d >> 11 & 1, d >> 10 & 1, COP_DST_ROWS);
    }
    if (fidelity)
        w->fidelity = d >> 15 & 1 ? 0 : (w->fidelity + (d >> 13 & 3)) & 3;
    if (bias & 0x10)
        return "ADDR_MOD bias clear is not modelled by ttsim";
    if ((bias & 0xF) > 1)
        return "ADDR_MOD bias increment above 1";
    t->bias ^= bias & 1;
    return NULL;
}

/* Give the FPU's SrcA (bit 0) and SrcB (bit 1) banks back to the unpackers: an
 * instruction's clear_dvalid field, unless the thread disabled it (CLR_DVALID). */
static const char *release_src(struct tt_cop *cop, unsigned th, uint32_t mask, bool forced)
{
    for (unsigned s = 0; s < 2; s++) {
        if (!(mask & (1u << s)))
            continue;
        struct cop_src *src = &cop->src[s];
        if (forced || !(cop->th[th].tcfg[7] >> s & 1)) {
            if (!src->valid[src->fpu_bank])
                return s ? "SrcB released while not valid" : "SrcA released while not valid";
            src->valid[src->fpu_bank] = false;
        }
        src->fpu_bank ^= 1;
    }
    return NULL;
}

enum cop_exec bhe_cop_setrwc(struct tt_cop *cop, unsigned th, uint32_t insn)
{
    struct cop_rwc *w = &cop->th[th].rwc;
    uint32_t mask = cop_field(insn, 0, 4), cr = cop_field(insn, 18, 4);
    if (cr > 7)
        return cop_refuse(cop, th, insn, "SETRWC carry bits above 7");
    uint32_t *v[2] = {&w->a, &w->b}, *c[2] = {&w->a_cr, &w->b_cr};
    for (unsigned s = 0; s < 2; s++) {
        uint32_t val = cop_field(insn, 6 + 4 * s, 4);
        if (cr >> s & 1) {
            if (!(mask >> s & 1))
                return cop_refuse(cop, th, insn, "SETRWC carry without its mask bit");
            *v[s] = *c[s] = (*c[s] + val) & (COP_SRC_ROWS - 1);
        } else if (mask >> s & 1) {
            *v[s] = *c[s] = val;
        }
    }
    if (mask & 4) {
        uint32_t d = cop_field(insn, 14, 4);
        w->d = w->d_cr = cr & 4 ? (w->d_cr + d) & (COP_DST_ROWS - 1) : d;
    }
    if (mask & 8)
        w->fidelity = 0;
    const char *why = release_src(cop, th, cop_field(insn, 22, 2), false);
    return why ? cop_refuse(cop, th, insn, "%s", why) : EXEC_DONE;
}

enum cop_exec bhe_cop_cleardvalid(struct tt_cop *cop, unsigned th, uint32_t insn)
{
    uint32_t mask = cop_field(insn, 22, 2);
    if (cop_field(insn, 0, 2) || !mask)
        return cop_refuse(cop, th, insn, "CLEARDVALID needs reset 0 and a bank");
    const char *why = release_src(cop, th, mask, true);
    return why ? cop_refuse(cop, th, insn, "%s", why) : EXEC_DONE;
}

/* SrcA datum formats with an 8-bit exponent (bf16, fp32, tf32, the block formats, int)
 * and with a 5-bit one (fp16, fp8); anything else ttsim does not model here. */
static int exp_bits(uint32_t fmt)
{
    switch (fmt) {
    case 0: case 4: case 5: case 6: case 7: case 8: case 9: case 15: return 8;
    case 1: case 10: return 5;
    }
    return 0;
}

/* MOVA2D: eight rows of the FPU's SrcA bank to Dst, as 16-bit values; a datum with a
 * zero exponent becomes +0 unless the zero flag is disabled (compute-facts 5.1). */
enum cop_exec bhe_cop_mova2d(struct tt_cop *cop, unsigned th, uint32_t insn)
{
    uint32_t dst = cop_field(insn, 0, 10), src = cop_field(insn, 17, 6);
    if (cop_field(insn, 12, 2) != 2 || dst % 8 || src % 8)
        return cop_refuse(cop, th, insn, "MOVA2D needs instr_mod 2 and 8-row alignment");
    struct cop_src *a = &cop->src[0];
    if (!a->valid[a->fpu_bank])
        return EXEC_WAIT;
    struct cop_thread *t = &cop->th[th];
    uint32_t fmt = t->tcfg[2] & 1 ? (cop->cfg[0] & 0x10 ? cop->cfg[0] & 0xF : cop->cfg[1] >> 17 & 0xF)
                                  : a->format[a->fpu_bank];
    int eb = exp_bits(fmt);
    if (!eb)
        return cop_refuse(cop, th, insn, "MOVA2D from SrcA format %u", fmt);
    if (fmt == 4 || eb == 5 || (insn >> 23 & 1))
        return cop_refuse(cop, th, insn, "MOVA2D of tf32, fp16 or to a low half: not modelled");
    uint32_t a_row = src + t->rwc.a;
    uint32_t d_row = (t->rwc.d + dst + cop_math_offset(cop, th)) & (COP_DST_ROWS - 1);
    if (a_row % 8 || a_row >= COP_SRC_ROWS || d_row % 8)
        return cop_refuse(cop, th, insn, "MOVA2D rows not 8-aligned");
    bool flush = !(cop->cfg[2] & 1);
    for (uint32_t r = 0; r < 8; r++)
        for (uint32_t c = 0; c < 16; c++) {
            uint32_t v = a->cell[a->fpu_bank][a_row + r][c];
            if (flush && !(v >> 23 & 0xFF))
                v = 0;
            cop_dst16_write(cop, d_row + r, c, cop_bf16_enc(v >> 16));
        }
    const char *why = cop_addr_mod(cop, th, cop_field(insn, 14, 3), true);
    return why ? cop_refuse(cop, th, insn, "%s", why) : EXEC_DONE;
}

/* ZEROACC: rows read as zero again until written (their contents stay). */
enum cop_exec bhe_cop_zeroacc(struct tt_cop *cop, unsigned th, uint32_t insn)
{
    uint32_t where = cop_field(insn, 0, 10), mode = cop_field(insn, 19, 2) | cop_field(insn, 18, 1) << 2;
    bool set = insn >> 17 & 1;
    if (set && mode != 5)
        return cop_refuse(cop, th, insn, "ZEROACC setting flags outside 32-bit row mode");
    uint32_t off = cop_math_offset(cop, th) + cop->th[th].rwc.d;
    bool abs_tiles = cop->cfg[220] >> 3 & 1;
    switch (mode) {
    case 0: {
        uint32_t d = where + off;
        if (d >= COP_DST_ROWS || cop->cfg[1] >> 31)
            return cop_refuse(cop, th, insn, "ZEROACC row past Dst, or int8 math");
        cop->dst_written[cop->cfg[1] >> 29 & 1 ? cop_dst32_row(d) : d] = 0;
        break;
    }
    case 1:
        if (!abs_tiles && (off & 512))
            where += 32;
        if (where >= 64)
            return cop_refuse(cop, th, insn, "ZEROACC 16-row block past Dst");
        for (uint32_t k = 0; k < 16; k++)
            cop->dst_written[16 * where + k] = 0;
        break;
    case 5:
        if (!abs_tiles && (off & 768))
            where += 16;
        if (where >= 32)
            return cop_refuse(cop, th, insn, "ZEROACC 32-bit block past Dst");
        for (uint32_t k = 0; k < 16; k++)
            cop->dst_written[32 * where + 2 * (k & 8) + (k & 7)] = set;
        break;
    case 2: case 6:
        if (where > 1)
            return cop_refuse(cop, th, insn, "ZEROACC half past Dst");
        for (uint32_t k = 0; k < 512; k++)
            cop->dst_written[512 * where + k] = 0;
        return EXEC_DONE;
    case 3: case 7:
        if (where)
            return cop_refuse(cop, th, insn, "ZEROACC of all Dst with an offset");
        for (uint32_t k = 0; k < COP_DST_ROWS; k++)
            cop->dst_written[k] = 0;
        return EXEC_DONE;
    default:
        return cop_refuse(cop, th, insn, "ZEROACC mode 4 is not modelled by ttsim");
    }
    const char *why = cop_addr_mod(cop, th, cop_field(insn, 14, 3), true);
    return why ? cop_refuse(cop, th, insn, "%s", why) : EXEC_DONE;
}

/* ---- ELWADD, ELWSUB, ELWMUL (compute-facts 5.4; ttsim's datapath) ----
 * Src datums enter as 19 bits (sign, 8-bit exponent, 10-bit mantissa); there is no NaN,
 * exponent 255 is just large; sums are aligned with round-half-up, products take one
 * fidelity phase's slices of the mantissas; the result is accumulated with Dst,
 * normalised and, without fp32 accumulation, rounded to bf16's 8 bits. */

struct fpu_term {
    uint32_t sign;
    int32_t exp;
    int64_t man;    /* 24-bit mantissa scale, as the products and sums leave it */
};

/* Accumulate the terms (one for element-wise ops, MVMUL's two groups) with the Dst value d
 * (fp32 bits) and encode, rounding to bf16's 8 bits unless acc32 keeps fp32. */
static uint32_t fpu_normalize(const struct fpu_term *t, unsigned n, uint32_t d, bool acc32)
{
    uint32_t sd = d >> 31, ed = d >> 23 & 0xFF;
    int64_t md = ed ? (d & 0x7FFFFF) | 0x800000 : 0, m[2];
    int32_t x = (int32_t)ed;
    for (unsigned k = 0; k < n; k++)
        if (t[k].exp > x)
            x = t[k].exp;
    if (x <= 0)
        return 0;
    /* Align to the largest exponent: product terms round ties toward +infinity, Dst's
     * ties up in magnitude; without fp32 accumulation, again to multiples of 2^13. */
    for (unsigned k = 0; k < n; k++) {
        m[k] = t[k].man;
        if (t[k].exp < x) {
            int32_t s = x - t[k].exp;
            m[k] = s < 31 ? (m[k] + ((int64_t)1 << (s - 1)) - t[k].sign) >> s : 0;
        }
        if (!acc32)
            m[k] = (m[k] + 4096 - t[k].sign) & ~(int64_t)0x1FFF;
    }
    if ((int32_t)ed < x) {
        int32_t s = x - (int32_t)ed;
        md = s < 31 ? (md + ((int64_t)1 << (s - 1))) >> s : 0;
    }
    if (!acc32)
        md = (md + 4096) & ~(int64_t)0x1FFF;
    uint32_t sign = sd;
    int64_t sum = md;
    for (unsigned k = 0; k < n; k++)
        sum = t[k].sign == sd ? sum + m[k] : sum - m[k];
    if (sum < 0) {
        sum = -sum;
        sign ^= 1;
    }
    if (!sum)
        return 0;
    int32_t sh = __builtin_clzll((uint64_t)sum) - 32 - 8;
    x -= sh;
    if (!acc32)
        sh -= 16;
    if (sh < 0)
        sum = (sum + ((int64_t)1 << (-sh - 1))) >> -sh;
    else
        sum <<= sh;
    if (!acc32)
        sum <<= 16;
    if (sum & (1 << 24))
        x += 1;
    if (x <= 0)
        return 0;
    if (x >= 255)
        return sign << 31 | 0x7F800000u;
    return sign << 31 | (uint32_t)x << 23 | (uint32_t)(sum & 0x7FFFFF);
}

/* Accumulate terms with Dst's (row, col), or with 0 when the instruction does not read
 * Dst, and write it back. The row becomes readable with its last column (ttsim), so the
 * other columns still read what it held before. */
static void fpu_accumulate(struct tt_cop *cop, uint32_t row, uint32_t col,
                           const struct fpu_term *t, unsigned n, bool acc32, bool read)
{
    uint32_t d = !read ? 0
               : acc32 ? cop_dst32_read(cop, row, col)
                       : cop_bf16_dec(cop_dst16_read(cop, row, col)) << 16;
    uint32_t res = fpu_normalize(t, n, d, acc32);
    if (acc32)
        cop_dst32_store(cop, row, col, res, col == 15);
    else
        cop_dst16_store(cop, row, col, cop_bf16_enc(res >> 16), col == 15);
}

/* After an FPU instruction: its ADDR_MOD, then the Src banks its clear_dvalid gives back. */
static enum cop_exec fpu_finish(struct tt_cop *cop, unsigned th, uint32_t insn)
{
    const char *why = cop_addr_mod(cop, th, cop_field(insn, 14, 3), true);
    if (!why)
        why = release_src(cop, th, cop_field(insn, 22, 2), false);
    return why ? cop_refuse(cop, th, insn, "%s", why) : EXEC_DONE;
}

/* A Src cell as the FPU's 19-bit datum. */
static uint32_t fpu_datum(uint32_t cell)
{
    return (cell & 0xFFFF0000u) >> 13;
}

static uint32_t fpu_man(uint32_t v)
{
    return v ? (v & 0x3FF) | 0x400 : 0;
}

static struct fpu_term elw_add(uint32_t a, uint32_t b, bool zero_a, bool zero_b)
{
    if (zero_a)
        a = 0;
    if (zero_b)
        b = 0;
    if ((a & 0x3FFFF) < (b & 0x3FFFF)) {
        uint32_t t = a;
        a = b;
        b = t;
    }
    uint32_t sa = a >> 18, sb = b >> 18, ea = a >> 10 & 0xFF, eb = b >> 10 & 0xFF;
    int64_t ma = fpu_man(a), mb = fpu_man(b);
    if (eb < ea) {
        uint32_t d = ea - eb;
        mb = d < 12 ? (mb + (1 << (d - 1))) >> d : 0;
    }
    int64_t m = sa == sb ? ma + mb : ma - mb;
    return (struct fpu_term){sa, (int32_t)ea, m << 13};
}

static struct fpu_term elw_mul(uint32_t a, uint32_t b, bool zero_a, bool zero_b, uint32_t phase)
{
    int32_t adj = -127 - (phase & 1 ? 5 : 0) - (phase & 2 ? 7 : 0);
    int32_t e = (int32_t)(a >> 10 & 0xFF) + (int32_t)(b >> 10 & 0xFF) + adj;
    uint32_t ma = fpu_man(a), mb = fpu_man(b);
    ma = phase & 1 ? (ma >> 1) & 31 : ma >> 6;
    mb = phase & 2 ? (mb & 15) << 3 : mb >> 4;
    if (zero_a || zero_b || e <= 0)
        return (struct fpu_term){0, adj > 0 ? adj : 0, 0};
    return (struct fpu_term){(a ^ b) >> 18 & 1, e, (int64_t)(ma * mb) << 13};
}

/* Src formats with an 8-bit exponent the element-wise unit takes (ttsim). */
static bool elw_format(uint32_t f, bool srcb)
{
    return f == 0 || f == 4 || f == 5 || f == 6 || f == 7 || f == 15 || (srcb && (f == 8 || f == 9));
}

enum cop_exec bhe_cop_elw(struct tt_cop *cop, unsigned th, uint32_t insn)
{
    uint32_t op = insn >> 24, dst = cop_field(insn, 0, 10), bcast = cop_field(insn, 19, 2);
    bool accum = insn >> 21 & 1;
    if (dst % 8)
        return cop_refuse(cop, th, insn, "element-wise op on a Dst row not 8-aligned");
    if (op == 0x27 && accum)
        return cop_refuse(cop, th, insn, "ELWMUL with dest_accum_en");
    struct cop_src *sa = &cop->src[0], *sb = &cop->src[1];
    if (!sa->valid[sa->fpu_bank] || !sb->valid[sb->fpu_bank])
        return EXEC_WAIT;
    struct cop_thread *t = &cop->th[th];
    const uint32_t *cfg = cop->cfg;
    if (cfg[1] >> 31 || (cfg[0] & 0x10))
        return cop_refuse(cop, th, insn, "int8 math or a SrcA format override: not modelled");
    uint32_t fa = t->tcfg[2] & 1 ? cfg[1] >> 17 & 0xF : sa->format[sa->fpu_bank];
    uint32_t fb = t->tcfg[3] & 1 ? cfg[1] >> 21 & 0xF : sb->format[sb->fpu_bank];
    if (!elw_format(fa, false) || !elw_format(fb, true) || fa == 4 || fb == 4)
        return cop_refuse(cop, th, insn, "element-wise op on formats %u, %u: not modelled", fa, fb);
    bool acc32 = cfg[1] >> 29 & 1, flush = !(cfg[2] & 1);
    uint32_t ar = t->rwc.a, br = t->rwc.b, dr = t->rwc.d + dst + cop_math_offset(cop, th);
    if (ar % 8 || br % 8 || dr % 8 || dr >= COP_DST_ROWS)
        return cop_refuse(cop, th, insn, "element-wise op rows not 8-aligned or past Dst");
    uint32_t phase = t->rwc.fidelity & 3;
    if (op != 0x27 && phase)
        return cop_refuse(cop, th, insn, "ELWADD/ELWSUB in fidelity phase %u", phase);
    for (uint32_t r = 0; r < 8; r++) {
        for (uint32_t c = 0; c < 16; c++) {
            uint32_t a = fpu_datum(sa->cell[sa->fpu_bank][ar + r][c]);
            uint32_t b = fpu_datum(sb->cell[sb->fpu_bank][br + (bcast & 2 ? 0 : r)][bcast & 1 ? 0 : c]);
            if (op == 0x30)
                b ^= 1u << 18;
            bool za = (a & 0x3FFFF) < 0x400, zb = flush && (b & 0x3FFFF) < 0x400;
            struct fpu_term term = op == 0x27 ? elw_mul(a, b, za, zb, phase) : elw_add(a, b, za, zb);
            fpu_accumulate(cop, dr + r, c, &term, 1, acc32, op == 0x27 || accum);
        }
    }
    return fpu_finish(cop, th, insn);
}

/* ---- MVMUL: Dst[8 rows] += SrcB[8 rows x 16] x SrcA[16 x 16] (compute-facts 4.5, 5.4) ----
 * Each output sums 16 products of one fidelity phase's mantissa slices, in two groups of
 * eight aligned to their own largest exponent (rounding half up in magnitude), then the two
 * group sums are accumulated with Dst as the element-wise ops' one term is. */

/* Decode a Src bank for MVMUL (struct mm_bank), if it was not already for this format. */
static const struct mm_bank *mm_decode(struct cop_src *src, unsigned bank, uint32_t fmt, bool srca)
{
    struct mm_bank *m = &src->mm[bank];
    if (src->mm_format[bank] == fmt)
        return m;
    for (uint32_t row = 0; row < COP_SRC_ROWS; row++) {
        for (uint32_t col = 0; col < 16; col++) {
            uint32_t cell = src->cell[bank][row][col];
            uint32_t v = (fmt == 4 ? cell : cell & 0xFFFF0000u) >> 13;
            uint32_t man = (v & 0x3FF) | 0x400, k = row * 16 + col;
            /* A zero exponent is a zero operand: far below anything, so it adds nothing. */
            m->exp[k] = (v & 0x3FFFF) < 0x400 ? -4096 : (int32_t)(v >> 10 & 0xFF);
            m->neg[k] = -(int32_t)(v >> 18 & 1);
            m->slice[0][k] = srca ? man >> 6 : man >> 4;
            m->slice[1][k] = srca ? (man >> 1) & 31 : (man & 15) << 3;
        }
    }
    src->mm_format[bank] = (uint8_t)fmt;
    return m;
}

/* The two group sums of MVMUL's 8 x 16 outputs (r, c): group g sums the 8 products
 * SrcA[ar + 8g + l][c] * SrcB[br + r][8g + l], aligned to their largest exponent at 12-bit
 * precision, rounding half up in magnitude. A zero operand's exponent is so low that its
 * product rounds away; a group whose exponents are all 0 or below is zero. Products are
 * under 2^12, so a shift of 13 or more leaves nothing: d is clamped there. The loops run
 * across the 16 columns, which the compiler vectorises where the host has the shifts. */
typedef int32_t mm_v8i __attribute__((vector_size(32)));

/* Macros, not functions: a 256-bit vector passed across a call is an ABI of its own. */
#define MM_LOAD(v, p) memcpy(&(v), (p), sizeof(v))
#define MM_MAX(a, b) (((a) & ((a) > (b))) | ((b) & ~((a) > (b))))

static inline __attribute__((always_inline)) void
mm_groups_body(const struct mm_bank *a, const struct mm_bank *b, uint32_t ar, uint32_t br,
               unsigned pa, unsigned pb, int32_t adj, struct fpu_term out[8][16][2])
{
    const mm_v8i zero = {0}, one = zero + 1, thirteen = zero + 13;
    for (uint32_t r = 0; r < 8; r++) {
        for (unsigned g = 0; g < 2; g++) {
            mm_v8i e[8][2], emax[2] = {zero, zero}, sum[2] = {zero, zero};
            for (unsigned l = 0; l < 8; l++) {
                uint32_t kb = (br + r) * 16 + 8 * g + l, ka = (ar + 8 * g + l) * 16;
                for (unsigned h = 0; h < 2; h++) {
                    MM_LOAD(e[l][h], a->exp + ka + 8 * h);
                    e[l][h] += b->exp[kb] + adj;
                    emax[h] = MM_MAX(e[l][h], emax[h]);
                }
            }
            for (unsigned l = 0; l < 8; l++) {
                uint32_t kb = (br + r) * 16 + 8 * g + l, ka = (ar + 8 * g + l) * 16;
                int32_t bm2 = 2 * (int32_t)b->slice[pb][kb], bneg = b->neg[kb];
                for (unsigned h = 0; h < 2; h++) {
                    mm_v8i d = emax[h] - e[l][h], big = d > thirteen;
                    d = (d & ~big) | (thirteen & big);
                    mm_v8i am, neg;
                    MM_LOAD(am, a->slice[pa] + ka + 8 * h);
                    MM_LOAD(neg, a->neg + ka + 8 * h);
                    mm_v8i m = (am * bm2 + (one << d)) >> (d + 1); /* all under 2^31 */
                    neg ^= bneg;
                    sum[h] += (m ^ neg) - neg;
                }
            }
            for (unsigned c = 0; c < 16; c++) {
                int32_t em = emax[c / 8][c % 8], sm = sum[c / 8][c % 8];
                uint32_t sg = sm < 0;
                out[r][c][g] = em <= 0 ? (struct fpu_term){0, 0, 0}
                                       : (struct fpu_term){sg, em, (int64_t)(sg ? -sm : sm) << 13};
            }
        }
    }
}

/* On x86 the body is compiled twice: for AVX2, whose per-lane shifts the vectors need,
 * and for the baseline, chosen by the host's CPU at the first call (not by an ifunc,
 * which the sanitizers' runtimes cannot take before they start). */
static void mm_groups_base(const struct mm_bank *a, const struct mm_bank *b, uint32_t ar,
                           uint32_t br, unsigned pa, unsigned pb, int32_t adj,
                           struct fpu_term out[8][16][2])
{
    mm_groups_body(a, b, ar, br, pa, pb, adj, out);
}

#if defined(__x86_64__) || defined(__i386__)
__attribute__((target("avx2"))) static void
mm_groups_avx2(const struct mm_bank *a, const struct mm_bank *b, uint32_t ar, uint32_t br,
               unsigned pa, unsigned pb, int32_t adj, struct fpu_term out[8][16][2])
{
    mm_groups_body(a, b, ar, br, pa, pb, adj, out);
}

static void mm_groups(const struct mm_bank *a, const struct mm_bank *b, uint32_t ar, uint32_t br,
                      unsigned pa, unsigned pb, int32_t adj, struct fpu_term out[8][16][2])
{
    static int avx2 = -1; /* unknown yet; any thread may find it out, with the same answer */
    int has = __atomic_load_n(&avx2, __ATOMIC_RELAXED);
    if (has < 0) {
        __builtin_cpu_init();
        has = __builtin_cpu_supports("avx2") ? 1 : 0;
        __atomic_store_n(&avx2, has, __ATOMIC_RELAXED);
    }
    (has ? mm_groups_avx2 : mm_groups_base)(a, b, ar, br, pa, pb, adj, out);
}
#else
#define mm_groups mm_groups_base
#endif

/* Src formats MVMUL multiplies (ttsim; fp16, fp8 and int8 are not modelled here). */
static bool mm_format(uint32_t f, bool srcb)
{
    return f == 0 || f == 4 || f == 5 || f == 6 || f == 7 || (srcb && f == 9);
}

enum cop_exec bhe_cop_mvmul(struct tt_cop *cop, unsigned th, uint32_t insn)
{
    uint32_t dst = cop_field(insn, 0, 10);
    if (insn >> 19 & 1)
        return cop_refuse(cop, th, insn, "MVMUL with instr_mod19");
    if (dst % 8)
        return cop_refuse(cop, th, insn, "MVMUL on a Dst row not 8-aligned");
    struct cop_src *sa = &cop->src[0], *sb = &cop->src[1];
    if (!sa->valid[sa->fpu_bank] || !sb->valid[sb->fpu_bank])
        return EXEC_WAIT;
    struct cop_thread *t = &cop->th[th];
    const uint32_t *cfg = cop->cfg;
    if (cfg[0] & 0x10)
        return cop_refuse(cop, th, insn, "MVMUL with a SrcA format override");
    uint32_t fa = t->tcfg[2] & 1 ? cfg[1] >> 17 & 0xF : sa->format[sa->fpu_bank];
    uint32_t fb = t->tcfg[3] & 1 ? cfg[1] >> 21 & 0xF : sb->format[sb->fpu_bank];
    if (cfg[1] >> 31 || fa == 1 || fa == 10)
        return cop_refuse(cop, th, insn, "MVMUL of int8, fp16 or fp8: not modelled");
    if (!mm_format(fa, false) || !mm_format(fb, true))
        return cop_refuse(cop, th, insn, "MVMUL of formats %u, %u", fa, fb);
    bool acc32 = cfg[1] >> 29 & 1;
    if (cfg[2] & 1)
        return cop_refuse(cop, th, insn, "MVMUL with the Src zero flag disabled");
    uint32_t ar = t->rwc.a, br = t->rwc.b;
    uint32_t dr = (t->rwc.d + dst + cop_math_offset(cop, th)) & (COP_DST_ROWS - 1);
    if (ar % 16 || br % 8)
        return cop_refuse(cop, th, insn, "MVMUL Src rows not 16/8-aligned");
    if (dr % 8)
        return cop_refuse(cop, th, insn, "MVMUL Dst row not 8-aligned");
    uint32_t phase = t->rwc.fidelity & 3;
    int32_t adj = -127 - (phase & 1 ? 5 : 0) - (phase & 2 ? 7 : 0);
    const struct mm_bank *a = mm_decode(sa, sa->fpu_bank, fa, true);
    const struct mm_bank *b = mm_decode(sb, sb->fpu_bank, fb, false);
    struct fpu_term g[8][16][2];
    mm_groups(a, b, ar, br, phase & 1, phase >> 1 & 1, adj, g);
    for (uint32_t r = 0; r < 8; r++)
        for (uint32_t c = 0; c < 16; c++)
            fpu_accumulate(cop, dr + r, c, g[r][c], 2, acc32, true);
    return fpu_finish(cop, th, insn);
}
