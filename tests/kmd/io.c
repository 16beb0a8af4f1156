/* The real kmd_io table (src/pcie/kmd_io.c) without a card: its system calls report
 * -errno, and a load or store into a mapping that has gone away (what a device reset does
 * to a card's mappings) fails with -ENODEV instead of ending the process. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pcie/kmd_io.h"
#include "test.h"

static const struct kmd_io *io = &kmd_io_system;

TEST(system_calls_report_negative_errno)
{
    CHECK_EQ(io->open(io->ctx, "/dev/tenstorrent/does-not-exist", O_RDWR), -ENOENT);
    int fd = io->open(io->ctx, "/dev/null", O_RDWR);
    CHECK(fd >= 0);
    uint32_t arg[4] = {0};
    CHECK_EQ(io->ioctl(io->ctx, fd, 0xFA00, arg), -ENOTTY);
    void *p;
    CHECK_EQ(io->mmap(io->ctx, 4096, PROT_READ, MAP_SHARED, -77, 0, &p), -EBADF);
    CHECK_EQ(io->close(io->ctx, fd), 0);
    CHECK_EQ(io->close(io->ctx, fd), -EBADF);
    char buf[64];
    CHECK(io->read_file(io->ctx, "/proc/self/stat", buf, sizeof buf) > 0);
    CHECK(strlen(buf) < sizeof buf);
    CHECK_EQ(io->read_file(io->ctx, "/proc/no/such/file", buf, sizeof buf), -ENOENT);
    CHECK_EQ(buf[0], 0);
}

TEST(word_accesses_round_trip)
{
    void *p;
    CHECK_EQ(io->mmap(io->ctx, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0,
                      &p), 0);
    uint32_t in[8] = {1, 2, 3, 4, 5, 6, 7, 0xFFFFFFFFu}, out[8] = {0};
    CHECK_EQ(io->mmio_write(io->ctx, (uint8_t *)p + 64, in, sizeof in), 0);
    io->wmb(io->ctx);
    CHECK_EQ(io->mmio_read(io->ctx, (uint8_t *)p + 64, out, sizeof out), 0);
    CHECK(!memcmp(in, out, sizeof in));
    CHECK_EQ(io->munmap(io->ctx, p, 4096), 0);
}

/* A shared file mapping past the file's end raises SIGBUS, as a card's mapping does
 * once a reset has torn it down. */
static void *gone_mapping(int *fd)
{
    *fd = memfd_create("gone", 0);
    if (*fd < 0 || ftruncate(*fd, 4096))
        return NULL;
    void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, *fd, 0);
    if (p == MAP_FAILED || ftruncate(*fd, 0))
        return NULL;
    return p;
}

TEST(a_torn_down_mapping_fails_with_enodev_and_the_process_goes_on)
{
    int fd;
    void *p = gone_mapping(&fd);
    CHECK(p);
    uint32_t v = 7;
    for (int i = 0; i < 3; i++) { /* again and again: the signal is not left blocked */
        CHECK_EQ(io->mmio_read(io->ctx, p, &v, 4), -ENODEV);
        CHECK_EQ(io->mmio_write(io->ctx, p, &v, 4), -ENODEV);
    }
    sigset_t mask;
    CHECK_EQ(pthread_sigmask(SIG_BLOCK, NULL, &mask), 0);
    CHECK(!sigismember(&mask, SIGBUS));
    munmap(p, 4096);
    close(fd);
}

TEST(a_sigbus_outside_an_access_keeps_its_meaning)
{
    int fd;
    void *p = gone_mapping(&fd);
    CHECK(p);
    uint32_t v;
    CHECK_EQ(io->mmio_read(io->ctx, p, &v, 4), -ENODEV); /* the handler is installed */
    pid_t child = fork();
    CHECK(child >= 0);
    if (!child) {
        *(volatile uint32_t *)p = 1; /* not through the table */
        _exit(0);
    }
    int status;
    CHECK_EQ(waitpid(child, &status, 0), child);
    /* Killed by it, or (under AddressSanitizer, whose handler comes before ours) ended
     * by the report: never carried on. */
    CHECK(WIFSIGNALED(status) ? WTERMSIG(status) == SIGBUS : WEXITSTATUS(status) != 0);
    munmap(p, 4096);
    close(fd);
}
