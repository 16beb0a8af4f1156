/* `ttm smoke` over the fake tt-kmd and on the emulator: every step passes on a good card,
 * and the first failing one stops the run with the reason. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_kmd.h"
#include "smoke/smoke.h"
#include "test.h"
#include "ttm.h"

static const char *const steps[] = {"open", "pcie", "arc", "tensix", "l1", "dram",
                                    "host memory", "firmware", "launch"};
#define STEPS (sizeof steps / sizeof steps[0])

/* Runs the smoke check; *text gets what it printed (the caller frees it). */
static int smoke(const char *backend, uint32_t node, uint32_t dispatch, char **text)
{
    struct ttm_device_opts o = {.argsz = sizeof o, .backend = backend, .device_id = node,
                                .dispatch = dispatch};
    size_t len;
    FILE *out = open_memstream(text, &len);
    if (!out)
        return -ENOMEM;
    int rc = smoke_run(&o, out);
    fclose(out);
    return rc;
}

/* The step lines in order: "ok" for the first `passed`, then "FAIL" for the next if
 * `failed`, and nothing after. */
static int lines_are(const char *text, unsigned passed, bool failed)
{
    const char *at = text;
    for (unsigned i = 0; i < STEPS; i++) {
        char line[32];
        snprintf(line, sizeof line, "%-4s %-12s", i < passed ? "ok" : "FAIL", steps[i]);
        bool want = i < passed || (failed && i == passed);
        const char *hit = strstr(at, line);
        if (want != (hit != NULL))
            return 0;
        if (hit)
            at = hit;
    }
    return !strstr(text, "FAIL") == !failed;
}

TEST(every_step_passes_on_good_cards_and_the_emulator)
{
    struct fake_kmd_config c = {.version = FAKE_KMD_2_10, .strict = true,
                                .foreign_windows = 40, .bring_up_pauses = 100};
    CHECK_EQ(fake_kmd_install(&c), 0);
    for (uint32_t node = 0; node < 2; node++) {
        char *text = NULL;
        int rc = smoke("kmd", node, node ? TTM_DISPATCH_FAST : TTM_DISPATCH_SLOW, &text);
        if (rc || !lines_are(text, STEPS, false))
            printf("%s", text);
        CHECK_EQ(rc, 0);
        CHECK(lines_are(text, STEPS, false));
        CHECK(strstr(text, node ? "P150A, 14 x 10 workers, 8 DRAM" : "P100A, 12 x 10 workers, 7 DRAM"));
        CHECK(strstr(text, "tt-kmd 2.10.0"));
        free(text);
    }
    fake_kmd_uninstall();
    char *text = NULL;
    CHECK_EQ(smoke("emu", 0, TTM_DISPATCH_FAST, &text), 0);
    CHECK(lines_are(text, STEPS, false));
    free(text);
}

TEST(the_first_failing_step_stops_the_run_with_its_reason)
{
    /* No IOMMU and no huge page: everything up to host memory works. */
    struct fake_kmd_config c = {.version = FAKE_KMD_2_6, .no_iommu = true,
                                .no_hugepages = true};
    CHECK_EQ(fake_kmd_install(&c), 0);
    char *text = NULL;
    CHECK_EQ(smoke("kmd", 0, TTM_DISPATCH_FAST, &text), -ENOMEM);
    CHECK(lines_are(text, 6, true));
    CHECK(strstr(text, "nr_hugepages"));
    free(text);
    /* A DRAM channel that does not train. */
    c = (struct fake_kmd_config){.version = FAKE_KMD_2_0, .bring_up_pauses = 10,
                                 .failing_channel = 1 + 2};
    CHECK_EQ(fake_kmd_install(&c), 0);
    CHECK_EQ(smoke("kmd", 1, TTM_DISPATCH_FAST, &text), -EIO);
    CHECK(lines_are(text, 2, true));
    CHECK(strstr(text, "DRAM channel 2 failed training"));
    free(text);
    /* No card at all. */
    CHECK_EQ(smoke("kmd", 5, TTM_DISPATCH_FAST, &text), -ENOENT);
    CHECK(lines_are(text, 0, true));
    CHECK(strstr(text, "modprobe tenstorrent"));
    free(text);
    fake_kmd_uninstall();
}
