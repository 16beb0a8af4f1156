/* Host-side API figures on the emulator (P100A, slow dispatch), one per line as
 * "name: value unit":
 *   api_buffers_40k_create_destroy_ms  host wall time to create 40,000 DRAM buffers and
 *                                      destroy them in creation order (one sample)
 *   api_buffer_size_ns                 host time of one call that only checks its handle
 *                                      and reads a field (ttm_buffer_size; mean of 1M)
 *   kernel_cache_hit_first_us          host time to make a dataflow kernel whose build is
 *                                      in the kernel cache, as the first kernel of a process
 *                                      (the compiler identified), one sample
 *   kernel_cache_hit_us                the same, median of 200 after it
 *   device_open_ms                     host time to open (boot) and close an emulated P100A
 *                                      in slow dispatch in a process that has opened one
 *                                      before; median of 9
 * The first is the allocator's and the handle table's cost as they grow (it was quadratic
 * in the number of buffers); the second, what entering any call costs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Microseconds to make a kernel already in the cache (the caller built it once). */
static double kernel_create_us(ttm_device *dev, const char *src)
{
    ttm_program *p;
    ttm_kernel *k;
    struct ttm_kernel_opts ko = {.argsz = sizeof ko};
    struct ttm_core_range one = {0, 0, 0, 0};
    if (ttm_program_create(dev, &p))
        return -1;
    double t0 = now_s();
    int rc = ttm_kernel_create_dataflow_from_string(p, src, &one, 1, &ko, &k);
    double us = (now_s() - t0) * 1e6;
    ttm_program_destroy(p);
    return rc ? -1 : us;
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

    /* The cache hit: built once by a child process, so this process's first kernel is a
     * hit in a process that has made none, as a new user program's would be. */
    static const char src[] = "#include <ttm/kernel/dataflow.h>\n"
                              "void kernel_main(void) { *(volatile uint32_t *)0x50000 = 1; }\n";
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0)
        _exit(kernel_create_us(dev, src) < 0);
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
        return fail("building the kernel in a child");
    double first = kernel_create_us(dev, src);
    double hits[200];
    for (int i = 0; i < 200; i++)
        if ((hits[i] = kernel_create_us(dev, src)) < 0)
            return fail("making a kernel");
    qsort(hits, 200, sizeof hits[0], cmp_double);
    if (first < 0)
        return fail("making a kernel");
    printf("kernel_cache_hit_first_us: %.0f us\n", first);
    double opens[9];
    for (int i = 0; i < 9; i++) {
        ttm_device *d2;
        double t1 = now_s();
        if (ttm_device_create_opts(&o, &d2))
            return fail("opening a second device");
        ttm_device_close(d2);
        opens[i] = (now_s() - t1) * 1e3;
    }
    qsort(opens, 9, sizeof opens[0], cmp_double);
    printf("device_open_ms: %.1f ms\n", opens[4]);
    printf("kernel_cache_hit_us: %.0f us\n", hits[100]);
    ttm_buffer_destroy(one);
    free(b);
    ttm_device_close(dev);
    return 0;
}
