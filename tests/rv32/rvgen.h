/* Random RV32 programs for the differential test (tests/ttsim/differential.c): straight
 * code over every instruction class the cores run (RV32I, M, Zba, Zbb, PACK and BREV8, A's
 * AMOs, the F subset, a cfg0 read), with forward branches and bounded loops. Host side:
 * the generator writes machine words, so it needs no assembler.
 *
 * A program for core k works in its own data window, RVG_DATA(k): 1 KiB of operands the
 * host fills, then RVG_SIG_WORDS words of signature (x1..x31, then f0..f31), then a done
 * word. It ends storing its registers there and spinning. Registers: x31 holds the
 * window's base, x30 counts loops, x29 is the AMO address; the rest are fair game.
 *
 * Each instruction is an entry of the program with a flag saying whether it may be
 * removed: the minimiser drops removable entries (as nops) and keeps the rest, which
 * hold the structure (window base, loop counters, branch targets' distances, the end). */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define RVG_CODE_MAX 1024                  /* words per program */
#define RVG_CODE(core) (0x8000u + 0x4000u * (core)) /* where core k's code goes */
#define RVG_DATA(core) (0x30000u + 0x1000u * (core))
#define RVG_DATA_BYTES 1024u
#define RVG_SIG_WORDS 63u                  /* x1..x31, f0..f31 */
#define RVG_DONE_OFF (RVG_DATA_BYTES + 4 * RVG_SIG_WORDS)
#define RVG_DONE_VALUE 0xD0E5D0E5u
#define RVG_NOP 0x00000013u                /* addi x0, x0, 0 */

struct rvgen_prog {
    uint32_t word[RVG_CODE_MAX];
    bool keep[RVG_CODE_MAX];               /* structure: never dropped by the minimiser */
    char what[RVG_CODE_MAX][16];           /* mnemonic, for reports */
    uint32_t n;
};

/* ---- Encoders (RISC-V unprivileged specification, instruction formats) ---- */
static inline uint32_t rvg_r(uint32_t f7, uint32_t rs2, uint32_t rs1, uint32_t f3, uint32_t rd,
                             uint32_t op)
{
    return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}
static inline uint32_t rvg_i(int32_t imm, uint32_t rs1, uint32_t f3, uint32_t rd, uint32_t op)
{
    return ((uint32_t)imm & 0xFFF) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}
static inline uint32_t rvg_s(int32_t imm, uint32_t rs2, uint32_t rs1, uint32_t f3, uint32_t op)
{
    uint32_t u = (uint32_t)imm & 0xFFF;
    return (u >> 5) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (u & 31) << 7 | op;
}
static inline uint32_t rvg_b(int32_t off, uint32_t rs2, uint32_t rs1, uint32_t f3)
{
    uint32_t u = (uint32_t)off;
    return (u >> 12 & 1) << 31 | (u >> 5 & 0x3F) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 |
           (u >> 1 & 0xF) << 8 | (u >> 11 & 1) << 7 | 0x63;
}
static inline uint32_t rvg_j(int32_t off, uint32_t rd)
{
    uint32_t u = (uint32_t)off;
    return (u >> 20 & 1) << 31 | (u >> 1 & 0x3FF) << 21 | (u >> 11 & 1) << 20 |
           (u >> 12 & 0xFF) << 12 | rd << 7 | 0x6F;
}
static inline uint32_t rvg_u(uint32_t imm20, uint32_t rd, uint32_t op)
{
    return imm20 << 12 | rd << 7 | op;
}

struct rvgen_rng {
    uint64_t s;
};

static inline uint32_t rvg_rand(struct rvgen_rng *r)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return (uint32_t)(r->s >> 16);
}

static inline uint32_t rvg_pick(struct rvgen_rng *r, uint32_t n) { return rvg_rand(r) % n; }

static inline void rvg_emit(struct rvgen_prog *p, uint32_t w, bool keep, const char *what)
{
    if (p->n == RVG_CODE_MAX)
        return;
    p->word[p->n] = w;
    p->keep[p->n] = keep;
    snprintf(p->what[p->n], sizeof p->what[0], "%s", what);
    p->n++;
}

#define RVG_BASE 31u
#define RVG_LOOP 30u
#define RVG_AMO 29u
static inline uint32_t rvg_reg(struct rvgen_rng *r) { return 1 + rvg_pick(r, 28); } /* x1..x28 */
static inline uint32_t rvg_freg(struct rvgen_rng *r) { return rvg_pick(r, 32); }

/* One random instruction (or a short fixed sequence) that does not branch. */
static inline void rvg_plain(struct rvgen_prog *p, struct rvgen_rng *r)
{
    uint32_t rd = rvg_reg(r), a = rvg_reg(r), b = rvg_reg(r), k = rvg_pick(r, 100);
    if (k < 20) { /* OP: base, M, Zba, Zbb, PACK */
        static const struct { uint8_t f7, f3; const char *n; } ops[] = {
            {0, 0, "add"},      {0x20, 0, "sub"},  {0, 1, "sll"},    {0, 2, "slt"},
            {0, 3, "sltu"},     {0, 4, "xor"},     {0, 5, "srl"},    {0x20, 5, "sra"},
            {0, 6, "or"},       {0, 7, "and"},     {1, 0, "mul"},    {1, 1, "mulh"},
            {1, 2, "mulhsu"},   {1, 3, "mulhu"},   {1, 4, "div"},    {1, 5, "divu"},
            {1, 6, "rem"},      {1, 7, "remu"},    {0x10, 2, "sh1add"}, {0x10, 4, "sh2add"},
            {0x10, 6, "sh3add"}, {0x20, 7, "andn"}, {0x20, 6, "orn"}, {0x20, 4, "xnor"},
            {5, 4, "min"},      {5, 5, "minu"},    {5, 6, "max"},    {5, 7, "maxu"},
            {0x30, 1, "rol"},   {0x30, 5, "ror"},  {4, 4, "pack"},
        };
        uint32_t i = rvg_pick(r, sizeof ops / sizeof ops[0]);
        rvg_emit(p, rvg_r(ops[i].f7, b, a, ops[i].f3, rd, 0x33), false, ops[i].n);
    } else if (k < 38) { /* OP-IMM and the unary Zbb / BREV8 forms */
        uint32_t f3 = rvg_pick(r, 8), sh = rvg_pick(r, 32);
        int32_t imm = (int32_t)(rvg_rand(r) % 4096) - 2048;
        static const char *const names[8] = {"addi", "slli", "slti", "sltiu", "xori", "srli",
                                             "ori", "andi"};
        if (f3 == 1) {
            static const uint32_t un[] = {0x600, 0x601, 0x602, 0x604, 0x605};
            uint32_t u = rvg_pick(r, 7);
            imm = u < 5 ? (int32_t)un[u] : (int32_t)sh;
            rvg_emit(p, rvg_i(imm, a, 1, rd, 0x13), false, u < 5 ? "zbb-unary" : "slli");
        } else if (f3 == 5) {
            static const uint32_t un[] = {0x287, 0x698, 0x687};
            uint32_t u = rvg_pick(r, 6);
            imm = u < 3 ? (int32_t)un[u] : u == 3 ? (int32_t)sh : u == 4 ? (int32_t)(0x400 | sh)
                                                                    : (int32_t)(0x600 | sh);
            rvg_emit(p, rvg_i(imm, a, 5, rd, 0x13), false, u < 3 ? "orcb/rev8/brev8"
                                                                  : "srli/srai/rori");
        } else {
            rvg_emit(p, rvg_i(imm, a, f3, rd, 0x13), false, names[f3]);
        }
    } else if (k < 42) { /* LUI, AUIPC */
        rvg_emit(p, rvg_u(rvg_rand(r) & 0xFFFFF, rd, k & 1 ? 0x37 : 0x17), false,
                 k & 1 ? "lui" : "auipc");
    } else if (k < 54) { /* loads from the window */
        static const struct { uint8_t f3, size; const char *n; } ld[] = {
            {0, 1, "lb"}, {1, 2, "lh"}, {2, 4, "lw"}, {4, 1, "lbu"}, {5, 2, "lhu"}};
        uint32_t i = rvg_pick(r, 5);
        int32_t off = (int32_t)(rvg_pick(r, RVG_DATA_BYTES) & ~(ld[i].size - 1u));
        rvg_emit(p, rvg_i(off, RVG_BASE, ld[i].f3, rd, 0x03), false, ld[i].n);
    } else if (k < 64) { /* stores into the window */
        static const struct { uint8_t f3, size; const char *n; } st[] = {
            {0, 1, "sb"}, {1, 2, "sh"}, {2, 4, "sw"}};
        uint32_t i = rvg_pick(r, 3);
        int32_t off = (int32_t)(rvg_pick(r, RVG_DATA_BYTES) & ~(st[i].size - 1u));
        rvg_emit(p, rvg_s(off, b, RVG_BASE, st[i].f3, 0x23), false, st[i].n);
    } else if (k < 70) { /* AMOs on a word of the window */
        static const struct { uint8_t f5; const char *n; } amo[] = {
            {0x00, "amoadd"}, {0x01, "amoswap"}, {0x04, "amoxor"}, {0x08, "amoor"},
            {0x0C, "amoand"}, {0x10, "amomin"}, {0x14, "amomax"}, {0x18, "amominu"},
            {0x1C, "amomaxu"}};
        uint32_t i = rvg_pick(r, 9);
        int32_t off = (int32_t)(rvg_pick(r, RVG_DATA_BYTES) & ~3u);
        rvg_emit(p, rvg_i(off, RVG_BASE, 0, RVG_AMO, 0x13), true, "addi(amo)");
        rvg_emit(p, rvg_r((uint32_t)amo[i].f5 << 2, b, RVG_AMO, 2, rd, 0x2F), false, amo[i].n);
    } else if (k < 97) { /* the F subset */
        uint32_t fd = rvg_freg(r), fa = rvg_freg(r), fb = rvg_freg(r), fc = rvg_freg(r);
        uint32_t g = rvg_pick(r, 14);
        switch (g) {
        case 0: rvg_emit(p, rvg_r(0x78, 0, a, 0, fd, 0x53), false, "fmv.w.x"); break;
        case 1: rvg_emit(p, rvg_r(0x70, 0, fa, 0, rd, 0x53), false, "fmv.x.w"); break;
        case 2: rvg_emit(p, rvg_r(0x00, fb, fa, 7, fd, 0x53), false, "fadd.s"); break;
        case 3: rvg_emit(p, rvg_r(0x04, fb, fa, 7, fd, 0x53), false, "fsub.s"); break;
        case 4: rvg_emit(p, rvg_r(0x08, fb, fa, 7, fd, 0x53), false, "fmul.s"); break;
        case 5: {
            static const uint32_t fo[4] = {0x43, 0x47, 0x4B, 0x4F};
            rvg_emit(p, fc << 27 | fb << 20 | fa << 15 | 7u << 12 | fd << 7 | fo[rvg_pick(r, 4)],
                     false, "fmadd-family");
            break;
        }
        case 6: rvg_emit(p, rvg_r(0x10, fb, fa, rvg_pick(r, 3), fd, 0x53), false, "fsgnj*"); break;
        case 7: rvg_emit(p, rvg_r(0x14, fb, fa, rvg_pick(r, 2), fd, 0x53), false, "fmin/fmax"); break;
        case 8: rvg_emit(p, rvg_r(0x50, fb, fa, rvg_pick(r, 3), rd, 0x53), false, "fcmp"); break;
        case 9: rvg_emit(p, rvg_r(0x60, rvg_pick(r, 2), fa, rvg_pick(r, 2) ? 7 : 0, rd, 0x53),
                         false, "fcvt.w[u].s"); break;
        case 10: rvg_emit(p, rvg_r(0x68, rvg_pick(r, 2), a, rvg_pick(r, 2) ? 7 : 0, fd, 0x53),
                          false, "fcvt.s.w[u]"); break;
        case 11: rvg_emit(p, rvg_r(0x70, 0, fa, 1, rd, 0x53), false, "fclass.s"); break;
        case 12: rvg_emit(p, rvg_i((int32_t)(rvg_pick(r, RVG_DATA_BYTES) & ~3u), RVG_BASE, 2, fd,
                                   0x07), false, "flw"); break;
        default: rvg_emit(p, rvg_s((int32_t)(rvg_pick(r, RVG_DATA_BYTES) & ~3u), fa, RVG_BASE, 2,
                                   0x27), false, "fsw"); break;
        }
    } else { /* read cfg0 (csrrs rd, cfg0, x0) */
        rvg_emit(p, rvg_i(0x7C0, 0, 2, rd, 0x73), false, "csrr cfg0");
    }
}

/* A program of about `len` random instructions (after the set-up) for core k, from
 * `seed`. */
static inline void rvgen(struct rvgen_prog *p, uint64_t seed, unsigned core, unsigned len)
{
    struct rvgen_rng r = {seed * 0x9E3779B97F4A7C15ull + core + 1};
    uint32_t base = RVG_DATA(core);
    memset(p, 0, sizeof *p);
    rvg_emit(p, rvg_u(base >> 12, RVG_BASE, 0x37), true, "lui(base)"); /* base: 4 KiB aligned */
    /* Every register set first: a program must not depend on what a core's registers
     * hold out of reset (zero on silicon, ISA SoftReset.md; ttsim keeps old values). */
    for (uint32_t x = 1; x < RVG_BASE; x++) {
        rvg_emit(p, rvg_u(rvg_rand(&r) & 0xFFFFF, x, 0x37), true, "lui(init)");
        rvg_emit(p, rvg_i((int32_t)(rvg_rand(&r) % 4096) - 2048, x, 0, x, 0x13), true,
                 "addi(init)");
    }
    for (uint32_t f = 0; f < 32; f++)
        rvg_emit(p, rvg_r(0x78, 0, 1 + rvg_pick(&r, 28), 0, f, 0x53), true, "fmv(init)");
    len += p->n;
    while (p->n < len) {
        uint32_t k = rvg_pick(&r, 100);
        if (k < 8) { /* a forward branch or jump over 1..4 instructions (or sequences) */
            uint32_t skip = 1 + rvg_pick(&r, 4), f3 = rvg_pick(&r, 6), at = p->n;
            static const uint8_t f3s[6] = {0, 1, 4, 5, 6, 7};
            bool jal = f3 == 5 && rvg_pick(&r, 2);
            uint32_t link = rvg_reg(&r), x = rvg_reg(&r), y = rvg_reg(&r);
            rvg_emit(p, 0, true, jal ? "jal" : "branch"); /* its offset is known below */
            for (uint32_t i = 0; i < skip; i++)
                rvg_plain(p, &r);
            int32_t off = (int32_t)(4 * (p->n - at));
            if (at < RVG_CODE_MAX)
                p->word[at] = jal ? rvg_j(off, link) : rvg_b(off, y, x, f3s[f3]);
        } else if (k < 12) { /* a loop of 1..5 iterations over 1..6 instructions */
            uint32_t iters = 1 + rvg_pick(&r, 5), body = 1 + rvg_pick(&r, 6), top;
            rvg_emit(p, rvg_i((int32_t)iters, 0, 0, RVG_LOOP, 0x13), true, "li(loop)");
            top = p->n;
            for (uint32_t i = 0; i < body; i++)
                rvg_plain(p, &r);
            rvg_emit(p, rvg_i(-1, RVG_LOOP, 0, RVG_LOOP, 0x13), true, "addi(loop)");
            rvg_emit(p, rvg_b(-(int32_t)(4 * (p->n - top)), 0, RVG_LOOP, 1), true, "bnez(loop)");
        } else {
            rvg_plain(p, &r);
        }
    }
    /* The end: every register into the signature, the done word, then spin. */
    for (uint32_t x = 1; x < 32; x++)
        rvg_emit(p, rvg_s((int32_t)(RVG_DATA_BYTES + 4 * (x - 1)), x, RVG_BASE, 2, 0x23), true,
                 "sw(sig)");
    for (uint32_t f = 0; f < 32; f++)
        rvg_emit(p, rvg_s((int32_t)(RVG_DATA_BYTES + 4 * (31 + f)), f, RVG_BASE, 2, 0x27), true,
                 "fsw(sig)");
    /* RVG_DONE_VALUE's low 12 bits have bit 11 clear: lui then addi builds it as is. */
    rvg_emit(p, rvg_u(RVG_DONE_VALUE >> 12, RVG_AMO, 0x37), true, "lui(done)");
    rvg_emit(p, rvg_i(RVG_DONE_VALUE & 0x7FF, RVG_AMO, 0, RVG_AMO, 0x13), true, "addi(done)");
    rvg_emit(p, rvg_s((int32_t)RVG_DONE_OFF, RVG_AMO, RVG_BASE, 2, 0x23), true, "sw(done)");
    rvg_emit(p, rvg_j(0, 0), true, "j .");
}
