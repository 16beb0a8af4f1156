/* Kernel compiler driver with a content-addressed cache (kbuild.h).
 *
 * The compiler runs as a child process from an argv array (posix_spawnp, never a shell),
 * so nothing in a define or a path can be interpreted; defines are still validated, to
 * give a clear error for what can only be a mistake.
 */
#include "kbuild.h"

#include <elf.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ttm/kernel/abi.h"
#include "../util/err.h"
#include "embedded.h"
#include "hash.h"
#include "runtime.h"

#define KEY_VERSION "ttm-kbuild 2"  /* change when the driver changes its output */
#define MAX_SOURCE (16u << 20)
#define MAX_ELF (16u << 20)
#define MAX_COMPILE_ARGS 1024u
#define MAX_DEFINES 256u
#define MAX_DEFINE_LEN 256u
#define MAX_LOG (64u << 10)          /* compiler output kept */
#define LOG_IN_ERROR 800u            /* of which goes in the message (err.c keeps 1 KiB) */
#define COMPILE_TIMEOUT_S 120        /* every wait is bounded; TTM_KERNEL_COMPILE_TIMEOUT */
#define MAX_COMPILE_TIMEOUT_S 3600
#define SWEEP_AGE_S (3 * MAX_COMPILE_TIMEOUT_S) /* no live build has a temporary this old */
#define HEADER_PREFIX "header/"

/* The code-generation flags. rv32ima + Zba/Zbb is what the cores run, with no compressed
 * instructions (device-facts 2.2). medany, no PIC and no jump tables make every reference
 * from code to the image PC-relative, so the image runs wherever it is placed; -mno-relax
 * keeps the code as compiled so the kept relocations describe it. */
static const char *const common_flags[] = {
    "--target=riscv32-unknown-elf", "-march=rv32ima_zba_zbb", "-mabi=ilp32",
    "-mcmodel=medany", "-mno-relax", "-fno-pic", "-fno-jump-tables",
    "-O2", "-ffreestanding", "-fno-builtin", "-nostdlib", "-nostdlibinc",
    "-ffunction-sections", "-fdata-sections", "-Wall",
    "-fuse-ld=lld", "-static", "-Wl,--no-relax", "-Wl,--emit-relocs", "-Wl,--gc-sections",
    "-Wl,--build-id=none",
};
static const char *const c_flags[] = {"-std=c11"};
/* No runtime to call: no exceptions, RTTI or guarded statics (__cxa_guard_*). */
static const char *const cxx_flags[] = {"-std=c++17", "-fno-exceptions", "-fno-rtti",
                                        "-fno-threadsafe-statics"};

/* One PT_LOAD holding everything, kernel_main first: the loader keeps the layout of the
 * image it packs (src/load/xip.h), and with a single segment nothing can come between
 * code and data. .bss is the segment's zero tail, which the packed blob holds as zeros.
 * Nothing would run global constructors, so they are refused. */
static const char kernel_ld[] =
    "/* ttm kernel image, written by the ttm runtime (src/build/kbuild.c). */\n"
    "ENTRY(kernel_main)\n"
    "PHDRS { image PT_LOAD FLAGS(7); }\n"
    "SECTIONS\n"
    "{\n"
    "    . = 0;\n"
    "    .text : { *(.text.kernel_main) *(.text .text.*) } :image\n"
    "    .rodata ALIGN(4) : { *(.rodata .rodata.* .srodata .srodata.*) } :image\n"
    "    .data ALIGN(4) : {\n"
    "        *(.data .data.* .sdata .sdata.*)\n"
    "        __ttm_ctors = .;\n"
    "        *(.init_array .init_array.* .ctors .ctors.*)\n"
    "        ASSERT(. == __ttm_ctors, \"kernel: global constructors are not supported\");\n"
    "    } :image\n"
    "    .bss ALIGN(4) : { *(.sbss .sbss.* .bss .bss.* COMMON) } :image\n"
    "    /DISCARD/ : { *(.comment) *(.note .note.*) *(.eh_frame .eh_frame_hdr) }\n"
    "}\n"
    "ASSERT(DEFINED(kernel_main), \"kernel: no kernel_main() is defined (the entry every "
    "kernel needs; misspelled?)\")\n";

/* Environment variables through which a build could change behind the cache key. */
static const char *const env_dropped[] = {"CPATH=", "C_INCLUDE_PATH=", "CPLUS_INCLUDE_PATH=",
                                          "CCC_OVERRIDE_OPTIONS=", "COMPILER_PATH=",
                                          "LIBRARY_PATH="};

/* ---- argv building ---- */

struct args {
    char **v; /* NULL-terminated */
    size_t n, cap;
    int oom;
};

__attribute__((format(printf, 2, 3))) static void args_add(struct args *a, const char *fmt, ...)
{
    char *s;
    va_list ap;
    if (a->oom)
        return;
    if (a->n + 2 > a->cap) {
        size_t cap = a->cap ? 2 * a->cap : 64;
        char **v = realloc(a->v, cap * sizeof *v);
        if (!v) {
            a->oom = 1;
            return;
        }
        a->v = v;
        a->cap = cap;
    }
    va_start(ap, fmt);
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0) {
        a->oom = 1;
        return;
    }
    a->v[a->n++] = s;
    a->v[a->n] = NULL;
}

static void args_free(struct args *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->v[i]);
    free(a->v);
}

/* ---- files ---- */

__attribute__((format(printf, 2, 3))) static int path_fmt(char out[PATH_MAX], const char *fmt,
                                                          ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out, PATH_MAX, fmt, ap);
    va_end(ap);
    if (n < 0 || n >= PATH_MAX)
        return err_set(-ENAMETOOLONG, "path too long: %.80s...", out);
    return 0;
}

/* The whole of a regular file, NUL-terminated. Returns 0 or a negative errno, no message. */
static int read_whole(const char *path, size_t max, char **buf, size_t *len)
{
    struct stat st;
    /* O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused below). */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return -errno;
    int rc = fstat(fd, &st) ? -errno : !S_ISREG(st.st_mode) ? -EINVAL
                                      : (uint64_t)st.st_size > max ? -EFBIG : 0;
    char *b = rc ? NULL : malloc((size_t)st.st_size + 1);
    size_t got = 0;
    if (!rc && !b)
        rc = -ENOMEM;
    while (!rc && got < (size_t)st.st_size) {
        ssize_t r = read(fd, b + got, (size_t)st.st_size - got);
        if (r < 0 && errno != EINTR)
            rc = -errno;
        else if (r == 0)
            break; /* shrank while being read: take what is there */
        else if (r > 0)
            got += (size_t)r;
    }
    close(fd);
    if (rc) {
        free(b);
        return rc;
    }
    b[got] = 0;
    *buf = b;
    *len = got;
    return 0;
}

static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return w < 0 ? -errno : -EIO;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

/* Readers (other processes too) see the old file or the new one, never a part. */
static int write_atomic(const char *path, const void *data, size_t len)
{
    char tmp[PATH_MAX];
    int rc = path_fmt(tmp, "%s.XXXXXX", path);
    if (rc)
        return rc;
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0)
        return err_set(-errno, "cannot create %s: %s", tmp, strerror(errno));
    rc = write_all(fd, data, len);
    if (!rc && fchmod(fd, 0644))
        rc = -errno;
    if (close(fd) && !rc)
        rc = -errno;
    if (!rc && rename(tmp, path))
        rc = -errno;
    if (rc) {
        unlink(tmp);
        return err_set(rc, "cannot write %s: %s", path, strerror(-rc));
    }
    return 0;
}

static int write_if_changed(const char *path, const void *data, size_t len)
{
    char *old;
    size_t old_len;
    if (!read_whole(path, len, &old, &old_len)) {
        int same = old_len == len && !memcmp(old, data, len);
        free(old);
        if (same)
            return 0;
    }
    return write_atomic(path, data, len);
}

static int mkdir_p(const char *path)
{
    char p[PATH_MAX];
    struct stat st;
    int rc = path_fmt(p, "%s", path);
    for (char *s = p + 1; !rc; s++) {
        if (*s && *s != '/')
            continue;
        char c = *s;
        *s = 0;
        if (mkdir(p, 0755) && errno != EEXIST)
            return err_set(-errno, "cannot create directory %s: %s", p, strerror(errno));
        *s = c;
        if (!c)
            break;
    }
    if (!rc && (stat(path, &st) || !S_ISDIR(st.st_mode)))
        rc = err_set(-ENOTDIR, "%s is not a directory", path);
    return rc;
}

/* ---- the cache directory ---- */

int kbuild_cache_dir(char *out, size_t size)
{
    const char *d = getenv("TTM_CACHE_DIR");
    int n;
    if (d && *d)
        n = snprintf(out, size, "%s", d);
    else if ((d = getenv("XDG_CACHE_HOME")) && *d == '/') /* relative: invalid (XDG spec) */
        n = snprintf(out, size, "%s/ttm", d);
    else if ((d = getenv("HOME")) && *d)
        n = snprintf(out, size, "%s/.cache/ttm", d);
    else
        return err_set(-ENOENT, "no directory for the kernel cache: set TTM_CACHE_DIR");
    if (n < 0 || (size_t)n >= size)
        return err_set(-ENAMETOOLONG, "kernel cache directory name too long");
    return 0;
}

static int header_count(void)
{
    int n = 0;
    for (const struct ttm_embedded_file *f = ttm_embedded; f->name; f++)
        n += !strncmp(f->name, HEADER_PREFIX, strlen(HEADER_PREFIX));
    return n;
}

/* The headers under include/ (ttm/blackhole.h, ttm/kernel/) and the link script, each
 * rewritten only when it differs from the library's copy (an older library may have left
 * its own). Embedded header names are their paths under include/. */
static int prepare_cache(const char *cache)
{
    char p[PATH_MAX];
    static const char *const dirs[] = {"kernels", "tmp", "include/ttm/kernel"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        int rc = path_fmt(p, "%s/%s", cache, dirs[i]);
        if (rc || (rc = mkdir_p(p)))
            return rc;
    }
    if (!header_count())
        return err_set(-ENOENT, "this library was built without the kernel headers");
    for (const struct ttm_embedded_file *f = ttm_embedded; f->name; f++) {
        const char *path = f->name + strlen(HEADER_PREFIX);
        if (strncmp(f->name, HEADER_PREFIX, strlen(HEADER_PREFIX)))
            continue;
        int rc = path_fmt(p, "%s/include/%s", cache, path);
        if (!rc) { /* its directory first (headers may sit below ttm/kernel/) */
            *strrchr(p, '/') = 0;
            rc = mkdir_p(p);
            p[strlen(p)] = '/';
        }
        if (rc || (rc = write_if_changed(p, f->data, (size_t)f->size)))
            return rc;
    }
    int rc = path_fmt(p, "%s/kernel.ld", cache);
    return rc ? rc : write_if_changed(p, kernel_ld, sizeof kernel_ld - 1);
}

/* ---- running the compiler ---- */

/* The caller's environment minus env_dropped; the strings are shared with environ. */
static char **compiler_env(void)
{
    size_t n = 0;
    while (environ[n])
        n++;
    char **env = malloc((n + 1) * sizeof *env);
    size_t k = 0;
    for (size_t i = 0; env && i < n; i++) {
        int drop = 0;
        for (size_t j = 0; j < sizeof env_dropped / sizeof env_dropped[0]; j++)
            drop |= !strncmp(environ[i], env_dropped[j], strlen(env_dropped[j]));
        if (!drop)
            env[k++] = environ[i];
    }
    if (env)
        env[k] = NULL;
    return env;
}

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* How long one compiler run may take: TTM_KERNEL_COMPILE_TIMEOUT seconds (1 to 3600), or
 * COMPILE_TIMEOUT_S. */
static int compile_timeout_ms(int64_t *ms)
{
    const char *env = getenv("TTM_KERNEL_COMPILE_TIMEOUT");
    long v = COMPILE_TIMEOUT_S;
    if (env && *env) {
        char *end;
        errno = 0;
        v = strtol(env, &end, 10);
        if (errno || *end || v < 1 || v > MAX_COMPILE_TIMEOUT_S)
            return err_set(-EINVAL, "TTM_KERNEL_COMPILE_TIMEOUT is \"%.40s\": give seconds, "
                                    "1 to %d", env, MAX_COMPILE_TIMEOUT_S);
    }
    *ms = (int64_t)v * 1000;
    return 0;
}

/* Read the child's output until EOF into log (keeping MAX_LOG bytes). Returns 0, or
 * -ETIMEDOUT when the deadline passed first. */
static int collect(int fd, char *log, int64_t deadline)
{
    size_t len = 0;
    log[0] = 0;
    for (;;) {
        int64_t left = deadline - now_ms();
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        if (left <= 0)
            return -ETIMEDOUT;
        int r = poll(&pfd, 1, (int)left);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return r ? -errno : -ETIMEDOUT;
        char chunk[4096];
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return 0;
        size_t keep = (size_t)n < MAX_LOG - len ? (size_t)n : MAX_LOG - len;
        memcpy(log + len, chunk, keep);
        len += keep;
        log[len] = 0;
    }
}

/* Wait for the child to exit by the deadline (it may close its output and go on running).
 * Returns 0 with its status, -ETIMEDOUT (it was killed), or another negative errno. */
static int reap(pid_t pid, int64_t deadline, int *status)
{
    for (unsigned pause_us = 100;;) {
        pid_t r = waitpid(pid, status, WNOHANG);
        if (r == pid)
            return 0;
        if (r < 0 && errno != EINTR)
            return -errno;
        if (now_ms() >= deadline) {
            kill(-pid, SIGKILL); /* the group: clang and what it started */
            while (waitpid(pid, status, 0) < 0 && errno == EINTR)
                ;
            return -ETIMEDOUT;
        }
        usleep(pause_us);
        pause_us = pause_us < 20000 ? 2 * pause_us : pause_us;
    }
}

/* Run argv (argv[0] looked up in PATH) with no input and its stdout and stderr into log
 * (MAX_LOG + 1 bytes). Returns its exit status (>= 0), or a negative errno with a message
 * when it could not run, died or overran the time limit. */
static int run(char *const argv[], char *log)
{
    int fds[2];
    pid_t pid;
    int64_t limit = 0;
    posix_spawn_file_actions_t fa;
    int rc = compile_timeout_ms(&limit);
    if (rc)
        return rc;
    if (pipe2(fds, O_CLOEXEC))
        return err_set(-errno, "pipe: %s", strerror(errno));
    char **env = compiler_env();
    /* Its own process group, so a time-out kills the linker clang runs as well. */
    posix_spawnattr_t at;
    rc = env ? posix_spawn_file_actions_init(&fa) : ENOMEM;
    if (!rc && (rc = posix_spawnattr_init(&at)))
        posix_spawn_file_actions_destroy(&fa);
    if (!rc) {
        posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
        posix_spawnattr_setpgroup(&at, 0);
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
        posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
        rc = posix_spawnp(&pid, argv[0], &fa, &at, argv, env);
        posix_spawn_file_actions_destroy(&fa);
        posix_spawnattr_destroy(&at);
    }
    free(env);
    close(fds[1]);
    if (rc) {
        close(fds[0]);
        if (rc == ENOENT)
            return err_set(-ENOENT, "kernel compiler '%s' not found: install clang and lld, "
                                    "or set TTM_CLANG", argv[0]);
        return err_set(-rc, "cannot run kernel compiler '%s': %s", argv[0], strerror(rc));
    }
    int64_t deadline = now_ms() + limit;
    int status;
    rc = collect(fds[0], log, deadline);
    close(fds[0]);
    if (rc == -ETIMEDOUT)
        kill(-pid, SIGKILL);
    int wrc = reap(pid, rc ? now_ms() + limit : deadline, &status);
    if (rc == -ETIMEDOUT || wrc == -ETIMEDOUT)
        return err_set(-ETIMEDOUT, "kernel compiler '%s' did not finish in %lld s", argv[0],
                       (long long)(limit / 1000));
    if (rc || wrc)
        return err_set(rc ? rc : wrc, "waiting for kernel compiler: %s",
                       strerror(-(rc ? rc : wrc)));
    if (WIFSIGNALED(status))
        return err_set(-EIO, "kernel compiler '%s' killed by signal %d", argv[0],
                       WTERMSIG(status));
    return WEXITSTATUS(status);
}

/* Cut the compiler's output for an error message: the first lines (where the first error
 * is), up to LOG_IN_ERROR bytes, then a mark. */
static void trim_log(char *log)
{
    size_t len = strlen(log);
    if (len > LOG_IN_ERROR) {
        len = LOG_IN_ERROR;
        while (len > LOG_IN_ERROR / 2 && log[len] != '\n')
            len--;
        len += (size_t)snprintf(log + len, MAX_LOG + 1 - len, "\n[...]");
    }
    while (len && (log[len - 1] == '\n' || log[len - 1] == ' '))
        len--;
    log[len] = 0;
}

/* The compiler's file: `cc` itself when it names a path, else the first executable of
 * that name on PATH, with symbolic links followed to the file that runs. */
static int resolve_compiler(const char *cc, char out[PATH_MAX])
{
    char cand[PATH_MAX];
    if (strchr(cc, '/')) {
        if (realpath(cc, out) && !access(out, X_OK))
            return 0;
    } else {
        const char *path = getenv("PATH");
        for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
            size_t n = strcspn(p, ":");
            int w = snprintf(cand, sizeof cand, "%.*s/%s", (int)n, n ? p : ".", cc);
            if (w > 0 && w < (int)sizeof cand && !access(cand, X_OK) && realpath(cand, out))
                return 0;
            p += n + (p[n] == ':');
        }
    }
    return err_set(-ENOENT, "kernel compiler '%s' not found: install clang and lld, or set "
                            "TTM_CLANG", cc);
}

/* A digest of the compiler, worked out once per process and compiler name so that a
 * different clang never reuses another's cached kernels: the file that runs, its size,
 * modification time and identity. A new package version changes them; running
 * `clang --version` to learn as much would cost more than a whole cache hit. */
static pthread_mutex_t ident_lock = PTHREAD_MUTEX_INITIALIZER;
static char ident_cc[PATH_MAX];
static uint8_t ident_digest[SHA256_BYTES];

static int compiler_identity(const char *cc, uint8_t digest[SHA256_BYTES])
{
    int rc = 0;
    pthread_mutex_lock(&ident_lock);
    if (!ident_cc[0] || strcmp(ident_cc, cc)) {
        char file[PATH_MAX];
        struct stat st;
        rc = resolve_compiler(cc, file);
        if (!rc && stat(file, &st))
            rc = err_set(-errno, "kernel compiler %s: %s", file, strerror(errno));
        if (!rc) {
            long long facts[5] = {(long long)st.st_size, (long long)st.st_mtim.tv_sec,
                                  (long long)st.st_mtim.tv_nsec, (long long)st.st_ino,
                                  (long long)st.st_dev};
            struct sha256 s;
            sha256_init(&s);
            sha256_update(&s, cc, strlen(cc) + 1);
            sha256_update(&s, file, strlen(file) + 1);
            sha256_update(&s, facts, sizeof facts);
            sha256_final(&s, ident_digest);
            snprintf(ident_cc, sizeof ident_cc, "%s", cc);
        }
    }
    memcpy(digest, ident_digest, SHA256_BYTES);
    pthread_mutex_unlock(&ident_lock);
    return rc;
}

/* ---- the request ---- */

static int is_ident_char(char c, int first)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           (!first && c >= '0' && c <= '9');
}

static int check_define(const char *d, size_t n)
{
    size_t name_len = 0;
    if (n > MAX_DEFINE_LEN)
        return err_set(-EINVAL, "define '%.40s...' is longer than %u characters", d,
                       MAX_DEFINE_LEN);
    for (; name_len < n && d[name_len] != '='; name_len++)
        if (!is_ident_char(d[name_len], name_len == 0))
            return err_set(-EINVAL, "define '%.*s': the name must be a C identifier", (int)n,
                           d);
    if (!name_len)
        return err_set(-EINVAL, "define '%.*s' has no name", (int)n, d);
    if (!strncmp(d, "TTM_", 4))
        return err_set(-EINVAL, "define '%.*s': names starting with TTM_ are reserved", (int)n,
                       d);
    for (size_t i = name_len + 1; i < n; i++)
        if (!is_ident_char(d[i], 0) && !strchr(".+-,:/", d[i]))
            return err_set(-EINVAL, "define '%.*s': the value may hold only letters, digits "
                                    "and _ . + - , : /", (int)n, d);
    return 0;
}

static int add_defines(struct args *a, const char *defines)
{
    static const char space[] = " \t\n\r\v\f";
    unsigned count = 0;
    for (const char *p = defines; p && *(p += strspn(p, space));) {
        size_t n = strcspn(p, space);
        int rc = check_define(p, n);
        if (rc)
            return rc;
        if (++count > MAX_DEFINES)
            return err_set(-E2BIG, "more than %u defines", MAX_DEFINES);
        args_add(a, "-D%.*s", (int)n, p);
        p += n;
    }
    return 0;
}

/* The compiler and every argument that does not name a file. */
static int build_flags(struct args *a, const struct kbuild_req *req, const char *cc)
{
    args_add(a, "%s", cc);
    for (size_t i = 0; i < sizeof common_flags / sizeof common_flags[0]; i++)
        args_add(a, "%s", common_flags[i]);
    const char *const *lang = req->is_cpp ? cxx_flags : c_flags;
    size_t n_lang = req->is_cpp ? sizeof cxx_flags / sizeof cxx_flags[0] : 1;
    for (size_t i = 0; i < n_lang; i++)
        args_add(a, "%s", lang[i]);
    args_add(a, "-DTTM_PROC=%u", req->processor);
    if (req->processor >= BH_TRISC0) {
        args_add(a, "-DTTM_MATH_FIDELITY=%u", req->math_fidelity);
        args_add(a, "-DTTM_FP32_DEST_ACC=%u", req->fp32_dest_acc);
    }
    if (req->print)
        args_add(a, "-DTTM_KERNEL_PRINT=1");
    args_add(a, "-DTTM_CT_ARGS_N=%u", req->n_compile_args);
    for (uint32_t i = 0; i < req->n_compile_args; i++)
        args_add(a, "-DTTM_CT_ARG_%u=%uu", i, req->compile_args[i]);
    /* The same as a list ("1u,2u,"), which C++ can index by a constant expression
     * (TT-Metal's TensorAccessorArgs<N>, ttm/kernel/tt_metal/). */
    char *list = malloc(32 + 12 * (size_t)req->n_compile_args);
    if (!list) {
        a->oom = 1;
        return 0;
    }
    int at = sprintf(list, "-DTTM_CT_ARGS_LIST=");
    for (uint32_t i = 0; i < req->n_compile_args; i++)
        at += sprintf(list + at, "%uu,", req->compile_args[i]);
    args_add(a, "%s", list);
    free(list);
    return add_defines(a, req->defines);
}

static void key_bytes(struct sha256 *s, const void *p, size_t n)
{
    uint64_t len = n; /* length-prefixed, so field boundaries cannot shift */
    sha256_update(s, &len, sizeof len);
    sha256_update(s, p, n);
}

/* The link script and the embedded headers are the library's own and never change while
 * it is loaded: hashed once per process. */
static pthread_once_t headers_once = PTHREAD_ONCE_INIT;
static uint8_t headers_digest[SHA256_BYTES];

static void hash_headers(void)
{
    struct sha256 s;
    sha256_init(&s);
    key_bytes(&s, kernel_ld, sizeof kernel_ld - 1);
    for (const struct ttm_embedded_file *f = ttm_embedded; f->name; f++) {
        if (strncmp(f->name, HEADER_PREFIX, strlen(HEADER_PREFIX)))
            continue;
        key_bytes(&s, f->name, strlen(f->name));
        key_bytes(&s, f->data, (size_t)f->size);
    }
    sha256_final(&s, headers_digest);
}

static void cache_key(const struct kbuild_req *req, const char *name, const struct args *flags,
                      const uint8_t ident[SHA256_BYTES], const struct kbuild_runtime *rt,
                      char hex[2 * SHA256_BYTES + 1])
{
    struct sha256 s;
    uint8_t digest[SHA256_BYTES];
    sha256_init(&s);
    key_bytes(&s, KEY_VERSION, strlen(KEY_VERSION));
    key_bytes(&s, ident, SHA256_BYTES);
    key_bytes(&s, rt->ident, strlen(rt->ident));
    for (size_t i = 1; i < flags->n; i++) /* argv[0] is in ident */
        key_bytes(&s, flags->v[i], strlen(flags->v[i]));
    pthread_once(&headers_once, hash_headers);
    key_bytes(&s, headers_digest, SHA256_BYTES);
    key_bytes(&s, name, strlen(name)); /* it is in the #line, hence in __FILE__ */
    key_bytes(&s, req->source, req->source_len);
    sha256_final(&s, digest);
    sha256_hex(digest, hex);
}

static uint32_t le16(const uint8_t *p)
{
    return p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const uint8_t *p)
{
    return le16(p) | le16(p + 2) << 16;
}

/* Enough to know the file is what this driver makes; the loader checks the rest. */
static int elf_ok(const uint8_t *p, size_t n)
{
    return n >= sizeof(Elf32_Ehdr) && !memcmp(p, ELFMAG, SELFMAG) &&
           p[EI_CLASS] == ELFCLASS32 && p[EI_DATA] == ELFDATA2LSB &&
           le16(p + offsetof(Elf32_Ehdr, e_machine)) == EM_RISCV &&
           !(le32(p + offsetof(Elf32_Ehdr, e_flags)) & EF_RISCV_RVC);
}

/* A cache entry is the image followed by a trailer: ENTRY_MAGIC and the SHA-256 of the
 * image. An entry whose digest does not match (a flipped bit, a truncated file) is
 * damaged, and built again. */
#define ENTRY_MAGIC "ttm-kernel-image"
#define ENTRY_TRAILER (sizeof ENTRY_MAGIC - 1 + SHA256_BYTES)

static int load_entry(const char *path, uint8_t **elf, size_t *size)
{
    char *buf;
    size_t len;
    uint8_t digest[SHA256_BYTES];
    int rc = read_whole(path, MAX_ELF + ENTRY_TRAILER, &buf, &len);
    if (rc)
        return rc;
    size_t n = len - ENTRY_TRAILER;
    if (len < ENTRY_TRAILER || memcmp(buf + n, ENTRY_MAGIC, sizeof ENTRY_MAGIC - 1)) {
        rc = -EBADMSG;
    } else {
        struct sha256 s;
        sha256_init(&s);
        sha256_update(&s, buf, n);
        sha256_final(&s, digest);
        if (memcmp(digest, buf + n + sizeof ENTRY_MAGIC - 1, SHA256_BYTES) ||
            !elf_ok((uint8_t *)buf, n))
            rc = -EBADMSG;
    }
    if (rc) {
        free(buf);
        return rc;
    }
    *elf = (uint8_t *)buf;
    *size = n;
    return 0;
}

/* Entries already read and checked in this process, by key: a hit here reads no file
 * and hashes no image, which is most of what a cache hit costs. Verified bytes stay
 * right whatever happens to the file since. */
#define MEMO_ENTRIES 32
#define MEMO_MAX_ELF (256u << 10)
static pthread_mutex_t memo_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    char key[2 * SHA256_BYTES + 1];
    uint8_t *elf;
    size_t size;
} memo[MEMO_ENTRIES];
static unsigned memo_next;

static bool memo_get(const char *key, uint8_t **elf, size_t *size)
{
    bool hit = false;
    pthread_mutex_lock(&memo_lock);
    for (unsigned i = 0; i < MEMO_ENTRIES && !hit; i++) {
        if (!memo[i].elf || strcmp(memo[i].key, key))
            continue;
        if ((*elf = malloc(memo[i].size))) {
            memcpy(*elf, memo[i].elf, memo[i].size);
            *size = memo[i].size;
            hit = true;
        }
    }
    pthread_mutex_unlock(&memo_lock);
    return hit;
}

void kbuild_memo_clear(void)
{
    pthread_mutex_lock(&memo_lock);
    for (unsigned i = 0; i < MEMO_ENTRIES; i++) {
        free(memo[i].elf);
        memo[i].elf = NULL;
    }
    pthread_mutex_unlock(&memo_lock);
}

static void memo_put(const char *key, const uint8_t *elf, size_t size)
{
    uint8_t *copy = size <= MEMO_MAX_ELF ? malloc(size) : NULL;
    if (!copy)
        return;
    memcpy(copy, elf, size);
    pthread_mutex_lock(&memo_lock);
    unsigned i = memo_next++ % MEMO_ENTRIES;
    free(memo[i].elf);
    snprintf(memo[i].key, sizeof memo[i].key, "%s", key);
    memo[i].elf = copy;
    memo[i].size = size;
    pthread_mutex_unlock(&memo_lock);
}

/* Publish the image as a cache entry, atomically: readers see a whole entry or none. */
static int store_entry(const char *path, const uint8_t *elf, size_t size)
{
    uint8_t *e = malloc(size + ENTRY_TRAILER);
    if (!e)
        return err_set(-ENOMEM, "out of memory");
    memcpy(e, elf, size);
    memcpy(e + size, ENTRY_MAGIC, sizeof ENTRY_MAGIC - 1);
    struct sha256 s;
    sha256_init(&s);
    sha256_update(&s, elf, size);
    sha256_final(&s, e + size + sizeof ENTRY_MAGIC - 1);
    int rc = write_atomic(path, e, size + ENTRY_TRAILER);
    free(e);
    return rc;
}

static int load_elf(const char *path, uint8_t **elf, size_t *size)
{
    char *buf;
    size_t len;
    int rc = read_whole(path, MAX_ELF, &buf, &len);
    if (!rc && !elf_ok((uint8_t *)buf, len)) {
        free(buf);
        rc = -ENOEXEC;
    }
    if (!rc) {
        *elf = (uint8_t *)buf;
        *size = len;
    }
    return rc;
}

/* The source as the compiler sees it: a #line first, so diagnostics name the kernel as
 * the user knows it and keep its line numbers. */
static int write_source(const char *path, const char *name, const struct kbuild_req *req)
{
    char line[PATH_MAX + 32];
    size_t n = (size_t)snprintf(line, sizeof line, "#line 1 \"");
    for (const char *c = name; *c && n < sizeof line - 8; c++) {
        if (*c == '"' || *c == '\\')
            line[n++] = '\\';
        line[n++] = (unsigned char)*c < 0x20 || *c == 0x7F ? '?' : *c;
    }
    n += (size_t)snprintf(line + n, sizeof line - n, "\"\n");
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return err_set(-errno, "cannot create %s: %s", path, strerror(errno));
    int rc = write_all(fd, line, n);
    if (!rc)
        rc = write_all(fd, req->source, req->source_len);
    if (close(fd) && !rc)
        rc = -errno;
    return rc ? err_set(rc, "cannot write %s: %s", path, strerror(-rc)) : 0;
}

/* Remove what builds that were killed left behind: directories under tmp/ and partly
 * written entries (<key>.elf.XXXXXX, write_atomic) under kernels/, once older than any
 * live build can be. Best effort: another process may be sweeping too. */
static void sweep(const char *cache)
{
    static const char *const dirs[] = {"tmp", "kernels"};
    time_t now = time(NULL);
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        char dir[PATH_MAX], p[PATH_MAX];
        if (path_fmt(dir, "%s/%s", cache, dirs[i]))
            continue;
        DIR *d = opendir(dir);
        for (struct dirent *e; d && (e = readdir(d));) {
            struct stat st;
            const char *dot = strstr(e->d_name, ".elf.");
            if (e->d_name[0] == '.' || (i == 1 && !dot) || path_fmt(p, "%s/%s", dir, e->d_name) ||
                lstat(p, &st) || now - st.st_mtime < SWEEP_AGE_S)
                continue;
            if (S_ISDIR(st.st_mode)) {
                DIR *sub = opendir(p);
                char f[PATH_MAX];
                for (struct dirent *g; sub && (g = readdir(sub));)
                    if (g->d_name[0] != '.' && !path_fmt(f, "%s/%s", p, g->d_name))
                        unlink(f);
                if (sub)
                    closedir(sub);
                rmdir(p);
            } else {
                unlink(p);
            }
        }
        if (d)
            closedir(d);
    }
}

/* Compile in a private directory under tmp/, then move the image into the cache. */
static int build(const struct kbuild_req *req, const char *name, const char *cache,
                 const struct kbuild_runtime *rt, struct args *a, const char *out,
                 uint8_t **elf, size_t *size)
{
    char dir[PATH_MAX], src[PATH_MAX] = "", obj[PATH_MAX] = "";
    sweep(cache);
    int rc = path_fmt(dir, "%s/tmp/XXXXXX", cache);
    if (rc)
        return rc;
    if (!mkdtemp(dir))
        return err_set(-errno, "cannot create a directory in %s/tmp: %s", cache, strerror(errno));
    char *log = malloc(MAX_LOG + 1);
    if (!(rc = path_fmt(src, "%s/kernel.%s", dir, req->is_cpp ? "cpp" : "c")) &&
        !(rc = path_fmt(obj, "%s/kernel.elf", dir)) && !(rc = log ? 0 : -ENOMEM) &&
        !(rc = write_source(src, name, req))) {
        args_add(a, "-I%s/include", cache);
        /* TT-Metal's kernel headers under their own names, for kernels ported unchanged
         * ("dataflow_api.h", "compute_kernel_api/..."). */
        args_add(a, "-I%s/include/ttm/kernel/tt_metal", cache);
        if (req->is_cpp && rt->cxx[0]) {
            args_add(a, "-isystem");
            args_add(a, "%s/include/ttm/kernel/libstdcxx", cache);
            args_add(a, "-isystem");
            args_add(a, "%s", rt->cxx);
            args_add(a, "-isystem");
            args_add(a, "%s", rt->cxx_arch);
        }
        args_add(a, "-T"); /* not -Wl,-T,...: -Wl would split a path at its commas */
        args_add(a, "%s/kernel.ld", cache);
        args_add(a, "%s", src);
        if (rt->libgcc[0]) /* after the kernel: an archive gives what is still undefined */
            args_add(a, "%s", rt->libgcc);
        args_add(a, "-o");
        args_add(a, "%s", obj);
        rc = a->oom ? -ENOMEM : run(a->v, log);
    }
    if (rc > 0) {
        const char *hint = kbuild_runtime_hint(rt, req->is_cpp, log);
        trim_log(log);
        rc = err_set(-EINVAL, "kernel %s: compile failed:\n%s%s", name, log, hint);
    } else if (!rc && (rc = load_elf(obj, elf, size))) {
        rc = err_set(rc, "kernel %s: the compiler made no usable image (%s)", name,
                     strerror(-rc));
    } else if (!rc && (rc = store_entry(out, *elf, *size))) {
        free(*elf);
    }
    free(log);
    unlink(src);
    unlink(obj);
    rmdir(dir);
    return rc;
}

static int check_req(const struct kbuild_req *req, const char *name)
{
    if (!req->source && req->source_len)
        return err_set(-EINVAL, "kernel %s: no source", name);
    if (req->source_len > MAX_SOURCE)
        return err_set(-EFBIG, "kernel %s: source larger than %u MiB", name, MAX_SOURCE >> 20);
    if (req->processor >= BH_CORES_PER_TILE)
        return err_set(-EINVAL, "kernel %s: no processor %u", name, req->processor);
    if (req->n_compile_args > MAX_COMPILE_ARGS || (req->n_compile_args && !req->compile_args))
        return err_set(-EINVAL, "kernel %s: %u compile args (at most %u)", name,
                       req->n_compile_args, MAX_COMPILE_ARGS);
    return 0;
}

int kbuild_compile(const struct kbuild_req *req, uint8_t **elf, size_t *elf_size)
{
    if (!req || !elf || !elf_size)
        return err_set(-EINVAL, "kbuild_compile: missing argument");
    const char *name = req->display_name ? req->display_name : "<string>";
    const char *cc = getenv("TTM_CLANG");
    char cache[PATH_MAX], out[PATH_MAX], key[2 * SHA256_BYTES + 1];
    uint8_t ident[SHA256_BYTES];
    struct args a = {0};
    struct kbuild_runtime *rt = malloc(sizeof *rt);
    int rc = rt ? check_req(req, name) : err_set(-ENOMEM, "out of memory");
    if (!cc || !*cc)
        cc = "clang";
    if (!rc && !(rc = build_flags(&a, req, cc)) && a.oom)
        rc = -ENOMEM;
    if (!rc && !(rc = kbuild_cache_dir(cache, sizeof cache)) &&
        !(rc = compiler_identity(cc, ident)) && !(rc = kbuild_runtime_find(rt))) {
        cache_key(req, name, &a, ident, rt, key);
        rc = path_fmt(out, "%s/kernels/%s.elf", cache, key);
    }
    /* A missing or damaged cache entry is built (again), with the cache's directories,
     * headers and link script in place first; a hit needs none of them. */
    if (!rc && !memo_get(key, elf, elf_size)) {
        if (load_entry(out, elf, elf_size) && !(rc = prepare_cache(cache)))
            rc = build(req, name, cache, rt, &a, out, elf, elf_size);
        if (!rc)
            memo_put(key, *elf, *elf_size);
    }
    args_free(&a);
    free(rt);
    return rc;
}

int kbuild_read_file(const char *path, const char *root_dir, char **buf, size_t *len)
{
    char full[PATH_MAX];
    if (!path || !*path || !buf || !len)
        return err_set(-EINVAL, "kernel source: no path");
    int rc = path[0] != '/' && root_dir && *root_dir ? path_fmt(full, "%s/%s", root_dir, path)
                                                      : path_fmt(full, "%s", path);
    if (!rc && (rc = read_whole(full, MAX_SOURCE, buf, len)))
        rc = err_set(rc, "kernel source %s: %s", full,
                     rc == -EFBIG ? "larger than 16 MiB" : rc == -EINVAL ? "not a regular file"
                                                                          : strerror(-rc));
    return rc;
}
