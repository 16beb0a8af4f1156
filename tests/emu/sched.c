/* Time, reset and the spin detector: cores park on memory nobody writes and wake when it
 * is written; reset PCs; several chips in one process; code rewritten after it ran. */
#include <string.h>

#include "ttm/blackhole.h"
#include "rv32/rvtest.h"
#include "emu_util.h"
#include "test.h"

static uint32_t core_state(bhemu *emu, uint32_t x, uint32_t y, unsigned core)
{
    struct bhemu_core_info info;
    if (bhemu_core_info(emu, x, y, core, &info))
        return 0xFFFFFFFFu;
    return info.state;
}

TEST(parked_core_wakes_on_host_write)
{
    bhemu *emu = eu_create_default(BHEMU_P150A);
    CHECK(emu);
    CHECK_EQ(eu_load(emu, 1, 2, 0, "wait_echo"), 0);
    eu_release(emu, 1, 2, BH_RESET_BRISC);
    bhemu_clock(emu, 10000);
    CHECK_EQ(core_state(emu, 1, 2, BH_BRISC), BHEMU_CORE_PARKED);
    for (uint32_t i = 1; i <= 5; i++) {
        eu_wr32(emu, 1, 2, 0x20000, 100 * i);
        bhemu_clock(emu, 1000);
        CHECK_EQ(eu_rd32(emu, 1, 2, 0x20004), 100 * i + 1);
        CHECK_EQ(eu_rd32(emu, 1, 2, 0x20008), i);
        CHECK_EQ(core_state(emu, 1, 2, BH_BRISC), BHEMU_CORE_PARKED);
    }
    /* A write elsewhere in L1 does not wake it. */
    struct bhemu_core_info before, after;
    bhemu_core_info(emu, 1, 2, BH_BRISC, &before);
    eu_wr32(emu, 1, 2, 0x20100, 7);
    bhemu_clock(emu, 100000);
    bhemu_core_info(emu, 1, 2, BH_BRISC, &after);
    CHECK_EQ(after.instret, before.instret);
    CHECK_EQ(eu_drain_faults(emu), 0);
    bhemu_destroy(emu);
}

TEST(idle_chip_costs_nothing_to_clock)
{
    bhemu *emu = eu_create_default(BHEMU_P100A);
    CHECK(emu);
    unsigned n = eu_worker_count(emu);
    CHECK_EQ(n, 120);
    for (unsigned i = 0; i < n; i++) {
        uint32_t x, y;
        eu_worker_xy(emu, i, &x, &y);
        CHECK_EQ(eu_load(emu, x, y, 0, "wait_echo"), 0);
        eu_release(emu, x, y, BH_RESET_BRISC);
    }
    bhemu_clock(emu, 20000);
    struct bhemu_stats st;
    bhemu_get_stats(emu, &st);
    CHECK_EQ(st.cores_parked, 120);
    uint64_t instret = st.instret;
    bhemu_clock(emu, 1000000000000ull); /* a trillion cycles: must return at once */
    bhemu_get_stats(emu, &st);
    CHECK_EQ(st.instret, instret);
    CHECK_EQ(bhemu_now(emu), 1000000020000ull);
    /* Every core still answers. */
    for (unsigned i = 0; i < n; i += 7) {
        uint32_t x, y;
        eu_worker_xy(emu, i, &x, &y);
        eu_wr32(emu, x, y, 0x20000, i + 1);
    }
    bhemu_clock(emu, 2000);
    for (unsigned i = 0; i < n; i += 7) {
        uint32_t x, y;
        eu_worker_xy(emu, i, &x, &y);
        CHECK_EQ(eu_rd32(emu, x, y, 0x20004), i + 2);
    }
    bhemu_destroy(emu);
}

TEST(reset_pcs_default_and_override)
{
    static const uint32_t pcs[BH_CORES_PER_TILE] = {0, BH_NCRISC_DEFAULT_PC, BH_TRISC0_DEFAULT_PC,
                                                    BH_TRISC1_DEFAULT_PC, BH_TRISC2_DEFAULT_PC};
    bhemu *emu = eu_create_default(BHEMU_P150A);
    CHECK(emu);
    CHECK_EQ(eu_rd32(emu, 3, 4, BH_SOFT_RESET_0), BH_RESET_ALL_RISCS);
    for (unsigned c = 0; c < BH_CORES_PER_TILE; c++)
        CHECK_EQ(eu_load(emu, 3, 4, pcs[c], "where_am_i"), 0);
    eu_release(emu, 3, 4, BH_RESET_ALL_RISCS);
    bhemu_clock(emu, 1000);
    for (unsigned c = 0; c < BH_CORES_PER_TILE; c++)
        CHECK_EQ(eu_rd32(emu, 3, 4, 0x30000 + ((pcs[c] >> 10) & 0xFC)), pcs[c]);

    /* Overrides move NCRISC and TRISC1; BRISC has none and keeps starting at 0. */
    eu_wr32(emu, 3, 4, BH_SOFT_RESET_0, BH_RESET_ALL_RISCS);
    eu_wr32(emu, 3, 4, BH_NCRISC_RESET_PC, 0x44000);
    eu_wr32(emu, 3, 4, BH_NCRISC_RESET_PC_OVERRIDE, 1);
    eu_wr32(emu, 3, 4, BH_TRISC0_RESET_PC + 4, 0x48000);
    eu_wr32(emu, 3, 4, BH_TRISC_RESET_PC_OVERRIDE, 2);
    CHECK_EQ(eu_load(emu, 3, 4, 0x44000, "where_am_i"), 0);
    CHECK_EQ(eu_load(emu, 3, 4, 0x48000, "where_am_i"), 0);
    eu_release(emu, 3, 4, BH_RESET_NCRISC | BH_RESET_TRISC1);
    bhemu_clock(emu, 1000);
    CHECK_EQ(eu_rd32(emu, 3, 4, 0x30000 + ((0x44000 >> 10) & 0xFC)), 0x44000);
    CHECK_EQ(eu_rd32(emu, 3, 4, 0x30000 + ((0x48000 >> 10) & 0xFC)), 0x48000);
    CHECK_EQ(core_state(emu, 3, 4, BH_BRISC), BHEMU_CORE_RESET);
    CHECK_EQ(core_state(emu, 3, 4, BH_TRISC0), BHEMU_CORE_RESET);
    CHECK_EQ(eu_drain_faults(emu), 0);
    bhemu_destroy(emu);
}

TEST(reset_stops_a_running_core_and_clears_local_ram)
{
    bhemu *emu = eu_create_default(BHEMU_P150A);
    CHECK(emu);
    CHECK_EQ(eu_load(emu, 2, 5, 0, "ldm_echo"), 0);
    eu_release(emu, 2, 5, BH_RESET_BRISC);
    bhemu_clock(emu, 1000);
    /* The local RAM is reached from outside through its slow-path alias only. */
    uint32_t v = 0;
    CHECK(bhemu_tile_read(emu, 2, 5, BH_LDM_BASE + 0x100, &v, 4) != 0);
    eu_wr32(emu, 2, 5, BH_LDM_ALIAS_BASE + 0x100, 0xCAFE);
    bhemu_clock(emu, 1000);
    CHECK_EQ(eu_rd32(emu, 2, 5, 0x20030), 0xCAFE);
    CHECK_EQ(core_state(emu, 2, 5, BH_BRISC), BHEMU_CORE_PARKED);

    eu_wr32(emu, 2, 5, BH_SOFT_RESET_0, BH_RESET_ALL_RISCS);
    CHECK_EQ(core_state(emu, 2, 5, BH_BRISC), BHEMU_CORE_RESET);
    eu_wr32(emu, 2, 5, 0x20030, 0);
    eu_release(emu, 2, 5, BH_RESET_BRISC);
    bhemu_clock(emu, 1000);
    CHECK_EQ(eu_rd32(emu, 2, 5, BH_LDM_ALIAS_BASE + 0x100), 0); /* cleared by the release */
    CHECK_EQ(eu_rd32(emu, 2, 5, 0x20030), 0);
    bhemu_destroy(emu);
}

TEST(wall_clock_advances_under_a_polling_core)
{
    bhemu *emu = eu_create_default(BHEMU_P150A);
    CHECK(emu);
    CHECK_EQ(eu_load(emu, 1, 3, 0, "wall_wait"), 0);
    eu_release(emu, 1, 3, BH_RESET_BRISC);
    CHECK_EQ(eu_wait_word(emu, 1, 3, RV_DONE, 100000), RV_DONE_PASS);
    uint32_t elapsed = eu_rd32(emu, 1, 3, 0x20010);
    CHECK(elapsed >= 600 && elapsed < 700);
    bhemu_destroy(emu);
}

/* A core running alone is clocked in long chunks; one it wakes must not see what it
 * stores later in the chunk before the time it stored it. The writer raises a flag three
 * times, ~400 cycles apart; the reader, parked on the flag, must see each raise at or
 * after the writer's time of it (it saw the later ones early before the fix). */
TEST(a_woken_core_sees_no_store_before_its_time)
{
    bhemu *emu = eu_create_default(BHEMU_P150A);
    CHECK(emu);
    CHECK_EQ(eu_load(emu, 2, 5, 0, "wake_writer"), 0);
    CHECK_EQ(eu_load(emu, 2, 5, BH_NCRISC_DEFAULT_PC, "wake_reader"), 0);
    eu_release(emu, 2, 5, BH_RESET_NCRISC);
    bhemu_clock(emu, 5000); /* the reader parks on the flag */
    eu_release(emu, 2, 5, BH_RESET_BRISC);
    for (int step = 0; step < 20; step++)
        bhemu_clock(emu, 1024);
    for (uint32_t i = 1; i <= 3; i++) {
        uint32_t wrote = eu_rd32(emu, 2, 5, 0x20100 + 8 * (i - 1));
        uint32_t saw = eu_rd32(emu, 2, 5, 0x20200 + 8 * i);
        CHECK(wrote && saw);
        if (saw < wrote)
            printf("  raise %u: written at %u, seen at %u\n", i, wrote, saw);
        CHECK(saw >= wrote);
    }
    CHECK_EQ(eu_drain_faults(emu), 0);
    bhemu_destroy(emu);
}

TEST(code_rewritten_after_it_ran_is_seen)
{
    bhemu *emu = eu_create_default(BHEMU_P150A);
    CHECK(emu);
    CHECK_EQ(eu_load(emu, 4, 6, 0, "self_modify"), 0);
    eu_release(emu, 4, 6, BH_RESET_BRISC);
    CHECK_EQ(eu_wait_word(emu, 4, 6, RV_DONE, 100000), RV_DONE_PASS);
    CHECK_EQ(eu_rd32(emu, 4, 6, 0x20020), 1);
    CHECK_EQ(eu_rd32(emu, 4, 6, 0x20024), 2);

    /* The host replaces the program under a decoded cache: the new one must run. */
    eu_wr32(emu, 4, 6, BH_SOFT_RESET_0, BH_RESET_ALL_RISCS);
    CHECK_EQ(eu_load(emu, 4, 6, 0, "where_am_i"), 0);
    eu_release(emu, 4, 6, BH_RESET_BRISC);
    bhemu_clock(emu, 1000);
    CHECK_EQ(eu_rd32(emu, 4, 6, 0x30000), 0);
    CHECK_EQ(eu_rd32(emu, 4, 6, RV_DONE), RV_DONE_PASS); /* left from the first run */
    CHECK_EQ(eu_drain_faults(emu), 0);
    bhemu_destroy(emu);
}

TEST(two_chips_in_one_process_are_independent)
{
    bhemu *a = eu_create_default(BHEMU_P150A);
    bhemu *b = eu_create_default(BHEMU_P100A);
    CHECK(a && b);
    CHECK_EQ(eu_load(a, 1, 2, 0, "wait_echo"), 0);
    CHECK_EQ(eu_load(b, 1, 2, 0, "wait_echo"), 0);
    eu_release(a, 1, 2, BH_RESET_BRISC);
    eu_release(b, 1, 2, BH_RESET_BRISC);
    eu_wr32(a, 1, 2, 0x20000, 10);
    eu_wr32(b, 1, 2, 0x20000, 20);
    bhemu_clock(a, 5000);
    CHECK_EQ(eu_rd32(a, 1, 2, 0x20004), 11);
    CHECK_EQ(eu_rd32(b, 1, 2, 0x20004), 0); /* b has not been clocked */
    bhemu_clock(b, 5000);
    CHECK_EQ(eu_rd32(b, 1, 2, 0x20004), 21);
    CHECK_EQ(bhemu_now(a), 5000);
    CHECK_EQ(bhemu_now(b), 5000);
    bhemu_destroy(a);
    bhemu_destroy(b);
}

TEST(fault_queue_keeps_the_first_faults_and_counts_the_rest)
{
    bhemu *emu = eu_create_default(BHEMU_P150A);
    CHECK(emu);
    uint32_t word = 0;
    /* The zero-time backdoor returns errors without recording faults. */
    CHECK(bhemu_tile_read(emu, 30, 30, 0, &word, 4) != 0);
    struct bhemu_fault f;
    CHECK_EQ(bhemu_fault_pop(emu, &f), 0);
    unsigned n = eu_worker_count(emu);
    for (unsigned i = 0; i < 300; i++) {
        uint32_t x, y;
        eu_worker_xy(emu, i % n, &x, &y);
        eu_wr32(emu, x, y, 0, 0); /* an all-zero word is an illegal instruction */
        if (i < n)
            eu_release(emu, x, y, BH_RESET_BRISC);
        else {
            eu_wr32(emu, x, y, BH_SOFT_RESET_0, BH_RESET_ALL_RISCS);
            eu_release(emu, x, y, BH_RESET_BRISC);
        }
        bhemu_clock(emu, 10);
    }
    struct bhemu_stats st;
    bhemu_get_stats(emu, &st);
    CHECK_EQ(st.faults, 300);
    CHECK_EQ(st.faults_dropped, 300 - 256);
    unsigned popped = 0;
    while (bhemu_fault_pop(emu, &f) == 1) {
        CHECK_EQ(f.cause, BHEMU_FAULT_ILLEGAL_INSN);
        CHECK_EQ(f.pc, 0);
        popped++;
    }
    CHECK_EQ(popped, 256);
    bhemu_destroy(emu);
}
