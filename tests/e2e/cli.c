/* The ttm command on the emulator: each subcommand runs, says what it did, and exits as
 * scripts expect (0 success, 1 failure, 2 bad usage); --help everywhere. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backend.h"
#include "test.h"

/* Runs `ttm ARGS`, its standard output (and error, with `both`) in *out (freed by the
 * caller); returns its exit status, or -1. */
static int ttm(const char *args, bool both, char **out)
{
    const char *build = getenv("TTM_BUILD");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s/ttm %s%s", build, args, both ? " 2>&1" : " 2>/dev/null");
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf && (n += fread(buf + n, 1, cap - 1 - n, p)) < cap - 1 && !feof(p))
        ;
    if (buf)
        buf[n] = 0;
    int status = pclose(p);
    *out = buf;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

#define NEEDS_BUILD()                                                                   \
    do {                                                                                \
        if (!getenv("TTM_BUILD"))                                                       \
            SKIP("TTM_BUILD is not set (make test sets it)");                           \
        if (test_on_kmd)                                                                \
            SKIP("the command runs in a process of its own, on the emulator");         \
    } while (0)

TEST(help_and_bad_usage)
{
    NEEDS_BUILD();
    char *out;
    static const char *const helps[] = {"--help", "info --help", "smoke --help",
                                        "trace --help", "overhead --help"};
    for (unsigned i = 0; i < sizeof helps / sizeof helps[0]; i++) {
        CHECK_EQ(ttm(helps[i], false, &out), 0);
        CHECK(strstr(out, "usage: ttm"));
        free(out);
    }
    CHECK_EQ(ttm("--version", false, &out), 0);
    char want[32];
    snprintf(want, sizeof want, "ttm %s\n", ttm_version());
    CHECK(!strcmp(out, want));
    free(out);
    static const char *const bad[] = {"", "nonsense", "smoke --bogus", "info --device x",
                                      "trace", "trace -- ", "overhead --backend"};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = ttm(bad[i], true, &out);
        if (rc != 2)
            printf("  ttm %s: %d\n", bad[i], rc);
        CHECK_EQ(rc, 2);
        free(out);
    }
}

TEST(info_describes_the_emulated_boards)
{
    NEEDS_BUILD();
    char *out;
    CHECK_EQ(ttm("info --backend emu", false, &out), 0);
    CHECK(strstr(out, "board        P100A"));
    CHECK(strstr(out, "12 x 10 = 120"));
    CHECK(strstr(out, "Tensix columns at NoC 0 x: 14, 16; DRAM banks: 7"));
    CHECK(strstr(out, "ttm's ABI"));
    free(out);
    CHECK_EQ(ttm("info --backend kmd --device 200", true, &out), 1);
    CHECK(strstr(out, "no /dev/tenstorrent/200"));
    free(out);
}

TEST(smoke_passes_on_the_emulator)
{
    NEEDS_BUILD();
    char *out;
    CHECK_EQ(ttm("smoke --backend emu --slow", false, &out), 0);
    CHECK(strstr(out, "ok   launch"));
    CHECK(!strstr(out, "FAIL"));
    free(out);
}

TEST(trace_runs_a_command_and_writes_both_files)
{
    NEEDS_BUILD();
    char dir[] = "/tmp/ttm-cli-XXXXXX", args[512], path[600], *out;
    CHECK(mkdtemp(dir));
    snprintf(args, sizeof args, "trace -o %s/run -- %s/examples/add1 1", dir, getenv("TTM_BUILD"));
    CHECK_EQ(ttm(args, true, &out), 0);
    CHECK(strstr(out, "ui.perfetto.dev"));
    free(out);
    snprintf(path, sizeof path, "%s/run.json", dir);
    CHECK_EQ(access(path, R_OK), 0);
    unlink(path);
    snprintf(path, sizeof path, "%s/run.svg", dir);
    CHECK_EQ(access(path, R_OK), 0);
    unlink(path);
    /* A command that opens no device: said, and a failure. */
    snprintf(args, sizeof args, "trace -o %s/none -- true", dir);
    CHECK_EQ(ttm(args, true, &out), 1);
    CHECK(strstr(out, "opened no ttm device"));
    free(out);
    /* The command's own failure is passed on. */
    snprintf(args, sizeof args, "trace -o %s/none -- sh -c 'exit 3'", dir);
    CHECK_EQ(ttm(args, true, &out), 3);
    free(out);
    rmdir(dir);
}

TEST(overhead_measures_every_scenario)
{
    NEEDS_BUILD();
    char args[256], svg[64] = "/tmp/ttm-overhead-XXXXXX", *out;
    int fd = mkstemp(svg);
    CHECK(fd >= 0);
    close(fd);
    snprintf(args, sizeof args, "overhead --backend emu --svg %s", svg);
    CHECK_EQ(ttm(args, false, &out), 0);
    CHECK(strstr(out, "TT-Metal's guide"));
    CHECK(strstr(out, "config ring: N, N+1 too large"));
    CHECK(strstr(out, "CB configs                     32"));
    CHECK(strstr(out, "cycles of a model"));
    /* Thirteen scenario rows, each with three figures. */
    unsigned rows = 0;
    for (char *l = strtok(out, "\n"); l; l = strtok(NULL, "\n")) {
        unsigned a, b, c;
        rows += strlen(l) > 46 && sscanf(l + 46, "%u %u %u", &a, &b, &c) == 3;
    }
    CHECK_EQ(rows, 13);
    free(out);
    FILE *f = fopen(svg, "r");
    CHECK(f);
    char head[8] = "";
    CHECK(fread(head, 1, 5, f) == 5);
    fclose(f);
    unlink(svg);
    CHECK(!strncmp(head, "<?xml", 5));
}
