/* The math thread's data path: register write counters, Src bank hand-over, MOVA2D,
 * ZEROACC and the element-wise FPU operations ELWADD, ELWSUB and ELWMUL with their
 * fidelity phases (compute-facts 4.4, 5.1, 5.4; arithmetic as Tenstorrent's simulator
 * computes it, which claims to match silicon bit for bit). */
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
