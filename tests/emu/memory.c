/* Memory reused across chips in a process (emu/map_pool.c) comes back as a fresh chip's
 * does: every byte of L1 and DRAM zero, whether the last chip wrote it or not. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "emu_util.h"
#include "test.h"
#include "ttm/blackhole.h"

TEST(a_chip_made_after_another_sees_zeroed_memory)
{
    static uint8_t pattern[8192], back[8192];
    memset(pattern, 0xA5, sizeof pattern);
    bhemu *a = eu_create_default(BHEMU_P150A);
    CHECK(a);
    /* Pages at the start, in the middle and at the end of L1, on a few tiles. */
    const uint64_t where[3] = {0, 0x80000, BH_L1_SIZE - sizeof pattern};
    uint32_t tiles[3][2];
    const unsigned which[3] = {0, eu_worker_count(a) / 2, eu_worker_count(a) - 1};
    for (int t = 0; t < 3; t++)
        eu_worker_xy(a, which[t], &tiles[t][0], &tiles[t][1]);
    for (int t = 0; t < 3; t++)
        for (int w = 0; w < 3; w++)
            CHECK_EQ(bhemu_tile_write(a, tiles[t][0], tiles[t][1], where[w], pattern, sizeof pattern), 0);
    bhemu_destroy(a);
    /* The next chips take those mappings back (any of them, on any tile). */
    for (int round = 0; round < 2; round++) {
        bhemu *b = eu_create_default(BHEMU_P150A);
        CHECK(b);
        for (int t = 0; t < 3; t++) {
            for (int w = 0; w < 3; w++) {
                memset(back, 0xFF, sizeof back);
                CHECK_EQ(bhemu_tile_read(b, tiles[t][0], tiles[t][1], where[w], back, sizeof back), 0);
                for (size_t i = 0; i < sizeof back; i++)
                    if (back[i]) {
                        CHECK_EQ(back[i], 0);
                        break;
                    }
            }
        }
        /* Dirty this one too, for the next round. */
        CHECK_EQ(bhemu_tile_write(b, tiles[0][0], tiles[0][1], 0x1000, pattern, sizeof pattern), 0);
        bhemu_destroy(b);
    }
}

/* Pages of a DRAM bank are cleared for the next chip over the range written, by writing
 * zeros for a small range and by dropping a large one (20 MiB here). */
TEST(dram_written_by_one_chip_reads_zero_on_the_next)
{
    static uint8_t pattern[4096], back[4096];
    memset(pattern, 0x5A, sizeof pattern);
    const uint64_t big = 20u << 20;
    bhemu *a = eu_create_default(BHEMU_P150A);
    CHECK(a);
    CHECK_EQ(bhemu_tile_write(a, bh_dram_x(0), bh_dram_y(0, 0), 0x10000, pattern, sizeof pattern), 0);
    for (uint64_t off = 0; off < big; off += sizeof pattern)
        CHECK_EQ(bhemu_tile_write(a, bh_dram_x(1), bh_dram_y(1, 0), off, pattern, sizeof pattern), 0);
    bhemu_destroy(a);
    bhemu *b = eu_create_default(BHEMU_P150A);
    CHECK(b);
    const struct { uint32_t bank; uint64_t off; } at[] = {{0, 0x10000}, {1, 0}, {1, big / 2}, {1, big - 4096}};
    for (unsigned i = 0; i < sizeof at / sizeof at[0]; i++) {
        memset(back, 0xFF, sizeof back);
        CHECK_EQ(bhemu_tile_read(b, bh_dram_x(at[i].bank), bh_dram_y(at[i].bank, 0), at[i].off, back, sizeof back), 0);
        for (size_t k = 0; k < sizeof back; k++)
            if (back[k]) {
                CHECK_EQ(i << 16 | back[k], i << 16);
                break;
            }
    }
    bhemu_destroy(b);
}

/* A forked child's chips are cleared by what the child wrote, not by what its parent's
 * memory holds: the child reads its own page table. */
TEST(a_forked_child_reuses_memory_zeroed)
{
    static uint8_t pattern[4096], back[4096];
    memset(pattern, 0xC3, sizeof pattern);
    /* The parent has made and destroyed a chip, so its pool and page-table reader exist. */
    bhemu *p = eu_create_default(BHEMU_P150A);
    CHECK(p);
    bhemu_destroy(p);
    fflush(NULL);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        bhemu *a = eu_create_default(BHEMU_P150A);
        uint32_t x, y;
        eu_worker_xy(a, 5, &x, &y);
        /* A page the parent never touched. */
        int bad = bhemu_tile_write(a, x, y, 0x100000, pattern, sizeof pattern) != 0;
        bhemu_destroy(a);
        for (int round = 0; round < 3 && !bad; round++) {
            bhemu *b = eu_create_default(BHEMU_P150A);
            for (unsigned w = 0; w < eu_worker_count(b) && !bad; w++) {
                eu_worker_xy(b, w, &x, &y);
                bad = bhemu_tile_read(b, x, y, 0x100000, back, sizeof back) != 0;
                for (size_t k = 0; k < sizeof back && !bad; k++)
                    bad = back[k] != 0;
            }
            bhemu_destroy(b);
        }
        _exit(bad);
    }
    int status = 0;
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 0);
}
