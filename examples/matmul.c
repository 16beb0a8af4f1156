/* matmul: C = A x B on the Tensix FPU, for bfloat16 matrices in row-major order. The host
 * tilizes A and B (ttm_tilize), the output tiles are spread over the worker grid (or one
 * core), each core's reader fetches its A and B tiles from DRAM, its compute kernel
 * accumulates the K products of each output tile in Dst and packs it, its writer stores
 * it; the host untilizes C and checks it against a float64 product within the bound the
 * FPU's arithmetic allows (examples/matmul_kernels.h).
 *
 *   build/examples/matmul [M K N [single]]   (default 512 512 512 on every worker; each a
 *                                            multiple of 32; "single": one core)
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ttm.h>

#include "matmul_kernels.h"

#define CHECK(call)                                                                     \
    do {                                                                                \
        int rc_ = (call);                                                               \
        if (rc_ < 0) {                                                                  \
            fprintf(stderr, "matmul: %s failed: %s\n  %s\n", #call, ttm_strerror(rc_),   \
                    ttm_last_error());                                                  \
            exit(1);                                                                    \
        }                                                                               \
    } while (0)

/* bfloat16 of a small random value (what the float's top half holds). */
static uint16_t random_bf16(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    float f = ((float)(*s >> 8) / (1 << 24) - 0.5f) * 4.0f;
    uint32_t bits;
    memcpy(&bits, &f, 4);
    return (uint16_t)(bits >> 16);
}

int main(int argc, char **argv)
{
    uint32_t m = 512, k = 512, n = 512;
    if (argc >= 4) {
        m = (uint32_t)strtoul(argv[1], NULL, 0);
        k = (uint32_t)strtoul(argv[2], NULL, 0);
        n = (uint32_t)strtoul(argv[3], NULL, 0);
    }
    bool single = argc >= 5 && !strcmp(argv[4], "single");
    if (!m || !k || !n || m % 32 || k % 32 || n % 32 || (argc != 1 && argc != 4 && argc != 5)) {
        fprintf(stderr, "usage: matmul [M K N [single]]   (multiples of 32)\n");
        return 2;
    }
    ttm_device *dev;
    CHECK(ttm_device_create(0, &dev));
    struct ttm_device_info info = {.argsz = sizeof info};
    CHECK(ttm_device_info(dev, &info));
    struct matmul_opts o = {{0, 0, single ? 0 : info.grid_x - 1, single ? 0 : info.grid_y - 1},
                            TTM_HIFI4, 0, 0};
    uint16_t *a = malloc((size_t)m * k * 2), *b = malloc((size_t)k * n * 2),
             *c = malloc((size_t)m * n * 2);
    if (!a || !b || !c)
        return 1;
    uint32_t s = 1;
    for (size_t i = 0; i < (size_t)m * k; i++)
        a[i] = random_bf16(&s);
    for (size_t i = 0; i < (size_t)k * n; i++)
        b[i] = random_bf16(&s);
    printf("matmul: %s backend, %u x %u by %u x %u bfloat16 on %u core(s), HiFi4\n", info.backend,
           m, k, k, n, single ? 1 : info.num_workers);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK(matmul_bf16(dev, a, b, c, m, k, n, &o));
    clock_gettime(CLOCK_MONOTONIC, &t1);
    size_t bad = matmul_outside_bound(a, b, c, m, k, n, &o);
    double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
    printf("matmul: %u x %u result in %.1f ms (tilize, transfers and launch): %s\n", m, n, ms,
           bad ? "OUTSIDE THE BOUND" : "within the bound");
    ttm_device_close(dev);
    free(a);
    free(b);
    free(c);
    return bad ? 1 : 0;
}
