/* Tile memory reused across chips in a process (emu/map_pool.c) comes back as a fresh
 * chip's does: every byte of L1 zero, whether the last chip wrote it or not. */
#include <stdlib.h>
#include <string.h>

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
