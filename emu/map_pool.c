/* Memory kept across chips in a process: a Tensix tile's mapping (L1 and the local RAMs,
 * emu/tensix.c), its coprocessor's block (cop.c) and the DRAM banks (dram.c), given back
 * when a chip is destroyed or a coprocessor reset, serve the next one. Pages touched for
 * the first time cost tens of microseconds each on a virtual machine, and booting a chip
 * touches a dozen per tile; a reused mapping has them already. It is handed out zeroed, as
 * a fresh one is: the pages in memory are cleared in place, the others dropped.
 *
 * The one piece of process-wide state in the emulator, behind a lock; it holds at most
 * two chips' worth of mappings, unmapping the rest. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "emu.h"

#define POOL_MAX (2 * (2 * EMU_MAX_TENSIX + BH_DRAM_BANKS)) /* tiles, coprocessors, banks */

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static void *pool[POOL_MAX];
static size_t pool_size[POOL_MAX];
static unsigned pool_len;

void *bhe_map_get(size_t size)
{
    pthread_mutex_lock(&pool_lock);
    for (unsigned i = pool_len; i-- > 0;) {
        if (pool_size[i] != size)
            continue;
        void *m = pool[i];
        pool[i] = pool[--pool_len];
        pool_size[i] = pool_size[pool_len];
        pthread_mutex_unlock(&pool_lock);
        return m;
    }
    pthread_mutex_unlock(&pool_lock);
    void *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                   -1, 0);
    return m == MAP_FAILED ? NULL : m;
}

/* /proc/self/pagemap has a word per page: bit 63 the page is in memory, bit 62 it is in
 * swap (Linux Documentation/admin-guide/mm/pagemap.rst). One read says which pages of a
 * range were touched; untouched ones need nothing. */
#define PM_PRESENT (1ull << 63)
#define PM_SWAPPED (1ull << 62)

/* The pagemap of the process that opened it: a forked child opens its own. */
static int pagemap_fd = -1;
static pid_t pagemap_pid;

static int pagemap(void)
{
    pid_t me = getpid();
    pthread_mutex_lock(&pool_lock);
    if (pagemap_pid != me) {
        if (pagemap_fd >= 0)
            close(pagemap_fd);
        pagemap_fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
        pagemap_pid = me;
    }
    int fd = pagemap_fd;
    pthread_mutex_unlock(&pool_lock);
    return fd;
}

/* Zero the `size` bytes at m by the pagemap: pages in memory by writing zeros, so they
 * stay; pages in swap by dropping them. False when the pagemap cannot be read. */
static bool clear_by_pagemap(int fd, uint8_t *m, size_t size, size_t page)
{
    uint64_t ent[512];
    size_t n = (size + page - 1) / page;
    for (size_t first = 0; first < n; first += 512) {
        size_t count = n - first < 512 ? n - first : 512;
        off_t at = (off_t)(((uintptr_t)m / page + first) * sizeof ent[0]);
        if (pread(fd, ent, count * sizeof ent[0], at) != (ssize_t)(count * sizeof ent[0]))
            return false;
        for (size_t i = 0; i < count; i++) {
            uint8_t *p = m + (first + i) * page;
            size_t len = size - (first + i) * page < page ? size - (first + i) * page : page;
            if (ent[i] & PM_PRESENT)
                memset(p, 0, len);
            else if ((ent[i] & PM_SWAPPED) && madvise(p, page, MADV_DONTNEED))
                return false;
        }
    }
    return true;
}

/* Past this many bytes (a test that filled a DRAM bank, say) a range is dropped whole
 * rather than written: keeping it would hold that much memory for the rest of the process
 * and cost as long to clear as to fault in again. */
#define CLEAR_BY_WRITING_MAX ((size_t)16 << 20)

/* Zero the `size` bytes at m: the pages in memory by writing zeros, so they stay; the
 * others (never touched, or swapped out) by dropping them, so they read as zero again.
 * Without the pagemap, mincore finds the pages in memory and the others are dropped. */
static bool clear(uint8_t *m, size_t size)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE), n = (size + page - 1) / page, run = 0;
    if (size > CLEAR_BY_WRITING_MAX)
        return !madvise(m, size, MADV_DONTNEED);
    int fd = pagemap();
    if (fd >= 0 && clear_by_pagemap(fd, m, size, page))
        return true;
    unsigned char vec[4096];
    for (size_t first = 0; first < n; first += sizeof vec) {
        size_t count = n - first < sizeof vec ? n - first : sizeof vec;
        size_t len = count * page < size - first * page ? count * page : size - first * page;
        if (mincore(m + first * page, len, vec))
            return false;
        for (size_t i = 0; i < count; i++) {
            size_t p = first + i;
            if (!(vec[i] & 1))
                continue;
            if (run < p && madvise(m + run * page, (p - run) * page, MADV_DONTNEED))
                return false;
            memset(m + p * page, 0, page);
            run = p + 1;
        }
    }
    return run >= n || !madvise(m + run * page, size - run * page, MADV_DONTNEED);
}

void bhe_map_put(void *m, size_t size, size_t lo, size_t hi)
{
    if (!m)
        return;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    lo &= ~(page - 1);
    hi = hi < size ? hi : size;
    if (lo >= hi || clear((uint8_t *)m + lo, hi - lo)) {
        pthread_mutex_lock(&pool_lock);
        if (pool_len < POOL_MAX) {
            pool[pool_len] = m;
            pool_size[pool_len++] = size;
            m = NULL;
        }
        pthread_mutex_unlock(&pool_lock);
    }
    if (m)
        munmap(m, size);
}
