/* The range allocator behind DRAM buffers, L1 buffers and circular buffers. */
#include <errno.h>

#include "chip/alloc.h"
#include "test.h"

TEST(alloc_first_fit_alignment_and_reuse)
{
    struct chip_alloc a;
    uint64_t x, y, z, w;
    alloc_init(&a, 0x1000, 0x10000);
    CHECK_EQ(alloc_take(&a, 100, 64, &x), 0);
    CHECK_EQ(x, 0x1000);
    CHECK_EQ(alloc_take(&a, 100, 64, &y), 0);
    CHECK_EQ(y, 0x1080); /* 0x1064 rounded up to 64 */
    CHECK_EQ(alloc_take(&a, 0x100, 0x1000, &z), 0);
    CHECK_EQ(z, 0x2000);
    CHECK_EQ(alloc_give(&a, y, 100), 0);
    CHECK_EQ(alloc_take(&a, 64, 64, &w), 0); /* reuses the hole */
    CHECK_EQ(w, 0x1080);
    CHECK_EQ(alloc_free_bytes(&a), 0xF000 - 100 - 64 - 0x100);
    alloc_fini(&a);
}

TEST(alloc_full_and_bad_requests)
{
    struct chip_alloc a;
    uint64_t x;
    alloc_init(&a, 0, 0x1000);
    CHECK_EQ(alloc_take(&a, 0x1000, 16, &x), 0);
    CHECK_EQ(alloc_take(&a, 16, 16, &x), -ENOMEM);
    CHECK_EQ(alloc_take(&a, 0, 16, &x), -EINVAL);
    CHECK_EQ(alloc_take(&a, 16, 24, &x), -EINVAL); /* not a power of two */
    CHECK_EQ(alloc_give(&a, 0x1000, 16), -EINVAL);  /* outside */
    CHECK_EQ(alloc_give(&a, 0, 0), -EINVAL);
    CHECK_EQ(alloc_give(&a, 0, 0x1000), 0);
    CHECK_EQ(alloc_give(&a, 0, 0x1000), -EINVAL);   /* twice */
    CHECK_EQ(alloc_give(&a, 0x10, 16), -EINVAL);    /* inside a free range */
    CHECK_EQ(alloc_free_bytes(&a), 0x1000);
    alloc_fini(&a);
}

TEST(alloc_many_ranges_fill_and_drain)
{
    struct chip_alloc a;
    uint64_t addr[256];
    alloc_init(&a, 0, 256 * 64);
    for (int i = 0; i < 256; i++) {
        CHECK_EQ(alloc_take(&a, 64, 64, &addr[i]), 0);
        CHECK_EQ(addr[i], (uint64_t)i * 64);
    }
    for (int i = 0; i < 256; i += 2)
        CHECK_EQ(alloc_give(&a, addr[i], 64), 0);
    uint64_t x;
    CHECK_EQ(alloc_take(&a, 128, 64, &x), -ENOMEM); /* fragmented: no two adjacent holes */
    for (int i = 1; i < 256; i += 2)
        CHECK_EQ(alloc_give(&a, addr[i], 64), 0);
    CHECK_EQ(alloc_take(&a, 256 * 64, 64, &x), 0);
    alloc_fini(&a);
}

/* Many allocations made and given back in either order: the free ranges coalesce back
 * into one span, and the cost stays linear (bench/emu_bench.c times 40,000). */
TEST(alloc_forty_thousand_ranges_coalesce)
{
    enum { N = 40000 };
    static uint64_t addr[N];
    struct chip_alloc a;
    alloc_init(&a, 0, (uint64_t)N * 64);
    for (int order = 0; order < 3; order++) {
        for (int i = 0; i < N; i++)
            CHECK_EQ(alloc_take(&a, 64, 64, &addr[i]), 0);
        CHECK_EQ(alloc_free_bytes(&a), 0);
        for (int k = 0; k < N; k++) {
            int i = order == 0 ? k : order == 1 ? N - 1 - k : (k * 7919) % N;
            CHECK_EQ(alloc_give(&a, addr[i], 64), 0);
        }
        CHECK_EQ(alloc_free_bytes(&a), (uint64_t)N * 64);
        CHECK_EQ(a.n, 1);
    }
    alloc_fini(&a);
}
