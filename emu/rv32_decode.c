/* Decoder: one 32-bit word to one struct rv_insn, and the per-tile cache of decoded
 * instructions. Encodings from the RISC-V unprivileged specification (RV32I chapter 2,
 * M chapter 7, A chapter 8, Zicsr chapter 9, F chapter 11) and the bit-manipulation
 * specification v1.0 (Zba, Zbb; PACK and BREV8 of Zbkb). What the cores have beyond the
 * base is what Tenstorrent's simulator runs (ttsim riscv_impl.h): anything else it
 * refuses decodes as illegal here. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "emu.h"
#include "rv32_ops.h"

static int32_t imm_i(uint32_t w) { return (int32_t)w >> 20; }
static int32_t imm_s(uint32_t w) { return ((int32_t)(w & 0xFE000000u) >> 20) | ((w >> 7) & 0x1F); }
static int32_t imm_b(uint32_t w)
{
    return ((int32_t)(w & 0x80000000u) >> 19) | ((w & 0x80) << 4) | ((w >> 20) & 0x7E0) | ((w >> 7) & 0x1E);
}
static int32_t imm_u(uint32_t w) { return (int32_t)(w & 0xFFFFF000u); }
static int32_t imm_j(uint32_t w)
{
    return ((int32_t)(w & 0x80000000u) >> 11) | (w & 0xFF000) | ((w >> 9) & 0x800) | ((w >> 20) & 0x7FE);
}

static uint8_t op_branch(uint32_t f3)
{
    static const uint8_t ops[8] = {RV_OP_BEQ, RV_OP_BNE, RV_OP_ILLEGAL, RV_OP_ILLEGAL,
                                   RV_OP_BLT, RV_OP_BGE, RV_OP_BLTU, RV_OP_BGEU};
    return ops[f3];
}

static uint8_t op_load(uint32_t f3)
{
    static const uint8_t ops[8] = {RV_OP_LB, RV_OP_LH, RV_OP_LW, RV_OP_ILLEGAL,
                                   RV_OP_LBU, RV_OP_LHU, RV_OP_ILLEGAL, RV_OP_ILLEGAL};
    return ops[f3];
}

static uint8_t op_store(uint32_t f3)
{
    static const uint8_t ops[8] = {RV_OP_SB, RV_OP_SH, RV_OP_SW, RV_OP_ILLEGAL,
                                   RV_OP_ILLEGAL, RV_OP_ILLEGAL, RV_OP_ILLEGAL, RV_OP_ILLEGAL};
    return ops[f3];
}

/* OP-IMM (0010011). Shifts and the Zbb unary operations live in funct3 1 and 5. */
static uint8_t op_imm(uint32_t w, uint32_t f3)
{
    static const uint8_t plain[8] = {RV_OP_ADDI, RV_OP_ILLEGAL, RV_OP_SLTI, RV_OP_SLTIU,
                                     RV_OP_XORI, RV_OP_ILLEGAL, RV_OP_ORI, RV_OP_ANDI};
    uint32_t f12 = w >> 20, f7 = w >> 25;
    if (f3 == 1) {
        if (f7 == 0x00)
            return RV_OP_SLLI;
        switch (f12) {
        case 0x600: return RV_OP_CLZ;
        case 0x601: return RV_OP_CTZ;
        case 0x602: return RV_OP_CPOP;
        case 0x604: return RV_OP_SEXTB;
        case 0x605: return RV_OP_SEXTH;
        }
        return RV_OP_ILLEGAL;
    }
    if (f3 == 5) {
        if (f7 == 0x00)
            return RV_OP_SRLI;
        if (f7 == 0x20)
            return RV_OP_SRAI;
        if (f7 == 0x30)
            return RV_OP_RORI;
        if (f12 == 0x287)
            return RV_OP_ORCB;
        if (f12 == 0x698)
            return RV_OP_REV8;
        /* BREV8; the other GREVI forms left the final bit-manipulation specification,
         * and ttsim refuses them. */
        if (f12 == 0x687)
            return RV_OP_BREV8;
        return RV_OP_ILLEGAL;
    }
    return plain[f3];
}

/* OP (0110011): base, M (funct7 1), Zba (0x10), Zbb (0x05, 0x20, 0x30, 0x04). */
static uint8_t op_reg(uint32_t w, uint32_t f3)
{
    static const uint8_t base[8] = {RV_OP_ADD, RV_OP_SLL, RV_OP_SLT, RV_OP_SLTU,
                                    RV_OP_XOR, RV_OP_SRL, RV_OP_OR,  RV_OP_AND};
    static const uint8_t mext[8] = {RV_OP_MUL, RV_OP_MULH, RV_OP_MULHSU, RV_OP_MULHU,
                                    RV_OP_DIV, RV_OP_DIVU, RV_OP_REM,    RV_OP_REMU};
    static const uint8_t alt[8] = {RV_OP_SUB,  RV_OP_ILLEGAL, RV_OP_ILLEGAL, RV_OP_ILLEGAL,
                                   RV_OP_XNOR, RV_OP_SRA,     RV_OP_ORN,     RV_OP_ANDN};
    static const uint8_t minmax[8] = {RV_OP_ILLEGAL, RV_OP_ILLEGAL, RV_OP_ILLEGAL, RV_OP_ILLEGAL,
                                      RV_OP_MIN,     RV_OP_MINU,    RV_OP_MAX,     RV_OP_MAXU};
    static const uint8_t shadd[8] = {RV_OP_ILLEGAL, RV_OP_ILLEGAL, RV_OP_SH1ADD, RV_OP_ILLEGAL,
                                     RV_OP_SH2ADD,  RV_OP_ILLEGAL, RV_OP_SH3ADD, RV_OP_ILLEGAL};
    uint32_t f7 = w >> 25;
    switch (f7) {
    case 0x00: return base[f3];
    case 0x01: return mext[f3];
    case 0x20: return alt[f3];
    case 0x05: return minmax[f3];
    case 0x10: return shadd[f3];
    case 0x30: return f3 == 1 ? RV_OP_ROL : f3 == 5 ? RV_OP_ROR : RV_OP_ILLEGAL;
    case 0x04: return f3 == 4 ? RV_OP_PACK : RV_OP_ILLEGAL; /* with rs2 x0: zext.h */
    }
    return RV_OP_ILLEGAL;
}

/* AMO (0101111), word width only; LR.W/SC.W (funct5 2/3) do not exist on these cores. */
static uint8_t op_amo(uint32_t w, uint32_t f3)
{
    if (f3 != 2)
        return RV_OP_ILLEGAL;
    switch (w >> 27) {
    case 0x00: return RV_OP_AMOADD;
    case 0x01: return RV_OP_AMOSWAP;
    case 0x04: return RV_OP_AMOXOR;
    case 0x08: return RV_OP_AMOOR;
    case 0x0C: return RV_OP_AMOAND;
    case 0x10: return RV_OP_AMOMIN;
    case 0x14: return RV_OP_AMOMAX;
    case 0x18: return RV_OP_AMOMINU;
    case 0x1C: return RV_OP_AMOMAXU;
    }
    return RV_OP_ILLEGAL;
}

/* The F subset: single precision only (fmt 0), no FDIV or FSQRT, and one rounding mode:
 * arithmetic must name the dynamic one (rm 7), conversions it or nearest-even (rm 0)
 * (ttsim riscv_impl.h f_alu, f_fma). Sets *f_dest when rd names an f register. */
static uint8_t op_fp(uint32_t w, uint32_t f3, bool *f_dest)
{
    uint32_t f7 = w >> 25, rs2 = (w >> 20) & 0x1F;
    bool rm_dyn = f3 == 7, rm_cvt = f3 == 0 || f3 == 7;
    *f_dest = true;
    switch (f7) {
    case 0x00: return rm_dyn ? RV_OP_FADD : RV_OP_ILLEGAL;
    case 0x04: return rm_dyn ? RV_OP_FSUB : RV_OP_ILLEGAL;
    case 0x08: return rm_dyn ? RV_OP_FMUL : RV_OP_ILLEGAL;
    case 0x10: return f3 == 0 ? RV_OP_FSGNJ : f3 == 1 ? RV_OP_FSGNJN : f3 == 2 ? RV_OP_FSGNJX
                                                                             : RV_OP_ILLEGAL;
    case 0x14: return f3 == 0 ? RV_OP_FMIN : f3 == 1 ? RV_OP_FMAX : RV_OP_ILLEGAL;
    case 0x68: return !rm_cvt ? RV_OP_ILLEGAL : rs2 == 0 ? RV_OP_FCVTSW
                                            : rs2 == 1 ? RV_OP_FCVTSWU : RV_OP_ILLEGAL;
    case 0x78: return rs2 == 0 && f3 == 0 ? RV_OP_FMVWX : RV_OP_ILLEGAL;
    }
    *f_dest = false;
    switch (f7) {
    case 0x50: return f3 == 0 ? RV_OP_FLE : f3 == 1 ? RV_OP_FLT : f3 == 2 ? RV_OP_FEQ
                                                                         : RV_OP_ILLEGAL;
    case 0x60: return !rm_cvt ? RV_OP_ILLEGAL : rs2 == 0 ? RV_OP_FCVTWS
                                            : rs2 == 1 ? RV_OP_FCVTWUS : RV_OP_ILLEGAL;
    case 0x70: return rs2 ? RV_OP_ILLEGAL : f3 == 0 ? RV_OP_FMVXW
                                            : f3 == 1 ? RV_OP_FCLASS : RV_OP_ILLEGAL;
    }
    return RV_OP_ILLEGAL;
}

static uint8_t op_fma(uint32_t w, uint32_t f3)
{
    static const uint8_t ops[4] = {RV_OP_FMADD, RV_OP_FMSUB, RV_OP_FNMSUB, RV_OP_FNMADD};
    if (((w >> 25) & 3) || f3 != 7)
        return RV_OP_ILLEGAL;
    return ops[((w & 0x7F) - 0x43) >> 2];
}

static uint8_t op_system(uint32_t w, uint32_t f3)
{
    static const uint8_t csr[8] = {RV_OP_ILLEGAL, RV_OP_CSRRW,  RV_OP_CSRRS,  RV_OP_CSRRC,
                                   RV_OP_ILLEGAL, RV_OP_CSRRWI, RV_OP_CSRRSI, RV_OP_CSRRCI};
    if (f3)
        return csr[f3];
    if (w == 0x00000073)
        return RV_OP_ECALL;
    if (w == 0x00100073)
        return RV_OP_EBREAK;
    return RV_OP_ILLEGAL;
}

/* FENCE: the cores run every fence the same way, as a full fence (ISA BabyRISCV
 * InstructionSet.md), but Tenstorrent's simulator stops on all but the forms compilers
 * emit: fence rw,rw / r,rw / rw,w and the plain fence (iorw,iorw, TT-Metal's
 * invalidate_l1_cache), with rd and rs1 zero. Those are all the model accepts. FENCE.I
 * (funct3 1) is not an instruction of these cores: they lack Zifencei (their instruction
 * list has no such extension) and ttsim stops on it ("fence.i does not flush the
 * instruction cache on babyrisc"). */
static bool fence_ok(uint32_t w)
{
    uint32_t mode = w >> 20;
    if ((w >> 12 & 7) != 0 || (w >> 7 & 0x1F) || (w >> 15 & 0x1F))
        return false;
    return mode == 0x033 || mode == 0x023 || mode == 0x031 || mode == 0x0FF;
}

void bhe_rv_decode(uint32_t w, struct rv_insn *out)
{
    /* .ttinsn: the Tensix instruction rotated left by two. Opcode 0 is no Tensix
     * instruction (ttsim tensix_isa), so the zero word stays an illegal one. */
    if ((w & 3) != 3 && (w >> 2 | w << 30) >> 24) {
        out->op = RV_OP_TTI;
        out->imm = (int32_t)(w >> 2 | w << 30);
        return;
    }
    uint32_t f3 = (w >> 12) & 7;
    uint32_t rd = (w >> 7) & 0x1F;
    out->rd = rd ? (uint8_t)rd : 32; /* writes to x0 land in the scratch register */
    out->rs1 = (w >> 15) & 0x1F;
    out->rs2 = (w >> 20) & 0x1F;
    out->imm = 0;
    switch (w & 0x7F) {
    case 0x37: out->op = RV_OP_LUI; out->imm = imm_u(w); break;
    case 0x17: out->op = RV_OP_AUIPC; out->imm = imm_u(w); break;
    case 0x6F: out->op = RV_OP_JAL; out->imm = imm_j(w); break;
    case 0x67: out->op = f3 ? RV_OP_ILLEGAL : RV_OP_JALR; out->imm = imm_i(w); break;
    case 0x63: out->op = op_branch(f3); out->imm = imm_b(w); break;
    case 0x03: out->op = op_load(f3); out->imm = imm_i(w); break;
    case 0x23: out->op = op_store(f3); out->imm = imm_s(w); break;
    case 0x13:
        out->op = op_imm(w, f3);
        /* shift amounts and rotates use the low five bits of the immediate */
        out->imm = (f3 == 1 || f3 == 5) ? (int32_t)((w >> 20) & 0x1F) : imm_i(w);
        break;
    case 0x33: out->op = op_reg(w, f3); break;
    case 0x2F: out->op = op_amo(w, f3); break;
    case 0x0F: out->op = fence_ok(w) ? RV_OP_FENCE : RV_OP_ILLEGAL; break;
    case 0x73:
        out->op = op_system(w, f3);
        out->imm = (int32_t)(w >> 20); /* CSR number */
        break;
    case 0x07: /* FLW */
        out->op = f3 == 2 ? RV_OP_FLW : RV_OP_ILLEGAL;
        out->rd = (uint8_t)rd;
        out->imm = imm_i(w);
        break;
    case 0x27: out->op = f3 == 2 ? RV_OP_FSW : RV_OP_ILLEGAL; out->imm = imm_s(w); break;
    case 0x43: case 0x47: case 0x4B: case 0x4F:
        out->op = op_fma(w, f3);
        out->rd = (uint8_t)rd;
        out->imm = (int32_t)(w >> 27); /* rs3 */
        break;
    case 0x53: {
        bool f_dest;
        out->op = op_fp(w, f3, &f_dest);
        if (f_dest)
            out->rd = (uint8_t)rd;
        break;
    }
    default: out->op = RV_OP_ILLEGAL; break;
    }
    if (out->op == RV_OP_ILLEGAL)
        out->imm = (int32_t)w; /* keep the word for the fault report */
}

/* ---- The decode cache: one slot per L1 word, a page of slots taken into use when code
 * on it first runs (cores fetch only from L1: ISA BabyRISCV/README.md). The slots live in
 * the tile's mapping, zero (not decoded) until then. ---- */

struct rv_insn *bhe_rv_decode_page(struct tensix_tile *t, uint32_t pc)
{
    uint32_t page = pc >> EMU_PAGE_SHIFT;
    return t->dec[page] = t->dec_slots + (size_t)page * EMU_DEC_SLOTS;
}

/* Every write into L1 that lands on a page holding decoded code resets the slots it
 * covers, so code written by the host, the NoC or a core is always seen. */
void bhe_rv_invalidate(struct tensix_tile *t, uint32_t addr, uint32_t len)
{
    if (addr >= BH_L1_SIZE || !len)
        return;
    uint32_t end = addr + len > BH_L1_SIZE ? BH_L1_SIZE : addr + len;
    for (uint32_t a = addr & ~3u; a < end; a += 4) {
        struct rv_insn *p = t->dec[a >> EMU_PAGE_SHIFT];
        if (!p) {
            a = (a | ((1u << EMU_PAGE_SHIFT) - 1)) - 3; /* skip to the next page */
            continue;
        }
        p[(a >> 2) & (EMU_DEC_SLOTS - 1)].op = RV_OP_DECODE;
    }
}
