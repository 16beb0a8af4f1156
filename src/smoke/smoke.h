/* The first-hour check of a device (smoke.c): steps printed to `out` one line each,
 * "ok" or "FAIL", stopping at the first failure. Returns 0 or that step's -errno. */
#pragma once

#include <stdio.h>

#include "../util/err.h"

struct ttm_device_opts;

MUST_CHECK int smoke_run(const struct ttm_device_opts *opts, FILE *out);
