#include "runtime.h"

#include <errno.h>
#include <glob.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../util/err.h"

/* Where Debian and a source build put the cross compiler's multilib for our cores'
 * integer ISA and ABI (rv32ima_zba_zbb/ilp32 runs rv32im code). */
static const char *const libgcc_globs[] = {
    "/usr/lib/gcc/riscv64-unknown-elf/*/rv32im/ilp32/libgcc.a",
    "/usr/local/lib/gcc/riscv64-unknown-elf/*/rv32im/ilp32/libgcc.a",
};

/* The host's libstdc++ headers and their target directory (named by the host's multiarch
 * triple: the headers we use do not depend on it). */
static const char cxx_glob[] = "/usr/include/c++/*/type_traits";
#if defined(__x86_64__)
#define MULTIARCH "x86_64-linux-gnu"
#elif defined(__aarch64__)
#define MULTIARCH "aarch64-linux-gnu"
#else
#define MULTIARCH "unknown"
#endif

/* The match with the highest version ("12.2.0" < "13.1.0", "9" < "12"), or NULL. */
static const char *newest(const glob_t *g)
{
    const char *best = NULL;
    for (size_t i = 0; i < g->gl_pathc; i++)
        if (!best || strverscmp(g->gl_pathv[i], best) > 0)
            best = g->gl_pathv[i];
    return best;
}

static int is_file(const char *path, struct stat *st)
{
    return !stat(path, st) && S_ISREG(st->st_mode);
}

static void find_libgcc(struct kbuild_runtime *rt)
{
    for (size_t i = 0; i < sizeof libgcc_globs / sizeof libgcc_globs[0] && !rt->libgcc[0]; i++) {
        glob_t g;
        if (!glob(libgcc_globs[i], 0, NULL, &g)) {
            const char *p = newest(&g);
            if (p && strlen(p) < sizeof rt->libgcc)
                snprintf(rt->libgcc, sizeof rt->libgcc, "%s", p);
        }
        globfree(&g);
    }
}

/* Newest first: a numbered libstdc++ version ("12", "13") whose target part is there too.
 * Other entries of /usr/include/c++ (libc++'s "v1") are not libstdc++. */
static int by_version_desc(const void *a, const void *b)
{
    return strverscmp(*(const char *const *)b, *(const char *const *)a);
}

static void find_cxx(struct kbuild_runtime *rt)
{
    glob_t g;
    if (glob(cxx_glob, 0, NULL, &g)) {
        globfree(&g);
        return;
    }
    qsort(g.gl_pathv, g.gl_pathc, sizeof *g.gl_pathv, by_version_desc);
    for (size_t i = 0; i < g.gl_pathc && !rt->cxx[0]; i++) {
        /* gl_pathv[i] is /usr/include/c++/<version>/type_traits. */
        char dir[PATH_MAX], arch[PATH_MAX], cfg[PATH_MAX + 32];
        struct stat st;
        int n = snprintf(dir, sizeof dir, "%s", g.gl_pathv[i]);
        if (n <= 0 || n >= (int)sizeof dir)
            continue;
        *strrchr(dir, '/') = 0;
        const char *ver = strrchr(dir, '/') + 1;
        if (!*ver || strspn(ver, "0123456789.") != strlen(ver))
            continue;
        n = snprintf(arch, sizeof arch, "/usr/include/" MULTIARCH "/c++/%s", ver);
        if (n <= 0 || n >= (int)sizeof arch)
            continue;
        snprintf(cfg, sizeof cfg, "%s/bits/c++config.h", arch);
        if (is_file(cfg, &st)) {
            memcpy(rt->cxx, dir, strlen(dir) + 1);
            memcpy(rt->cxx_arch, arch, (size_t)n + 1);
        }
    }
    globfree(&g);
}

/* The last search, kept for the process while TTM_KERNEL_LIBGCC stays as it was: globs
 * and stats cost more than a cached kernel does. Packages installed meanwhile are seen by
 * the next process. */
static pthread_mutex_t last_lock = PTHREAD_MUTEX_INITIALIZER;
static struct kbuild_runtime last;
static char last_env[PATH_MAX + 2]; /* "" unset, "=value" set */
static bool have_last;

static int runtime_search(struct kbuild_runtime *rt);

int kbuild_runtime_find(struct kbuild_runtime *rt)
{
    const char *env = getenv("TTM_KERNEL_LIBGCC");
    char key[sizeof last_env];
    snprintf(key, sizeof key, "%s%.*s", env ? "=" : "", PATH_MAX, env ? env : "");
    pthread_mutex_lock(&last_lock);
    int rc = 0;
    if (!have_last || strcmp(key, last_env)) {
        rc = runtime_search(&last);
        have_last = !rc;
        snprintf(last_env, sizeof last_env, "%s", key);
    }
    if (!rc)
        *rt = last;
    pthread_mutex_unlock(&last_lock);
    return rc;
}

static int runtime_search(struct kbuild_runtime *rt)
{
    memset(rt, 0, sizeof *rt);
    const char *env = getenv("TTM_KERNEL_LIBGCC");
    struct stat lib = {0}, cfg = {0};
    if (env && *env) {
        if (strlen(env) >= sizeof rt->libgcc || !is_file(env, &lib))
            return err_set(-ENOENT, "TTM_KERNEL_LIBGCC names %.200s, which is not a file", env);
        snprintf(rt->libgcc, sizeof rt->libgcc, "%s", env);
    } else if (!env) {
        find_libgcc(rt);
        if (rt->libgcc[0] && !is_file(rt->libgcc, &lib))
            rt->libgcc[0] = 0;
    }
    find_cxx(rt);
    char cfg_path[PATH_MAX + 32] = "";
    if (rt->cxx_arch[0]) {
        snprintf(cfg_path, sizeof cfg_path, "%s/bits/c++config.h", rt->cxx_arch);
        if (!is_file(cfg_path, &cfg))
            rt->cxx[0] = rt->cxx_arch[0] = 0;
    }
    /* A new package version changes a path, a size or a time: cached kernels are rebuilt. */
    snprintf(rt->ident, sizeof rt->ident, "libgcc %s %lld %lld; c++ %s %lld %lld",
             rt->libgcc, (long long)lib.st_size, (long long)lib.st_mtime, rt->cxx,
             (long long)cfg.st_size, (long long)cfg.st_mtime);
    return 0;
}

const char *kbuild_runtime_hint(const struct kbuild_runtime *rt, int is_cpp, const char *log)
{
    if (!rt->libgcc[0] && strstr(log, "undefined symbol: __"))
        return "\n(the kernel needs the compiler's runtime library, for float arithmetic or "
               "64-bit division: install gcc-riscv64-unknown-elf, or set TTM_KERNEL_LIBGCC "
               "to an rv32im/ilp32 libgcc.a)";
    if (is_cpp && !rt->cxx[0] && strstr(log, "file not found"))
        return "\n(C++ standard headers come from the host's libstdc++: install "
               "libstdc++-12-dev)";
    return "";
}
