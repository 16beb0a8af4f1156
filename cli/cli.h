/* What the ttm command's subcommands share: each is `int cmd_NAME(int argc, char **argv)`
 * with argv[0] its own name, returning the exit status (0 success, 1 a check or the
 * command failed, 2 bad usage). */
#pragma once

#include <stdbool.h>

#include "ttm.h"

#define EXIT_BAD_USAGE 2

/* The device options every command takes: --backend NAME, --device N, --board B, --slow. Returns
 * 1 when argv[*i] was one of them (consuming its value), 0 when not, -1 when it was
 * malformed (said on stderr). */
int cli_device_option(const char *cmd, int argc, char **argv, int *i,
                      struct ttm_device_opts *o);
/* -h / --help. */
bool cli_is_help(const char *arg);

int cmd_smoke(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_overhead(int argc, char **argv);
