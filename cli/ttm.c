/* ttm: the command-line tool.
 *
 *   ttm smoke [--backend NAME] [--device N] [--slow]
 *
 * Exit status: 0 success, 1 a check failed, 2 bad usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smoke/smoke.h"
#include "ttm.h"

static const char usage[] =
    "usage: ttm COMMAND [OPTIONS]\n"
    "\n"
    "commands:\n"
    "  smoke    check a device step by step, stopping at the first failure: the driver,\n"
    "           the PCIe tile, the ARC and its telemetry (waiting for DRAM training),\n"
    "           every core's NoC id, L1 and DRAM patterns, host memory the card writes,\n"
    "           then ttm's firmware and a launch on every worker. Run it first on a card.\n"
    "\n"
    "options:\n"
    "  --backend NAME   kmd (a card), emu (the emulator) or ttsim; default: TTM_BACKEND,\n"
    "                   else kmd when /dev/tenstorrent/0 exists, else emu\n"
    "  --device N       /dev/tenstorrent/N (kmd; default 0)\n"
    "  --slow           boot in slow dispatch (default: fast)\n"
    "  -h, --help       this text\n"
    "\n"
    "exit status: 0 all checks passed, 1 a check failed, 2 bad usage\n";

int main(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "smoke")) {
        fprintf(stderr, "ttm: unknown command \"%s\" (ttm --help lists them)\n", argv[1]);
        return 2;
    }
    struct ttm_device_opts o = {.argsz = sizeof o, .dispatch = TTM_DISPATCH_FAST};
    for (int i = 2; i < argc; i++) {
        char *end = NULL;
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(argv[i], "--backend") && i + 1 < argc) {
            o.backend = argv[++i];
        } else if (!strcmp(argv[i], "--device") && i + 1 < argc &&
                   (o.device_id = (uint32_t)strtoul(argv[++i], &end, 10), !*end)) {
        } else if (!strcmp(argv[i], "--slow")) {
            o.dispatch = TTM_DISPATCH_SLOW;
        } else {
            fprintf(stderr, "ttm smoke: bad option \"%s\" (ttm --help lists them)\n", argv[i]);
            return 2;
        }
    }
    return smoke_run(&o, stdout) ? 1 : 0;
}
