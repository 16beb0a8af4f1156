/* The differential harness shared by the tests of this folder: a scenario runs on a fresh
 * emulator device (P150A, the chip ttsim models: 14x10 workers, 8 DRAM banks) and, in a
 * forked child, on Tenstorrent's simulator (TTM backend "ttsim", library named by
 * TTSIM_LIB), once in slow dispatch and once in fast dispatch. A scenario records what it
 * observed as named sections of a byte string, and the two strings must agree byte for
 * byte.
 *
 * Why a child: libttsim is a process-wide singleton (libttsim_init once per process) and
 * stops the whole process with _Exit on anything it does not model. The child's stdout
 * and stderr go to a file the parent prints when the child fails, with its exit status.
 *
 * Header-only: each test file of tests/ttsim/ is its own binary.
 *
 * Known ttsim deviations. Where ttsim looks wrong, the emulator models what
 * Tenstorrent's documentation says silicon does, the scenarios here do not depend on
 * the difference, and an emulator test holds our side:
 * 1. Registers out of soft reset: silicon zeroes every x and f register (ISA
 *    TensixTile/SoftReset.md); ttsim keeps what they held before. Scenarios set every
 *    register they read (rvgen.h). Held by registers_are_zero_out_of_reset.
 * 2. NIU_CFG_0 on Tensix tiles: ARC enables coordinate translation (bit 14) on every NIU
 *    before the cores boot (host-facts 2.2, as ttsim itself reports for the PCIe NIU);
 *    ttsim reads 0. Held by noc_counters_both_nius.
 * 3. NIU_MST_REQS_OUTSTANDING_ID after a non-posted multicast: the count returns to 0
 *    once every destination acknowledged (ISA NoC/Counters.md); ttsim adds one per
 *    request and takes one per acknowledgement, leaving 1 - destinations. Held by
 *    noc_multicast.
 * Everything else ttsim does, the emulator does too, or refuses as ttsim refuses. */
#pragma once

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "objects.h"
#include "test.h"
#include "ttm.h"

/* Upper bound on one scenario's run on ttsim, in seconds. */
#define CHILD_TIMEOUT_S 240

/* ---- Recording ---- */

/* Sections: a NUL-terminated name, a 64-bit length, the bytes. */
struct rec {
    uint8_t *p;
    size_t len, cap;
    bool oom;
};

static inline void rec_bytes(struct rec *r, const void *d, size_t n)
{
    if (r->oom)
        return;
    if (r->len + n > r->cap) {
        size_t cap = r->cap ? r->cap : 4096;
        while (cap < r->len + n)
            cap *= 2;
        uint8_t *p = realloc(r->p, cap);
        if (!p) {
            r->oom = true;
            return;
        }
        r->p = p;
        r->cap = cap;
    }
    memcpy(r->p + r->len, d, n);
    r->len += n;
}

static inline void rec_section(struct rec *r, const char *name, const void *d, size_t n)
{
    uint64_t len = n;
    rec_bytes(r, name, strlen(name) + 1);
    rec_bytes(r, &len, sizeof len);
    rec_bytes(r, d, n);
}

static inline void rec_u32(struct rec *r, const char *name, uint32_t v)
{
    rec_section(r, name, &v, sizeof v);
}

static inline void rec_text(struct rec *r, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static inline void rec_text(struct rec *r, const char *name, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    rec_section(r, name, buf, strlen(buf));
}

/* `len` bytes of worker (lx, ly)'s L1 at addr, read through TLB windows as the runtime
 * does. */
static inline int rec_l1(struct rec *r, ttm_device *dev, uint32_t lx, uint32_t ly, uint32_t addr,
                  size_t len, const char *what)
{
    struct ttm_chip *c = &dev->chip;
    struct chip_worker w = chip_worker_at(c, lx, ly);
    uint8_t *buf = malloc(len);
    if (!buf)
        return -ENOMEM;
    int rc = chip_read(c, w.x, w.y, addr, buf, len);
    if (!rc) {
        char name[96];
        snprintf(name, sizeof name, "%s L1 (%u,%u) 0x%x", what, lx, ly, addr);
        rec_section(r, name, buf, len);
    }
    free(buf);
    return rc;
}

/* Every worker's mailbox header up to the launch count: GO, sync words, identity,
 * postcodes (not the wall-clock stamps after it, which depend on each model's timing). */
static inline int rec_mailboxes(struct rec *r, ttm_device *dev, const char *what)
{
    struct ttm_chip *c = &dev->chip;
    size_t one = offsetof(struct ttm_mailbox, launches) + sizeof(uint32_t);
    uint8_t *all = malloc(one * c->n_workers);
    int rc = all ? 0 : -ENOMEM;
    for (uint32_t i = 0; !rc && i < c->n_workers; i++) {
        struct chip_worker w = chip_worker_at(c, i % c->grid_x, i / c->grid_x);
        rc = chip_read(c, w.x, w.y, TTM_L1_MAILBOX, all + i * one, one);
    }
    if (!rc)
        rec_section(r, what, all, one * c->n_workers);
    free(all);
    return rc;
}

/* ---- Running on both backends ---- */

typedef int (*scenario_fn)(ttm_device *dev, struct rec *r);

/* ttsim also runs under the sanitizer build (ASan + UBSan): nothing to skip there. */
static inline const char *skip_reason(void)
{
    const char *lib = getenv("TTSIM_LIB");
    return lib && *lib ? NULL : "TTSIM_LIB is not set (path to a Blackhole libttsim.so)";
}

/* Kernels compile into TTM_CACHE_DIR; without one, use a temporary directory. */
static char cache_dir[64];

static inline void remove_cache(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", cache_dir);
    if (system(cmd))
        fprintf(stderr, "could not remove %s\n", cache_dir);
}

static inline void ensure_cache_dir(void)
{
    const char *d = getenv("TTM_CACHE_DIR");
    if ((d && *d) || cache_dir[0])
        return;
    snprintf(cache_dir, sizeof cache_dir, "/tmp/ttm-ttsim-cache-XXXXXX");
    if (!mkdtemp(cache_dir)) {
        cache_dir[0] = 0;
        return;
    }
    setenv("TTM_CACHE_DIR", cache_dir, 1);
    atexit(remove_cache);
}

/* The dispatch mode scenarios open their device in (enum ttm_dispatch). */
static uint32_t dispatch_mode = TTM_DISPATCH_SLOW;

static inline int open_device(const char *backend, ttm_device **dev)
{
    struct ttm_device_opts o = {.argsz = sizeof o, .backend = backend,
                                .emu_board = TTM_BOARD_P150A, .dispatch = dispatch_mode};
    return ttm_device_create_opts(&o, dev);
}

static inline bool fast_dispatch(void)
{
    return dispatch_mode == TTM_DISPATCH_FAST;
}

/* One run in this process. *msg gets the error text on failure. */
static inline int run_here(const char *backend, scenario_fn fn, struct rec *r, char *msg, size_t n)
{
    ttm_device *dev;
    int rc = open_device(backend, &dev);
    const char *mode = fast_dispatch() ? "fast" : "slow";
    if (rc) {
        snprintf(msg, n, "opening %s (%s dispatch): %s", backend, mode, ttm_last_error());
        return rc;
    }
    rc = fn(dev, r);
    if (rc)
        snprintf(msg, n, "scenario on %s (%s dispatch): %s (%s)", backend, mode,
                 ttm_strerror(rc), ttm_last_error());
    else if (r->oom)
        snprintf(msg, n, "out of memory recording"), rc = -ENOMEM;
    ttm_device_close(dev);
    return rc;
}

static inline ssize_t write_all(int fd, const void *p, size_t n)
{
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(fd, (const char *)p + done, n - done);
        if (w <= 0)
            return -1;
        done += (size_t)w;
    }
    return (ssize_t)done;
}

static inline uint8_t *read_file(int fd, size_t *len)
{
    struct stat st;
    *len = 0;
    if (fstat(fd, &st) || lseek(fd, 0, SEEK_SET) < 0)
        return NULL;
    uint8_t *p = malloc((size_t)st.st_size + 1);
    if (!p)
        return NULL;
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t n = read(fd, p + got, (size_t)st.st_size - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    p[got] = 0;
    *len = got;
    return p;
}

/* build/rv32/<name>.bin, next to this binary's directory. */
static inline int load_bin(const char *name, uint8_t **data, size_t *len)
{
    char exe[4096], path[4200];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return -ENOENT;
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = 0;
    snprintf(path, sizeof path, "%s/../rv32/%s.bin", exe, name);
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        printf("  cannot open %s (run make all)\n", path);
        return -ENOENT;
    }
    *data = read_file(fd, len);
    close(fd);
    return *data ? 0 : -ENOMEM;
}

static inline int temp_fd(void)
{
    char path[] = "/tmp/ttm-ttsim-XXXXXX";
    int fd = mkstemp(path);
    if (fd >= 0)
        unlink(path);
    return fd;
}

/* Print the child's output, indented, keeping the last 40 lines. */
static inline void show_output(const char *out, size_t len)
{
    int lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += out[i] == '\n';
    const char *p = out;
    for (; lines > 40 && *p; p++)
        lines -= *p == '\n';
    printf("  ttsim child output:\n");
    while (*p) {
        const char *e = strchr(p, '\n');
        int n = e ? (int)(e - p) : (int)strlen(p);
        printf("  | %.*s\n", n, p);
        p += n + (e != NULL);
    }
}

/* Run fn on ttsim in a child process and wait for it (CHILD_TIMEOUT_S at most). Returns 0
 * with the recording in r when the child ran fn to the end, else -EIO (or -ETIMEDOUT),
 * with its wait status in *status; *out gets the child's output (the caller frees it). */
static inline int ttsim_child(scenario_fn fn, struct rec *r, int *status, char **out)
{
    int out_fd = temp_fd(), rec_fd = temp_fd();
    *status = 0;
    *out = NULL;
    if (out_fd < 0 || rec_fd < 0) {
        if (out_fd >= 0)
            close(out_fd);
        if (rec_fd >= 0)
            close(rec_fd);
        return -EIO;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(out_fd);
        close(rec_fd);
        return -EIO;
    }
    if (pid == 0) {
        dup2(out_fd, 1);
        dup2(out_fd, 2);
        setvbuf(stdout, NULL, _IONBF, 0);
        char m[1024] = "";
        struct rec cr = {0};
        int rc = run_here("ttsim", fn, &cr, m, sizeof m);
        if (rc)
            printf("%s\n", m);
        else if (write_all(rec_fd, cr.p, cr.len) < 0)
            rc = -EIO;
        fflush(NULL);
        _exit(rc ? 3 : 0);
    }
    time_t deadline = time(NULL) + CHILD_TIMEOUT_S;
    int rc = 0;
    while (waitpid(pid, status, WNOHANG) == 0) {
        if (time(NULL) > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, status, 0);
            rc = -ETIMEDOUT;
            break;
        }
        usleep(2000);
    }
    size_t out_len;
    *out = (char *)read_file(out_fd, &out_len);
    if (!rc && (!WIFEXITED(*status) || WEXITSTATUS(*status)))
        rc = -EIO;
    if (!rc) {
        free(r->p);
        r->p = read_file(rec_fd, &r->len);
        r->cap = r->len;
        if (!r->p)
            rc = -ENOMEM;
    }
    close(out_fd);
    close(rec_fd);
    return rc;
}

/* Run fn on ttsim in a child process. Returns 0 with the recording in r, or fails with a
 * message (and shows the child's output). */
static inline int run_ttsim_child(scenario_fn fn, struct rec *r, char *msg, size_t n)
{
    int status;
    char *out;
    int rc = ttsim_child(fn, r, &status, &out);
    if (rc == -ETIMEDOUT)
        snprintf(msg, n, "ttsim child did not finish within %d s", CHILD_TIMEOUT_S);
    else if (rc == -ENOMEM)
        snprintf(msg, n, "cannot read the child's recording");
    else if (rc && WIFSIGNALED(status))
        snprintf(msg, n, "ttsim child died of signal %d", WTERMSIG(status));
    else if (rc && WIFEXITED(status) && WEXITSTATUS(status) == 3)
        snprintf(msg, n, "ttsim child: the scenario failed");
    else if (rc && WIFEXITED(status) && WEXITSTATUS(status))
        snprintf(msg, n, "ttsim child exited with status %d (ttsim stopped the process)",
                 WEXITSTATUS(status));
    else if (rc)
        snprintf(msg, n, "cannot run a ttsim child");
    if (rc && rc != -ENOMEM && out)
        show_output(out, strlen(out));
    free(out);
    return rc;
}

struct section {
    const char *name;
    const uint8_t *data;
    uint64_t len;
};

static inline bool next_section(const struct rec *r, size_t *pos, struct section *s)
{
    if (*pos >= r->len)
        return false;
    const char *name = (const char *)r->p + *pos;
    size_t nl = strnlen(name, r->len - *pos);
    if (*pos + nl + 1 + 8 > r->len)
        return false;
    s->name = name;
    memcpy(&s->len, r->p + *pos + nl + 1, 8);
    s->data = r->p + *pos + nl + 1 + 8;
    if (s->len > r->len - (*pos + nl + 1 + 8))
        return false;
    *pos += nl + 1 + 8 + s->len;
    return true;
}

/* Compare two recordings section by section; print every difference found. */
static inline int compare(const struct rec *emu, const struct rec *sim)
{
    size_t pe = 0, ps = 0;
    struct section a = {0}, b = {0};
    int diffs = 0;
    for (;;) {
        bool ha = next_section(emu, &pe, &a), hb = next_section(sim, &ps, &b);
        if (!ha && !hb)
            break;
        if (ha != hb || strcmp(a.name, b.name)) {
            printf("  sections differ: emu \"%s\", ttsim \"%s\"\n", ha ? a.name : "(end)",
                   hb ? b.name : "(end)");
            return diffs + 1;
        }
        if (a.len != b.len) {
            printf("  %s: %llu bytes on emu, %llu on ttsim\n", a.name,
                   (unsigned long long)a.len, (unsigned long long)b.len);
            diffs++;
            continue;
        }
        if (!memcmp(a.data, b.data, a.len))
            continue;
        diffs++;
        uint64_t first = 0, count = 0;
        for (uint64_t i = 0; i < a.len; i++)
            if (a.data[i] != b.data[i] && !count++)
                first = i;
        printf("  %s: %llu of %llu bytes differ, first at +0x%llx:", a.name,
               (unsigned long long)count, (unsigned long long)a.len, (unsigned long long)first);
        uint64_t from = first & ~(uint64_t)3;
        for (uint64_t i = from; i < from + 16 && i + 4 <= a.len; i += 4) {
            uint32_t va, vb;
            memcpy(&va, a.data + i, 4);
            memcpy(&vb, b.data + i, 4);
            printf(" %08x/%08x", va, vb);
        }
        printf(" (emu/ttsim)\n");
        if (a.len < 200 && memchr(a.data, 0, a.len) == NULL)
            printf("    emu:   %.*s\n    ttsim: %.*s\n", (int)a.len, a.data, (int)b.len, b.data);
    }
    return diffs;
}

/* The emulator side runs in this process; a scenario that fails there is a plain test
 * failure and ttsim is not consulted. */
static inline void differential(scenario_fn fn, uint32_t mode)
{
    const char *why = skip_reason();
    if (why)
        SKIP("%s", why);
    ensure_cache_dir();
    dispatch_mode = mode;
    struct rec emu = {0}, sim = {0};
    char msg[1024] = "";
    int rc = run_here("emu", fn, &emu, msg, sizeof msg);
    if (rc) {
        test_fail_at(__FILE__, __LINE__, "%s", msg);
        free(emu.p);
        return;
    }
    rc = run_ttsim_child(fn, &sim, msg, sizeof msg);
    if (rc) {
        test_fail_at(__FILE__, __LINE__, "%s", msg);
    } else {
        int d = compare(&emu, &sim);
        if (d)
            test_fail_at(__FILE__, __LINE__, "%d section(s) differ between emu and ttsim", d);
    }
    free(emu.p);
    free(sim.p);
}

/* The emulator half alone, with the scenario's own checks: runs without TTSIM_LIB, so a
 * difference once found and fixed stays fixed on the emulator (it faults on what ttsim
 * refuses). */
static inline void emu_only(scenario_fn fn)
{
    ensure_cache_dir();
    static const uint32_t modes[2] = {TTM_DISPATCH_SLOW, TTM_DISPATCH_FAST};
    for (int m = 0; m < 2; m++) {
        struct rec emu = {0};
        char msg[1024] = "";
        dispatch_mode = modes[m];
        if (run_here("emu", fn, &emu, msg, sizeof msg))
            test_fail_at(__FILE__, __LINE__, "%s", msg);
        free(emu.p);
    }
}

/* Three tests per scenario: on the emulator alone in both dispatch modes, and emulator
 * against ttsim in each mode. */
#define DIFF_TEST(fn)                                                                   \
    TEST(fn##_on_emu)                                                                   \
    {                                                                                   \
        emu_only(fn);                                                                   \
    }                                                                                   \
    TEST(fn##_slow_matches_on_emu_and_ttsim)                                            \
    {                                                                                   \
        differential(fn, TTM_DISPATCH_SLOW);                                            \
    }                                                                                   \
    TEST(fn##_fast_matches_on_emu_and_ttsim)                                            \
    {                                                                                   \
        differential(fn, TTM_DISPATCH_FAST);                                            \
    }

#define TRY(call)                                                                       \
    do {                                                                                \
        int try_rc_ = (call);                                                           \
        if (try_rc_ < 0)                                                                \
            return try_rc_;                                                             \
    } while (0)

/* The scenario's own check of a result: fails the scenario with a message. */
#define EXPECT(cond, ...)                                                               \
    do {                                                                                \
        if (!(cond)) {                                                                  \
            printf("  expectation failed: " __VA_ARGS__);                               \
            printf("\n");                                                               \
            return -EPROTO;                                                             \
        }                                                                               \
    } while (0)

