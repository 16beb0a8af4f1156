/* End-to-end tests run in each dispatch mode: write the body once,
 *
 *   static void name_in_mode(void) { ... open devices in `mode` ... }
 *   MODES(name)
 *
 * and the test runs it in slow, then fast dispatch, saying which mode failed. */
#pragma once

#include <stdint.h>
#include <stdio.h>

#include "test.h"
#include "ttm.h"

static uint32_t mode = TTM_DISPATCH_SLOW;

#define MODES(name)                                                                     \
    TEST(name)                                                                          \
    {                                                                                   \
        static const uint32_t modes[2] = {TTM_DISPATCH_SLOW, TTM_DISPATCH_FAST};        \
        for (int m = 0; m < 2 && !test_failed(); m++) {                                 \
            mode = modes[m];                                                            \
            name##_in_mode();                                                           \
            if (test_failed())                                                          \
                printf("  (in %s dispatch)\n", m ? "fast" : "slow");                    \
        }                                                                               \
    }
