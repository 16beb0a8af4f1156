/* Waiting on the device: bounded polls, and letting device time pass between looks. */
#include <errno.h>
#include <time.h>

#include "../util/err.h"
#include "chip.h"

/* Device cycles a waiting host lets pass between two polls. */
#define POLL_CYCLES 1024

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void wait_budget_start(struct wait_budget *b, uint32_t timeout_ms)
{
    *b = (struct wait_budget){.timeout_ms = timeout_ms};
}

int chip_poll(struct ttm_chip *chip, int (*check)(void *arg), void *arg, struct wait_budget *b)
{
    if (!b->start_ms)
        b->start_ms = b->quiet_since_ms = now_ms();
    uint64_t cap = b->start_ms + (uint64_t)CHIP_WAIT_CAP * b->timeout_ms;
    for (;;) {
        int rc = check(arg);
        if (rc == 1)
            return 0;
        if (rc < 0)
            return rc;
        uint64_t t = now_ms();
        if (rc == 2)
            b->quiet_since_ms = t;
        if (t - b->quiet_since_ms >= b->timeout_ms || t >= cap)
            return -ETIMEDOUT;
        if (chip->wait_hook)
            chip->wait_hook(chip->wait_hook_arg);
        if ((rc = chip_tick(chip)))
            return rc;
    }
}

int chip_tick(struct ttm_chip *chip)
{
    int rc = chip->pcie.ops->advance(&chip->pcie, POLL_CYCLES);
    if (rc)
        return rc;
    return chip_collect_faults(chip) ? err_set(-EFAULT, "device code faulted") : 0;
}
