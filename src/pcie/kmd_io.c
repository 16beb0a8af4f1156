/* The real kmd_io table: libc on the device node, and 32-bit loads and stores into its
 * mappings. A device reset tears those mappings down under the process, and touching one
 * then raises SIGBUS (kmd-facts 2.9); an access in progress is turned into -ENODEV
 * instead, as tt-umd does, and any other SIGBUS keeps its old meaning. */
#include "kmd_io.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

static int sys_open(void *ctx, const char *path, int flags)
{
    (void)ctx;
    int fd = open(path, flags);
    return fd < 0 ? -errno : fd;
}

static int sys_close(void *ctx, int fd)
{
    (void)ctx;
    return close(fd) ? -errno : 0;
}

static int sys_ioctl(void *ctx, int fd, unsigned long request, void *arg)
{
    (void)ctx;
    return ioctl(fd, request, arg) < 0 ? -errno : 0;
}

static int sys_mmap(void *ctx, size_t len, int prot, int flags, int fd, uint64_t offset,
                    void **addr)
{
    (void)ctx;
    void *p = mmap(NULL, len, prot, flags, fd, (off_t)offset);
    if (p == MAP_FAILED)
        return -errno;
    *addr = p;
    return 0;
}

static int sys_munmap(void *ctx, void *addr, size_t len)
{
    (void)ctx;
    return munmap(addr, len) ? -errno : 0;
}

static int sys_read_file(void *ctx, const char *path, char *buf, size_t len)
{
    (void)ctx;
    buf[0] = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    ssize_t n = read(fd, buf, len - 1);
    int rc = n < 0 ? -errno : (int)n;
    close(fd);
    buf[n < 0 ? 0 : n] = 0;
    return rc;
}

/* The access in progress on this thread, if any. Volatile: the compiler must neither
 * drop nor move its stores around the device accesses, which the signal handler reads. */
static __thread sigjmp_buf *volatile mmio_jump;
static struct sigaction old_sigbus;
static pthread_once_t sigbus_once = PTHREAD_ONCE_INIT;

static void on_sigbus(int sig, siginfo_t *info, void *uc)
{
    if (mmio_jump)
        siglongjmp(*mmio_jump, 1);
    /* Not ours: the handler before us, or the default (which ends the process). */
    if (old_sigbus.sa_flags & SA_SIGINFO)
        old_sigbus.sa_sigaction(sig, info, uc);
    else if (old_sigbus.sa_handler != SIG_IGN && old_sigbus.sa_handler != SIG_DFL)
        old_sigbus.sa_handler(sig);
    else {
        signal(SIGBUS, SIG_DFL);
        raise(SIGBUS);
    }
}

static void install_sigbus(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigbus;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGBUS, &sa, &old_sigbus);
}

/* Back from on_sigbus: the signal is still blocked, as the jump did not restore the mask
 * (saving it would cost a system call on every access). */
static int mmio_fault(void)
{
    sigset_t bus;
    sigemptyset(&bus);
    sigaddset(&bus, SIGBUS);
    pthread_sigmask(SIG_UNBLOCK, &bus, NULL);
    mmio_jump = NULL;
    return -ENODEV;
}

static int sys_mmio_read(void *ctx, const volatile void *addr, void *dst, size_t len)
{
    (void)ctx;
    pthread_once(&sigbus_once, install_sigbus);
    sigjmp_buf jump;
    if (sigsetjmp(jump, 0))
        return mmio_fault();
    mmio_jump = &jump;
    const volatile uint32_t *s = addr;
    uint8_t *d = dst;
    for (size_t i = 0; i < len / 4; i++) {
        uint32_t v = s[i];
        memcpy(d + 4 * i, &v, 4);
    }
    mmio_jump = NULL;
    return 0;
}

static int sys_mmio_write(void *ctx, volatile void *addr, const void *src, size_t len)
{
    (void)ctx;
    pthread_once(&sigbus_once, install_sigbus);
    sigjmp_buf jump;
    if (sigsetjmp(jump, 0))
        return mmio_fault();
    mmio_jump = &jump;
    volatile uint32_t *d = addr;
    const uint8_t *s = src;
    for (size_t i = 0; i < len / 4; i++) {
        uint32_t v;
        memcpy(&v, s + 4 * i, 4);
        d[i] = v;
    }
    mmio_jump = NULL;
    return 0;
}

static void sys_wmb(void *ctx)
{
    (void)ctx;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_sfence();
#elif defined(__aarch64__)
    __asm__ volatile("dmb sy" ::: "memory");
#else
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
}

/* A poll's read already crosses PCIe (about a microsecond): giving the processor up
 * between two is enough. */
static void sys_pause(void *ctx, uint64_t cycles)
{
    (void)ctx, (void)cycles;
    sched_yield();
}

const struct kmd_io kmd_io_system = {
    .open = sys_open,
    .close = sys_close,
    .ioctl = sys_ioctl,
    .mmap = sys_mmap,
    .munmap = sys_munmap,
    .read_file = sys_read_file,
    .mmio_read = sys_mmio_read,
    .mmio_write = sys_mmio_write,
    .wmb = sys_wmb,
    .pause = sys_pause,
};

static const struct kmd_io *_Atomic installed;

void pcie_kmd_set_io(const struct kmd_io *io)
{
    installed = io;
}

const struct kmd_io *pcie_kmd_io(void)
{
    const struct kmd_io *io = installed;
    return io ? io : &kmd_io_system;
}
