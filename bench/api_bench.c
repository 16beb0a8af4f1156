/* Host-side API figures on the emulator (P100A, slow dispatch), one per line as
 * "name: value unit":
 *   api_buffers_40k_create_destroy_ms  host wall time to create 40,000 DRAM buffers and
 *                                      destroy them in creation order (one sample)
 *   api_buffer_size_ns                 host time of one call that only checks its handle
 *                                      and reads a field (ttm_buffer_size; mean of 1M)
 * The first is the allocator's and the handle table's cost as they grow (it was quadratic
 * in the number of buffers); the second, what entering any call costs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ttm.h"

#define N_BUFFERS 40000

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int fail(const char *what)
{
    fprintf(stderr, "api_bench: %s: %s\n", what, ttm_last_error());
    return 1;
}

int main(void)
{
    struct ttm_device_opts o = {.argsz = sizeof o, .backend = "emu", .dispatch = TTM_DISPATCH_SLOW};
    ttm_device *dev;
    if (ttm_device_create_opts(&o, &dev))
        return fail("opening the device");
    ttm_buffer **b = calloc(N_BUFFERS, sizeof *b);
    if (!b)
        return fail("out of memory");
    double t0 = now_s();
    for (int i = 0; i < N_BUFFERS; i++)
        if (ttm_buffer_create_interleaved(dev, 1024, 64, TTM_BUFFER_DRAM, &b[i]))
            return fail("creating a buffer");
    for (int i = 0; i < N_BUFFERS; i++)
        if (ttm_buffer_destroy(b[i]))
            return fail("destroying a buffer");
    double made = now_s() - t0;

    ttm_buffer *one;
    if (ttm_buffer_create_interleaved(dev, 1024, 64, TTM_BUFFER_DRAM, &one))
        return fail("creating a buffer");
    uint64_t sum = 0;
    t0 = now_s();
    for (int i = 0; i < 1000000; i++)
        sum += ttm_buffer_size(one);
    double call = (now_s() - t0) / 1e6;
    if (sum != 1024ull * 1000000)
        return fail("ttm_buffer_size");
    printf("api_buffers_40k_create_destroy_ms: %.1f ms\n", made * 1e3);
    printf("api_buffer_size_ns: %.1f ns\n", call * 1e9);
    ttm_buffer_destroy(one);
    free(b);
    ttm_device_close(dev);
    return 0;
}
