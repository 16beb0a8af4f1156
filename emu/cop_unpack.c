/* The unpackers: UNPACR moves datums of a tile in L1 into SrcA (unpacker 0) or SrcB
 * (unpacker 1) and hands the bank to the FPU; UNPACR_NOP clears a bank instead
 * (compute-facts 3.2, 4.1, 5.1). The model runs the uncompressed float formats the
 * compute API uses, with every setting Tenstorrent's simulator refuses refused. */
#include <string.h>

#include "cop.h"

/* Register fields per unpacker (compute-facts 4.2): tile descriptor, output format and
 * flags, base address, zero-compression flags. */
static const struct {
    uint8_t desc0, desc1, fmt, zc, base;
} unp[2] = {{64, 65, 72, 73, 76}, {112, 113, 120, 121, 124}};

/* Bytes per datum of an L1 format the model unpacks: fp32 or bf16. */
static unsigned datum_bytes(uint32_t fmt)
{
    return fmt == 0 ? 4 : fmt == 5 ? 2 : 0;
}

/* An fp32 datum as a Src cell (fp32 layout) of format `out` (bf16 is exact: `<< 16`). */
static uint32_t to_src(uint32_t v, uint32_t out)
{
    if (out == 5) {                    /* fp32 -> bf16: denormals to zero, then cut */
        if ((v & 0x7FFFFFFFu) < 0x800000u)
            v &= 0x80000000u;
        return v & 0xFFFF0000u;
    }
    return v & 0xFFFFE000u;            /* fp32 -> tf32 */
}

/* SrcA rows unpacker 0 writes per burst: its first row must be a multiple (ttsim's
 * throttle-mode rule). */
static uint32_t burst_rows(const uint32_t *cfg, uint32_t in_bits)
{
    uint32_t mode = !(cfg[70] & 8) ? (in_bits == 8 ? 3 : 2) : cfg[72] >> 4 & 3;
    uint32_t bytes = mode == 2 && in_bits >= 16 ? 128 : 16u << mode;
    uint32_t rows = bytes / (2 * in_bits);
    return rows < 1 ? 1 : rows > 8 ? 8 : rows;
}

enum cop_exec bhe_cop_unpacr(struct tt_cop *cop, unsigned th, uint32_t insn)
{
    unsigned u = insn >> 23 & 1;
    /* Fields ttsim runs: last, thread override, set_dat_valid, addr_mode; nothing else. */
    if ((insn & 0x3FBF) != 0x81)
        return cop_refuse(cop, th, insn, "UNPACR needs last and ovrd_thread_id, no contexts");
    struct cop_src *src = &cop->src[u];
    if (src->valid[src->unpack_bank])
        return EXEC_WAIT;
    struct cop_thread *t = &cop->th[th];
    uint32_t ctx = u ? t->tcfg[41] >> 8 & 0xF : t->tcfg[41] & 0xF;
    if (ctx)
        return cop_refuse(cop, th, insn, "UNPACR config context %u not modelled", ctx);
    const uint32_t *cfg = cop->cfg;
    uint32_t d0 = cfg[unp[u].desc0], d1 = cfg[unp[u].desc1], fr = cfg[unp[u].fmt];
    if (!(cfg[unp[u].zc] & 1))
        return cop_refuse(cop, th, insn, "UNPACR of a compressed tile");
    uint32_t in = d0 & 0xF, out = fr & 0xF;
    if ((fr >> 14 & 1) || (in == 0 ? !(out == 0 || out == 1 || out == 4 || out == 5) : out != in))
        return cop_refuse(cop, th, insn, "UNPACR from format %u to %u", in, out);
    unsigned bytes = datum_bytes(in);
    if (!bytes || (in == 0 && out != 5 && out != 4))
        return cop_refuse(cop, th, insn, "UNPACR of format %u to %u not modelled", in, out);
    /* Halo, tileize, upsample, interleave; unpacker 0's column shift. */
    if ((fr & 0xB300) || (!u && (fr & 0xF0000)))
        return cop_refuse(cop, th, insn, "UNPACR halo, tile, upsample or shift not modelled");
    bool to_dst = !u && (cfg[73] >> 4 & 1);
    uint32_t xdim = u ? d0 >> 16 : cfg[86] & 0xFFFF, ydim = d1 & 0xFF;
    uint32_t zdim = d1 >> 16 & 0xFF ? d1 >> 16 & 0xFF : 1;
    struct cop_adc *a = &t->adc[u];
    uint32_t first = a->v[0][0] + a->v[0][1] * xdim + a->v[0][2] * xdim * ydim +
                     a->v[0][3] * xdim * ydim * zdim;
    /* Where in Src: unpacker 0 from its context address (64 rows in), plus the counters
     * when add_dest_addr_cntr is set; unpacker 1 from its counters alone. */
    uint32_t out_b = out == 0 || out == 4 ? 4 : 2;
    uint32_t ys = u ? 0 : cfg[56] >> 16, zs = cfg[u ? 59 : 57] & 0xFFFF, ws = cfg[u ? 59 : 57] >> 16;
    if (ys % out_b || zs % out_b || ws % out_b)
        return cop_refuse(cop, th, insn, "UNPACR Src strides not datum-aligned");
    if (a->v[1][3])
        return cop_refuse(cop, th, insn, "UNPACR with a Src w counter");
    uint32_t d = (a->v[1][1] * ys + a->v[1][2] * zs) / out_b;
    if (!u) {
        uint32_t ctx_addr = cfg[84] & 0xFFFF;
        d = to_dst || (cfg[50] >> 8 & 1) ? d + ctx_addr : ctx_addr;
        if (d < 64)
            return cop_refuse(cop, th, insn, "UNPACR to SrcA below its first 64 datums");
        d -= 64;
    }
    if (d % 16)
        return cop_refuse(cop, th, insn, "UNPACR to a Src row not 16-aligned");
    if (a->v[0][0] > a->v[1][0])
        return cop_refuse(cop, th, insn, "UNPACR x start past x end");
    uint32_t count = a->v[1][0] - a->v[0][0] + 1;
    if (to_dst)
        return cop_refuse(cop, th, insn, t->tcfg[5] >> 2 & 1
                                             ? "UNPACR to Dst with SRCA_SET_SetOvrdWithAddr"
                                             : "UNPACR to Dst not modelled");
    if (!(t->tcfg[5] >> 2 & 1))
        return cop_refuse(cop, th, insn, "UNPACR to Src needs SRCA_SET_SetOvrdWithAddr");
    if (!u && count > 16 && (d / 16) % burst_rows(cfg, 8 * bytes))
        return cop_refuse(cop, th, insn, "UNPACR to SrcA row not burst-aligned");
    /* Each datum of the L1 run goes to the next Src cell. */
    /* ttsim computes a 32-bit bit address, which wraps. */
    uint32_t bit = ((cfg[unp[u].base] + (u ? 0 : cfg[92] & 0xFFFF) + 1) << 7) + first * 8 * bytes;
    uint32_t base = bit >> 3;
    if (base > BH_L1_SIZE || (uint64_t)count * bytes > BH_L1_SIZE - base)
        return cop_refuse(cop, th, insn, "UNPACR reads past L1");
    if (u && (d + count + 15) / 16 > COP_SRC_ROWS)
        return cop_refuse(cop, th, insn, "UNPACR past the end of SrcB");
    const uint8_t *p = cop->tile->l1 + base;
    uint32_t (*cells)[16] = src->cell[src->unpack_bank];
    src->mm_format[src->unpack_bank] = MM_UNDECODED;
    if (in == 5) { /* bf16: exact, the common case */
        for (uint32_t i = 0; i < count; i++, p += 2) {
            uint16_t h;
            memcpy(&h, p, 2);
            uint32_t k = d + i;
            cells[(k / 16) & (COP_SRC_ROWS - 1)][k % 16] = (uint32_t)h << 16;
        }
    } else {
        for (uint32_t i = 0; i < count; i++, p += bytes) {
            uint32_t v = 0;
            memcpy(&v, p, bytes);
            uint32_t k = d + i;
            cells[(k / 16) & (COP_SRC_ROWS - 1)][k % 16] = to_src(v, out);
        }
    }
    /* The counters step by addr_mode: ch0 z, ch0 y, ch1 z, ch1 y. */
    a->v[0][2] = (a->v[0][2] + cop_field(insn, 15, 2)) & 0xFF;
    a->v[0][1] = (a->v[0][1] + cop_field(insn, 17, 2)) & 0x1FFF;
    a->v[1][2] = (a->v[1][2] + cop_field(insn, 19, 2)) & 0xFF;
    a->v[1][1] = (a->v[1][1] + cop_field(insn, 21, 2)) & 0x1FFF;
    if (insn & 0x40) {
        src->valid[src->unpack_bank] = true;
        src->format[src->unpack_bank] = (uint8_t)out;
        src->unpack_bank ^= 1;
        if (!u && (t->tcfg[5] & 3))
            return cop_refuse(cop, th, insn, "UNPACR with SRCA_SET_Base not modelled");
    } else if (((cfg[72] | cfg[120]) >> 10) & 1) {
        return cop_refuse(cop, th, insn, "UNPACR Src set update without dvalid");
    }
    return EXEC_DONE;
}

/* UNPACR_NOP with pop: waits for the FPU to give the bank back, clears it (SrcA to zero
 * or all ones), optionally hands it over. */
enum cop_exec bhe_cop_unpacr_nop(struct tt_cop *cop, unsigned th, uint32_t insn)
{
    unsigned u = insn >> 23 & 1;
    uint32_t clr = cop_field(insn, 2, 2);
    if (cop_field(insn, 0, 2) != 1 || clr > 1 || (insn & 0x10) || cop_field(insn, 6, 2) ||
        cop_field(insn, 12, 3) || cop_field(insn, 16, 6))
        return cop_refuse(cop, th, insn, "UNPACR_NOP other than pop is not modelled");
    if (u && clr)
        return cop_refuse(cop, th, insn, "UNPACR_NOP clearing SrcB to ones");
    struct cop_src *src = &cop->src[u];
    unsigned ub = src->unpack_bank;
    if (src->valid[insn & 0x20 ? ub : src->fpu_bank])
        return EXEC_WAIT;
    uint32_t fill = clr ? 0xFFFFE000u : 0;
    for (uint32_t r = 0; r < COP_SRC_ROWS; r++)
        for (uint32_t c = 0; c < 16; c++)
            src->cell[ub][r][c] = fill;
    src->mm_format[ub] = MM_UNDECODED;
    if (insn & 0x100) {
        if (src->valid[ub])
            return cop_refuse(cop, th, insn, "UNPACR_NOP dvalid on a valid bank");
        src->valid[ub] = true;
        src->format[ub] = (uint8_t)(cop->cfg[u ? 120 : 72] & 0xF);
        src->unpack_bank ^= 1;
        if (!u && (cop->th[th].tcfg[5] & 3))
            return cop_refuse(cop, th, insn, "UNPACR_NOP with SRCA_SET_Base not modelled");
    }
    return EXEC_DONE;
}
