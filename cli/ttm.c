/* ttm: the command-line tool. `ttm --help` lists the commands; each has --help.
 * Exit status: 0 success, 1 a check or the command failed, 2 bad usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: ttm COMMAND [OPTIONS]\n"
    "\n"
    "commands:\n"
    "  info       the device: backend, driver, board, grid, harvesting, memories, firmware\n"
    "  smoke      check a device step by step, stopping at the first failure (run it first\n"
    "             on a card)\n"
    "  trace      run a command with tracing on: a timeline of every core as JSON for\n"
    "             ui.perfetto.dev and as an SVG picture\n"
    "  overhead   measure dispatch overhead on the device, scenario by scenario, next to\n"
    "             the figures TT-Metal's dispatch guide gives\n"
    "\n"
    "device options (info, smoke, overhead):\n"
    "  --backend NAME   kmd (a card), emu (the emulator) or ttsim; default: TTM_BACKEND,\n"
    "                   else kmd when /dev/tenstorrent/0 exists, else emu\n"
    "  --device N       /dev/tenstorrent/N (kmd; default 0)\n"
    "  --board B        p100a or p150a (emu; default p100a; ttsim models a P150A)\n"
    "  --slow           slow dispatch (default: fast)\n"
    "\n"
    "`ttm COMMAND --help` says more; `ttm --version` prints the library's version.\n"
    "Exit status: 0 success, 1 a check or the command failed, 2 bad usage.\n";

bool cli_is_help(const char *arg)
{
    return !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

int cli_device_option(const char *cmd, int argc, char **argv, int *i, struct ttm_device_opts *o)
{
    const char *a = argv[*i];
    if (!strcmp(a, "--slow")) {
        o->dispatch = TTM_DISPATCH_SLOW;
        return 1;
    }
    if (strcmp(a, "--backend") && strcmp(a, "--device") && strcmp(a, "--board"))
        return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "ttm %s: %s needs a value\n", cmd, a);
        return -1;
    }
    const char *v = argv[++*i];
    if (!strcmp(a, "--backend")) {
        o->backend = v;
        return 1;
    }
    if (!strcmp(a, "--board")) {
        if (strcmp(v, "p100a") && strcmp(v, "p150a")) {
            fprintf(stderr, "ttm %s: --board %s: expected p100a or p150a\n", cmd, v);
            return -1;
        }
        o->emu_board = strcmp(v, "p100a") ? TTM_BOARD_P150A : TTM_BOARD_P100A;
        return 1;
    }
    char *end;
    unsigned long n = strtoul(v, &end, 10);
    if (!*v || *end || n > 255) {
        fprintf(stderr, "ttm %s: --device %s: expected a number from 0 to 255\n", cmd, v);
        return -1;
    }
    o->device_id = (uint32_t)n;
    return 1;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int, char **);
    } cmds[] = {{"info", cmd_info}, {"smoke", cmd_smoke}, {"trace", cmd_trace},
                {"overhead", cmd_overhead}};
    if (argc < 2 || cli_is_help(argv[1])) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BAD_USAGE : 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("ttm %s\n", ttm_version());
        return 0;
    }
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (!strcmp(argv[1], cmds[i].name))
            return cmds[i].run(argc - 1, argv + 1);
    fprintf(stderr, "ttm: unknown command \"%s\" (ttm --help lists them)\n", argv[1]);
    return EXIT_BAD_USAGE;
}
