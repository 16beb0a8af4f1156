/* Random sequences of command-queue calls on the emulator, checked against a host model
 * (tests/e2e/queue_sequence.h): no sequence may deadlock, lose data or misorder it. */
#include <stdio.h>

#include "backend.h"
#include "queue_sequence.h"
#include "test.h"

TEST(random_queue_sequences_match_a_host_model)
{
    struct ttm_device_opts o = {.argsz = sizeof o, .backend = "emu", .dispatch = TTM_DISPATCH_FAST};
    for (uint32_t seed = 1; seed <= 4; seed++) {
        ttm_device *dev;
        CHECK_EQ(ttm_device_create_opts(test_backend(&o), &dev), 0);
        char why[512] = "";
        int rc = queue_sequence(dev, seed, 48, 10u << 20, why, sizeof why);
        if (rc)
            printf("  seed %u: %s\n", seed, why);
        CHECK_EQ(rc, 0);
        CHECK_EQ(ttm_device_close(dev), 0);
    }
}
