/* The instruction list of the Tensix tile's RISC-V cores: RV32I, M, Zicsr, Zba, Zbb,
 * Zaamo, PACK and BREV8 of Zbkb, and the F subset Tenstorrent's simulator runs (no
 * division or square root, one rounding mode) (ISA BabyRISCV/README.md; no C extension,
 * no LR/SC), and TTI: a word whose low two bits are not 0b11 pushes a Tensix
 * instruction (PushTensixInstruction.md). One X-macro entry per
 * operation generates the decoded-op enum and the interpreter's dispatch table. DECODE
 * (0) marks a slot not decoded yet. */
#pragma once

#define RV_OPS(X)                                                                       \
    X(DECODE) X(ILLEGAL)                                                                \
    X(LUI) X(AUIPC) X(JAL) X(JALR)                                                      \
    X(BEQ) X(BNE) X(BLT) X(BGE) X(BLTU) X(BGEU)                                         \
    X(LB) X(LH) X(LW) X(LBU) X(LHU) X(SB) X(SH) X(SW)                                   \
    X(ADDI) X(SLTI) X(SLTIU) X(XORI) X(ORI) X(ANDI) X(SLLI) X(SRLI) X(SRAI)             \
    X(ADD) X(SUB) X(SLL) X(SLT) X(SLTU) X(XOR) X(SRL) X(SRA) X(OR) X(AND)               \
    X(FENCE) X(ECALL) X(EBREAK)                                                         \
    X(CSRRW) X(CSRRS) X(CSRRC) X(CSRRWI) X(CSRRSI) X(CSRRCI)                            \
    X(MUL) X(MULH) X(MULHSU) X(MULHU) X(DIV) X(DIVU) X(REM) X(REMU)                     \
    X(SH1ADD) X(SH2ADD) X(SH3ADD)                                                       \
    X(ANDN) X(ORN) X(XNOR) X(CLZ) X(CTZ) X(CPOP) X(MAX) X(MAXU) X(MIN) X(MINU)          \
    X(SEXTB) X(SEXTH) X(ROL) X(ROR) X(RORI) X(ORCB) X(REV8)                    \
    X(AMOSWAP) X(AMOADD) X(AMOXOR) X(AMOAND) X(AMOOR)                                   \
    X(AMOMIN) X(AMOMAX) X(AMOMINU) X(AMOMAXU)                                           \
    X(PACK) X(BREV8)                                                                    \
    X(FLW) X(FSW) X(FMADD) X(FMSUB) X(FNMSUB) X(FNMADD) X(FADD) X(FSUB) X(FMUL)          \
    X(FSGNJ) X(FSGNJN) X(FSGNJX) X(FMIN) X(FMAX) X(FEQ) X(FLT) X(FLE)                   \
    X(FCVTWS) X(FCVTWUS) X(FCVTSW) X(FCVTSWU) X(FMVXW) X(FCLASS) X(FMVWX)               \
    X(TTI)

#define RV_OP_ENUM(name) RV_OP_##name,
enum rv_op { RV_OPS(RV_OP_ENUM) RV_OP_COUNT };
#undef RV_OP_ENUM

/* Decode one instruction word into *out (op ILLEGAL when it is not one of ours). */
struct rv_insn;
void bhe_rv_decode(uint32_t word, struct rv_insn *out);
