/* The kmd backend: a Blackhole card through Tenstorrent's Linux driver, tt-kmd
 * (kmd-facts 2, host-facts 1). Every system call and every load or store into the card's
 * mappings goes through the kmd_io table, so the tests run this file unchanged over a
 * fake driver.
 *
 * - The node is opened once, and driver lock KMD_LOCK_INDEX keeps a second ttm process off
 *   the card while this one drives it.
 * - TLB windows come from the driver (ALLOCATE_TLB: lowest free id first, and another
 *   process may hold any), are pointed with CONFIGURE_TLB, and are mapped uncached for
 *   registers or write-combined for memory, with a drain after every write.
 * - Host memory the device reaches is pinned with a NoC mapping. With an IOMMU any pages
 *   do; without one they must be physically contiguous, so one 1 GiB huge page.
 * - A reset of the card, by anyone, makes every later call fail with -ENODEV (from tt-kmd
 *   2.6; from 2.7 the driver also tears down the mappings, which then raise SIGBUS: see
 *   kmd_io.c). Older drivers do not tell a handle its card was reset.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../util/err.h"
#include "kmd_abi.h"
#include "kmd_io.h"
#include "pcie.h"
#include "ttm.h"
#include "ttm/blackhole.h"

/* The driver's resource lock ttm holds for as long as it drives a card (64 exist; the
 * first 16 conventionally guard Ethernet cores). */
#define KMD_LOCK_INDEX 63
/* The PCIe tile's NOC2AXI registers and the ARC window, mapped uncached as tt-umd maps
 * them (host-facts 1.5). */
#define REG_MAP_BASE BH_PCIE_NIU_BAR0
#define REG_MAP_SIZE 0x300000u
/* Host memory pinned at once, at most (the driver's outbound iATU regions). */
#define KMD_PINS 16
#define HUGE_1G (1ull << 30)
#define MAP_HUGE_1GB_FLAG (30 << 26)   /* MAP_HUGE_SHIFT */

struct kmd_window {
    bool used;
    uint32_t kmd_id;
    uint64_t offset_uc, offset_wc;
    volatile uint8_t *map;             /* NULL until first pointed somewhere */
    bool wc;                           /* map is the write-combined one */
};

struct kmd_pin {
    void *host;                        /* NULL: free */
    size_t pinned, mapped;
};

struct kmd_port {
    const struct kmd_io *io;
    int fd;
    uint32_t node;
    uint8_t version[3];
    bool locked, power_busy, gone;
    bool iommu;
    uint16_t vendor, device, bdf, domain;
    volatile uint8_t *regs;            /* REG_MAP_SIZE bytes of BAR0 from REG_MAP_BASE */
    struct kmd_window win[BH_TLB_2M_COUNT];
    struct kmd_pin pins[KMD_PINS];
};

static struct kmd_port *port(struct ttm_pcie *p)
{
    return p->priv;
}

static bool version_at_least(const struct kmd_port *k, int major, int minor)
{
    return k->version[0] > major || (k->version[0] == major && k->version[1] >= minor);
}

/* A failed request: -ENODEV means the card was reset or removed under this process, after
 * which nothing on the handle works again (host-facts 1.1). Before this process holds the
 * card, it means a reset that has not finished: until its POST_RESET the driver answers
 * every handle's requests, but for the info ones, with -ENODEV. */
static int failed(struct kmd_port *k, int rc, const char *what)
{
    if (rc == -ENODEV && !k->locked) {
        k->gone = true;
        return err_set(rc, "backend kmd: /dev/tenstorrent/%u is in the middle of a reset (%s "
                           "refused): finish it (tt-smi -r) and open the device again",
                       k->node, what);
    }
    if (rc == -ENODEV) {
        k->gone = true;
        return err_set(rc, "backend kmd: /dev/tenstorrent/%u was reset or removed (%s); close "
                           "the device and open it again", k->node, what);
    }
    return err_set(rc, "backend kmd: %s failed: %s", what, strerror(-rc));
}

static int request(struct kmd_port *k, unsigned long nr, void *arg, const char *what)
{
    if (k->gone)
        return failed(k, -ENODEV, what);
    int rc = k->io->ioctl(k->io->ctx, k->fd, nr, arg);
    return rc ? failed(k, rc, what) : 0;
}

/* ---- opening ---- */

static int open_node(struct kmd_port *k)
{
    char path[48];
    snprintf(path, sizeof path, "/dev/tenstorrent/%u", k->node);
    int fd = k->io->open(k->io->ctx, path, O_RDWR | O_CLOEXEC);
    if (fd == -ENOENT)
        return err_set(fd, "backend kmd: no %s: is a card installed and tt-kmd loaded "
                           "(modprobe tenstorrent)?", path);
    if (fd == -EACCES || fd == -EPERM)
        return err_set(fd, "backend kmd: no permission to open %s: tt-kmd's udev rule "
                           "makes it readable and writable by all", path);
    if (fd < 0)
        return err_set(fd, "backend kmd: cannot open %s: %s", path, strerror(-fd));
    k->fd = fd;
    return 0;
}

static int check_driver(struct kmd_port *k)
{
    struct kmd_driver_info d = {.in.output_size_bytes = sizeof d.out};
    int rc = request(k, KMD_GET_DRIVER_INFO, &d, "GET_DRIVER_INFO");
    if (rc)
        return rc;
    /* The driver says how much it wrote: anything less than this file reads is a driver
     * speaking another ABI. */
    if (d.out.output_size_bytes < sizeof d.out)
        return err_set(-EPROTO, "backend kmd: GET_DRIVER_INFO wrote %u bytes, not %zu",
                       d.out.output_size_bytes, sizeof d.out);
    memcpy(k->version, &d.out.major, 3);
    /* 2.0.0 brought the TLB ABI this file speaks, NoC mappings for pinned memory and the
     * version bytes themselves (kmd-facts 2.11). */
    if (d.out.driver_version != KMD_API_VERSION || !k->version[0])
        return err_set(-EPROTO, "backend kmd: tt-kmd API version %u (%u.%u.%u); ttm needs "
                                "tt-kmd 2.0.0 or later", d.out.driver_version, k->version[0],
                       k->version[1], k->version[2]);
    struct kmd_device_info i = {.in.output_size_bytes = sizeof i.out};
    if ((rc = request(k, KMD_GET_DEVICE_INFO, &i, "GET_DEVICE_INFO")))
        return rc;
    if (i.out.output_size_bytes < sizeof i.out)
        return err_set(-EPROTO, "backend kmd: GET_DEVICE_INFO wrote %u bytes, not %zu",
                       i.out.output_size_bytes, sizeof i.out);
    k->vendor = i.out.vendor_id;
    k->device = i.out.device_id;
    k->bdf = i.out.bus_dev_fn;
    k->domain = i.out.pci_domain;
    return 0;
}

/* The processes with the node open, for the message when the card is busy. */
static void holders(struct kmd_port *k, char *buf, size_t len)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/driver/tenstorrent/%u/pids", k->node);
    int n = k->io->read_file(k->io->ctx, path, buf, len);
    if (n <= 0) {
        snprintf(buf, len, "unknown");
        return;
    }
    for (char *c = buf; *c; c++)
        if (*c == '\n')
            *c = *(c + 1) ? ' ' : 0;
}

static int take_lock(struct kmd_port *k)
{
    struct kmd_lock_ctl l = {.in = {.output_size_bytes = sizeof l.out,
                                    .flags = KMD_LOCK_ACQUIRE, .index = KMD_LOCK_INDEX}};
    int rc = request(k, KMD_LOCK_CTL, &l, "LOCK_CTL");
    if (rc)
        return rc;
    if (l.out.value != 1) {
        char who[128];
        holders(k, who, sizeof who);
        return err_set(-EBUSY, "backend kmd: /dev/tenstorrent/%u is in use by another ttm "
                               "process (processes with it open: %s)", k->node, who);
    }
    k->locked = true;
    return 0;
}

static int map_registers(struct kmd_port *k)
{
    struct kmd_query_mappings q = {.in.output_mapping_count = KMD_MAPPINGS_MAX};
    int rc = request(k, KMD_QUERY_MAPPINGS, &q, "QUERY_MAPPINGS");
    if (rc)
        return rc;
    const struct kmd_mapping *bar0 = NULL;
    for (unsigned i = 0; i < KMD_MAPPINGS_MAX; i++)
        if (q.out[i].mapping_id == KMD_MAPPING_BAR0_UC)
            bar0 = &q.out[i];
    if (!bar0 || bar0->mapping_size < REG_MAP_BASE + REG_MAP_SIZE)
        return err_set(-EPROTO, "backend kmd: the driver offers no uncached BAR0 mapping of "
                                "at least %u bytes", REG_MAP_BASE + REG_MAP_SIZE);
    void *map;
    rc = k->io->mmap(k->io->ctx, REG_MAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, k->fd,
                     bar0->mapping_base + REG_MAP_BASE, &map);
    if (rc)
        return failed(k, rc, "mapping BAR0's registers");
    k->regs = map;
    return 0;
}

/* tt-umd's test: the PCI device's IOMMU group has a translating ("DMA") domain. */
static void detect_iommu(struct kmd_port *k)
{
    char path[96], type[32];
    snprintf(path, sizeof path, "/sys/bus/pci/devices/%04x:%02x:%02x.%x/iommu_group/type",
             k->domain, k->bdf >> 8, (k->bdf >> 3) & 0x1F, k->bdf & 7);
    k->iommu = k->io->read_file(k->io->ctx, path, type, sizeof type) >= 3 &&
               !strncmp(type, "DMA", 3);
}

/* Busy: every power flag on (AICLK raised, Tensix and L2CPU powered, GDDR PHY awake);
 * idle: this process asks for nothing. The driver combines all processes' requests and
 * tells the ARC (kmd-facts 2.7). Older drivers leave the clock where it is. The driver
 * fails the request when the ARC does not take its message (not yet booted after a reset,
 * or its firmware refuses it); the card then works at the clock it has, so only -ENODEV
 * (a reset) is an error, as tt-umd only warns. */
static int set_power(struct kmd_port *k, bool busy)
{
    if (!version_at_least(k, 2, 6))
        return 0;
    struct kmd_power_state s = {.argsz = sizeof s, .validity = KMD_POWER_VALIDITY(4, 0),
                                .power_flags = busy ? KMD_POWER_BUSY : 0};
    int rc = k->gone ? -ENODEV : k->io->ioctl(k->io->ctx, k->fd, KMD_SET_POWER_STATE, &s);
    if (rc == -ENODEV)
        return failed(k, rc, busy ? "SET_POWER_STATE busy" : "SET_POWER_STATE idle");
    if (!rc)
        k->power_busy = busy;
    return 0;
}

static void kmd_close(struct ttm_pcie *p);

static int kmd_open(struct ttm_pcie *p, const struct ttm_device_opts *opts)
{
    struct kmd_port *k = calloc(1, sizeof *k);
    if (!k)
        return err_set(-ENOMEM, "backend kmd: out of memory");
    k->io = pcie_kmd_io();
    k->fd = -1;
    k->node = opts ? opts->device_id : 0;
    p->priv = k;
    int rc = open_node(k);
    if (!rc)
        rc = check_driver(k);
    if (!rc)
        rc = take_lock(k);
    if (!rc)
        rc = map_registers(k);
    if (!rc)
        rc = set_power(k, true);
    if (rc) {
        kmd_close(p);
        return rc;
    }
    detect_iommu(k);
    return 0;
}

/* ---- TLB windows ---- */

static int unmap_window(struct kmd_port *k, struct kmd_window *w)
{
    int rc = 0;
    if (w->map)
        rc = k->io->munmap(k->io->ctx, (void *)w->map, BH_TLB_2M_SIZE);
    if (!rc)
        w->map = NULL;
    return rc;
}

static int kmd_tlb_alloc(struct ttm_pcie *p, uint64_t size, uint32_t *id)
{
    struct kmd_port *k = port(p);
    if (size != BH_TLB_2M_SIZE)
        return err_set(-EINVAL, "backend kmd: only 2 MiB TLB windows are used");
    uint32_t i = 0;
    while (i < BH_TLB_2M_COUNT && k->win[i].used)
        i++;
    if (i == BH_TLB_2M_COUNT)
        return err_set(-ENOSPC, "backend kmd: every TLB window is in use");
    struct kmd_allocate_tlb a = {.in.size = BH_TLB_2M_SIZE};
    int rc = k->gone ? -ENODEV : k->io->ioctl(k->io->ctx, k->fd, KMD_ALLOCATE_TLB, &a);
    /* The driver has none left: other processes (or tt-smi) may hold them. The chip then
     * retargets the windows it has. */
    if (rc == -ENOMEM)
        return err_set(-ENOSPC, "backend kmd: tt-kmd has no free TLB window (holders: "
                                "/proc/driver/tenstorrent/%u/pids)", k->node);
    if (rc)
        return failed(k, rc, "ALLOCATE_TLB");
    if (a.out.id >= BH_TLB_2M_KMD_WINDOW) {
        struct kmd_free_tlb f = {a.out.id};
        (void)k->io->ioctl(k->io->ctx, k->fd, KMD_FREE_TLB, &f);
        return err_set(-EPROTO, "backend kmd: ALLOCATE_TLB gave window %u, not a 2 MiB one",
                       a.out.id);
    }
    k->win[i] = (struct kmd_window){.used = true, .kmd_id = a.out.id,
                                    .offset_uc = a.out.mmap_offset_uc,
                                    .offset_wc = a.out.mmap_offset_wc};
    *id = i;
    return 0;
}

static void kmd_tlb_free(struct ttm_pcie *p, uint32_t id)
{
    struct kmd_port *k = port(p);
    if (id >= BH_TLB_2M_COUNT || !k->win[id].used)
        return;
    struct kmd_window *w = &k->win[id];
    /* The driver refuses to free a window that is still mapped (-EBUSY); one that cannot
     * be unmapped stays ours, and closing the node frees it. */
    if (unmap_window(k, w))
        return;
    struct kmd_free_tlb f = {w->kmd_id};
    if (!k->gone)
        (void)k->io->ioctl(k->io->ctx, k->fd, KMD_FREE_TLB, &f);
    w->used = false;
}

static struct kmd_window *window(struct kmd_port *k, uint32_t id)
{
    return id < BH_TLB_2M_COUNT && k->win[id].used ? &k->win[id] : NULL;
}

static int kmd_tlb_configure(struct ttm_pcie *p, uint32_t id, const struct pcie_tlb_cfg *cfg)
{
    struct kmd_port *k = port(p);
    struct kmd_window *w = window(k, id);
    /* The driver would truncate what does not fit its fields and point the window
     * elsewhere; refuse that here. */
    if (!w || cfg->addr % BH_TLB_2M_SIZE || cfg->x_end > 63 || cfg->y_end > 63 ||
        cfg->x_start > 63 || cfg->y_start > 63 || cfg->noc > 1 || cfg->ordering > 3)
        return err_set(-EINVAL, "backend kmd: bad TLB window %u setting (address 0x%llx, "
                                "(%u,%u)-(%u,%u), NoC %u)", id, (unsigned long long)cfg->addr,
                       cfg->x_start, cfg->y_start, cfg->x_end, cfg->y_end, cfg->noc);
    struct kmd_configure_tlb c = {.in = {.id = w->kmd_id, .config = {
        .addr = cfg->addr, .x_end = cfg->x_end, .y_end = cfg->y_end, .x_start = cfg->x_start,
        .y_start = cfg->y_start, .noc = cfg->noc, .mcast = cfg->mcast,
        .ordering = cfg->ordering}}};
    int rc = request(k, KMD_CONFIGURE_TLB, &c, "CONFIGURE_TLB");
    if (rc)
        return rc;
    /* Memory takes write-combined stores, registers only uncached ones (kmd-facts R1).
     * One mapping at a time: two of one page with different memory types is undefined
     * on x86. */
    bool wc = cfg->memory;
    if (w->map && w->wc == wc)
        return 0;
    if ((rc = unmap_window(k, w)))
        return failed(k, rc, "unmapping a TLB window");
    void *map;
    rc = k->io->mmap(k->io->ctx, BH_TLB_2M_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, k->fd,
                     wc ? w->offset_wc : w->offset_uc, &map);
    if (rc)
        return failed(k, rc, "mapping a TLB window");
    w->map = map;
    w->wc = wc;
    return 0;
}

/* Whether the card still answers: a register that never reads all-ones unless the
 * device is gone (the PCIe tile's NODE_ID; tt-umd's HANG_READ_VALUE test). */
static int check_alive(struct kmd_port *k)
{
    uint32_t id;
    int rc = k->io->mmio_read(k->io->ctx, k->regs + BH_PCIE_NIU0_OFF + BH_NOC_NODE_ID, &id, 4);
    if (rc)
        return failed(k, rc, "reading the PCIe tile's NODE_ID");
    if (id == 0xFFFFFFFFu) {
        k->gone = true;
        return err_set(-ENODEV, "backend kmd: /dev/tenstorrent/%u reads all-ones: the card "
                                "is not responding (hung or reset); reset it (tt-smi -r)",
                       k->node);
    }
    return 0;
}

/* Bytes [off, off + len) of a mapping through 32-bit accesses: ragged edges are read, or
 * read, merged and written back, a word at a time (kmd-facts R3). */
static int mmio_copy(struct kmd_port *k, volatile uint8_t *base, uint64_t off, void *buf,
                     size_t len, bool write)
{
    const struct kmd_io *io = k->io;
    uint8_t *b = buf;
    while (len) {
        uint64_t word = off & ~3ull;
        size_t skip = (size_t)(off - word);
        if (skip || len < 4) {
            size_t n = 4 - skip < len ? 4 - skip : len;
            uint8_t w[4];
            int rc = io->mmio_read(io->ctx, base + word, w, 4);
            if (!rc && write) {
                memcpy(w + skip, b, n);
                rc = io->mmio_write(io->ctx, base + word, w, 4);
            } else if (!rc) {
                memcpy(b, w + skip, n);
            }
            if (rc)
                return rc;
            off += n, b += n, len -= n;
            continue;
        }
        size_t n = len & ~(size_t)3;
        int rc = write ? io->mmio_write(io->ctx, base + off, b, n)
                       : io->mmio_read(io->ctx, base + off, b, n);
        if (rc)
            return rc;
        off += n, b += n, len -= n;
    }
    return 0;
}

static int window_access(struct ttm_pcie *p, uint32_t id, uint64_t off, void *buf, size_t len,
                         bool write)
{
    struct kmd_port *k = port(p);
    struct kmd_window *w = window(k, id);
    if (k->gone)
        return failed(k, -ENODEV, "a TLB window access");
    if (!w || !w->map || off > BH_TLB_2M_SIZE || len > BH_TLB_2M_SIZE - off)
        return err_set(-EINVAL, "backend kmd: access outside TLB window %u", id);
    int rc = mmio_copy(k, w->map, off, buf, len, write);
    if (rc)
        return failed(k, rc, "a TLB window access");
    if (write && w->wc)
        k->io->wmb(k->io->ctx);
    uint32_t first;
    if (!write && len >= 4 && (memcpy(&first, buf, 4), first == 0xFFFFFFFFu))
        return check_alive(k);
    return 0;
}

static int kmd_tlb_read(struct ttm_pcie *p, uint32_t id, uint64_t off, void *dst, size_t len)
{
    return window_access(p, id, off, dst, len, false);
}

static int kmd_tlb_write(struct ttm_pcie *p, uint32_t id, uint64_t off, const void *src,
                         size_t len)
{
    return window_access(p, id, off, (void *)src, len, true);
}

/* ---- registers ---- */

static int kmd_config_read32(struct ttm_pcie *p, uint32_t offset, uint32_t *val)
{
    struct kmd_port *k = port(p);
    if (offset)
        return err_set(-EINVAL, "backend kmd: config space offset 0x%x is not read", offset);
    *val = k->vendor | (uint32_t)k->device << 16;
    return 0;
}

static int bar_access(struct ttm_pcie *p, unsigned bar, uint64_t offset, void *buf, size_t len,
                      bool write)
{
    struct kmd_port *k = port(p);
    if (bar || offset < REG_MAP_BASE || offset % 4 || len % 4 ||
        offset - REG_MAP_BASE > REG_MAP_SIZE || len > REG_MAP_SIZE - (offset - REG_MAP_BASE))
        return err_set(-EINVAL, "backend kmd: BAR%u 0x%llx (%zu bytes) is not a register it "
                                "maps", bar, (unsigned long long)offset, len);
    if (k->gone)
        return failed(k, -ENODEV, "a register access");
    volatile uint8_t *at = k->regs + (offset - REG_MAP_BASE);
    int rc = write ? k->io->mmio_write(k->io->ctx, at, buf, len)
                   : k->io->mmio_read(k->io->ctx, at, buf, len);
    return rc ? failed(k, rc, "a register access") : 0;
}

static int kmd_bar_read(struct ttm_pcie *p, unsigned bar, uint64_t offset, void *dst, size_t len)
{
    return bar_access(p, bar, offset, dst, len, false);
}

static int kmd_bar_write(struct ttm_pcie *p, unsigned bar, uint64_t offset, const void *src,
                         size_t len)
{
    return bar_access(p, bar, offset, (void *)src, len, true);
}

/* ---- host memory ---- */

static void unpin(struct kmd_port *k, struct kmd_pin *pin)
{
    struct kmd_unpin_pages u = {.virtual_address = (uintptr_t)pin->host, .size = pin->pinned};
    if (!k->gone)
        (void)k->io->ioctl(k->io->ctx, k->fd, KMD_UNPIN_PAGES, &u);
    (void)k->io->munmap(k->io->ctx, pin->host, pin->mapped);
    pin->host = NULL;
}

static int kmd_host_mem_alloc(struct ttm_pcie *p, size_t len, void **host, uint64_t *noc_addr)
{
    struct kmd_port *k = port(p);
    struct kmd_pin *pin = NULL;
    for (unsigned i = 0; i < KMD_PINS && !pin; i++)
        if (!k->pins[i].host)
            pin = &k->pins[i];
    /* The driver pins whole pages of the kernel's size, which is not 4 KiB everywhere. */
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t pinned = (len + page - 1) & ~(page - 1);
    if (!pin || !len || pinned > HUGE_1G)
        return err_set(!pin ? -ENOSPC : -EINVAL, "backend kmd: cannot pin %zu bytes of host "
                                                 "memory", len);
    /* Without an IOMMU the device sees physical addresses, so the pages must be one
     * contiguous run: a 1 GiB huge page (kmd-facts 2.6, R12). */
    size_t mapped = k->iommu ? pinned : HUGE_1G;
    int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE |
                (k->iommu ? 0 : MAP_HUGETLB | MAP_HUGE_1GB_FLAG);
    void *mem;
    int rc = k->io->mmap(k->io->ctx, mapped, PROT_READ | PROT_WRITE, flags, -1, 0, &mem);
    if (rc && !k->iommu)
        return err_set(rc, "backend kmd: this machine has no IOMMU, so memory the card "
                           "reaches must be a 1 GiB huge page, and none is free: reserve one "
                           "(as root: echo 1 > /sys/kernel/mm/hugepages/hugepages-1048576kB/"
                           "nr_hugepages)");
    if (rc)
        return err_set(rc, "backend kmd: cannot allocate %zu bytes of host memory", mapped);
    struct kmd_pin_pages pp = {.in = {.output_size_bytes = sizeof pp.out,
                                      .flags = KMD_PIN_NOC_DMA |
                                               (k->iommu ? 0 : KMD_PIN_CONTIGUOUS),
                                      .virtual_address = (uintptr_t)mem, .size = pinned}};
    rc = request(k, KMD_PIN_PAGES, &pp, "PIN_PAGES");
    bool held = !rc;
    /* The driver's NoC address lies in the PCIe tile's host window (bit 60), and all of
     * the range within the 36 address bits a NoC request carries beside that bit (our
     * firmware's NoC writes, BH_NOC_MID_MASK). The driver places ranges bottom-up in a
     * window every process on the card shares, so a range far up cannot be reached. */
    uint64_t off = pp.out.noc_address - BH_NOC_PCIE_HOST_BIT;
    if (!rc && ((pp.out.noc_address & ~(BH_HOST_WINDOW_SIZE - 1)) != BH_NOC_PCIE_HOST_BIT ||
                (pp.out.noc_address & (page - 1))))
        rc = err_set(-EPROTO, "backend kmd: PIN_PAGES gave NoC address 0x%llx, outside the "
                              "host window", (unsigned long long)pp.out.noc_address);
    else if (!rc && off + pinned > 1ull << BH_NOC_ADDR_LOCAL_BITS)
        rc = err_set(-ENOSPC, "backend kmd: PIN_PAGES placed host memory at NoC offset "
                              "0x%llx, beyond the 64 GiB the device's requests reach (other "
                              "processes hold that much pinned on this card)",
                     (unsigned long long)off);
    *pin = (struct kmd_pin){mem, pinned, mapped};
    if (rc && held)
        unpin(k, pin);
    else if (rc)
        (void)k->io->munmap(k->io->ctx, mem, mapped);
    if (rc) {
        pin->host = NULL;
        return rc;
    }
    *host = mem;
    *noc_addr = pp.out.noc_address;
    return 0;
}

static void kmd_host_mem_free(struct ttm_pcie *p, void *host, size_t len)
{
    (void)len;
    struct kmd_port *k = port(p);
    for (unsigned i = 0; i < KMD_PINS; i++)
        if (host && k->pins[i].host == host)
            unpin(k, &k->pins[i]);
}

/* ---- time, closing ---- */

static int kmd_advance(struct ttm_pcie *p, uint64_t cycles)
{
    struct kmd_port *k = port(p);
    if (k->gone)
        return failed(k, -ENODEV, "waiting on the device");
    k->io->pause(k->io->ctx, cycles);
    return 0;
}

/* Everything is given back in the order the driver needs (windows unmapped before they
 * are freed); closing the node would release the rest, but a handle that lives on after
 * a failed open should not hold the card. */
static void kmd_close(struct ttm_pcie *p)
{
    struct kmd_port *k = port(p);
    if (!k)
        return;
    for (uint32_t i = 0; i < BH_TLB_2M_COUNT; i++)
        kmd_tlb_free(p, i);
    for (unsigned i = 0; i < KMD_PINS; i++)
        if (k->pins[i].host)
            unpin(k, &k->pins[i]);
    if (k->power_busy && !k->gone)
        (void)set_power(k, false);
    if (k->regs)
        (void)k->io->munmap(k->io->ctx, (void *)k->regs, REG_MAP_SIZE);
    if (k->locked && !k->gone) {
        struct kmd_lock_ctl l = {.in = {.output_size_bytes = sizeof l.out,
                                        .flags = KMD_LOCK_RELEASE, .index = KMD_LOCK_INDEX}};
        (void)k->io->ioctl(k->io->ctx, k->fd, KMD_LOCK_CTL, &l);
    }
    if (k->fd >= 0)
        (void)k->io->close(k->io->ctx, k->fd);
    free(k);
    p->priv = NULL;
}

static void kmd_describe(struct ttm_pcie *p, char *buf, size_t len)
{
    struct kmd_port *k = port(p);
    snprintf(buf, len, "tt-kmd %u.%u.%u, /dev/tenstorrent/%u at PCI %04x:%02x:%02x.%x, IOMMU %s, "
                       "clock %s", k->version[0], k->version[1], k->version[2], k->node,
             k->domain, k->bdf >> 8, (k->bdf >> 3) & 0x1F, k->bdf & 7, k->iommu ? "on" : "off",
             k->power_busy ? "raised (SET_POWER_STATE)" : "as the driver left it (before 2.6)");
}

const struct ttm_pcie_ops pcie_kmd_ops = {
    .name = "kmd",
    .caps = TTM_PCIE_CAP_PC_SNAPSHOT,
    .open = kmd_open,
    .close = kmd_close,
    .config_read32 = kmd_config_read32,
    .bar_read = kmd_bar_read,
    .bar_write = kmd_bar_write,
    .tlb_alloc = kmd_tlb_alloc,
    .tlb_free = kmd_tlb_free,
    .tlb_configure = kmd_tlb_configure,
    .tlb_read = kmd_tlb_read,
    .tlb_write = kmd_tlb_write,
    .host_mem_alloc = kmd_host_mem_alloc,
    .host_mem_free = kmd_host_mem_free,
    .advance = kmd_advance,
    .describe = kmd_describe,
};
