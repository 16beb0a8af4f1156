/* The SFPU: 32 lanes of 32-bit registers (LRegs), loads from and stores to Dst, and the
 * multiply-add family, all computed with the cores' one multiply-add (fp32.c;
 * compute-facts 3.4, 5.2, 5.3). Only lanes the condition codes enable are written. */
#include "cop.h"

#define SIGN 0x80000000u

static uint32_t active_lanes(const struct tt_cop *cop)
{
    return cop->cc_enable ? cop->lane_enabled : 0xFFFFFFFFu;
}

/* The Dst cell lane l reaches from row address `row`: four rows of eight columns, the
 * even columns or (row bit 1) the odd ones. */
static void lane_cell(uint32_t row, unsigned l, uint32_t *r, uint32_t *c)
{
    *r = (row & ~3u) + l / 8;
    *c = 2 * (l % 8) + (row >> 1 & 1);
}

/* The format a load or store with mod0 0 uses: from the math configuration (SFPU fp32,
 * else SrcB's format); 0 when ttsim does not model it. */
static uint32_t implied_mod(const struct tt_cop *cop, bool store)
{
    uint32_t c1 = cop->cfg[1], fb = c1 >> 21 & 0xF;
    if (c1 >> 30 & 1)
        return 3;
    if (fb == 0 || fb == 5 || fb == 6 || fb == 7 || fb == 9 || (store && fb == 15))
        return 2;
    return fb == 1 ? 1 : 0;
}

/* Checks and addressing shared by SFPLOAD and SFPSTORE: the Dst row address, or -1
 * after a refusal. */
static int64_t sfp_row(struct tt_cop *cop, unsigned th, uint32_t insn, bool store, uint32_t *mod)
{
    uint32_t addr = cop_field(insn, 0, 10);
    *mod = cop_field(insn, 16, 4);
    bool ok = *mod == 0 || *mod == 2 || *mod == 3 || *mod == 4 || *mod == 6 || *mod == 12 ||
              *mod == 14 || *mod == 15 || (store && (*mod == 7 || *mod == 9));
    if (addr & 1) {
        cop_refuse(cop, th, insn, "SFPU Dst address odd");
        return -1;
    }
    if (!ok) {
        cop_refuse(cop, th, insn, "SFPU load/store mode %u not in ttsim", *mod);
        return -1;
    }
    if (!*mod && !(*mod = implied_mod(cop, store))) {
        cop_refuse(cop, th, insn, "SFPU implied format not modelled");
        return -1;
    }
    uint32_t row = (cop->th[th].rwc.d + addr + cop_math_offset(cop, th)) & (COP_DST_ROWS - 1);
    if (row & 1) {
        cop_refuse(cop, th, insn, "SFPU Dst row odd");
        return -1;
    }
    return row;
}

/* fp16 cell (sign | mantissa << 5 | exponent, ttsim's encoding) to fp32 and back. */
static uint32_t fp16_cell_to_fp32(uint32_t c)
{
    uint32_t e = c & 0x1F, m = c >> 5 & 0x3FF;
    return (c & 0x8000u) << 16 | (e ? e + 112 : 0) << 23 | m << 13;
}

static uint32_t fp32_to_fp16_cell(uint32_t v)
{
    int32_t e = (int32_t)(v >> 23 & 0xFF) - 112;
    uint32_t s = v >> 31 << 15;
    if (e <= 0)
        return s;
    if (e > 31)
        return s | 0x7FFF;
    return s | (v >> 13 & 0x3FF) << 5 | (uint32_t)e;
}

/* Denormals to a zero of their sign. */
static uint32_t daz(uint32_t v)
{
    return (v & 0x7FFFFFFFu) < 0x800000u ? v & SIGN : v;
}

static enum cop_exec finish(struct tt_cop *cop, unsigned th, uint32_t insn)
{
    const char *why = cop_addr_mod(cop, th, cop_field(insn, 13, 3), false);
    return why ? cop_refuse(cop, th, insn, "%s", why) : EXEC_DONE;
}

enum cop_exec bhe_cop_sfpload(struct tt_cop *cop, unsigned th, uint32_t insn)
{
    uint32_t mod, lreg = cop_field(insn, 20, 4);
    int64_t row = sfp_row(cop, th, insn, false, &mod);
    if (row < 0)
        return EXEC_FAULT;
    uint32_t lanes = active_lanes(cop);
    if (mod == 2 && lanes == 0xFFFFFFFFu && lreg < 8) {
        /* bf16, every lane: the common case, row by row */
        uint32_t r0 = (uint32_t)row & ~3u, odd = (uint32_t)row >> 1 & 1, *d = cop->lreg[lreg];
        for (unsigned k = 0; k < 4; k++) {
            const uint16_t *cells = cop->dst[r0 + k];
            bool w = cop->dst_written[r0 + k];
            for (unsigned j = 0; j < 8; j++)
                d[8 * k + j] = w ? cop_bf16_dec(cells[2 * j + odd]) << 16 : 0;
        }
        return finish(cop, th, insn);
    }
    for (unsigned l = 0; l < COP_LANES && lreg < 8; l++) {
        if (!(lanes >> l & 1))
            continue;
        uint32_t r, c, *d = &cop->lreg[lreg][l];
        lane_cell((uint32_t)row, l, &r, &c);
        uint32_t cell = cop_dst16_read(cop, r, c);
        switch (mod) {
        case 1: *d = fp16_cell_to_fp32(cell); break;
        case 2: *d = cop_bf16_dec(cell) << 16; break;
        case 3: case 4: case 12: *d = cop_dst32_read(cop, r, c); break;
        case 6: *d = cell; break;
        case 14: *d = (*d & 0xFFFF0000u) | cell; break;
        case 15: *d = cell << 16 | (*d & 0xFFFFu); break;
        }
    }
    return finish(cop, th, insn);
}

enum cop_exec bhe_cop_sfpstore(struct tt_cop *cop, unsigned th, uint32_t insn)
{
    uint32_t mod, lreg = cop_field(insn, 20, 4);
    int64_t row = sfp_row(cop, th, insn, true, &mod);
    if (row < 0)
        return EXEC_FAULT;
    uint32_t lanes = active_lanes(cop);
    if (mod == 2 && lanes == 0xFFFFFFFFu) {
        /* bf16, every lane: the common case, row by row */
        uint32_t r0 = (uint32_t)row & ~3u, odd = (uint32_t)row >> 1 & 1;
        const uint32_t *v = cop->lreg[lreg];
        for (unsigned k = 0; k < 4; k++) {
            uint16_t *cells = cop->dst[r0 + k];
            for (unsigned j = 0; j < 8; j++)
                cells[2 * j + odd] = cop_bf16_enc(daz(v[8 * k + j]) >> 16);
            cop->dst_written[r0 + k] = 1;
        }
        return finish(cop, th, insn);
    }
    for (unsigned l = 0; l < COP_LANES; l++) {
        if (!(lanes >> l & 1))
            continue;
        uint32_t r, c, v = cop->lreg[lreg][l];
        lane_cell((uint32_t)row, l, &r, &c);
        uint32_t p = cop_dst32_row(r);
        switch (mod) {
        case 1: cop_dst16_write(cop, r, c, fp32_to_fp16_cell(v)); break;
        case 2: cop_dst16_write(cop, r, c, cop_bf16_enc(daz(v) >> 16)); break;
        case 3: cop_dst32_write(cop, r, c, daz(v)); break;
        case 4: case 12: cop_dst32_write(cop, r, c, v); break;
        case 6: case 14: cop_dst16_write(cop, r, c, v & 0xFFFF); break;
        case 15: cop_dst16_write(cop, r, c, v >> 16); break;
        case 7: case 9: /* raw halves, no encoding (9: swapped) */
            cop->dst[p][c] = (uint16_t)(mod == 7 ? v >> 16 : v);
            cop->dst[p + 8][c] = (uint16_t)(mod == 7 ? v : v >> 16);
            cop->dst_written[p] = 1;
            break;
        }
    }
    return finish(cop, th, insn);
}

enum cop_exec bhe_cop_sfploadi(struct tt_cop *cop, unsigned th, uint32_t insn)
{
    uint32_t imm = cop_field(insn, 0, 16), mod = cop_field(insn, 16, 4), lreg = cop_field(insn, 20, 4);
    if (lreg >= 8)
        return cop_refuse(cop, th, insn, "SFPLOADI to LReg %u", lreg);
    uint32_t v;
    switch (mod) {
    case 0: v = imm << 16; break;                                           /* bf16 */
    case 1: v = (imm >> 15) << 31 | ((imm & 0x7FFF) + (112u << 10)) << 13; break; /* fp16 */
    case 2: v = imm; break;
    case 4: v = (uint32_t)(int32_t)(int16_t)imm; break;
    case 8: case 10: v = 0; break;                                           /* halves below */
    default: return cop_refuse(cop, th, insn, "SFPLOADI mode %u", mod);
    }
    uint32_t lanes = active_lanes(cop);
    for (unsigned l = 0; l < COP_LANES; l++) {
        if (!(lanes >> l & 1))
            continue;
        uint32_t *d = &cop->lreg[lreg][l];
        *d = mod == 8 ? (*d & 0xFFFFu) | imm << 16 : mod == 10 ? (*d & 0xFFFF0000u) | imm : v;
    }
    return EXEC_DONE;
}

/* SFPMAD, SFPADD, SFPMUL, SFPADDI, SFPMULI: x * y + z per enabled lane. SFPADD's 1.0 and
 * SFPMUL's 0 are wired in, not read from LReg10 and LReg9, which they must name. */
enum cop_exec bhe_cop_sfp_arith(struct tt_cop *cop, unsigned th, uint32_t insn)
{
    uint32_t op = insn >> 24, mod = cop_field(insn, 0, 4), dest = cop_field(insn, 4, 4);
    uint32_t c = cop_field(insn, 8, 4), b = cop_field(insn, 12, 4), a = cop_field(insn, 16, 4);
    if (dest >= 8)
        return cop_refuse(cop, th, insn, "SFPU result to LReg %u", dest);
    if (op == 0x74 || op == 0x75) {
        if (mod)
            return cop_refuse(cop, th, insn, "SFPADDI/SFPMULI with mod1 set");
    } else if (mod > (op == 0x86 ? 1u : 3u)) {
        return cop_refuse(cop, th, insn, "SFPU multiply-add mod1 %u", mod);
    }
    if (op == 0x85 && a != 10) {
        if (b != 10)
            return cop_refuse(cop, th, insn, "SFPADD needs LReg10 as a multiplicand");
        b = a;
    }
    if (op == 0x86 && c != 9)
        return cop_refuse(cop, th, insn, "SFPMUL needs LReg9 as its addend");
    uint32_t imm = cop_field(insn, 8, 16) << 16, lanes = active_lanes(cop);
    uint32_t *d = cop->lreg[dest];
    const uint32_t *ra = cop->lreg[a], *rb = cop->lreg[b], *rc = cop->lreg[c];
    uint32_t na = mod & 1 ? SIGN : 0, nc = mod & 2 ? SIGN : 0;
    /* One loop per operation, so each is a tight loop over the lanes. */
#define LANES(expr)                                                                     \
    for (unsigned l = 0; l < COP_LANES; l++)                                            \
        if (lanes >> l & 1)                                                             \
            d[l] = (expr);
    switch (op) {
    case 0x74: LANES(bhe_fp32_mul(imm, d[l])) break;                      /* SFPMULI */
    case 0x75: LANES(bhe_fp32_add(imm, d[l])) break;                      /* SFPADDI */
    case 0x85: LANES(bhe_fp32_add(rb[l] ^ na, rc[l] ^ nc)) break;         /* SFPADD */
    case 0x86: LANES(bhe_fp32_mul(ra[l] ^ na, rb[l])) break;              /* SFPMUL */
    default: LANES(bhe_fp32_fma(ra[l] ^ na, rb[l], rc[l] ^ nc)) break;    /* SFPMAD */
    }
#undef LANES
    return EXEC_DONE;
}

/* SFPENCC: set the lane enables (mod1 10: from imm, with the enable flag) or enable every
 * lane (mod1 0). */
enum cop_exec bhe_cop_sfpencc(struct tt_cop *cop, unsigned th, uint32_t insn)
{
    uint32_t mod = cop_field(insn, 0, 4), imm = cop_field(insn, 12, 2);
    if (cop_field(insn, 4, 4))
        return cop_refuse(cop, th, insn, "SFPENCC with a destination");
    if (mod == 0 && !imm) {
        cop->lane_enabled = 0xFFFFFFFFu;
    } else if (mod == 10) {
        cop->lane_enabled = imm & 2 ? 0xFFFFFFFFu : 0;
        cop->cc_enable = imm & 1;
    } else {
        return cop_refuse(cop, th, insn, "SFPENCC mode %u not in ttsim", mod);
    }
    return EXEC_DONE;
}

/* SFPSETCC: each enabled lane's condition code from LReg c as a signed integer: < 0
 * (mod1 0), != 0 (2), >= 0 (4), == 0 (6). ttsim takes it only with the condition codes
 * on, and no destination or immediate. */
enum cop_exec bhe_cop_sfpsetcc(struct tt_cop *cop, unsigned th, uint32_t insn)
{
    uint32_t mod = cop_field(insn, 0, 4), c = cop_field(insn, 8, 4);
    if ((mod & 1) || mod > 6)
        return cop_refuse(cop, th, insn, "SFPSETCC mode %u not in ttsim", mod);
    if (cop_field(insn, 4, 4) || cop_field(insn, 12, 1))
        return cop_refuse(cop, th, insn, "SFPSETCC with a destination or an immediate");
    if (!cop->cc_enable)
        return cop_refuse(cop, th, insn, "SFPSETCC with the condition codes off");
    uint32_t lanes = cop->lane_enabled;
    for (unsigned l = 0; l < COP_LANES; l++) {
        if (!(lanes >> l & 1))
            continue;
        int32_t v = (int32_t)cop->lreg[c][l];
        bool set = mod == 0 ? v < 0 : mod == 2 ? v != 0 : mod == 4 ? v >= 0 : v == 0;
        cop->lane_enabled = set ? cop->lane_enabled | 1u << l : cop->lane_enabled & ~(1u << l);
    }
    return EXEC_DONE;
}

/* SFPMOV (0x7C): LReg dest = LReg c, with the sign flipped (mod1 1) or on every lane
 * whatever the condition codes (mod1 2). SFPABS (0x7D): the absolute value, as a float
 * (mod1 1: negative NaNs kept as they are) or as a two's complement integer (mod1 0). */
enum cop_exec bhe_cop_sfpmov(struct tt_cop *cop, unsigned th, uint32_t insn)
{
    uint32_t op = insn >> 24, mod = cop_field(insn, 0, 4), dest = cop_field(insn, 4, 4);
    uint32_t c = cop_field(insn, 8, 4);
    if (dest >= 8)
        return cop_refuse(cop, th, insn, "SFPU result to LReg %u", dest);
    if (op == 0x7C && mod == 8)
        return cop_refuse(cop, th, insn, "SFPMOV from the random generator not modelled");
    if (op == 0x7C ? mod > 2 : mod > 1)
        return cop_refuse(cop, th, insn, "%s mode %u not in ttsim", op == 0x7C ? "SFPMOV" : "SFPABS",
                          mod);
    uint32_t lanes = op == 0x7C && mod == 2 ? 0xFFFFFFFFu : active_lanes(cop);
    for (unsigned l = 0; l < COP_LANES; l++) {
        if (!(lanes >> l & 1))
            continue;
        uint32_t v = cop->lreg[c][l];
        if (op == 0x7C)
            v ^= mod == 1 ? SIGN : 0;
        else if (mod == 1)
            v = v <= 0xFF800000u ? v & ~SIGN : v;
        else
            v = v & SIGN ? 0u - v : v;
        cop->lreg[dest][l] = v;
    }
    return EXEC_DONE;
}

enum cop_exec bhe_cop_sfpnop(struct tt_cop *cop, unsigned th, uint32_t insn)
{
    (void)cop, (void)th, (void)insn;
    return EXEC_DONE;
}
