/* The backend end-to-end tests drive. They open their devices on the emulator; with
 * TTM_TEST_KMD set they run the same through the kmd backend over the fake tt-kmd
 * (fake_kmd.h), whose card N is the emulated board N: the whole stack as on a card. */
#pragma once

#include <stdbool.h>
#include <string.h>

#include "fake_kmd.h"
#include "ttm.h"

static bool test_on_kmd;

__attribute__((constructor)) static void test_backend_init(void)
{
    test_on_kmd = fake_kmd_from_env();
}

/* Options that name the emulator, pointed at the backend under test. A chip with
 * harvesting of the test's choosing exists only on the emulator. */
static inline struct ttm_device_opts *test_backend(struct ttm_device_opts *o)
{
    if (test_on_kmd && o->backend && !strcmp(o->backend, "emu") && !o->emu_tensix_cols_off &&
        !o->emu_dram_banks_off) {
        o->backend = "kmd";
        o->device_id = o->emu_board;
    }
    return o;
}
