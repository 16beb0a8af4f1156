/* ttm smoke: the first-hour check of a device (src/smoke/smoke.c). */
#include <stdio.h>

#include "cli.h"
#include "smoke/smoke.h"

static const char usage[] =
    "usage: ttm smoke [--backend NAME] [--device N] [--board B] [--slow]\n"
    "\n"
    "Checks a device step by step and stops at the first failure, saying why: the driver,\n"
    "the PCIe tile, the ARC and its telemetry (waiting for DRAM training), every core's NoC\n"
    "id, L1 and DRAM patterns, host memory the card writes, then ttm's firmware and a\n"
    "launch on every worker. Until the firmware step nothing of ttm's runs on the device.\n"
    "Exit status: 0 every step passed, 1 one failed, 2 bad usage.\n";

int cmd_smoke(int argc, char **argv)
{
    struct ttm_device_opts o = {.argsz = sizeof o, .dispatch = TTM_DISPATCH_FAST};
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            fputs(usage, stdout);
            return 0;
        }
        int r = cli_device_option("smoke", argc, argv, &i, &o);
        if (r < 0)
            return EXIT_BAD_USAGE;
        if (!r) {
            fprintf(stderr, "ttm smoke: bad option \"%s\" (ttm smoke --help)\n", argv[i]);
            return EXIT_BAD_USAGE;
        }
    }
    return smoke_run(&o, stdout) ? 1 : 0;
}
