/* Host memory of the model backends (src/pcie/model.c): a block given back serves the
 * next allocation of its size, and comes back zeroed as a fresh one does. */
#include <string.h>

#include "pcie/model.h"
#include "test.h"

TEST(reused_host_memory_comes_back_zeroed)
{
    struct model_port m;
    model_init(&m);
    const size_t len = 3u << 20;
    void *a, *b;
    uint64_t off, noc;
    CHECK_EQ(model_host_alloc(&m, "test", len, &a, &off, &noc), 0);
    memset(a, 0x5A, len);
    CHECK(model_host_free(&m, a, len) != UINT64_MAX);
    CHECK_EQ(model_host_alloc(&m, "test", len, &b, &off, &noc), 0);
    const unsigned char *p = b;
    size_t nonzero = 0;
    for (size_t i = 0; i < len; i++)
        nonzero += p[i] != 0;
    CHECK_EQ(nonzero, 0);
    /* The region is found at its offset, and freed again. */
    CHECK(model_host_find(&m, off, len) != NULL);
    CHECK_EQ(model_host_free(&m, b, len), off);
}
