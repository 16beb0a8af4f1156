/* Every way the kmd backend reaches the operating system and the card, in one table: the
 * calls on the device node, memory for the device, and the loads and stores into mapped
 * BAR space. The default table is the real one; tests install a fake tt-kmd (tests/kmd/)
 * behind it, so the backend's own code runs unchanged with no card present.
 *
 * Calls return 0 (or a count, fd, length) or a negative errno value; none sets errno. */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct kmd_io {
    int (*open)(void *ctx, const char *path, int flags);
    int (*close)(void *ctx, int fd);
    int (*ioctl)(void *ctx, int fd, unsigned long request, void *arg);
    /* mmap(2) with the result in *addr; fd -1 (MAP_ANONYMOUS) for host memory. */
    int (*mmap)(void *ctx, size_t len, int prot, int flags, int fd, uint64_t offset,
                void **addr);
    int (*munmap)(void *ctx, void *addr, size_t len);
    /* Up to len - 1 bytes of a small file (sysfs, procfs), NUL-terminated (empty on
     * failure); the count. */
    int (*read_file)(void *ctx, const char *path, char *buf, size_t len);
    /* 32-bit loads and stores into a device mapping: addr and len 4-byte aligned (the NoC
     * takes nothing narrower from a register, host-facts 2.5). -ENODEV when the mapping
     * was torn down under the caller (a device reset). */
    int (*mmio_read)(void *ctx, const volatile void *addr, void *dst, size_t len);
    int (*mmio_write)(void *ctx, volatile void *addr, const void *src, size_t len);
    /* Drain write-combining buffers: stores before it reach the device before any after
     * it (kmd-facts R1: sfence on x86). */
    void (*wmb)(void *ctx);
    /* Let a moment of device time pass while the host polls. */
    void (*pause)(void *ctx, uint64_t cycles);
    void *ctx;
};

/* The table for the real card. */
extern const struct kmd_io kmd_io_system;

/* The table the kmd backend uses from its next open on (NULL: the real one). For tests. */
void pcie_kmd_set_io(const struct kmd_io *io);
const struct kmd_io *pcie_kmd_io(void);
