/* The RV32 interpreter of the Tensix tile's five cores.
 *
 * Instructions are decoded once into a per-tile cache with one slot per L1 word (cores
 * fetch only from L1: ISA BabyRISCV/README.md), and the loop dispatches through a table
 * of label addresses, one indirect jump per instruction. Every write into L1 that lands
 * on a page holding decoded code resets the affected slots, so code written by the host,
 * the NoC or a core is always seen (rv32_decode.c). One instruction costs one cycle; NoC
 * requests add the cost niu.c charges through the unit's stall. A run ends when its
 * budget is used, when the core should park, or when it stopped; it says which.
 */
#include <errno.h>
#include <string.h>

#include "emu.h"
#include "rv32_ops.h"

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* ---- spin detection (the scheduler parks what this finds) ----
 * A probe is armed at the start of every run. At the first taken backward branch it
 * snapshots the registers; it then records the locations the loop loads, as the unit's
 * watch list. When the same backward branch is reached again with identical registers and
 * no store, CSR access or time-dependent load happened in between, the next iteration can
 * only differ if one of the recorded locations changes: the run ends asking to park. */
static void probe_load(struct rv_core *c, uint32_t loc)
{
    loc &= ~3u;
    for (unsigned i = 0; i < c->u.n_watch; i++)
        if (c->u.watch[i] == loc)
            return;
    if (c->u.n_watch == EMU_WATCH) {
        c->probe = PROBE_IDLE;
        return;
    }
    c->u.watch[c->u.n_watch++] = loc;
}

/* A store, CSR access or time-dependent load makes the iteration being recorded impure:
 * start over at the next backward branch, a few times per run at most. A loop found
 * impure is likely doing work, not waiting: its backward branch is not snapshot again for
 * the rest of this run and the next (IMPURE_RUNS), which spares busy loops most of the
 * probe's cost. */
#define IMPURE_RUNS 2
static inline void probe_disturb(struct rv_core *c)
{
    if (c->probe == PROBE_RECORDING) {
        c->probe_impure_pc = c->probe_pc;
        c->probe_impure_runs = IMPURE_RUNS;
        c->probe = ++c->probe_retries < 4 ? PROBE_ARMED : PROBE_IDLE;
    }
}

static void probe_snapshot(struct rv_core *c, uint32_t target)
{
    c->probe = PROBE_RECORDING;
    c->probe_pc = target;
    c->u.n_watch = 0;
    c->probe_others = 0;
    memcpy(c->probe_regs, c->x, sizeof c->probe_regs);
}

/* Returns true when the core should park at `target`. */
static bool probe_backedge(struct rv_core *c, uint32_t target)
{
    if (c->probe == PROBE_ARMED) {
        probe_snapshot(c, target);
        return false;
    }
    if (target != c->probe_pc) {
        /* Another loop: an inner one of the watched loop, which returns to it soon, or
         * the real wait loop (the first backward jump was, say, a return). Watch the new
         * one if the old one has not come back after a few such jumps. */
        if (++c->probe_others > 8) {
            if (++c->probe_retries >= 4)
                c->probe = PROBE_IDLE;
            else
                probe_snapshot(c, target);
        }
        return false;
    }
    if (!memcmp(c->probe_regs, c->x, sizeof c->probe_regs))
        return true;
    if (++c->probe_retries >= 4)
        c->probe = PROBE_IDLE;
    else
        probe_snapshot(c, target);
    return false;
}

/* ---- slow memory paths: local data RAM, registers, faults ---- */
static bool misaligned(struct rv_core *c, uint32_t a, unsigned size, bool store)
{
    if (!(a & (size - 1)))
        return false;
    struct emu_src src = bhe_unit_src(&c->u);
    bhe_fault(c->u.tile->emu, BHEMU_FAULT_MISALIGNED, &src, a, "misaligned %u-byte %s", size,
              store ? "store" : "load");
    return true;
}

/* Registers take whole words only: the core faults on narrower accesses. */
static bool reg_size(struct rv_core *c, uint32_t a, unsigned size, bool store)
{
    if (size == 4)
        return true;
    struct emu_src src = bhe_unit_src(&c->u);
    bhe_fault(c->u.tile->emu, store ? BHEMU_FAULT_STORE : BHEMU_FAULT_LOAD, &src, a,
              "%u-byte %s MMIO", size, store ? "store to" : "load from");
    return false;
}

/* A word of the Tensix coprocessor's registers (cop.c); a refusal is this core's fault. */
static int cop_access(struct rv_core *c, uint32_t a, uint32_t *v, bool store, uint32_t *watch)
{
    const char *why = NULL;
    int rc = store ? bhe_cop_store(c->u.tile, c, a, *v, &why)
                   : bhe_cop_load(c->u.tile, c, a, v, watch);
    if (rc == -EAGAIN || !rc)
        return rc;
    struct emu_src src = bhe_unit_src(&c->u);
    bhe_fault(c->u.tile->emu, store ? BHEMU_FAULT_STORE : BHEMU_FAULT_LOAD, &src, a,
              "Tensix %s refused: %s", store ? "store" : "load",
              why ? why : rc == -ENOSPC ? "FIFO overflow by store pushes"
              : rc == -ENOMEM            ? "out of memory"
                                         : "not for this core, or unmapped");
    return rc;
}

/* 0, or 1 when the load must wait for the coprocessor (park, then run it again), or -1
 * when it faulted. */
static int load_slow(struct rv_core *c, uint32_t a, unsigned size, uint32_t *v)
{
    if (misaligned(c, a, size, false))
        return -1;
    uint32_t off = a - BH_LDM_BASE, watch;
    if (off < c->ldm_size) {
        *v = 0;
        memcpy(v, c->ldm + off, size);
        watch = EMU_LOC_LDM(c->u.index, off);
    } else if (a - EMU_COP_REGS_BASE < EMU_COP_REGS_END - EMU_COP_REGS_BASE) {
        if (!reg_size(c, a, size, false))
            return -1;
        int rc = cop_access(c, a, v, false, &watch);
        if (rc)
            return rc == -EAGAIN ? 1 : -1;
    } else {
        struct emu_src src = bhe_unit_src(&c->u);
        if (!reg_size(c, a, size, false) || !bhe_tensix_reg_load(c->u.tile, a, v, &watch, &src))
            return -1;
    }
    if (c->probe == PROBE_RECORDING) {
        if (watch == EMU_LOC_NONE)
            probe_disturb(c); /* a value that changes by itself: do not park on it */
        else
            probe_load(c, watch);
    }
    return 0;
}

/* As load_slow. */
static int store_slow(struct rv_core *c, uint32_t a, unsigned size, uint32_t v)
{
    if (misaligned(c, a, size, true))
        return -1;
    uint32_t off = a - BH_LDM_BASE;
    if (off < c->ldm_size) {
        memcpy(c->ldm + off, &v, size);
        c->ldm_written = true;
        bhe_note_write(c->u.tile, EMU_LOC_LDM(c->u.index, off), size);
        return 0;
    }
    if (!reg_size(c, a, size, true))
        return -1;
    if (a - EMU_COP_REGS_BASE < EMU_COP_REGS_END - EMU_COP_REGS_BASE)
        return cop_access(c, a, &v, true, NULL) ? -1 : 0;
    struct emu_src src = bhe_unit_src(&c->u);
    return bhe_tensix_reg_store(c->u.tile, a, v, &src) ? 0 : -1;
}

/* Atomic read-modify-write on L1 (Zaamo; the cores' atomics work on L1 only). */
static bool amo_addr(struct rv_core *c, uint32_t a)
{
    if (misaligned(c, a, 4, true))
        return false;
    if (a < BH_L1_SIZE)
        return true;
    struct emu_src src = bhe_unit_src(&c->u);
    bhe_fault(c->u.tile->emu, BHEMU_FAULT_STORE, &src, a, "atomic outside L1");
    return false;
}

/* ---- CSRs ----
 * The cores have more CSRs (ISA BabyRISCV/CSRs.md: counters, mhartid, scratch registers,
 * the Tensix-specific 0xBC0 block), but Tenstorrent's simulator runs only cfg0 (0x7C0) on
 * Blackhole and stops on any other, and on setting cfg0 bits other than 1, 3, 18 and 24
 * (ttsim riscv_impl.h read_csr / write_csr). The model takes the same line, so firmware
 * and kernels that run here run on ttsim; cfg0 starts at 0 as in ttsim (the ISA's reset
 * value has StMergeTimer = 16 in bits 21:17, which a read-modify-write would carry into a
 * write ttsim refuses). Time comes from the wall clock registers instead. */
enum { CSR_READ, CSR_WRITE, CSR_SET, CSR_CLEAR };
#define CSR_CFG0 0x7C0u
#define CSR_CFG0_WRITABLE 0x0104000Au

static bool csr_access(struct rv_core *c, uint32_t csr, int kind, uint32_t val, uint32_t *old)
{
    if (csr != CSR_CFG0)
        return false;
    uint32_t *reg = &c->csr_cfg0;
    uint32_t nv = kind == CSR_WRITE ? val : kind == CSR_SET ? (*reg | val) : (*reg & ~val);
    if (kind != CSR_READ && (nv & ~CSR_CFG0_WRITABLE))
        return false;
    *old = *reg;
    if (kind != CSR_READ)
        *reg = nv;
    return true;
}

static inline uint32_t rd32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

int64_t bhe_rv_run(struct rv_core *c, int64_t budget)
{
#define RV_OP_LABEL(name) &&L_##name,
    static const void *const labels[RV_OP_COUNT] = {RV_OPS(RV_OP_LABEL)};
#undef RV_OP_LABEL
    struct tensix_tile *t = c->u.tile;
    uint8_t *const l1 = t->l1;
    uint32_t *const x = c->x;
    uint32_t pc = c->u.pc;
    int64_t left = budget, stalls = 0;
    struct rv_insn *ins;
    uint32_t target;

    c->probe = PROBE_ARMED;
    c->probe_retries = 0;
    if (c->probe_impure_runs && !--c->probe_impure_runs)
        c->probe_impure_pc = EMU_NO_PC;

#define FETCH()                                                                         \
    do {                                                                                \
        if (unlikely(pc >= BH_L1_SIZE || (pc & 3)))                                     \
            goto fetch_fault;                                                           \
        ins = t->dec[pc >> EMU_PAGE_SHIFT];                                             \
        if (unlikely(!ins) && !(ins = bhe_rv_decode_page(t, pc)))                       \
            goto fetch_fault;                                                           \
        ins += (pc >> 2) & (EMU_DEC_SLOTS - 1);                                         \
    } while (0)
#define DISPATCH() goto *labels[ins->op]
#define NEXT()                                                                          \
    do {                                                                                \
        pc += 4;                                                                        \
        if (unlikely(--left <= 0))                                                      \
            goto out;                                                                   \
        if (likely(pc & ((1u << EMU_PAGE_SHIFT) - 1)))                                  \
            ins++;                                                                      \
        else                                                                            \
            FETCH();                                                                    \
        DISPATCH();                                                                     \
    } while (0)
    /* Jump to `target`; a backward jump is where the spin detector looks. */
#define JUMP()                                                                          \
    do {                                                                                \
        if (unlikely(c->probe != PROBE_IDLE) && target <= pc &&                         \
            target != c->probe_impure_pc && probe_backedge(c, target)) {                \
            pc = target;                                                                \
            left--;                                                                     \
            goto park;                                                                  \
        }                                                                               \
        pc = target;                                                                    \
        if (unlikely(--left <= 0))                                                      \
            goto out;                                                                   \
        FETCH();                                                                        \
        DISPATCH();                                                                     \
    } while (0)
    /* The cores have no compressed instructions: a jump to an address that is not a
     * word is refused at the jump, before rd is written (RISC-V's instruction-address-
     * misaligned exception; ttsim refuses it there too). */
#define CHECK_TARGET()                                                                  \
    do {                                                                                \
        if (unlikely(target & 3))                                                       \
            goto jump_fault;                                                            \
    } while (0)
#define BRANCH(cond)                                                                    \
    do {                                                                                \
        if (cond) {                                                                     \
            target = pc + (uint32_t)ins->imm;                                           \
            CHECK_TARGET();                                                             \
            JUMP();                                                                     \
        }                                                                               \
        NEXT();                                                                         \
    } while (0)
#define RS1 x[ins->rs1]
#define RS2 x[ins->rs2]
#define RD x[ins->rd]
/* After an access that may have woken a unit: stop where the slice now ends
 * (bhe_end_solo). The cycles run so far (budget - left) stay as they are. */
#define CLAMP_TO_SLICE()                                                                \
    do {                                                                                \
        int64_t done_ = budget - left;                                                  \
        int64_t room_ = (int64_t)(t->emu->slice_end - c->u.time) - done_;               \
        if (room_ < 1)                                                                  \
            room_ = 1;                                                                  \
        if (left > room_) {                                                             \
            left = room_;                                                               \
            budget = done_ + room_;                                                     \
        }                                                                               \
    } while (0)
#define IMM ((uint32_t)ins->imm)
#define OP(name, expr)                                                                  \
    L_##name:                                                                           \
    RD = (expr);                                                                        \
    NEXT();
    /* Loads: L1 fast path, then local RAM / MMIO. `conv` widens the raw value. */
#define LOAD(name, type, conv) LOAD_TO(name, type, conv, RD)
#define LOAD_TO(name, type, conv, dest)                                                 \
    L_##name : {                                                                        \
        uint32_t a = RS1 + IMM, v;                                                      \
        if (likely(a < BH_L1_SIZE && !(a & (sizeof(type) - 1)))) {                      \
            type raw;                                                                   \
            memcpy(&raw, l1 + a, sizeof raw);                                           \
            v = conv(raw);                                                              \
            if (unlikely(c->probe == PROBE_RECORDING))                                  \
                probe_load(c, EMU_LOC_L1(a));                                           \
        } else {                                                                        \
            c->u.pc = pc;                                                               \
            c->u.run_done = budget - left;                                              \
            int r_ = load_slow(c, a, sizeof(type), &v);                                 \
            if (r_)                                                                     \
                goto *(r_ > 0 ? &&wait_cop : &&stopped);                                \
            v = conv((type)v);                                                          \
        }                                                                               \
        dest = v;                                                                       \
        NEXT();                                                                         \
    }
#define STORE(name, type) STORE_FROM(name, type, RS2)
#define STORE_FROM(name, type, src)                                                     \
    L_##name : {                                                                        \
        uint32_t a = RS1 + IMM;                                                         \
        type v = (type)(src);                                                           \
        probe_disturb(c);                                                               \
        if (likely(a < BH_L1_SIZE && !(a & (sizeof(type) - 1)))) {                      \
            memcpy(l1 + a, &v, sizeof v);                                               \
            if (t->dec[a >> EMU_PAGE_SHIFT])                                            \
                bhe_rv_invalidate(t, a, sizeof v);                                      \
            if (unlikely(t->parked) && bhe_l1_watched(t, a)) {                                                  \
                c->u.run_done = budget - left;                                          \
                bhe_wake(t, EMU_LOC_L1(a), sizeof v);                                   \
                CLAMP_TO_SLICE();                                                       \
            }                                                                           \
        } else {                                                                        \
            c->u.pc = pc;                                                               \
            c->u.run_done = budget - left;                                              \
            if (store_slow(c, a, sizeof v, v))                                          \
                goto stopped;                                                           \
            CLAMP_TO_SLICE();                                                           \
            if (c->u.stall) {                                                           \
                left -= c->u.stall;                                                     \
                stalls += c->u.stall;                                                   \
                c->u.stall = 0;                                                         \
            }                                                                           \
            if (c->u.stop)                                                              \
                goto stopped;                                                           \
        }                                                                               \
        NEXT();                                                                         \
    }
#define AMO(name, expr)                                                                 \
    L_##name : {                                                                        \
        uint32_t a = RS1, old, src = RS2;                                               \
        c->u.pc = pc;                                                                   \
        probe_disturb(c);                                                               \
        if (!amo_addr(c, a))                                                            \
            goto stopped;                                                               \
        old = rd32(l1 + a);                                                             \
        uint32_t nv = (expr);                                                           \
        memcpy(l1 + a, &nv, 4);                                                         \
        if (t->dec[a >> EMU_PAGE_SHIFT])                                                \
            bhe_rv_invalidate(t, a, 4);                                                 \
        if (unlikely(t->parked) && bhe_l1_watched(t, a)) {                                                      \
            c->u.run_done = budget - left;                                              \
            bhe_wake(t, EMU_LOC_L1(a), 4);                                              \
            CLAMP_TO_SLICE();                                                           \
        }                                                                               \
        RD = old;                                                                       \
        NEXT();                                                                         \
    }
/* `form` says whether this use of the instruction is one ttsim runs: csrw, csrwi and csrc
 * only without a destination (csrc with a source register), csrrs in any form, csrrsi and
 * csrrci not at all (its "UntestedFunctionality"). rd x0 decodes as register 32. */
#define CSR(name, kind, operand, form)                                                  \
    L_##name : {                                                                        \
        uint32_t old, val = (operand);                                                  \
        int k = (kind);                                                                 \
        if (k != CSR_WRITE && ins->rs1 == 0)                                            \
            k = CSR_READ; /* csrrs/csrrc with x0 or a zero immediate do not write */    \
        probe_disturb(c);                                                               \
        if (!(form) || !csr_access(c, IMM & 0xFFF, k, val, &old))                       \
            goto illegal;                                                               \
        RD = old;                                                                       \
        NEXT();                                                                         \
    }

    FETCH();
    DISPATCH();

L_DECODE:
    bhe_rv_decode(rd32(l1 + pc), ins);
    DISPATCH();
    /* A Tensix instruction: pushed to this core's thread; a full FIFO holds the core here
     * until the coprocessor moves (PushTensixInstruction.md back-pressure). */
L_TTI: {
    c->u.pc = pc;
    c->u.run_done = budget - left;
    probe_disturb(c);
    int rc = bhe_cop_push(t, c, IMM, 0, false);
    if (rc == -EAGAIN)
        goto wait_cop;
    if (rc) {
        struct emu_src src = bhe_unit_src(&c->u);
        bhe_fault(t->emu, BHEMU_FAULT_ILLEGAL_INSN, &src, pc, "Tensix instruction 0x%08x %s",
                  IMM, rc == -EFAULT ? "from NCRISC, which has no thread" : "not pushed: out of memory");
        goto stopped;
    }
    if (c->u.stop)
        goto stopped;
    NEXT();
}
L_ILLEGAL:
    goto illegal;

L_LUI:
    RD = IMM;
    NEXT();
L_AUIPC:
    RD = pc + IMM;
    NEXT();
L_JAL:
    target = pc + IMM;
    CHECK_TARGET();
    RD = pc + 4;
    JUMP();
L_JALR:
    target = (RS1 + IMM) & ~1u;
    CHECK_TARGET();
    RD = pc + 4;
    JUMP();
L_BEQ:
    BRANCH(RS1 == RS2);
L_BNE:
    BRANCH(RS1 != RS2);
L_BLT:
    BRANCH((int32_t)RS1 < (int32_t)RS2);
L_BGE:
    BRANCH((int32_t)RS1 >= (int32_t)RS2);
L_BLTU:
    BRANCH(RS1 < RS2);
L_BGEU:
    BRANCH(RS1 >= RS2);

#define SX8(v) ((uint32_t)(int32_t)(int8_t)(v))
#define SX16(v) ((uint32_t)(int32_t)(int16_t)(v))
#define ZX(v) ((uint32_t)(v))
    LOAD(LB, uint8_t, SX8)
    LOAD(LH, uint16_t, SX16)
    LOAD(LW, uint32_t, ZX)
    LOAD(LBU, uint8_t, ZX)
    LOAD(LHU, uint16_t, ZX)
    STORE(SB, uint8_t)
    STORE(SH, uint16_t)
    STORE(SW, uint32_t)

    OP(ADDI, RS1 + IMM)
    OP(SLTI, (int32_t)RS1 < ins->imm)
    OP(SLTIU, RS1 < IMM)
    OP(XORI, RS1 ^ IMM)
    OP(ORI, RS1 | IMM)
    OP(ANDI, RS1 & IMM)
    OP(SLLI, RS1 << IMM)
    OP(SRLI, RS1 >> IMM)
    OP(SRAI, (uint32_t)((int32_t)RS1 >> IMM))
    OP(ADD, RS1 + RS2)
    OP(SUB, RS1 - RS2)
    OP(SLL, RS1 << (RS2 & 31))
    OP(SLT, (int32_t)RS1 < (int32_t)RS2)
    OP(SLTU, RS1 < RS2)
    OP(XOR, RS1 ^ RS2)
    OP(SRL, RS1 >> (RS2 & 31))
    OP(SRA, (uint32_t)((int32_t)RS1 >> (RS2 & 31)))
    OP(OR, RS1 | RS2)
    OP(AND, RS1 & RS2)

L_FENCE:
    NEXT(); /* memory is coherent in the model: L0 caches are not modelled */
L_ECALL:
L_EBREAK: {
    struct emu_src src = bhe_unit_src(&c->u);
    c->u.pc = pc;
    bhe_fault(t->emu, BHEMU_FAULT_ECALL, &src, pc, "%s",
              ins->op == RV_OP_ECALL ? "ecall" : "ebreak");
    goto stopped;
}

    CSR(CSRRW, CSR_WRITE, RS1, ins->rd == 32)
    CSR(CSRRS, CSR_SET, RS1, 1)
    CSR(CSRRC, CSR_CLEAR, RS1, ins->rd == 32 && ins->rs1 != 0)
    CSR(CSRRWI, CSR_WRITE, ins->rs1, ins->rd == 32)
    CSR(CSRRSI, CSR_SET, ins->rs1, 0)
    CSR(CSRRCI, CSR_CLEAR, ins->rs1, 0)

    /* M extension; division corner cases per the unprivileged spec, table 7.1. */
    OP(MUL, RS1 * RS2)
    OP(MULH, (uint32_t)(((int64_t)(int32_t)RS1 * (int64_t)(int32_t)RS2) >> 32))
    OP(MULHSU, (uint32_t)(((int64_t)(int32_t)RS1 * (int64_t)(uint64_t)RS2) >> 32))
    OP(MULHU, (uint32_t)(((uint64_t)RS1 * RS2) >> 32))
    OP(DIV, RS2 == 0                                   ? 0xFFFFFFFFu
            : (RS1 == 0x80000000u && RS2 == 0xFFFFFFFFu) ? RS1
                                                         : (uint32_t)((int32_t)RS1 / (int32_t)RS2))
    OP(DIVU, RS2 == 0 ? 0xFFFFFFFFu : RS1 / RS2)
    OP(REM, RS2 == 0                                   ? RS1
            : (RS1 == 0x80000000u && RS2 == 0xFFFFFFFFu) ? 0
                                                         : (uint32_t)((int32_t)RS1 % (int32_t)RS2))
    OP(REMU, RS2 == 0 ? RS1 : RS1 % RS2)

    OP(SH1ADD, (RS1 << 1) + RS2)
    OP(SH2ADD, (RS1 << 2) + RS2)
    OP(SH3ADD, (RS1 << 3) + RS2)

    OP(ANDN, RS1 & ~RS2)
    OP(ORN, RS1 | ~RS2)
    OP(XNOR, ~(RS1 ^ RS2))
    OP(CLZ, RS1 ? (uint32_t)__builtin_clz(RS1) : 32)
    OP(CTZ, RS1 ? (uint32_t)__builtin_ctz(RS1) : 32)
    OP(CPOP, (uint32_t)__builtin_popcount(RS1))
    OP(MAX, (int32_t)RS1 > (int32_t)RS2 ? RS1 : RS2)
    OP(MAXU, RS1 > RS2 ? RS1 : RS2)
    OP(MIN, (int32_t)RS1 < (int32_t)RS2 ? RS1 : RS2)
    OP(MINU, RS1 < RS2 ? RS1 : RS2)
    OP(SEXTB, SX8(RS1))
    OP(SEXTH, SX16(RS1))
    OP(ROL, (RS1 << (RS2 & 31)) | (RS1 >> ((32 - (RS2 & 31)) & 31)))
    OP(ROR, (RS1 >> (RS2 & 31)) | (RS1 << ((32 - (RS2 & 31)) & 31)))
    OP(RORI, (RS1 >> IMM) | (RS1 << ((32 - IMM) & 31)))
L_ORCB: {
    uint32_t v = RS1, r = 0;
    for (int b = 0; b < 32; b += 8)
        if ((v >> b) & 0xFF)
            r |= 0xFFu << b;
    RD = r;
    NEXT();
}
    OP(REV8, __builtin_bswap32(RS1))

    AMO(AMOSWAP, src)
    AMO(AMOADD, old + src)
    AMO(AMOXOR, old ^ src)
    AMO(AMOAND, old & src)
    AMO(AMOOR, old | src)
    AMO(AMOMIN, (int32_t)old < (int32_t)src ? old : src)
    AMO(AMOMAX, (int32_t)old > (int32_t)src ? old : src)
    AMO(AMOMINU, old < src ? old : src)
    AMO(AMOMAXU, old > src ? old : src)

    /* PACK (with rs2 x0: zext.h) and BREV8, of Zbkb. */
    OP(PACK, (RS1 & 0xFFFF) | RS2 << 16)
L_BREV8: {
    uint32_t v = RS1; /* reverse the bits of each byte */
    v = (v & 0x55555555u) << 1 | (v >> 1 & 0x55555555u);
    v = (v & 0x33333333u) << 2 | (v >> 2 & 0x33333333u);
    v = (v & 0x0F0F0F0Fu) << 4 | (v >> 4 & 0x0F0F0F0Fu);
    RD = v;
    NEXT();
}

    /* The F subset, computed as the cores do (fp32.c). A result in an f register
     * disturbs the spin probe, which compares only x registers: a loop may change only
     * f registers and still make progress. */
#define FRS1 c->f[ins->rs1]
#define FRS2 c->f[ins->rs2]
#define FRS3 c->f[ins->imm]
#define FOP(name, expr)                                                                 \
    L_##name : {                                                                        \
        uint32_t fv_ = (expr);                                                          \
        c->f[ins->rd] = fv_;                                                            \
        probe_disturb(c);                                                               \
        NEXT();                                                                         \
    }
#define SIGN 0x80000000u
#define ONE 0x3F800000u
    LOAD_TO(FLW, uint32_t, ZX, c->f[ins->rd])
    STORE_FROM(FSW, uint32_t, c->f[ins->rs2])
    FOP(FMADD, bhe_fp32_fma(FRS1, FRS2, FRS3))
    FOP(FMSUB, bhe_fp32_fma(FRS1, FRS2, FRS3 ^ SIGN))
    FOP(FNMSUB, bhe_fp32_fma(FRS1 ^ SIGN, FRS2, FRS3))
    FOP(FNMADD, bhe_fp32_fma(FRS1 ^ SIGN, FRS2, FRS3 ^ SIGN))
    FOP(FADD, bhe_fp32_fma(FRS1, ONE, FRS2))
    FOP(FSUB, bhe_fp32_fma(FRS1, ONE, FRS2 ^ SIGN))
    FOP(FMUL, bhe_fp32_fma(FRS1, FRS2, (FRS1 ^ FRS2) & SIGN))
    FOP(FSGNJ, (FRS1 & ~SIGN) | (FRS2 & SIGN))
    FOP(FSGNJN, (FRS1 & ~SIGN) | (~FRS2 & SIGN))
    FOP(FSGNJX, FRS1 ^ (FRS2 & SIGN))
    FOP(FMIN, bhe_fp32_min_max(FRS1, FRS2, false))
    FOP(FMAX, bhe_fp32_min_max(FRS1, FRS2, true))
    OP(FEQ, bhe_fp32_compare(FRS1, FRS2, FP32_EQ))
    OP(FLT, bhe_fp32_compare(FRS1, FRS2, FP32_LT))
    OP(FLE, bhe_fp32_compare(FRS1, FRS2, FP32_LE))
    OP(FCVTWS, bhe_fp32_to_i32(FRS1))
    OP(FCVTWUS, bhe_fp32_to_u32(FRS1))
    FOP(FCVTSW, bhe_fp32_from_i32(RS1))
    FOP(FCVTSWU, bhe_fp32_from_u32(RS1))
    OP(FMVXW, FRS1)
    OP(FCLASS, bhe_fp32_classify(FRS1))
    FOP(FMVWX, RS1)
#undef ONE
#undef SIGN

illegal: {
    struct emu_src src = bhe_unit_src(&c->u);
    uint32_t w = rd32(l1 + pc);
    c->u.pc = pc;
    const char *reason = "";
    if ((w & 0x7F) == 0x0F)
        reason = (w >> 12 & 7) == 1 ? " (fence.i: the cores lack Zifencei)"
                                 : " (a fence form ttsim does not run)";
    else if ((w & 0x7F) == 0x73 && (w >> 12 & 3))
        reason = " (a CSR access ttsim does not run: cfg0 bits 1, 3, 18, 24 by csrr, csrw, "
              "csrs, csrc, csrwi)";
    else if ((w & 0x7F) == 0x53 || (w & 0x73) == 0x43 || (w & 0x7F) == 0x07 ||
             (w & 0x7F) == 0x27)
        reason = " (an F form the cores or ttsim do not run: single precision only, no "
                 "fdiv or fsqrt, arithmetic in the dynamic rounding mode)";
    bhe_fault(t->emu, BHEMU_FAULT_ILLEGAL_INSN, &src, pc, "illegal instruction 0x%08x%s", w,
              reason);
    goto stopped;
}
jump_fault: {
    struct emu_src src = bhe_unit_src(&c->u);
    c->u.pc = pc;
    bhe_fault(t->emu, BHEMU_FAULT_FETCH, &src, target, "jump to misaligned address 0x%x",
              target);
    goto stopped;
}
fetch_fault: {
    struct emu_src src = bhe_unit_src(&c->u);
    c->u.pc = pc;
    bhe_fault(t->emu, BHEMU_FAULT_FETCH, &src, pc, "%s",
              pc & 3 ? "misaligned instruction fetch" : "instruction fetch outside L1");
    goto stopped;
}
wait_cop:
    /* Run this instruction again once the coprocessor has moved. */
    c->u.n_watch = 1;
    c->u.watch[0] = EMU_LOC_COP;
park:
    c->u.pc = pc;
    c->instret += (uint64_t)(budget - left - stalls);
    c->u.ended = UNIT_PARK;
    return budget - left;
stopped:
    /* A fault or an MMIO side effect (e.g. the core reset itself) ended the run; the
     * fault path already saved the PC. A NoC request in the clock's parallel phase ends
     * it before the store takes effect: the store runs again in the serial phase. */
    c->u.ended = c->u.stop == STOP_SERIAL ? UNIT_SERIAL : UNIT_HALT;
    c->u.stop = 0;
    c->instret += (uint64_t)(budget - left - stalls);
    return budget - left;
out:
    c->u.pc = pc;
    c->instret += (uint64_t)(budget - left - stalls);
    c->u.ended = UNIT_RAN;
    return budget - left;
}
