/* The clock on several host threads: a busy chip (every tile playing NoC ping-pong with a
 * far partner, computing on a TRISC, and faulting on NCRISC at its own time) ends in the
 * same state, to the cycle, at 1, 2, 3 and 4 threads: every core's registers, PC, state
 * and instructions retired, every tile's L1, the chip's counters and the faults in the
 * order they were queued. */
#include <stdlib.h>
#include <string.h>

#include "ttm/blackhole.h"
#include "rv32/noc_abi.h"
#include "rv32/rvtest.h"
#include "emu_util.h"
#include "test.h"

#define ROUNDS 40
#define CYCLES 150000
#define L1_HASHED 0x21000   /* programs, results and the ping-pong buffers */

struct core_state {
    uint32_t state, pc, regs[32];
    uint64_t instret;
};

struct snapshot {
    uint64_t now, l1_hash;
    struct bhemu_stats st;
    unsigned n_faults;
    struct bhemu_fault faults[64];
    struct core_state core[140][BH_CORES_PER_TILE];
};

static uint64_t fnv(uint64_t h, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

/* NCRISC counts down from n, then runs ecall: a fault at a time of the tile's own. */
static void countdown_then_ecall(bhemu *emu, uint32_t x, uint32_t y, uint32_t n)
{
    uint32_t hi = (n + 0x800) & 0xFFFFF000u, lo = n - hi;
    const uint32_t prog[] = {
        hi | 10u << 7 | 0x37,                       /* lui a0, hi */
        (lo & 0xFFF) << 20 | 10u << 15 | 10u << 7 | 0x13, /* addi a0, a0, lo */
        0xFFF00513u | 10u << 15,                    /* addi a0, a0, -1 */
        0xFE051EE3u,                                /* bnez a0, -4 */
        0x00000073u,                                /* ecall */
    };
    bhemu_tile_write(emu, x, y, BH_NCRISC_DEFAULT_PC, prog, sizeof prog);
}

static int busy_chip(unsigned threads, struct snapshot *s)
{
    struct bhemu_config cfg;
    bhemu_config_default(BHEMU_P150A, &cfg);
    cfg.threads = threads;
    bhemu *emu = NULL;
    if (bhemu_create(&cfg, &emu))
        return -1;
    unsigned n = eu_worker_count(emu);
    if (n > 140 || n < 2) {
        bhemu_destroy(emu);
        return -1;
    }
    for (unsigned i = 0; i < n; i++) {
        uint32_t x, y, px, py;
        eu_worker_xy(emu, i, &x, &y);
        eu_worker_xy(emu, n - 1 - i, &px, &py);
        uint32_t p[5] = {[NOC_PP_P_ROLE] = i < n / 2, [NOC_PP_P_PEER_XY] = px | py << 6,
                         [NOC_PP_P_ROUNDS] = ROUNDS, [NOC_PP_P_NOC] = i & 1, [NOC_PP_P_GO] = 0};
        if (n % 2 && i == n / 2)
            p[NOC_PP_P_ROUNDS] = 0; /* the middle tile of an odd grid plays alone */
        if (eu_load(emu, x, y, 0, "noc_pingpong") ||
            bhemu_tile_write(emu, x, y, NOC_PARAM, p, sizeof p) ||
            eu_load(emu, x, y, BH_TRISC0_DEFAULT_PC, "compute_loop")) {
            bhemu_destroy(emu);
            return -1;
        }
        countdown_then_ecall(emu, x, y, 500 + 97 * i);
    }
    for (unsigned i = 0; i < n; i++) {
        uint32_t x, y;
        eu_worker_xy(emu, i, &x, &y);
        eu_release(emu, x, y, BH_RESET_BRISC | BH_RESET_NCRISC | BH_RESET_TRISC0);
    }
    for (unsigned c = 0; c < CYCLES; c += 10000)
        bhemu_clock(emu, 10000);

    memset(s, 0, sizeof *s);
    s->now = bhemu_now(emu);
    bhemu_get_stats(emu, &s->st);
    while (s->n_faults < 64 && bhemu_fault_pop(emu, &s->faults[s->n_faults]))
        s->n_faults++;
    static uint8_t l1[L1_HASHED];
    s->l1_hash = 0xcbf29ce484222325ull;
    for (unsigned i = 0; i < n; i++) {
        uint32_t x, y;
        eu_worker_xy(emu, i, &x, &y);
        bhemu_tile_read(emu, x, y, 0, l1, sizeof l1);
        s->l1_hash = fnv(s->l1_hash, l1, sizeof l1);
        for (unsigned c = 0; c < BH_CORES_PER_TILE; c++) {
            struct bhemu_core_info info;
            bhemu_core_info(emu, x, y, c, &info);
            struct core_state *k = &s->core[i][c];
            k->state = info.state;
            k->pc = info.pc;
            k->instret = info.instret;
            memcpy(k->regs, info.regs, sizeof k->regs);
        }
        /* The games must have been played, or the comparison proves little. */
        if (i != n / 2 && eu_rd32(emu, x, y, NOC_PP_R_ROUNDS) != ROUNDS) {
            test_fail_at(__FILE__, __LINE__, "tile %u played %u of %u rounds", i,
                         eu_rd32(emu, x, y, NOC_PP_R_ROUNDS), ROUNDS);
            bhemu_destroy(emu);
            return -1;
        }
    }
    bhemu_destroy(emu);
    return 0;
}

TEST(threads_give_the_same_chip_to_the_cycle)
{
    static struct snapshot one, many;
    CHECK_EQ(busy_chip(1, &one), 0);
    /* Every NCRISC faulted, in the queue's order; the compute loops ran all along. */
    CHECK_EQ(one.n_faults, 64);
    CHECK_EQ(one.st.faults, 140);
    CHECK(one.st.noc_requests >= 140 * ROUNDS); /* two requests a round per pair */
    CHECK(one.core[0][BH_TRISC0].instret > CYCLES / 2);
    for (unsigned threads = 2; threads <= 4; threads++) {
        CHECK_EQ(busy_chip(threads, &many), 0);
        CHECK_EQ(many.now, one.now);
        CHECK_EQ(many.st.instret, one.st.instret);
        CHECK_EQ(many.st.noc_requests, one.st.noc_requests);
        CHECK_EQ(many.st.noc_bytes, one.st.noc_bytes);
        CHECK_EQ(many.st.faults, one.st.faults);
        CHECK_EQ(many.l1_hash, one.l1_hash);
        CHECK_EQ(many.n_faults, one.n_faults);
        for (unsigned f = 0; f < one.n_faults; f++) {
            const struct bhemu_fault *a = &one.faults[f], *b = &many.faults[f];
            CHECK_EQ(b->x << 16 | b->y << 8 | (uint32_t)b->core, a->x << 16 | a->y << 8 | (uint32_t)a->core);
            CHECK_EQ(b->cycle, a->cycle);
            CHECK_EQ(b->pc, a->pc);
        }
        for (unsigned i = 0; i < 140; i++)
            for (unsigned c = 0; c < BH_CORES_PER_TILE; c++) {
                const struct core_state *a = &one.core[i][c], *b = &many.core[i][c];
                if (memcmp(a, b, sizeof *a))
                    test_fail_at(__FILE__, __LINE__,
                                 "%u threads: tile %u core %u differs (pc 0x%x/0x%x, instret "
                                 "%llu/%llu)", threads, i, c, a->pc, b->pc,
                                 (unsigned long long)a->instret, (unsigned long long)b->instret);
            }
    }
}

/* Faults made in one parallel phase wait in the tile: all five cores of a tile faulting at
 * once (zeros at every reset PC are illegal instructions) are all reported. */
TEST(every_core_of_a_tile_faulting_at_once_is_reported)
{
    bhemu *emu = eu_create_default(BHEMU_P150A);
    CHECK(emu);
    uint32_t x, y;
    eu_worker_xy(emu, 3, &x, &y);
    eu_release(emu, x, y, BH_RESET_ALL_RISCS);
    bhemu_clock(emu, 1000);
    unsigned seen = 0, n = 0;
    struct bhemu_fault f;
    while (bhemu_fault_pop(emu, &f) == 1) {
        n++;
        if (f.cause == BHEMU_FAULT_ILLEGAL_INSN && f.x == x && f.y == y && f.core >= 0)
            seen |= 1u << f.core;
    }
    struct bhemu_stats st;
    bhemu_get_stats(emu, &st);
    CHECK_EQ(n, 5);
    CHECK_EQ(seen, 0x1F);
    CHECK_EQ(st.faults_dropped, 0);
    bhemu_destroy(emu);
}
