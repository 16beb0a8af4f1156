/* queue: the command queue of fast dispatch. Writes, launches and reads are queued without
 * waiting; events say when each part is done, while the host goes on preparing the next.
 * A kernel adds its launch number to every word of a DRAM buffer; the host queues
 * LAUNCHES launches of it between a non-blocking write and a non-blocking read, records
 * an event after each launch, and checks the result once the read's event has passed.
 * The kernel is queue_kernels.h's.
 *
 *   build/examples/queue                 (TTM_BACKEND picks the device)
 */
#include <stdio.h>
#include <stdlib.h>

#include <ttm.h>

#include "queue_kernels.h"

#define LAUNCHES 10u

#define CHECK(call)                                                                     \
    do {                                                                                \
        int rc_ = (call);                                                               \
        if (rc_ < 0) {                                                                  \
            fprintf(stderr, "queue: %s failed: %s\n  %s\n", #call, ttm_strerror(rc_),    \
                    ttm_last_error());                                                  \
            exit(1);                                                                    \
        }                                                                               \
    } while (0)

int main(void)
{
    struct ttm_device_opts o = {.argsz = sizeof o, .dispatch = TTM_DISPATCH_FAST};
    ttm_device *dev;
    CHECK(ttm_device_create_opts(&o, &dev));
    struct ttm_device_info info = {.argsz = sizeof info};
    CHECK(ttm_device_info(dev, &info));
    static uint32_t in[QUEUE_WORDS], out[QUEUE_WORDS];
    for (uint32_t i = 0; i < QUEUE_WORDS; i++)
        in[i] = i;
    ttm_buffer *buf;
    CHECK(ttm_buffer_create_interleaved(dev, sizeof in, sizeof in, TTM_BUFFER_DRAM, &buf));

    /* One program a launch number, all prepared before anything runs. */
    ttm_program *progs[LAUNCHES];
    struct ttm_core_range core = {0, 0, 0, 0};
    struct ttm_kernel_opts ko = {.argsz = sizeof ko, .processor = TTM_RISCV_0};
    for (uint32_t n = 0; n < LAUNCHES; n++) {
        ttm_kernel *k;
        uint32_t common[2] = {(uint32_t)ttm_buffer_address(buf), n + 1}, l1 = info.l1_unreserved;
        CHECK(ttm_program_create(dev, &progs[n]));
        CHECK(ttm_kernel_create_dataflow_from_string(progs[n], queue_bump_src, &core, 1, &ko, &k));
        CHECK(ttm_set_common_runtime_args(progs[n], k, common, 2));
        CHECK(ttm_set_runtime_args(progs[n], k, 0, 0, &l1, 1));
    }

    /* Queued: nothing here waits for the device. `in` must stay untouched until the
     * write's event has passed, `out` unread until the read's. */
    uint64_t written, launched[LAUNCHES], read;
    CHECK(ttm_enqueue_write_buffer(buf, 0, in, sizeof in, 0));
    CHECK(ttm_enqueue_record_event(dev, &written));
    for (uint32_t n = 0; n < LAUNCHES; n++) {
        CHECK(ttm_enqueue_program(dev, progs[n]));
        CHECK(ttm_enqueue_record_event(dev, &launched[n]));
    }
    CHECK(ttm_enqueue_read_buffer(buf, 0, out, sizeof out, 0));
    CHECK(ttm_enqueue_record_event(dev, &read));
    printf("queue: %u launches queued; write event %s\n", LAUNCHES,
           ttm_event_query(dev, written) ? "passed" : "pending");

    CHECK(ttm_event_wait(dev, launched[LAUNCHES / 2], 0));
    printf("queue: launch %u done, the last %s\n", LAUNCHES / 2 + 1,
           ttm_event_query(dev, launched[LAUNCHES - 1]) ? "too" : "still queued");
    CHECK(ttm_event_wait(dev, read, 0));

    uint32_t add = LAUNCHES * (LAUNCHES + 1) / 2, bad = 0;
    for (uint32_t i = 0; i < QUEUE_WORDS; i++)
        bad += out[i] != i + add;
    printf("queue: %u words after %u launches: %s\n", QUEUE_WORDS, LAUNCHES,
           bad ? "MISMATCH" : "all correct");
    CHECK(ttm_finish(dev, 0));
    for (uint32_t n = 0; n < LAUNCHES; n++)
        ttm_program_destroy(progs[n]);
    ttm_buffer_destroy(buf);
    ttm_device_close(dev);
    return bad ? 1 : 0;
}
