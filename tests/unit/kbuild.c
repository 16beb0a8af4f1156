/* The kernel compiler driver (src/build/kbuild.c) and the kernel headers
 * (include/ttm/kernel/): sample kernels in C and C++ that call every function of the API
 * compile warning-free for rv32, the images have the promised shape, the cache hits and
 * misses when it should, and bad input is refused. Needs clang with the riscv32 target and
 * lld; skipped without them. */
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ttm/kernel/abi.h"
#include "objects.h"
#include "build/embedded.h"
#include "build/hash.h"
#include "build/kbuild.h"
#include "test.h"
#include "ttm.h"
#include "util/err.h"

/* Every function of the C API, compiled with the headers' warnings as errors. */
static const char sample_c[] =
    "#pragma clang diagnostic error \"-Wall\"\n"
    "#pragma clang diagnostic error \"-Wextra\"\n"
    "#include <ttm/kernel/dataflow.h>\n"
    "\n"
    "struct big { uint32_t w[32]; };\n"
    "static struct big g_big;\n"
    "static uint32_t sized[get_compile_time_arg_val(1)];\n"
    "_Static_assert(get_compile_time_arg_val(0) == 42u, \"compile arg 0\");\n"
    "_Static_assert(TTM_CT_ARGS_N == 2 && TTM_PROC == 1, \"driver defines\");\n"
    "#if get_compile_time_arg_val(0) != 42\n"
    "#error compile args in #if\n"
    "#endif\n"
    "\n"
    "void kernel_main(void)\n"
    "{\n"
    "    uint32_t base = get_arg_val(0), pages = get_common_arg_val(0), cb = 0;\n"
    "    uint64_t src = interleaved_noc_addr(base, 2048, 1, 3, 0);\n"
    "    struct ttm_interleaved out = {base, 2048, 0};\n"
    "    for (uint32_t i = 0; i < pages; i++) {\n"
    "        cb_reserve_back(cb, 1);\n"
    "        noc_async_read(src, get_write_ptr(cb), 2048);\n"
    "        noc_async_read_barrier();\n"
    "        cb_push_back(cb, 1);\n"
    "        cb_wait_front(cb, 1);\n"
    "        noc_async_write(get_read_ptr(cb), interleaved_get_noc_addr(&out, i, 16), 40000);\n"
    "        noc_async_writes_flushed();\n"
    "        noc_async_write_barrier();\n"
    "        cb_pop_front(cb, 1);\n"
    "    }\n"
    "    if (cb_pages_reservable_at_back(1, 2) && cb_pages_available_at_front(1, 1))\n"
    "        sized[0]++;\n"
    "    uint64_t rect = get_noc_multicast_addr(1, 2, 3, 4, get_semaphore(1));\n"
    "    noc_async_write_multicast(get_semaphore(0), rect, 16, 6);\n"
    "    noc_async_write_multicast_loopback_src(get_semaphore(0), rect, 16, 7);\n"
    "    noc_semaphore_inc(get_noc_addr(my_x(), my_y(), get_semaphore(2)), 1);\n"
    "    noc_async_atomic_barrier();\n"
    "    volatile uint32_t *sem = (volatile uint32_t *)get_semaphore(2);\n"
    "    noc_semaphore_wait(sem, 1);\n"
    "    noc_semaphore_wait_min(sem, 1);\n"
    "    noc_semaphore_set(sem, my_logical_x() + my_logical_y());\n"
    "    noc_semaphore_set_remote(get_semaphore(2), get_noc_addr_local(get_semaphore(2)));\n"
    "    noc_semaphore_set_multicast(get_semaphore(2), rect, 3);\n"
    "    noc_inline_dw_write(get_noc_addr(1, 2, 0xFFB48028u), my_noc());\n"
    "    noc_async_full_barrier();\n"
    "    struct big copy = g_big;\n"
    "    copy.w[get_arg_val(1) & 31] = get_arg_addr(1) + get_common_arg_addr(1) + sized[0];\n"
    "    g_big = copy;\n"
    "}\n";

/* The C++ forms TT-Metal users write, kernel_main without extern "C". */
static const char sample_cpp[] =
    "#pragma clang diagnostic error \"-Wall\"\n"
    "#pragma clang diagnostic error \"-Wextra\"\n"
    "#include <ttm/kernel/dataflow.h>\n"
    "\n"
    "void kernel_main()\n"
    "{\n"
    "    float scale = get_arg_val<float>(0);\n"
    "    int32_t n = get_common_arg_val<int32_t>(0);\n"
    "    const InterleavedAddrGen<true> dram = {.bank_base_address = get_arg_val(1),\n"
    "                                           .page_size = 2048};\n"
    "    const InterleavedAddrGen<false> l1 = {get_arg_val(2), 64};\n"
    "    for (int32_t i = 0; i < n; i++) {\n"
    "        cb_reserve_back(0, 1);\n"
    "        noc_async_read_tile(i, dram, get_write_ptr(0));\n"
    "        noc_async_read_page(i, l1, get_write_ptr(0) + 2048);\n"
    "        noc_async_read(get_noc_addr(i, dram), get_write_ptr(0), 64);\n"
    "        noc_async_read(dram.get_noc_addr(i, 32), get_write_ptr(0), 64);\n"
    "        noc_async_read_barrier();\n"
    "        cb_push_back(0, 1);\n"
    "        cb_wait_front(0, 1);\n"
    "        noc_async_write_tile(i, dram, get_read_ptr(0));\n"
    "        noc_async_write_page(i, l1, get_read_ptr(0), 64);\n"
    "        noc_async_write_barrier();\n"
    "        cb_pop_front(0, 1);\n"
    "    }\n"
    "    static_assert(get_compile_time_arg_val(0) == 42u, \"compile arg 0\");\n"
    "    uint32_t bits;\n"
    "    __builtin_memcpy(&bits, &scale, 4);\n"
    "    noc_async_write(get_semaphore(0), get_noc_addr(get_semaphore(1)), bits & 0xFF0);\n"
    "}\n";

static const uint32_t sample_args[] = {42, 3};

static char cache_dir[256];

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static void remove_cache(void)
{
    nftw(cache_dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A fresh cache directory for this process, and whether a compiler is there:
 * 1 ready, 0 no compiler (message in why). */
static int setup(char *why, size_t n)
{
    static int state = -1;
    static char reason[512];
    if (state < 0) {
        const char *tmp = getenv("TMPDIR");
        snprintf(cache_dir, sizeof cache_dir, "%s/ttm-kbuild-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(cache_dir) || setenv("TTM_CACHE_DIR", cache_dir, 1))
            return 0;
        atexit(remove_cache);
        static const char src[] = "void kernel_main(void) {}\n";
        struct kbuild_req req = {.source = src, .source_len = sizeof src - 1};
        uint8_t *elf;
        size_t size;
        int rc = kbuild_compile(&req, &elf, &size);
        state = rc != -ENOENT;
        snprintf(reason, sizeof reason, "%s", rc ? err_get() : "");
        if (!rc)
            free(elf);
    }
    snprintf(why, n, "%s", reason);
    return state;
}

#define NEED_COMPILER()                                                                 \
    do {                                                                                \
        char why_[512];                                                                 \
        if (!setup(why_, sizeof why_))                                                  \
            SKIP("%s", why_);                                                           \
    } while (0)

static int compile(const char *src, int is_cpp, const char *name, const uint32_t *args,
                   uint32_t n_args, const char *defines, uint8_t **elf, size_t *size)
{
    struct kbuild_req req = {
        .source = src,
        .source_len = strlen(src),
        .is_cpp = is_cpp,
        .display_name = name,
        .processor = BH_NCRISC,
        .compile_args = args,
        .n_compile_args = n_args,
        .defines = defines,
    };
    return kbuild_compile(&req, elf, size);
}

/* How many files <cache>/kernels holds, and the status of one of them. */
static int cached_files(struct stat *one)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/kernels", cache_dir);
    DIR *d = opendir(path);
    int n = 0;
    if (!d)
        return -1;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        if (!n++ && one) {
            snprintf(path, sizeof path, "%s/kernels/%s", cache_dir, e->d_name);
            stat(path, one);
        }
    }
    closedir(d);
    return n;
}

/* What the loader relies on: rv32 without compressed instructions, one loadable segment
 * at 0 holding everything, kernel_main first and the entry. */
static const char *check_image(const uint8_t *elf, size_t size)
{
    Elf32_Ehdr eh;
    if (size < sizeof eh)
        return "too small";
    memcpy(&eh, elf, sizeof eh);
    if (memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS32 ||
        eh.e_machine != EM_RISCV)
        return "not an rv32 ELF";
    if (eh.e_flags & EF_RISCV_RVC)
        return "compressed instructions";
    int loads = 0;
    for (unsigned i = 0; i < eh.e_phnum; i++) {
        Elf32_Phdr ph;
        memcpy(&ph, elf + eh.e_phoff + i * sizeof ph, sizeof ph);
        if (ph.p_type != PT_LOAD)
            continue;
        if (loads++ || ph.p_vaddr != 0 || ph.p_paddr != 0 || !ph.p_filesz)
            return "not one stored segment at 0";
    }
    for (unsigned i = 0; i < eh.e_shnum; i++) {
        Elf32_Shdr sh, strs;
        memcpy(&sh, elf + eh.e_shoff + i * sizeof sh, sizeof sh);
        if (sh.sh_type != SHT_SYMTAB)
            continue;
        memcpy(&strs, elf + eh.e_shoff + sh.sh_link * sizeof strs, sizeof strs);
        for (unsigned j = 0; j < sh.sh_size / sizeof(Elf32_Sym); j++) {
            Elf32_Sym sym;
            memcpy(&sym, elf + sh.sh_offset + j * sizeof sym, sizeof sym);
            if (strcmp((const char *)elf + strs.sh_offset + sym.st_name, "kernel_main"))
                continue;
            return sym.st_value == 0 && eh.e_entry == 0 ? NULL : "kernel_main is not first";
        }
    }
    return "no kernel_main symbol";
}

static double ms_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) * 1e3 + (t.tv_nsec - t0->tv_nsec) / 1e6;
}

TEST(sha256_vectors)
{
    static const struct {
        const char *msg;
        const char *hex;
    } v[] = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        struct sha256 s;
        uint8_t d[SHA256_BYTES];
        char hex[2 * SHA256_BYTES + 1];
        sha256_init(&s);
        sha256_update(&s, v[i].msg, strlen(v[i].msg));
        sha256_final(&s, d);
        sha256_hex(d, hex);
        CHECK(!strcmp(hex, v[i].hex));
    }
    /* A million 'a's, fed in uneven pieces across block boundaries. */
    struct sha256 s;
    uint8_t d[SHA256_BYTES];
    char hex[2 * SHA256_BYTES + 1], a[997];
    memset(a, 'a', sizeof a);
    sha256_init(&s);
    for (size_t left = 1000000; left;) {
        size_t n = left < sizeof a ? left : sizeof a;
        sha256_update(&s, a, n);
        left -= n;
    }
    sha256_final(&s, d);
    sha256_hex(d, hex);
    CHECK(!strcmp(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
}

TEST(c_kernel_compiles)
{
    NEED_COMPILER();
    uint8_t *elf;
    size_t size;
    int rc = compile(sample_c, 0, "sample.c", sample_args, 2, "SAMPLE=1", &elf, &size);
    if (rc)
        printf("  %s\n", err_get());
    CHECK_EQ(rc, 0);
    const char *bad = check_image(elf, size);
    if (bad)
        printf("  image: %s\n", bad);
    free(elf);
    CHECK(!bad);
}

TEST(cpp_kernel_compiles)
{
    NEED_COMPILER();
    uint8_t *elf;
    size_t size;
    int rc = compile(sample_cpp, 1, "sample.cpp", sample_args, 2, NULL, &elf, &size);
    if (rc)
        printf("  %s\n", err_get());
    CHECK_EQ(rc, 0);
    const char *bad = check_image(elf, size);
    if (bad)
        printf("  image: %s\n", bad);
    free(elf);
    CHECK(!bad);
}

TEST(cache_hits_and_misses)
{
    NEED_COMPILER();
    static const char src[] = "#include <ttm/kernel/dataflow.h>\n"
                              "void kernel_main(void) { noc_semaphore_set("
                              "(volatile uint32_t *)get_semaphore(0), VALUE); }\n";
    uint8_t *elf, *again;
    size_t size, again_size;
    struct stat before, after;
    struct timespec t0;
    int files = cached_files(NULL);

    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK_EQ(compile(src, 0, "cache.c", NULL, 0, "VALUE=5", &elf, &size), 0);
    double cold = ms_since(&t0);
    CHECK_EQ(cached_files(NULL), files + 1);

    /* The same request: served from the file, which is neither rewritten nor added to. */
    CHECK_EQ(cached_files(&before), files + 1);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK_EQ(compile(src, 0, "cache.c", NULL, 0, "VALUE=5", &again, &again_size), 0);
    double warm = ms_since(&t0);
    CHECK_EQ(cached_files(&after), files + 1);
    CHECK(before.st_ino == after.st_ino && before.st_mtim.tv_sec == after.st_mtim.tv_sec &&
          before.st_mtim.tv_nsec == after.st_mtim.tv_nsec);
    CHECK(size == again_size && !memcmp(elf, again, size));
    free(again);
    printf("  compile %.1f ms, cached %.1f ms\n", cold, warm);

    /* A different define is a different kernel. */
    CHECK_EQ(compile(src, 0, "cache.c", NULL, 0, "VALUE=6", &again, &again_size), 0);
    CHECK_EQ(cached_files(NULL), files + 2);
    CHECK(size != again_size || memcmp(elf, again, size));
    free(again);
    /* So are different compile args, though this kernel ignores them. */
    const uint32_t arg = 1;
    CHECK_EQ(compile(src, 0, "cache.c", &arg, 1, "VALUE=6", &again, &again_size), 0);
    CHECK_EQ(cached_files(NULL), files + 3);
    free(again);
    free(elf);
}

/* The cache keeps its own copy of the headers; one that was changed is put back. */
TEST(headers_materialised)
{
    NEED_COMPILER();
    const struct ttm_embedded_file *f = embedded_find("header/ttm/kernel/dataflow.h");
    CHECK(f && embedded_find("header/ttm/kernel/abi.h"));
    char path[512], buf[64];
    snprintf(path, sizeof path, "%s/include/ttm/kernel/dataflow.h", cache_dir);
    FILE *fp = fopen(path, "w");
    CHECK(fp);
    fputs("#error stale header\n", fp);
    fclose(fp);
    uint8_t *elf;
    size_t size;
    CHECK_EQ(compile(sample_c, 0, "sample.c", sample_args, 2, "SAMPLE=2", &elf, &size), 0);
    free(elf);
    fp = fopen(path, "r");
    CHECK(fp);
    size_t n = fread(buf, 1, sizeof buf, fp);
    fclose(fp);
    CHECK(n == sizeof buf && !memcmp(buf, f->data, sizeof buf));
}

TEST(compile_error_reports_diagnostic)
{
    NEED_COMPILER();
    static const char src[] = "#include <ttm/kernel/dataflow.h>\n"
                              "void kernel_main(void) {\n"
                              "    uint32_t x = get_arg_val(0)\n"
                              "}\n";
    uint8_t *elf = NULL;
    size_t size;
    int rc = compile(src, 0, "kernels/broken.c", NULL, 0, NULL, &elf, &size);
    CHECK_EQ(rc, -EINVAL);
    CHECK(!elf);
    printf("  %s\n", err_get());
    CHECK(strstr(err_get(), "kernel kernels/broken.c: compile failed"));
    CHECK(strstr(err_get(), "kernels/broken.c:3:"));
    CHECK(strstr(err_get(), "expected ';'"));
}

TEST(compile_args_reach_the_kernel)
{
    NEED_COMPILER();
    static const char src[] = "#include <ttm/kernel/dataflow.h>\n"
                              "static uint32_t table[get_compile_time_arg_val(1)];\n"
                              "_Static_assert(get_compile_time_arg_val(0) == 7, \"want 7\");\n"
                              "void kernel_main(void) { table[TTM_CT_ARG(1) - 1] = 1; }\n";
    const uint32_t good[] = {7, 4}, bad[] = {8, 4};
    uint8_t *elf;
    size_t size;
    CHECK_EQ(compile(src, 0, "args.c", good, 2, NULL, &elf, &size), 0);
    free(elf);
    CHECK_EQ(compile(src, 0, "args.c", bad, 2, NULL, &elf, &size), -EINVAL);
    CHECK(strstr(err_get(), "want 7"));
}

TEST(global_constructors_refused)
{
    NEED_COMPILER();
    static const char src[] = "#include <ttm/kernel/dataflow.h>\n"
                              "struct S { uint32_t v; S() : v(get_arg_val(0)) {} } s;\n"
                              "void kernel_main() { noc_semaphore_set("
                              "(volatile uint32_t *)get_semaphore(0), s.v); }\n";
    uint8_t *elf;
    size_t size;
    CHECK_EQ(compile(src, 1, "ctor.cpp", NULL, 0, NULL, &elf, &size), -EINVAL);
    CHECK(strstr(err_get(), "global constructors are not supported"));
}

TEST(bad_defines_refused)
{
    static const char *const bad[] = {"A;rm -rf x", "1X=2", "X=$(id)", "X=`id`", "=1",
                                      "TTM_PROC=3", "X=a b\"c", "X=1|2"};
    uint8_t *elf;
    size_t size;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = compile("void kernel_main(void) {}\n", 0, "d.c", NULL, 0, bad[i], &elf, &size);
        if (rc != -EINVAL)
            printf("  accepted '%s'\n", bad[i]);
        CHECK_EQ(rc, -EINVAL);
        CHECK(strstr(err_get(), "define"));
    }
    /* What is allowed: names alone, values of numbers, words and paths. */
    NEED_COMPILER();
    CHECK_EQ(compile("void kernel_main(void) {}\n", 0, "d.c", NULL, 0,
                     " A  B=1 C_2=-0x10 D=1.5f E=a/b,c:d\tF=", &elf, &size), 0);
    free(elf);
}

TEST(bad_requests_refused)
{
    uint8_t *elf;
    size_t size;
    struct kbuild_req req = {.source = "", .source_len = 0, .processor = BH_CORES_PER_TILE};
    CHECK_EQ(kbuild_compile(&req, &elf, &size), -EINVAL);
    req.processor = BH_BRISC;
    req.n_compile_args = 1; /* with no array */
    CHECK_EQ(kbuild_compile(&req, &elf, &size), -EINVAL);
    CHECK_EQ(kbuild_compile(NULL, &elf, &size), -EINVAL);
}

TEST(missing_compiler)
{
    NEED_COMPILER();
    uint8_t *elf;
    size_t size;
    setenv("TTM_CLANG", "/nonexistent/ttm-no-clang", 1);
    int rc = compile("void kernel_main(void) {}\n", 0, "m.c", NULL, 0, NULL, &elf, &size);
    unsetenv("TTM_CLANG");
    CHECK_EQ(rc, -ENOENT);
    CHECK(strstr(err_get(), "not found"));
}

/* The path of the one entry a fresh request adds, or "" (entries are <key>.elf). */
static void new_entry(const char *src, char *path, size_t n)
{
    uint8_t *elf;
    size_t size;
    static char before[256][256];
    int nb = 0;
    char dir[1024];
    snprintf(dir, sizeof dir, "%.900s/kernels", cache_dir);
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d)) && nb < 256;)
        snprintf(before[nb++], sizeof before[0], "%s", e->d_name);
    if (d)
        closedir(d);
    path[0] = 0;
    if (compile(src, 0, "entry.c", NULL, 0, NULL, &elf, &size))
        return;
    free(elf);
    d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        int old = 0;
        for (int i = 0; i < nb; i++)
            old |= !strcmp(before[i], e->d_name);
        if (!old)
            snprintf(path, n, "%s/%s", dir, e->d_name);
    }
    if (d)
        closedir(d);
}

/* A cached image that was damaged (one bit flipped, or cut short) is noticed and built
 * again, giving the image the compiler makes. */
TEST(damaged_cache_entries_are_rebuilt)
{
    NEED_COMPILER();
    static const char src[] = "#include <ttm/kernel/dataflow.h>\n"
                              "void kernel_main(void) { *(volatile uint32_t *)get_arg_val(0) = 0x1234; }\n";
    char path[1400];
    new_entry(src, path, sizeof path);
    CHECK(path[0]);
    uint8_t *good, *got;
    size_t good_size, got_size;
    CHECK_EQ(compile(src, 0, "entry.c", NULL, 0, NULL, &good, &good_size), 0);
    for (int damage = 0; damage < 2; damage++) {
        FILE *f = fopen(path, "r+b");
        CHECK(f);
        if (damage == 0) { /* flip one bit in the middle of the code */
            fseek(f, (long)good_size / 2, SEEK_SET);
            int c = fgetc(f);
            fseek(f, (long)good_size / 2, SEEK_SET);
            fputc(c ^ 0x10, f);
            fclose(f);
        } else {
            fclose(f);
            CHECK_EQ(truncate(path, (off_t)good_size - 100), 0);
        }
        kbuild_memo_clear(); /* read the damaged file, not the image this process kept */
        CHECK_EQ(compile(src, 0, "entry.c", NULL, 0, NULL, &got, &got_size), 0);
        CHECK(got_size == good_size && !memcmp(got, good, good_size));
        free(got);
    }
    free(good);
}

/* Temporaries a killed build left (a directory under tmp/, a partly written entry) go at
 * the next build once they are old; recent ones, which may be a live build's, stay. */
TEST(stale_temporaries_are_swept)
{
    NEED_COMPILER();
    char old_dir[1024], new_dir[1024], part[1024], f[1100];
    snprintf(old_dir, sizeof old_dir, "%s/tmp/killed", cache_dir);
    snprintf(new_dir, sizeof new_dir, "%s/tmp/running", cache_dir);
    snprintf(part, sizeof part, "%s/kernels/0123.elf.AbCdEf", cache_dir);
    CHECK_EQ(mkdir(old_dir, 0755), 0);
    CHECK_EQ(mkdir(new_dir, 0755), 0);
    snprintf(f, sizeof f, "%s/kernel.c", old_dir);
    FILE *fp = fopen(f, "w");
    CHECK(fp);
    fclose(fp);
    fp = fopen(part, "w");
    CHECK(fp);
    fclose(fp);
    struct timespec long_ago[2] = {{time(NULL) - 4 * 3600, 0}, {time(NULL) - 4 * 3600, 0}};
    CHECK_EQ(utimensat(AT_FDCWD, old_dir, long_ago, 0), 0);
    CHECK_EQ(utimensat(AT_FDCWD, part, long_ago, 0), 0);
    uint8_t *elf;
    size_t size;
    CHECK_EQ(compile("void kernel_main(void) { for (volatile int i = 0; i < 3; i++); }\n", 0,
                     "sweep.c", NULL, 0, NULL, &elf, &size), 0);
    free(elf);
    struct stat st;
    CHECK(stat(old_dir, &st) != 0);
    CHECK(stat(part, &st) != 0);
    CHECK_EQ(stat(new_dir, &st), 0);
    rmdir(new_dir);
}

/* A kernel source that is a FIFO is refused at once, not waited on for a writer. */
TEST(fifo_source_is_refused_at_once)
{
    char dir[] = "/tmp/ttm-fifo-XXXXXX", path[64];
    CHECK(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/k.c", dir);
    CHECK_EQ(mkfifo(path, 0600), 0);
    char *buf = NULL;
    size_t len;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = kbuild_read_file(path, NULL, &buf, &len);
    double ms = ms_since(&t0);
    unlink(path);
    rmdir(dir);
    free(buf);
    CHECK_EQ(rc, -EINVAL);
    CHECK(strstr(err_get(), "not a regular file"));
    CHECK(ms < 5000);
}

/* A compiler that closes its output and keeps running is killed at the time limit. */
TEST(a_compiler_that_never_exits_is_killed_at_the_time_limit)
{
    NEED_COMPILER();
    char dir[] = "/tmp/ttm-cc-XXXXXX", cc[64];
    CHECK(mkdtemp(dir));
    snprintf(cc, sizeof cc, "%s/cc", dir);
    FILE *f = fopen(cc, "w");
    CHECK(f);
    fputs("#!/bin/sh\n"
          "[ \"$1\" = --version ] && { echo fake-clang; exit 0; }\n"
          "exec >/dev/null 2>&1\n"
          "sleep 60\n", f);
    fclose(f);
    CHECK_EQ(chmod(cc, 0755), 0);
    setenv("TTM_CLANG", cc, 1);
    setenv("TTM_KERNEL_COMPILE_TIMEOUT", "1", 1);
    uint8_t *elf;
    size_t size;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = compile("void kernel_main(void) { /* never cached */ }\n", 0, "hang.c", NULL, 0,
                     NULL, &elf, &size);
    double ms = ms_since(&t0);
    setenv("TTM_KERNEL_COMPILE_TIMEOUT", "0", 1);
    int bad = compile("void kernel_main(void) {}\n", 0, "t.c", NULL, 0, NULL, &elf, &size);
    unsetenv("TTM_KERNEL_COMPILE_TIMEOUT");
    unsetenv("TTM_CLANG");
    unlink(cc);
    rmdir(dir);
    CHECK_EQ(rc, -ETIMEDOUT);
    CHECK(ms < 10000);
    CHECK_EQ(bad, -EINVAL);
}

/* A kernel without kernel_main (misspelled) is refused naming what is missing. */
TEST(a_missing_kernel_main_is_named)
{
    NEED_COMPILER();
    uint8_t *elf;
    size_t size;
    CHECK_EQ(compile("void kernal_main(void) {}\n", 0, "typo.c", NULL, 0, NULL, &elf, &size),
             -EINVAL);
    CHECK(strstr(err_get(), "no kernel_main() is defined"));
}

TEST(read_file_relative_to_root)
{
    char path[512], *buf;
    size_t len;
    NEED_COMPILER(); /* for the directory */
    snprintf(path, sizeof path, "%s/k.c", cache_dir);
    FILE *fp = fopen(path, "w");
    CHECK(fp);
    fputs("void kernel_main(void) {}\n", fp);
    fclose(fp);
    CHECK_EQ(kbuild_read_file("k.c", cache_dir, &buf, &len), 0);
    CHECK(len == 26 && !strcmp(buf, "void kernel_main(void) {}\n"));
    free(buf);
    CHECK_EQ(kbuild_read_file(path, "/nonexistent", &buf, &len), 0); /* absolute: root unused */
    free(buf);
    CHECK_EQ(kbuild_read_file("absent.c", cache_dir, &buf, &len), -ENOENT);
    CHECK(strstr(err_get(), "absent.c"));
    CHECK_EQ(kbuild_read_file(".", cache_dir, &buf, &len), -EINVAL);
}

/* ---- The kernel API on the emulator ----
 * What the add1 programs (tests/e2e/api.c) do not reach: multicast with and without the
 * sender, NoC atomics and semaphore waits, inline writes, transfers split into 16 KiB
 * requests, the core's own coordinates, and all of it from both NoCs, whose multicast
 * rectangles need opposite corner orders. Six cores: the leader, logical (0,0), collects
 * an atomic increment from everyone, multicasts data and then a release word; each core
 * then copies a 40000-byte DRAM page through its L1 and leaves what it saw in L1. */
static const char probe_src[] =
    "#include <ttm/kernel/dataflow.h>\n"
    "void kernel_main(void) {\n"
    "    uint32_t buf = get_write_ptr(0), idx = my_logical_y() * 3 + my_logical_x();\n"
    "    uint32_t lead = get_arg_val(0), lx = get_arg_val(1), ly = get_arg_val(2);\n"
    "    uint32_t n = get_arg_val(7);\n"
    "    volatile uint32_t *res = (volatile uint32_t *)buf;\n"
    "    volatile uint32_t *sem0 = (volatile uint32_t *)get_semaphore(0);\n"
    "    volatile uint32_t *sem1 = (volatile uint32_t *)get_semaphore(1);\n"
    "    res[0] = my_x(); res[1] = my_y(); res[2] = my_logical_x(); res[3] = my_logical_y();\n"
    "    res[4] = my_noc(); res[5] = get_semaphore(0);\n"
    "    noc_semaphore_inc(get_noc_addr(lx, ly, get_semaphore(0)), 1);\n"
    "    noc_async_atomic_barrier();\n"
    "    uint64_t data = get_noc_multicast_addr(get_arg_val(3), get_arg_val(4), get_arg_val(5),\n"
    "                                           get_arg_val(6), buf + 0x100);\n"
    "    uint64_t all = get_noc_multicast_addr(get_arg_val(3), get_arg_val(4), get_arg_val(5),\n"
    "                                          get_arg_val(6), buf + 0x1C0);\n"
    "    uint64_t rel = get_noc_multicast_addr(get_arg_val(3), get_arg_val(4), get_arg_val(5),\n"
    "                                          get_arg_val(6), get_semaphore(1));\n"
    "    if (lead) {\n"
    "        noc_semaphore_wait(sem0, n);\n"
    "        res[8] = *sem0;\n"
    "        volatile uint32_t *pat = (volatile uint32_t *)(buf + 0x200);\n"
    "        for (uint32_t i = 0; i < 32; i++)\n"
    "            pat[i] = 0xC0DE0000u + i;\n"
    "        noc_async_write_multicast(buf + 0x200, data, 64, n - 1);\n"
    "        noc_async_write_multicast_loopback_src(buf + 0x240, all, 64, n);\n"
    "        noc_async_write_barrier();\n"
    "        *(volatile uint32_t *)(buf + 0x280) = 1;\n"
    "        noc_semaphore_set_multicast(buf + 0x280, rel, n - 1);\n"
    "        noc_async_write_barrier();\n"
    "    } else {\n"
    "        noc_semaphore_wait(sem1, 1);\n"
    "    }\n"
    "    uint64_t src = interleaved_noc_addr(get_arg_val(8), 65536, 1, idx, 0);\n"
    "    uint32_t big = ((buf + 0x1000) & ~63u) + ((uint32_t)src & 63);\n"
    "    noc_async_read(src, big, 40000);\n"
    "    noc_async_read_barrier();\n"
    "    noc_async_write(big, interleaved_noc_addr(get_arg_val(9), 65536, 1, idx, 0), 40000);\n"
    "    noc_async_writes_flushed();\n"
    "    noc_async_write_barrier();\n"
    "    noc_inline_dw_write(get_noc_addr(my_x(), my_y(), BH_STREAM_REG(40, 4)),\n"
    "                        0x123400u + idx);\n"
    "    noc_async_write_barrier();\n"
    "    res[6] = *(volatile uint32_t *)BH_STREAM_REG(40, 4);\n"
    "    res[7] = 0xD0E;\n"
    "}\n";

#define PROBE_W 3u
#define PROBE_H 2u
#define PROBE_PAGE 65536u
#define PROBE_BYTES 40000u

/* The words a probe core left at the start of its CB, checked against what it should have
 * seen; returns a reason or NULL. */
static const char *probe_check(ttm_device *dev, uint32_t lx, uint32_t ly, uint64_t cb_addr,
                               uint32_t noc, uint32_t *sem_addr)
{
    uint32_t res[0x100 / 4], data[16], all[16];
    struct chip_worker w = chip_worker_at(&dev->chip, lx, ly);
    int lead = !lx && !ly;
    if (chip_read(&dev->chip, w.x, w.y, cb_addr, res, sizeof res) ||
        chip_read(&dev->chip, w.x, w.y, cb_addr + 0x100, data, sizeof data) ||
        chip_read(&dev->chip, w.x, w.y, cb_addr + 0x1C0, all, sizeof all))
        return "cannot read the core's L1";
    if (res[7] != 0xD0E)
        return "did not finish";
    if (res[0] != w.x || res[1] != w.y || res[2] != lx || res[3] != ly || res[4] != noc)
        return "wrong own coordinates or NoC";
    if (*sem_addr && res[5] != *sem_addr)
        return "semaphores at different addresses";
    *sem_addr = res[5];
    if (lead && res[8] != PROBE_W * PROBE_H)
        return "leader's semaphore did not count every core";
    for (uint32_t i = 0; i < 16; i++) {
        if (!lead && data[i] != 0xC0DE0000u + i)
            return "multicast data missing";
        if (all[i] != 0xC0DE0010u + i)
            return "loopback multicast data missing";
    }
    if (res[6] != 0x123400u + ly * PROBE_W + lx)
        return "inline write did not reach the stream register";
    return NULL;
}

static void probe_run(ttm_device *dev, uint32_t noc)
{
    struct ttm_core_range r = {0, 0, PROBE_W - 1, PROBE_H - 1};
    uint32_t n = PROBE_W * PROBE_H, words = n * PROBE_PAGE / 4;
    ttm_buffer *in = NULL, *out = NULL;
    ttm_program *prog = NULL;
    ttm_kernel *k = NULL;
    ttm_cb *cb = NULL;
    uint32_t *src = calloc(words, 4), *dst = calloc(words, 4), sem = 0;
    struct ttm_kernel_opts o = {.argsz = sizeof o, .processor = noc ? TTM_RISCV_1 : TTM_RISCV_0,
                                .noc = noc};
    struct chip_worker first = chip_worker_at(&dev->chip, 0, 0);
    struct chip_worker last = chip_worker_at(&dev->chip, PROBE_W - 1, PROBE_H - 1);
    CHECK(src && dst);
    for (uint32_t i = 0; i < words; i++)
        src[i] = i * 2654435761u + noc;
    int rc = ttm_buffer_create_interleaved(dev, (uint64_t)n * PROBE_PAGE, PROBE_PAGE,
                                           TTM_BUFFER_DRAM, &in);
    if (!rc)
        rc = ttm_buffer_create_interleaved(dev, (uint64_t)n * PROBE_PAGE, PROBE_PAGE,
                                           TTM_BUFFER_DRAM, &out);
    if (!rc)
        rc = ttm_buffer_write(in, 0, src, (uint64_t)words * 4);
    if (!rc && !(rc = ttm_program_create(dev, &prog)))
        rc = ttm_cb_create(prog, &r, 1, 0, PROBE_PAGE, PROBE_PAGE, TTM_FORMAT_RAW, &cb);
    if (!rc)
        rc = ttm_kernel_create_dataflow_from_string(prog, probe_src, &r, 1, &o, &k);
    for (uint32_t y = 0; !rc && y < PROBE_H; y++) {
        for (uint32_t x = 0; !rc && x < PROBE_W; x++) {
            /* Corners given lowest first: the header orders them for the NoC. */
            uint32_t args[10] = {!x && !y, first.x, first.y, first.x, first.y, last.x, last.y,
                                 n, (uint32_t)ttm_buffer_address(in),
                                 (uint32_t)ttm_buffer_address(out)};
            rc = ttm_set_runtime_args(prog, k, x, y, args, 10);
        }
    }
    if (!rc && !(rc = ttm_program_launch(dev, prog, 0)))
        rc = ttm_buffer_read(out, 0, dst, (uint64_t)words * 4);
    if (rc)
        printf("  NoC %u: %s\n", noc, ttm_last_error());
    const char *bad = NULL;
    for (uint32_t y = 0; !rc && !bad && y < PROBE_H; y++)
        for (uint32_t x = 0; !bad && x < PROBE_W; x++)
            if ((bad = probe_check(dev, x, y, cb->addr, noc, &sem)))
                printf("  NoC %u, core (%u,%u): %s\n", noc, x, y, bad);
    for (uint32_t p = 0; !rc && !bad && p < n; p++)
        if (memcmp(src + p * PROBE_PAGE / 4, dst + p * PROBE_PAGE / 4, PROBE_BYTES))
            bad = "the 40000-byte copy differs";
    ttm_program_destroy(prog);
    ttm_buffer_destroy(in);
    ttm_buffer_destroy(out);
    free(src);
    free(dst);
    CHECK_EQ(rc, 0);
    CHECK(!bad);
}

TEST(kernel_api_on_the_emulator)
{
    NEED_COMPILER();
    struct ttm_device_opts o = {.argsz = sizeof o, .backend = "emu"};
    ttm_device *dev = NULL;
    if (ttm_device_create_opts(&o, &dev))
        printf("  device: %s\n", ttm_last_error());
    CHECK(dev);
    probe_run(dev, 0);
    probe_run(dev, 1);
    ttm_device_close(dev);
}
