/* The packer: PACR moves Dst rows to L1, converting to the output format, one tile in
 * several instructions that carry the L1 pointer until the one marked last
 * (compute-facts 4.3, 4.6, 5.5). The model packs bf16 or fp32 from 16- or 32-bit Dst,
 * the modes the compute API uses, with the settings Tenstorrent's simulator refuses
 * refused. */
#include <string.h>

#include "cop.h"

/* One datum of Dst in the output format of the mode: to bf16 (0x55 from 16-bit Dst,
 * 0x155 from 32-bit), NaN becoming an infinity of its sign, 32-bit values rounding half
 * up, tiny values +0; to fp32 from 16-bit Dst (0x50) the same, widened; from 32-bit Dst to
 * fp32 (0x100) as stored. */
static inline __attribute__((always_inline)) uint32_t to_out(const struct tt_cop *cop, uint32_t mode,
                                                          uint32_t row, uint32_t col)
{
    uint32_t v;
    if (mode == 0x100)
        return cop_dst32_read(cop, row, col);
    if (mode == 0x155) {
        v = cop_dst32_read(cop, row, col);
        if ((v & 0x7FFFFFFFu) > 0x7F800000u)
            v = (v & 0x80000000u) | 0x7F800000u;
        v = (v + 0x8000u) >> 16;
    } else {
        v = cop_bf16_dec(cop_dst16_read(cop, row, col));
        if ((v & 0x7FFF) > 0x7F80)
            v = (v & 0x8000) | 0x7F80;
    }
    v = (v & 0x7FFF) < 0x80 ? 0 : v;
    return mode == 0x50 ? v << 16 : v;
}

/* One row of 16 datums to L1 at p, the columns outside `mask` as zeros; each mode its own
 * loop, so the datum size is a constant there (little-endian: bf16 is the low half). */
static void pack_row(const struct tt_cop *cop, uint32_t mode, uint32_t row, uint32_t mask,
                     uint8_t *p)
{
    if (mode == 0x55 || mode == 0x155) {
        for (uint32_t col = 0; col < 16; col++) {
            uint16_t v = (uint16_t)(mask >> col & 1 ? to_out(cop, mode, row, col) : 0);
            memcpy(p + 2 * col, &v, 2);
        }
        return;
    }
    for (uint32_t col = 0; col < 16; col++) {
        uint32_t v = mask >> col & 1 ? to_out(cop, mode, row, col) : 0;
        memcpy(p + 4 * col, &v, 4);
    }
}

enum cop_exec bhe_cop_pacr(struct tt_cop *cop, unsigned th, uint32_t insn)
{
    const uint32_t *cfg = cop->cfg;
    uint32_t sel = cop_field(insn, 8, 4);
    if (insn & 0x7C700E) /* flush, context control, zero write, contexts, row padding */
        return cop_refuse(cop, th, insn, "PACR flush, contexts, padding or zero write");
    if (insn & 0x80)
        return cop_refuse(cop, th, insn, "PACR with ovrd_thread_id");
    if (sel != 0 || (insn >> 17 & 1))
        return cop_refuse(cop, th, insn, "PACR interface select %u not modelled", sel);
    uint32_t per_plane = cfg[28] >> 8 & 0xFF;
    if ((cfg[28] >> 23 & 1) || !per_plane || per_plane > 16)
        return cop_refuse(cop, th, insn, "PACR reads per plane must be 1..16");
    if ((cfg[180] >> 12 & 0x3F) || (cfg[68] & 0xFFFF) || (cfg[70] & 0x5FF002) ||
        (cfg[71] & 0x17FFFF))
        return cop_refuse(cop, th, insn, "PACR packer options ttsim does not model");
    if ((cfg[71] >> 19 & 1) || (cfg[2] >> 2 & 0xF))
        return cop_refuse(cop, th, insn, "PACR L1 accumulation or ReLU not modelled");
    uint32_t inter = cfg[1] >> 25 & 0xF, in = cfg[70] >> 8 & 0xF, out = cfg[70] >> 4 & 0xF;
    if (inter != in)
        return cop_refuse(cop, th, insn, "packer input format differs from Dst's");
    bool dst32 = cfg[18] & 1;
    uint32_t mode = (uint32_t)dst32 << 8 | in << 4 | out;
    if (mode != 0x55 && mode != 0x155 && mode != 0x50 && mode != 0x100)
        return cop_refuse(cop, th, insn, "PACR mode 0x%x not modelled", mode);
    /* Bytes per datum read from Dst (the strides' unit) and written to L1. */
    uint32_t in_b = in == 0 ? 4 : 2, out_b = out == 0 ? 4 : 2;
    if (cfg[18] & 0x8)
        return cop_refuse(cop, th, insn, "PACR 10-bit mantissa rounding");
    /* Refused where a datum is read, except from fp32 Dst to fp32, which ignores it. */
    bool read_int8 = (cfg[18] >> 2 & 1) && mode != 0x100;
    uint32_t ys = cfg[12] >> 16, zs = cfg[13] & 0xFFFF, ws = cfg[13] >> 16;
    if ((cfg[12] & 0xFFFF) % in_b || ys % in_b || zs % in_b || ws % in_b)
        return cop_refuse(cop, th, insn, "PACR strides not datum-aligned");
    struct cop_adc *a = &cop->th[th].adc[ADC_PACK];
    if (a->v[0][0])
        return cop_refuse(cop, th, insn, "PACR with an x start");
    uint32_t src = (a->v[0][1] * ys + a->v[0][2] * zs + a->v[0][3] * ws) / in_b;
    if (src % 16)
        return cop_refuse(cop, th, insn, "PACR from a Dst position not 16-aligned");
    if (a->v[1][0] != 15)
        return cop_refuse(cop, th, insn, "PACR rows must be 16 datums");
    uint32_t count = 64, row0 = (src / 16 + (cfg[180] & 0xFFF)) & (COP_DST_ROWS - 1);
    if ((cfg[24] >> 17 & 3) > 1 || row0 + count / 16 > COP_DST_ROWS)
        return cop_refuse(cop, th, insn, "PACR edge row set, or rows past Dst");
    if (!cop->packing) {
        if (a->v[1][2] || a->v[1][3] || (cfg[17] & 0x3FFFF))
            return cop_refuse(cop, th, insn, "PACR destination counters or base not modelled");
        cop->pack_addr = (cfg[69] + 1 + ((a->v[1][1] * (cfg[14] >> 16)) >> 4)) * 16;
        cop->pack_plane = 0;
    }
    if (cop->pack_addr > BH_L1_SIZE || out_b * count > BH_L1_SIZE - cop->pack_addr)
        return cop_refuse(cop, th, insn, "PACR writes past L1");
    uint8_t *p = cop->tile->l1 + cop->pack_addr;
    for (uint32_t row = 0; row < count / 16; row++) {
        /* Edge mask of this row of the plane: 0 writes zeros, ttsim takes 0, 1 or all. */
        uint32_t y = cop->pack_plane++ % per_plane;
        uint32_t m2 = cfg[(cfg[24] >> 17 & 1) ? 21 : 20] >> (2 * (y & 15)) & 3;
        uint32_t mask = m2 == 1 ? cfg[25] & 0xFFFF : cfg[24] & 0xFFFF;
        if (m2 > 1 || (mask != 0 && mask != 1 && mask != 0xFFFF) || (cfg[24] >> 16 & 1))
            return cop_refuse(cop, th, insn, "PACR edge mask other than 0, 1 or all");
        if (mask && read_int8)
            return cop_refuse(cop, th, insn, "PACR integer read of a float mode");
        pack_row(cop, mode, row0 + row, mask, p);
        p += 16 * out_b;
    }
    bhe_rv_invalidate(cop->tile, cop->pack_addr, out_b * count);
    bhe_note_write(cop->tile, EMU_LOC_L1(cop->pack_addr), out_b * count);
    cop->pack_addr += out_b * count;
    cop->packing = !(insn & 1);
    if (!cop->packing && (cop->pack_addr & 15)) {
        /* `last` zero-fills to the next 16 bytes. */
        uint32_t end = (cop->pack_addr + 15) & ~15u;
        memset(cop->tile->l1 + cop->pack_addr, 0, end - cop->pack_addr);
    }
    /* The packer's counters step by ADDR_MOD_PACK n. */
    uint32_t m = cop->th[th].tcfg[37 + cop_field(insn, 15, 2)];
    if (m >> 10 & 1)
        return cop_refuse(cop, th, insn, "ADDR_MOD_PACK YdstCR not modelled");
    if (m >> 5 & 1)
        a->v[0][1] = a->cr[0][1] = 0;
    else if (m >> 4 & 1)
        a->v[0][1] = a->cr[0][1] = (a->cr[0][1] + (m & 0xF)) & 0x1FFF;
    else
        a->v[0][1] = (a->v[0][1] + (m & 0xF)) & 0x1FFF;
    if (m >> 11 & 1)
        a->v[1][1] = a->cr[1][1] = 0;
    else
        a->v[1][1] = (a->v[1][1] + (m >> 6 & 0xF)) & 0x1FFF;
    if (m >> 13 & 1)
        a->v[0][2] = a->cr[0][2] = 0;
    else
        a->v[0][2] = (a->v[0][2] + (m >> 12 & 1)) & 0xFF;
    if (m >> 15 & 1)
        a->v[1][2] = a->cr[1][2] = 0;
    else
        a->v[1][2] = (a->v[1][2] + (m >> 14 & 1)) & 0xFF;
    return EXEC_DONE;
}
