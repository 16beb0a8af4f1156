/* The Tensix coprocessor's front end: the three instruction FIFOs and their scheduling,
 * the registers the tile's cores reach it through (semaphores and the done check, the
 * GPRs, the backend configuration), and the synchronisation, scalar and configuration
 * instructions. The data path is in cop_unpack.c, cop_math.c, cop_sfpu.c, cop_pack.c.
 *
 * Facts: compute-facts 2 (instruction push, sync unit, configuration), checked against
 * Tenstorrent's simulator, whose refusals are mirrored here (cop.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cop.h"

/* ---- State ---- */

/* Power-on state as Tenstorrent's simulator sets it: everything zero except the SFPU's
 * constant registers and lane enables, and every Dst row readable (as zero). */
static struct tt_cop *cop_of(struct tensix_tile *t)
{
    if (t->cop)
        return t->cop;
    struct tt_cop *cop = bhe_map_get(COP_MAP_SIZE);
    if (!cop)
        return NULL;
    cop->tile = t;
    memset(cop->dst_written, 1, sizeof cop->dst_written);
    memset(cop->src[0].mm_format, MM_UNDECODED, 2);
    memset(cop->src[1].mm_format, MM_UNDECODED, 2);
    static const uint32_t consts[COP_LREGS] = {
        [8] = 0x3F56594Bu, [10] = 0x3F800000u, [11] = 0xBF800000u,
        [12] = 0x3B000000u, [13] = 0xBF2CC4C7u, [14] = 0xBEB08FF9u,
    };
    for (unsigned r = 8; r < COP_LREGS; r++)
        for (unsigned l = 0; l < COP_LANES; l++)
            cop->lreg[r][l] = r == 15 ? 2 * l : consts[r];
    cop->lane_enabled = 0xFFFFFFFFu;
    cop->cc_enable = true;
    t->cop = cop;
    return cop;
}

/* ---- Configuration registers (compute-facts 2.8 and 9; ttsim's write and read lists) */

/* Whether config word i of bank 0 may be written, and the bits it keeps. */
static bool cfg_writable(uint32_t i, uint32_t *mask)
{
    static const struct {
        uint16_t lo, hi;
        uint32_t mask;
    } w[] = {
        {0, 0, 0x7FFF}, {1, 2, 0xFFFFFFFF}, {3, 3, 0x1FFFFFFF}, {12, 15, 0xFFFFFFFF},
        {17, 17, 0x3FFFF}, {18, 18, 0xF}, {20, 21, 0xFFFFFFFF}, {24, 24, 0x1FFFFFF},
        {25, 25, 0xFFFF}, {28, 28, 0xFFFFFFFF}, {50, 50, 0x1FF}, {56, 57, 0xFFFFFFFF},
        {59, 59, 0xFFFFFFFF}, {64, 65, 0xFFFFFFFF}, {68, 70, 0xFFFFFFFF}, {71, 71, 0xFFDFFFFF},
        {72, 72, 0xFFFFFFFF}, {73, 73, 0xFFFF1FFF}, {76, 77, 0xFFFFFFFF}, {84, 84, 0xFFFFFFFF},
        {86, 86, 0xFFFFFFFF}, {92, 93, 0xFFFFFFFF}, {112, 113, 0xFFFFFFFF},
        {119, 119, 0xFFDFFFFF}, {120, 120, 0xFFFFFFFF}, {121, 121, 0xFFFF1FFF},
        {124, 125, 0xFFFFFFFF}, {180, 183, 0x3FFFF}, {209, 211, 0xFFFFFFFF}, {220, 220, 0xF},
    };
    for (size_t k = 0; k < sizeof w / sizeof w[0]; k++)
        if (i >= w[k].lo && i <= w[k].hi) {
            *mask = w[k].mask;
            return true;
        }
    return false;
}

static bool cfg_readable(uint32_t i)
{
    static const uint8_t r[] = {0,  1,  2,  3,  12, 13, 14, 15, 17,  18,  24,  28,  56,
                                57, 59, 64, 65, 68, 69, 70, 71, 72,  73,  76,  77,  84,
                                86, 112, 113, 119, 120, 121, 124, 125, 66, 67, 74, 75, 114,
                                115, 122, 123};
    if (i == 220)
        return true;
    for (size_t k = 0; k < sizeof r; k++)
        if (r[k] == i)
            return true;
    return false;
}

/* Write config word i, by a core's store or an instruction; NULL on success, else why
 * ttsim refuses it. */
static const char *cfg_write(struct tt_cop *cop, uint32_t i, uint32_t v)
{
    uint32_t mask;
    if (i == 29 || i == 30 || i == 31)
        return NULL; /* accepted and ignored */
    if (i == BH_CFG_IC_INVALIDATE) /* the model decodes from L1 as it changes */
        return v && v <= BH_CFG_IC_INVALIDATE_ALL ? NULL : "I-cache invalidate mask must be 1..31";
    if (i == 186)
        return NULL; /* PRNG seed: no instruction the model runs draws from it */
    if (i >= COP_CFG_WORDS || !cfg_writable(i, &mask))
        return "config word not writable in ttsim";
    uint32_t old = cop->cfg[i];
    cop->cfg[i] = v & mask;
    /* Fields ttsim refuses to see set: overrides, stochastic rounding, padding, packer
     * accumulation and downsampling of unpacker 1. */
    if ((cop->cfg[0] & (1u << 9 | 1u << 14)) || (cop->cfg[1] & 0x7FFFu) ||
        (cop->cfg[119] & 0xFF9FFFFFu)) {
        cop->cfg[i] = old;
        return "override, stochastic-rounding or downsampling bits set";
    }
    return NULL;
}

/* ---- Registers the cores see ---- */

static bool own_thread(const struct rv_core *c, unsigned *th)
{
    if (c->u.index < BH_TRISC0)
        return false;
    *th = c->u.index - BH_TRISC0;
    return true;
}

int bhe_cop_load(struct tensix_tile *t, struct rv_core *c, uint32_t a, uint32_t *v, uint32_t *watch)
{
    struct tt_cop *cop = cop_of(t);
    unsigned th;
    *watch = EMU_LOC_COP;
    if (!cop)
        return -ENOMEM;
    if (a >= BH_TENSIX_GPR_BASE && a < BH_TENSIX_GPR_BASE + 4 * BH_TENSIX_GPRS) {
        if (!own_thread(c, &th))
            return -EFAULT;
        *v = cop->th[th].gpr[(a - BH_TENSIX_GPR_BASE) / 4];
        return 0;
    }
    if (a >= BH_TENSIX_CFG_BASE && a < BH_TENSIX_CFG_BASE + 0x1000) {
        uint32_t i = (a - BH_TENSIX_CFG_BASE) / 4;
        if (c->u.index == BH_NCRISC || !cfg_readable(i))
            return -EFAULT;
        *v = i < COP_CFG_WORDS ? cop->cfg[i] : 0;
        if (i == 66 || i == 67 || i == 74 || i == 75 || i == 114 || i == 115 || i == 122 ||
            i == 123)
            *v = 0;
        return 0;
    }
    if (!own_thread(c, &th))
        return -EFAULT;
    if (a == BH_TT_DONE_CHECK) {
        *v = 0;
        return cop->th[th].len ? -EAGAIN : 0;
    }
    if (a == BH_PC_BUF_BASE + 8) { /* the MOP expander, not modelled, is always done */
        *v = 0;
        return 0;
    }
    if (a >= BH_TT_SEM(0) && a < BH_TT_SEM(BH_TT_SEMS)) {
        *v = cop->sem_value[(a - BH_TT_SEM(0)) / 4];
        return 0;
    }
    return -EFAULT;
}

static void run(struct tt_cop *cop);

int bhe_cop_store(struct tensix_tile *t, struct rv_core *c, uint32_t a, uint32_t v,
                  const char **why)
{
    struct tt_cop *cop = cop_of(t);
    unsigned th;
    *why = NULL;
    if (!cop)
        return -ENOMEM;
    if (a >= BH_TENSIX_GPR_BASE && a < BH_TENSIX_GPR_BASE + 4 * BH_TENSIX_GPRS) {
        if (!own_thread(c, &th))
            return -EFAULT;
        cop->th[th].gpr[(a - BH_TENSIX_GPR_BASE) / 4] = v;
        bhe_note_write(t, EMU_LOC_COP, 4);
        return 0;
    }
    if (a >= BH_TENSIX_CFG_BASE && a < BH_TENSIX_CFG_BASE + 0x1000) {
        if (c->u.index == BH_NCRISC)
            return -EFAULT;
        *why = cfg_write(cop, (a - BH_TENSIX_CFG_BASE) / 4, v);
        bhe_note_write(t, EMU_LOC_COP, 4); /* a core may poll the word */
        return *why ? -EFAULT : 0;
    }
    if ((a == BH_INSTRN_BUF_BASE || ((a == BH_INSTRN_BUF_BASE + 0x10000 ||
                                       a == BH_INSTRN_BUF_BASE + 0x20000) &&
                                      c->u.index == BH_BRISC)))
        return bhe_cop_push(t, c, v, (a - BH_INSTRN_BUF_BASE) >> 16, true);
    if (!own_thread(c, &th))
        return -EFAULT;
    if (a == BH_TT_DONE_CHECK || a == BH_PC_BUF_BASE + 8)
        return 0; /* ignored: the load is what waits */
    if (a >= BH_TT_SEM(0) && a < BH_TT_SEM(BH_TT_SEMS)) {
        unsigned i = (a - BH_TT_SEM(0)) / 4;
        if (v > 1) {
            *why = "semaphore store must be 0 (post) or 1 (get)";
            return -EFAULT;
        }
        if (v == 0 ? cop->sem_value[i] >= 15 : cop->sem_value[i] == 0) {
            *why = v == 0 ? "semaphore post at 15" : "semaphore get at 0";
            return -EFAULT;
        }
        cop->sem_value[i] = (uint8_t)(cop->sem_value[i] + (v == 0 ? 1 : -1));
        run(cop);
        bhe_note_write(t, EMU_LOC_COP, 4); /* a core may poll the semaphore */
        return 0;
    }
    return -EFAULT;
}

/* ---- Sync unit ---- */

/* The one semaphore a one-hot sem_sel field (bits 9:2) names, or -1. */
static int sem_index(uint32_t insn)
{
    uint32_t sel = cop_field(insn, 2, 8);
    return sel && !(sel & (sel - 1)) ? __builtin_ctz(sel) : -1;
}

static enum cop_exec op_sem(struct tt_cop *cop, unsigned th, uint32_t insn)
{
    int i = sem_index(insn);
    if (i < 0)
        return cop_refuse(cop, th, insn, "semaphore select must be one-hot");
    switch (insn >> 24) {
    case 0xA3: { /* SEMINIT */
        uint32_t init = cop_field(insn, 16, 4), max = cop_field(insn, 20, 4);
        if (init > max)
            return cop_refuse(cop, th, insn, "SEMINIT value above its max");
        cop->sem_value[i] = (uint8_t)init;
        cop->sem_max[i] = (uint8_t)max;
        return EXEC_DONE;
    }
    case 0xA4: /* SEMPOST: ttsim requires room below the max */
        if (cop->sem_value[i] >= cop->sem_max[i])
            return cop_refuse(cop, th, insn, "SEMPOST on semaphore %d at its max", i);
        cop->sem_value[i]++;
        return EXEC_DONE;
    case 0xA5: /* SEMGET */
        if (!cop->sem_value[i])
            return cop_refuse(cop, th, insn, "SEMGET on semaphore %d at 0", i);
        cop->sem_value[i]--;
        return EXEC_DONE;
    default: { /* SEMWAIT: the whole thread waits, as in ttsim */
        uint32_t cond = cop_field(insn, 0, 2);
        if (cond == 0 || cond == 3)
            return cop_refuse(cop, th, insn, "SEMWAIT condition must be 1 or 2");
        bool wait = cond == 1 ? cop->sem_value[i] == 0 : cop->sem_value[i] >= cop->sem_max[i];
        return wait ? EXEC_WAIT : EXEC_DONE;
    }
    }
}

/* STALLWAIT: every unit finishes its instruction before the next starts here, so only
 * the Src-valid conditions (bits 7, 8) can hold an instruction back. */
static enum cop_exec op_stallwait(struct tt_cop *cop, unsigned th, uint32_t insn)
{
    uint32_t wait = cop_field(insn, 0, 12);
    if (!wait || !cop_field(insn, 15, 9))
        return cop_refuse(cop, th, insn, "STALLWAIT with an empty mask");
    for (unsigned s = 0; s < 2; s++)
        if ((wait & (0x80u << s)) && !cop->src[s].valid[cop->src[s].fpu_bank])
            return EXEC_WAIT;
    if (wait & ~0xD9Fu)
        return cop_refuse(cop, th, insn, "STALLWAIT condition 5, 6 or 9 is not modelled");
    return EXEC_DONE;
}

/* ---- Scalar unit ---- */

static enum cop_exec op_setc16(struct tt_cop *cop, unsigned th, uint32_t insn)
{
    uint32_t reg = cop_field(insn, 16, 8);
    /* The thread registers ttsim implements (compute-facts 9). */
    bool ok = reg <= 3 || reg == 5 || reg == 7 || (reg >= 12 && reg <= 19) ||
              (reg >= 28 && reg <= 35) || (reg >= 37 && reg <= 41) || (reg >= 47 && reg <= 54);
    if (!ok)
        return cop_refuse(cop, th, insn, "SETC16 of thread register %u not in ttsim", reg);
    if (reg == 0 && (insn & 1))
        return cop_refuse(cop, th, insn, "config bank 1 is not modelled");
    cop->th[th].tcfg[reg] = (uint16_t)insn;
    return EXEC_DONE;
}

static enum cop_exec op_setdmareg(struct tt_cop *cop, unsigned th, uint32_t insn)
{
    if (insn & 0x80)
        return cop_refuse(cop, th, insn, "SETDMAREG signals mode is not modelled");
    uint32_t half = cop_field(insn, 0, 7), v = cop_field(insn, 8, 16);
    uint32_t *g = &cop->th[th].gpr[half >> 1];
    *g = half & 1 ? (*g & 0xFFFFu) | v << 16 : (*g & 0xFFFF0000u) | v;
    return EXEC_DONE;
}

static enum cop_exec op_wrcfg(struct tt_cop *cop, unsigned th, uint32_t insn)
{
    uint32_t reg = cop_field(insn, 0, 11), gpr = cop_field(insn, 16, 6);
    unsigned n = insn & (1u << 15) ? 4 : 1;
    if (reg >= COP_CFG_WORDS)
        return cop_refuse(cop, th, insn, "WRCFG of config word %u", reg);
    if (n == 4 && (reg % 4 || gpr % 4))
        return cop_refuse(cop, th, insn, "128-bit WRCFG not 4-aligned");
    for (unsigned k = 0; k < n; k++) {
        const char *why = cfg_write(cop, reg + k, cop->th[th].gpr[gpr + k]);
        if (why)
            return cop_refuse(cop, th, insn, "%s", why);
    }
    return EXEC_DONE;
}

static enum cop_exec op_rdcfg(struct tt_cop *cop, unsigned th, uint32_t insn)
{
    uint32_t reg = cop_field(insn, 0, 11), gpr = cop_field(insn, 16, 6);
    if (reg >= COP_CFG_WORDS || !cfg_readable(reg))
        return cop_refuse(cop, th, insn, "RDCFG of config word %u", reg);
    cop->th[th].gpr[gpr] = cop->cfg[reg];
    return EXEC_DONE;
}

/* STOREREG: a GPR to an overlay stream register, after everything before it in the
 * thread (how compute kernels move CB counts behind their unpacks and packs). */
static enum cop_exec op_storereg(struct tt_cop *cop, unsigned th, uint32_t insn)
{
    uint32_t a = BH_LDM_BASE | cop_field(insn, 0, 18) << 2;
    uint32_t v = cop->th[th].gpr[cop_field(insn, 18, 6)];
    if (a < BH_STREAM_BASE || a >= BH_STREAM_BASE + BH_STREAMS * BH_STREAM_STRIDE)
        return cop_refuse(cop, th, insn, "STOREREG outside the overlay streams");
    struct emu_src src = bhe_unit_src(cop_core(cop, th));
    if (!bhe_tensix_reg_store(cop->tile, a, v, &src)) {
        cop->th[th].dead = true;
        return EXEC_FAULT;
    }
    return EXEC_DONE;
}

/* SETADCXX / SETADCXY / SETADCZW: the address counters of the sets cnt_set_mask names
 * (bit 0 unpacker 0, 1 unpacker 1, 2 packer), each with its carry register. */
static enum cop_exec op_setadc(struct tt_cop *cop, unsigned th, uint32_t insn)
{
    uint32_t sets = cop_field(insn, 21, 3), op = insn >> 24;
    if (!sets)
        return cop_refuse(cop, th, insn, "address-counter set mask is empty");
    uint32_t bits = cop_field(insn, 0, 4);
    if (op != 0x5E && !bits)
        return cop_refuse(cop, th, insn, "address-counter bit mask is empty");
    for (unsigned s = 0; s < ADC_SETS; s++) {
        if (!(sets & (1u << s)))
            continue;
        struct cop_adc *a = &cop->th[th].adc[s];
        if (op == 0x5E) { /* x start and end */
            a->v[0][0] = a->cr[0][0] = cop_field(insn, 0, 10);
            a->v[1][0] = a->cr[1][0] = cop_field(insn, 10, 10);
            continue;
        }
        /* XY: ch0 x, ch0 y, ch1 x, ch1 y; ZW: the same places for z and w. */
        unsigned d0 = op == 0x51 ? 0 : 2;
        for (unsigned k = 0; k < 4; k++) {
            if (!(bits & (1u << k)))
                continue;
            unsigned ch = k >> 1, dim = d0 + (k & 1);
            a->v[ch][dim] = a->cr[ch][dim] = cop_field(insn, 6 + 3 * k, 3);
        }
    }
    return EXEC_DONE;
}

/* ---- Dispatch ---- */

struct cop_opdef {
    cop_op fn;
    uint32_t unused;    /* argument bits no field covers: ttsim refuses them set */
};

static const struct cop_opdef opdefs[256] = {
    [0x10] = {bhe_cop_zeroacc, 0xE03C00},     [0x12] = {bhe_cop_mova2d, 0x000C00},
    [0x26] = {bhe_cop_mvmul, 0x363C00},       [0x27] = {bhe_cop_elw, 0x063C00},
    [0x28] = {bhe_cop_elw, 0x063C00},
    [0x30] = {bhe_cop_elw, 0x063C00},         [0x36] = {bhe_cop_cleardvalid, 0x3FFFFC},
    [0x37] = {bhe_cop_setrwc, 0x000030},      [0x41] = {bhe_cop_pacr, 0x800060},
    [0x42] = {bhe_cop_unpacr, 0x004000},      [0x43] = {bhe_cop_unpacr_nop, 0x408E00},
    [0x45] = {op_setdmareg, 0},               [0x51] = {op_setadc, 0x1C0030},
    [0x54] = {op_setadc, 0x1C0030},           [0x5E] = {op_setadc, 0x100000},
    [0x67] = {op_storereg, 0},                [0x70] = {bhe_cop_sfpload, 0x001C00},
    [0x71] = {bhe_cop_sfploadi, 0},           [0x72] = {bhe_cop_sfpstore, 0x001C00},
    [0x74] = {bhe_cop_sfp_arith, 0},          [0x75] = {bhe_cop_sfp_arith, 0},
    [0x7B] = {bhe_cop_sfpsetcc, 0xFFE000},    [0x7C] = {bhe_cop_sfpmov, 0xFFF000},
    [0x7D] = {bhe_cop_sfpmov, 0xFFF000},
    [0x84] = {bhe_cop_sfp_arith, 0xF00000},   [0x85] = {bhe_cop_sfp_arith, 0xF00000},
    [0x86] = {bhe_cop_sfp_arith, 0xF00000},   [0x8A] = {bhe_cop_sfpencc, 0xFFCF00},
    [0x8F] = {bhe_cop_sfpnop, 0xFFFFFF},      [0xA2] = {op_stallwait, 0x007000},
    [0xA3] = {op_sem, 0x00FC03},              [0xA4] = {op_sem, 0xFFFC03},
    [0xA5] = {op_sem, 0xFFFC03},              [0xA6] = {op_sem, 0x007C00},
    [0xB0] = {op_wrcfg, 0xC07800},            [0xB1] = {op_rdcfg, 0xC0F800},
    [0xB2] = {op_setc16, 0},
};

static enum cop_exec execute(struct tt_cop *cop, unsigned th, uint32_t insn)
{
    uint32_t op = insn >> 24;
    /* SFPU instructions naming LReg 12-15 as destination store an instruction template
     * for SFPLOADMACRO in ttsim; loads and stores there are refused. */
    if (op >= 0x70 && op <= 0x73 && cop_field(insn, 20, 4) >= 12)
        return cop_refuse(cop, th, insn, "SFPU template load (LReg 12-15) refused by ttsim");
    if (op >= 0x74 && op <= 0x99 && op != 0x91 && op != 0x93 && cop_field(insn, 4, 4) >= 12) {
        if (cop->cc_enable && cop->lane_enabled != 0xFFFFFFFFu)
            return cop_refuse(cop, th, insn, "SFPU template store with lanes disabled");
        return EXEC_DONE; /* a template for SFPLOADMACRO, which is refused: no effect */
    }
    const struct cop_opdef *d = &opdefs[op];
    if (!d->fn)
        return cop_refuse(cop, th, insn, op == 0x02 ? "NOP with argument bits"
                                                     : "instruction not modelled");
    if (insn & d->unused)
        return cop_refuse(cop, th, insn, "argument bits outside its fields");
    return d->fn(cop, th, insn);
}

/* Run what can run: each thread's instructions in order until its head must wait,
 * threads in a fixed order, again while anything finished (one finishing may release
 * another thread's head). Cores waiting on the coprocessor are woken once it settles. */
static void run(struct tt_cop *cop)
{
    bool any = false, progress;
    do {
        progress = false;
        for (unsigned th = 0; th < BH_TT_THREADS; th++) {
            struct cop_thread *t = &cop->th[th];
            while (t->len && !t->dead) {
                enum cop_exec r = execute(cop, th, t->fifo[t->head]);
                if (r != EXEC_DONE)
                    break;
                t->head = (t->head + 1) % COP_FIFO_MAX;
                t->len--;
                cop->retired++;
                progress = any = true;
            }
        }
    } while (progress);
    if (any && (cop->tile->parked & cop->tile->parked_on_cop))
        bhe_wake(cop->tile, EMU_LOC_COP, 4);
}

int bhe_cop_push(struct tensix_tile *t, struct rv_core *c, uint32_t insn, unsigned thread,
                 bool store)
{
    struct tt_cop *cop = cop_of(t);
    if (!cop)
        return -ENOMEM;
    unsigned th = thread;
    if (c->u.index >= BH_TRISC0)
        th = c->u.index - BH_TRISC0;
    else if (c->u.index != BH_BRISC)
        return -EFAULT; /* NCRISC has no thread */
    struct cop_thread *q = &cop->th[th];
    if (!store && q->len >= COP_FIFO_STALL)
        return -EAGAIN;
    q->pusher = &c->u;
    if (insn == 0x02000000u)
        return 0; /* NOP: dropped as it is pushed */
    if (q->len == COP_FIFO_MAX - 1)
        return -ENOSPC;
    q->fifo[(q->head + q->len++) % COP_FIFO_MAX] = insn;
    run(cop);
    return 0;
}
