/* ttm trace: run a command with TTM_TRACE set, so that every device it opens writes its
 * timeline when closed (ttm.h, Tracing), and say where the files are. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

static const char usage[] =
    "usage: ttm trace [-o FILE.json] -- COMMAND [ARGS...]\n"
    "\n"
    "Runs COMMAND (any program using ttm, Python included) with tracing on. Each device it\n"
    "opens writes, when closed, a timeline of every core on the device's clock: FILE.json\n"
    "(Chrome/Perfetto trace events: open it in ui.perfetto.dev) and FILE.svg (a picture);\n"
    "a second device of the process writes FILE-2.json and FILE-2.svg, and so on.\n"
    "Default FILE: ttm-trace. Exit status: COMMAND's, or 1 when it opened no device,\n"
    "2 bad usage.\n";

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

int cmd_trace(int argc, char **argv)
{
    const char *out = "ttm-trace.json";
    int i = 1;
    for (; i < argc && strcmp(argv[i], "--"); i++) {
        if (cli_is_help(argv[i])) {
            fputs(usage, stdout);
            return 0;
        }
        if (!strcmp(argv[i], "-o") && i + 1 < argc) {
            out = argv[++i];
            continue;
        }
        fprintf(stderr, "ttm trace: bad option \"%s\" (ttm trace --help)\n", argv[i]);
        return EXIT_BAD_USAGE;
    }
    if (i + 1 >= argc) {
        fprintf(stderr, "ttm trace: no command after -- (ttm trace --help)\n");
        return EXIT_BAD_USAGE;
    }
    size_t len = strlen(out);
    bool dot_json = len > 5 && !strcmp(out + len - 5, ".json");
    char json[4096], svg[4096];
    snprintf(json, sizeof json, "%s%s", out, dot_json ? "" : ".json");
    snprintf(svg, sizeof svg, "%.*s.svg", (int)(strlen(json) - 5), json);
    /* Files of an earlier run would look like this one's. */
    unlink(json);
    unlink(svg);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "ttm trace: cannot start %s: %s\n", argv[i + 1], strerror(errno));
        return 1;
    }
    if (!pid) {
        setenv("TTM_TRACE", json, 1);
        execvp(argv[i + 1], argv + i + 1);
        fprintf(stderr, "ttm trace: cannot run %s: %s\n", argv[i + 1], strerror(errno));
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return 1;
    int rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (!exists(json)) {
        fprintf(stderr, "ttm trace: %s opened no ttm device (or did not close it): no "
                        "trace\n", argv[i + 1]);
        return rc ? rc : 1;
    }
    fprintf(stderr, "ttm trace: wrote %s (open it in ui.perfetto.dev) and %s\n", json, svg);
    return rc;
}
