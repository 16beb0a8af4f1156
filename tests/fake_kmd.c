/* The fake tt-kmd (fake_kmd.h). Each rule names the driver source it follows, as read for
 * kmd-facts (tt-kmd 2.10.1-pre); version profiles take out what older drivers lack. */
#include "fake_kmd.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../emu/bhemu.h"
#include "pcie/kmd_io.h"
#include "ttm/blackhole.h"

#define NODES 2                       /* 0: P100A, 1: P150A */
#define FDS 16
#define FD_BASE 1000                  /* the fake's descriptors, never a real one */
#define PAGE 4096ull
#define MIB (1ull << 20)
#define GIB (1ull << 30)

/* Blackhole as tt-kmd sets it up (host-facts 1.4-1.5, 2.2-2.3). */
#define BAR0_SIZE (512 * MIB)
#define BAR2_SIZE MIB
#define BAR4_SIZE (32 * GIB)
#define WIN2M_COUNT 202               /* ids 0..201 */
#define WIN2M_KERNEL 201              /* blackhole.c KERNEL_TLB_INDEX, taken at init */
#define WIN4G_FIRST 202
#define WIN4G_COUNT (BAR4_SIZE / (4 * GIB))
#define WIN_COUNT (WIN4G_FIRST + WIN4G_COUNT)
#define TLB_REGS 0x1FC00000ull        /* 12 bytes an entry */
#define TLB_STRIDED 0x1FC009D8ull     /* ids < 32: zeroed at configure */
#define MMAP_SHIFT 36                 /* memory.c: resource k at k << 36 */
#define MMAP_TLB_UC (6ull << MMAP_SHIFT)
#define MMAP_TLB_WC (7ull << MMAP_SHIFT)
#define IATU_REGIONS 16
#define NOC_HOST (1ull << 60)         /* noc_pcie_offset = 4 << 58 */
#define NOC_DMA_LIMIT (1ull << 58)
#define LOCKS 64
#define FOREIGN (-2)                  /* owner: another process */
#define NOBODY (-1)

/* Request numbers, _IO(0xFA, nr). */
enum { GET_DEVICE_INFO, GET_HARVESTING, QUERY_MAPPINGS, ALLOCATE_DMA_BUF, FREE_DMA_BUF,
       GET_DRIVER_INFO, RESET_DEVICE, PIN_PAGES, LOCK_CTL, MAP_PEER_BAR, UNPIN_PAGES,
       ALLOCATE_TLB, FREE_TLB, CONFIGURE_TLB, SET_NOC_CLEANUP, SET_POWER_STATE,
       EXPORT_TLB_DMABUF, REQUESTS };

enum map_kind { MAP_HOST, MAP_BAR, MAP_TLB };

struct mapping {
    bool used, dead;                  /* dead: torn down by a reset */
    enum map_kind kind;
    uint8_t *va;
    size_t len;
    int fd;                           /* fake fd, -1 for host memory */
    unsigned node;
    bool wc, huge;
    unsigned bar;                     /* MAP_BAR */
    uint64_t bar_off;                 /* BAR offset of va (MAP_BAR, MAP_TLB) */
    int window;                       /* MAP_TLB */
};
#define MAPS 1024

struct pin {
    bool used;
    int fd;
    uint64_t va, size, base;
    bool noc;
};

struct node {
    bhemu *emu;
    uint32_t pauses;                  /* since power-on (bring_up_pauses) */
    uint32_t gddr_status;             /* where GDDR_STATUS's value lives in the ARC */
    uint32_t telemetry[2];            /* the telemetry table and data pointers, while the
                                       * ARC boots */
    unsigned fds;                     /* open handles */
    uint32_t generation;
    bool needs_hw_init;
    int window_owner[WIN_COUNT];
    int lock_owner[LOCKS];
    struct pin pins[IATU_REGIONS];
};

struct handle {
    bool used;
    unsigned node;
    uint32_t generation;
    uint16_t power_flags;
};

struct pending {                      /* a held write-combined store */
    unsigned node;
    unsigned bar;
    uint64_t bar_off;                 /* within that BAR */
    uint32_t word;
};

static struct fake {
    struct fake_kmd_config cfg;
    struct node nodes[NODES];
    struct handle fds[FDS];
    struct mapping maps[MAPS];
    struct pending *pending;
    size_t n_pending, cap_pending;
    int fail_err[REQUESTS];
    unsigned fail_count[REQUESTS];
    struct fake_kmd_stats st;
    const volatile void *last_read;  /* the host's last single-word read, until a write */
    pthread_mutex_t lock;
} F = {.lock = PTHREAD_MUTEX_INITIALIZER};

static const uint8_t version_bytes[][3] = {{2, 0, 0}, {2, 6, 0}, {2, 10, 0}};

static bool at_least(int major, int minor)
{
    const uint8_t *v = version_bytes[F.cfg.version];
    return v[0] > major || (v[0] == major && v[1] >= minor);
}

/* ---- raw argument access ---- */

static uint64_t get(const void *arg, size_t off, size_t size)
{
    uint64_t v = 0;
    memcpy(&v, (const uint8_t *)arg + off, size);
    return v;
}

static void put(void *arg, size_t off, size_t size, uint64_t v)
{
    memcpy((uint8_t *)arg + off, &v, size);
}

/* chardev.c: clear_user(&arg->out, in.output_size_bytes), then copy min(claimed, real)
 * bytes. The zeroing follows the caller's claim, past the real struct if it says so. */
static void out_bytes(void *arg, size_t out_at, uint32_t claimed, const void *out, size_t real)
{
    memset((uint8_t *)arg + out_at, 0, claimed);
    memcpy((uint8_t *)arg + out_at, out, claimed < real ? claimed : real);
}

/* ---- nodes ---- */

static void arc_write(struct node *n, uint32_t addr, uint32_t v)
{
    (void)bhemu_tile_write(n->emu, BH_ARC_X, BH_ARC_Y, addr, &v, 4);
}

/* The card as it is just after power-on: the ARC not booted, the DRAM not trained. */
static void bring_up_start(struct node *n)
{
    uint32_t table = 0, data = 0, count = 0, entry;
    (void)bhemu_tile_read(n->emu, BH_ARC_X, BH_ARC_Y, BH_ARC_TELEMETRY_TABLE_PTR, &table, 4);
    (void)bhemu_tile_read(n->emu, BH_ARC_X, BH_ARC_Y, BH_ARC_TELEMETRY_DATA_PTR, &data, 4);
    (void)bhemu_tile_read(n->emu, BH_ARC_X, BH_ARC_Y, table + 4, &count, 4);
    for (uint32_t i = 0; i < count && i < 256; i++) {
        (void)bhemu_tile_read(n->emu, BH_ARC_X, BH_ARC_Y, table + 8 + 4 * i, &entry, 4);
        if ((entry & 0xFFFF) == BH_TAG_GDDR_STATUS)
            n->gddr_status = data + 4 * (entry >> 16);
    }
    n->telemetry[0] = table;
    n->telemetry[1] = data;
    arc_write(n, BH_ARC_BOOT_STATUS, 0);
    arc_write(n, BH_ARC_TELEMETRY_TABLE_PTR, 0);
    arc_write(n, BH_ARC_TELEMETRY_DATA_PTR, 0);
    if (n->gddr_status)
        arc_write(n, n->gddr_status, 0);
}

/* One host pause of the bring-up: the ARC comes up half way and publishes its telemetry
 * a pause later (tt-umd waits for the two apart), the DRAM is trained at the end. */
static void bring_up_step(struct node *n)
{
    uint32_t total = F.cfg.bring_up_pauses;
    if (!total || n->pauses > total)
        return;
    if (++n->pauses == total / 2)
        arc_write(n, BH_ARC_BOOT_STATUS, 5);
    if (n->pauses == total / 2 + 1) {
        arc_write(n, BH_ARC_TELEMETRY_TABLE_PTR, n->telemetry[0]);
        arc_write(n, BH_ARC_TELEMETRY_DATA_PTR, n->telemetry[1]);
    }
    if (n->pauses == total && n->gddr_status) {
        uint32_t status = 0x5555, bad = F.cfg.failing_channel;
        if (bad)
            status = (status & ~(3u << 2 * (bad - 1))) | 2u << 2 * (bad - 1);
        arc_write(n, n->gddr_status, status);
    }
}

static int node_boot(struct node *n, unsigned index)
{
    struct bhemu_config cfg;
    bhemu_config_default(index ? BHEMU_P150A : BHEMU_P100A, &cfg);
    cfg.threads = 1;
    int rc = bhemu_create(&cfg, &n->emu);
    if (rc)
        return rc;
    for (unsigned i = 0; i < WIN_COUNT; i++)
        n->window_owner[i] = NOBODY;
    n->window_owner[WIN2M_KERNEL] = FOREIGN;
    if (F.cfg.bring_up_pauses)
        bring_up_start(n);
    /* Another process's windows, spread so the lowest ids are not all free. */
    for (unsigned k = 0; k < F.cfg.foreign_windows && k < WIN2M_KERNEL; k++)
        n->window_owner[(k * 37 + 3) % WIN2M_KERNEL] = FOREIGN;
    return 0;
}

static void node_shutdown(struct node *n)
{
    if (n->emu)
        bhemu_destroy(n->emu);
    int locks[LOCKS];
    memcpy(locks, n->lock_owner, sizeof locks);
    memset(n, 0, sizeof *n);
    for (unsigned i = 0; i < LOCKS; i++) /* another process's locks outlive ours */
        n->lock_owner[i] = locks[i] == FOREIGN ? FOREIGN : NOBODY;
}

static struct handle *handle(int fd)
{
    unsigned i = (unsigned)(fd - FD_BASE);
    return fd >= FD_BASE && i < FDS && F.fds[i].used ? &F.fds[i] : NULL;
}

/* ---- pinning (memory.c pin_user_pages, map_to_noc) ---- */

static void unpin(struct node *n, struct pin *p)
{
    if (p->noc)
        (void)bhemu_unmap_host_region(n->emu, p->base);
    p->used = false;
}

static const struct mapping *host_mapping(uint64_t va, uint64_t size)
{
    for (unsigned i = 0; i < MAPS; i++) {
        const struct mapping *m = &F.maps[i];
        if (m->used && m->kind == MAP_HOST && va >= (uintptr_t)m->va &&
            va + size <= (uintptr_t)m->va + m->len)
            return m;
    }
    return NULL;
}

/* Bottom-up: the lowest gap of the NoC aperture that fits (memory.c). */
static int iatu_base(struct node *n, uint64_t size, uint64_t *base)
{
    uint64_t at = F.cfg.foreign_pinned;
    for (bool moved = true; moved;) {
        moved = false;
        for (unsigned i = 0; i < IATU_REGIONS; i++) {
            struct pin *p = &n->pins[i];
            if (p->used && p->noc && at < p->base + p->size && p->base < at + size) {
                at = p->base + p->size;
                moved = true;
            }
        }
    }
    if (at + size > NOC_DMA_LIMIT)
        return -ENOMEM;
    *base = at;
    return 0;
}

static int pin_pages(int fd, struct node *n, void *arg)
{
    uint32_t claimed = (uint32_t)get(arg, 0, 4), flags = (uint32_t)get(arg, 4, 4);
    uint64_t va = get(arg, 8, 8), size = get(arg, 16, 8);
    /* The output is cleared before anything is checked (memory.c:620). */
    memset((uint8_t *)arg + 24, 0, claimed);
    if (flags & ~0xFu || va % PAGE || size % PAGE || !size)
        return -EINVAL;
    if ((flags & 8) && F.cfg.no_iommu)
        return -EOPNOTSUPP;
    const struct mapping *m = host_mapping(va, size);
    if (!m)
        return -EFAULT;
    for (unsigned i = 0; i < IATU_REGIONS; i++)
        if (n->pins[i].used && n->pins[i].va == va && n->pins[i].size == size)
            return -EEXIST;
    /* Without an IOMMU the pages must be physically contiguous: in the fake, one huge
     * mapping. */
    if (F.cfg.no_iommu && size > PAGE && !m->huge)
        return -EINVAL;
    struct pin *p = NULL;
    for (unsigned i = 0; i < IATU_REGIONS && !p; i++)
        if (!n->pins[i].used)
            p = &n->pins[i];
    bool noc = flags & 6;
    if (!p)
        return noc ? -ENOSPC : -ENOMEM;
    uint64_t base = 0;
    if (noc) {
        int rc = iatu_base(n, size, &base);
        if (rc)
            return rc;
        if ((rc = bhemu_map_host_region(n->emu, base, (void *)(uintptr_t)va, size)))
            return rc == -ENOSPC ? -ENOSPC : -EINVAL;
    }
    *p = (struct pin){true, fd, va, size, base, noc};
    uint8_t out[16];
    put(out, 0, 8, va);                       /* the IOVA: identity here */
    put(out, 8, 8, noc ? NOC_HOST + base : 0);
    memcpy((uint8_t *)arg + 24, out, claimed < 16 ? claimed : 16);
    return 0;
}

static int unpin_pages(int fd, struct node *n, void *arg)
{
    uint64_t va = get(arg, 0, 8), size = get(arg, 8, 8), reserved = get(arg, 16, 8);
    if (reserved || !size)
        return -EINVAL;
    for (unsigned i = 0; i < IATU_REGIONS; i++) {
        struct pin *p = &n->pins[i];
        if (p->used && p->fd == fd && p->va == va) {
            if (p->size != size)
                return -EINVAL;
            unpin(n, p);
            return 0;
        }
    }
    return -EINVAL;
}

/* ---- TLB windows (tlb.c, memory.c, blackhole.c) ---- */

static uint64_t window_size(unsigned id)
{
    return id < WIN2M_COUNT ? 2 * MIB : 4 * GIB;
}

static uint64_t window_bar_offset(unsigned id)
{
    return id < WIN2M_COUNT ? id * 2 * MIB : BAR0_SIZE + (id - WIN4G_FIRST) * 4 * GIB;
}

static bool window_mapped(unsigned node, unsigned id)
{
    for (unsigned i = 0; i < MAPS; i++)
        if (F.maps[i].used && F.maps[i].kind == MAP_TLB && F.maps[i].node == node &&
            F.maps[i].window == (int)id && !F.maps[i].dead)
            return true;
    return false;
}

static int allocate_tlb(int fd, struct node *n, void *arg)
{
    uint64_t size = get(arg, 0, 8);
    unsigned first, end;
    if (size == 2 * MIB)
        first = 0, end = WIN2M_COUNT;
    else if (size == 4 * GIB)
        first = WIN4G_FIRST, end = WIN_COUNT;
    else
        return -EINVAL;
    for (unsigned id = first; id < end; id++) {
        if (n->window_owner[id] != NOBODY)
            continue;
        n->window_owner[id] = fd;
        /* The mmap offsets encode the window's place in BAR0 or past it, BAR4. */
        uint8_t out[32] = {0};
        uint64_t off = window_bar_offset(id);
        put(out, 0, 4, id);
        put(out, 8, 8, MMAP_TLB_UC + off);
        put(out, 16, 8, MMAP_TLB_WC + off);
        memcpy((uint8_t *)arg + 16, out, sizeof out);
        return 0;
    }
    return -ENOMEM;
}

static int free_tlb(int fd, unsigned node, struct node *n, void *arg)
{
    uint32_t id = (uint32_t)get(arg, 0, 4);
    if (id >= 256)
        return -EINVAL;
    if (id >= WIN_COUNT || n->window_owner[id] != fd)
        return -EPERM;
    if (window_mapped(node, id))
        return -EBUSY;
    n->window_owner[id] = NOBODY;
    return 0;
}

static void set_bits(uint32_t w[3], unsigned pos, unsigned width, uint64_t v)
{
    for (unsigned i = 0; i < width; i++, pos++)
        if (v >> i & 1)
            w[pos / 32] |= 1u << (pos % 32);
}

static int configure_tlb(int fd, struct node *n, void *arg)
{
    uint32_t id = (uint32_t)get(arg, 0, 4);
    if (id >= 256)
        return -EINVAL;
    if (id >= WIN_COUNT || n->window_owner[id] != fd)
        return -EPERM;
    uint64_t addr = get(arg, 8, 8);
    if (addr % window_size(id))
        return -EINVAL;
    /* blackhole.c: every field cut to its width; only use_static_vc from static_vc. */
    bool big = id >= WIN2M_COUNT;
    unsigned a = big ? 32 : 43;
    uint32_t w[3] = {0, 0, 0};
    set_bits(w, 0, a, addr >> (big ? 32 : 21));
    set_bits(w, a, 6, get(arg, 16, 2));        /* x_end */
    set_bits(w, a + 6, 6, get(arg, 18, 2));    /* y_end */
    set_bits(w, a + 12, 6, get(arg, 20, 2));   /* x_start */
    set_bits(w, a + 18, 6, get(arg, 22, 2));   /* y_start */
    set_bits(w, a + 24, 2, get(arg, 24, 1));   /* noc */
    set_bits(w, a + 26, 1, get(arg, 25, 1));   /* mcast */
    set_bits(w, a + 27, 2, get(arg, 26, 1));   /* ordering */
    set_bits(w, a + 29, 1, get(arg, 27, 1));   /* linked */
    set_bits(w, a + 30, 1, get(arg, 28, 1));   /* use_static_vc */
    for (unsigned i = 0; i < 3; i++)
        if (bhemu_bar_write(n->emu, 0, TLB_REGS + 12ull * id + 4 * i, &w[i], 4))
            return -EIO;
    uint32_t zero = 0;
    if (id < 32 && bhemu_bar_write(n->emu, 0, TLB_STRIDED + 4ull * id, &zero, 4))
        return -EIO;
    return 0;
}

/* ---- the other requests (chardev.c) ---- */

static int device_info(unsigned node, void *arg)
{
    uint8_t out[20] = {0};
    put(out, 0, 4, sizeof out);
    put(out, 4, 2, 0x1E52);                    /* vendor */
    put(out, 6, 2, 0xB140);                    /* Blackhole */
    put(out, 8, 2, 0x1E52);
    put(out, 10, 2, node ? 0x0041 : 0x0043);   /* subsystem: not the board type */
    put(out, 12, 2, (node + 1) << 8);          /* bus node + 1, device 0, function 0 */
    put(out, 14, 2, 28);
    out_bytes(arg, 4, (uint32_t)get(arg, 0, 4), out, sizeof out);
    return 0;
}

static int driver_info(void *arg)
{
    uint8_t out[12] = {0};
    put(out, 0, 4, sizeof out);
    put(out, 4, 4, 2);                         /* API version since 2.0.0 */
    memcpy(out + 8, version_bytes[F.cfg.version], 3);
    out_bytes(arg, 4, (uint32_t)get(arg, 0, 4), out, sizeof out);
    return 0;
}

static int query_mappings(void *arg)
{
    static const uint64_t sizes[3] = {BAR0_SIZE, BAR2_SIZE, BAR4_SIZE};
    uint32_t count = (uint32_t)get(arg, 0, 4);
    for (uint32_t i = 0; i < count; i++) {
        uint8_t *e = (uint8_t *)arg + 8 + 24 * i;
        memset(e, 0, 24);
        if (i < 6) {
            put(e, 0, 4, i + 1);               /* RESOURCE0_UC .. RESOURCE2_WC */
            put(e, 8, 8, (uint64_t)i << MMAP_SHIFT);
            put(e, 16, 8, sizes[i / 2]);
        }
    }
    return 0;
}

static int lock_ctl(int fd, struct node *n, void *arg)
{
    uint32_t claimed = (uint32_t)get(arg, 0, 4), flags = (uint32_t)get(arg, 4, 4);
    uint32_t index = (uint32_t)get(arg, 8, 1);
    uint8_t value = 0;
    memset((uint8_t *)arg + 12, 0, claimed);
    if (index >= LOCKS || flags > 3 || (flags == 3 && !at_least(2, 7)))
        return -EINVAL;
    int *owner = &n->lock_owner[index];
    switch (flags) {
    case 0:
    case 3: /* blocking: nothing else runs here to let it go */
        if (*owner == NOBODY)
            *owner = fd;
        value = *owner == fd;
        if (flags == 3 && !value)
            return -EDEADLK;
        break;
    case 1:
        value = *owner == fd;
        if (value)
            *owner = NOBODY;
        break;
    default:
        value = (uint8_t)((*owner == fd) | (*owner != NOBODY) << 1);
    }
    memcpy((uint8_t *)arg + 12, &value, claimed < 1 ? claimed : 1);
    return 0;
}

static int power_state(int fd, struct node *n, void *arg)
{
    if (get(arg, 0, 4) != 40 || get(arg, 4, 4) || get(arg, 8, 1))
        return -EINVAL;
    /* The driver passes the request to the ARC, which takes messages once BOOT_STATUS bit
     * 0 is set; after 500 ms without it the request fails (blackhole.c send_arc_message). */
    uint32_t boot = 0;
    (void)bhemu_tile_read(n->emu, BH_ARC_X, BH_ARC_Y, BH_ARC_BOOT_STATUS, &boot, 4);
    if (!(boot & 1))
        return -EINVAL;
    uint8_t validity = (uint8_t)get(arg, 9, 1);
    if (validity >> 4 > 14)
        return -EINVAL;
    uint16_t flags = (uint16_t)get(arg, 10, 2);
    /* Flags past the number given default on (chardev.c). */
    handle(fd)->power_flags = (uint16_t)(flags | (0xFFFFu << (validity & 0xF)));
    return 0;
}

static void unmap_dead(unsigned node);

/* A destructive reset: every handle of the card fails from now on (from 2.6: its reset
 * generation), its windows and NoC mappings are taken back, and its BAR mappings are torn
 * down (from 2.7: tenstorrent_vma_zap) (chardev.c:200-350). Older drivers leave the
 * handles and mappings working against the reset card. */
static void reset_node(unsigned node)
{
    struct node *n = &F.nodes[node];
    n->generation++;
    n->needs_hw_init = true;
    for (unsigned i = 0; i < WIN_COUNT; i++)
        if (n->window_owner[i] >= 0)
            n->window_owner[i] = NOBODY;
    for (unsigned i = 0; i < IATU_REGIONS; i++)
        if (n->pins[i].used)
            unpin(n, &n->pins[i]);
    if (at_least(2, 7))
        unmap_dead(node);
}

/* The card comes back. Resource locks survive a reset: only a handle's close lets its
 * locks go (chardev.c). */
static int post_reset(unsigned node)
{
    struct node *n = &F.nodes[node];
    unsigned fds = n->fds;
    uint32_t generation = n->generation;
    int locks[LOCKS];
    memcpy(locks, n->lock_owner, sizeof locks);
    node_shutdown(n);
    int rc = node_boot(n, node);
    n->fds = fds;
    n->generation = generation;
    memcpy(n->lock_owner, locks, sizeof locks);
    return rc;
}

static int reset_device(int fd, unsigned node, void *arg)
{
    uint32_t claimed = (uint32_t)get(arg, 0, 4), flags = (uint32_t)get(arg, 4, 4);
    if (flags > 6 || (flags >= 3 && !at_least(2, 4)))
        return -EINVAL;
    uint8_t out[8] = {0};
    put(out, 0, 4, sizeof out);
    if (flags >= 2 && flags <= 5) {
        reset_node(node);
    } else if (flags == 6) {
        int rc = post_reset(node);
        if (rc)
            return rc;
        F.nodes[node].needs_hw_init = false;
        handle(fd)->generation = F.nodes[node].generation;
    }
    out_bytes(arg, 8, claimed, out, sizeof out);
    return 0;
}

static int fake_ioctl(void *ctx, int fd, unsigned long request, void *arg)
{
    (void)ctx;
    pthread_mutex_lock(&F.lock);
    F.st.ioctls++;
    struct handle *h = handle(fd);
    unsigned nr = (unsigned)(request & 0xFF);
    int rc;
    unsigned last = at_least(2, 10) ? EXPORT_TLB_DMABUF : at_least(2, 6) ? SET_POWER_STATE
                                                                       : UNPIN_PAGES + 3;
    if (!h) {
        rc = -EBADF;
    } else if ((request & ~0xFFul) != 0xFA00 || nr > last) {
        rc = -EINVAL;
    } else if (F.fail_count[nr]) {
        F.fail_count[nr]--;
        rc = F.fail_err[nr];
    } else if (at_least(2, 6) &&
               (h->generation != F.nodes[h->node].generation ||
                (F.nodes[h->node].needs_hw_init && nr != GET_DEVICE_INFO &&
                 nr != GET_DRIVER_INFO && nr != RESET_DEVICE))) {
        rc = -ENODEV;
    } else {
        struct node *n = &F.nodes[h->node];
        switch (nr) {
        case GET_DEVICE_INFO: rc = device_info(h->node, arg); break;
        case QUERY_MAPPINGS: rc = query_mappings(arg); break;
        case GET_DRIVER_INFO: rc = driver_info(arg); break;
        case RESET_DEVICE: rc = reset_device(fd, h->node, arg); break;
        case PIN_PAGES: rc = pin_pages(fd, n, arg); break;
        case LOCK_CTL: rc = lock_ctl(fd, n, arg); break;
        case UNPIN_PAGES: rc = unpin_pages(fd, n, arg); break;
        case ALLOCATE_TLB: rc = allocate_tlb(fd, n, arg); break;
        case FREE_TLB: rc = free_tlb(fd, h->node, n, arg); break;
        case CONFIGURE_TLB: rc = configure_tlb(fd, n, arg); break;
        case SET_POWER_STATE: rc = power_state(fd, n, arg); break;
        /* GET_HARVESTING and FREE_DMA_BUF are refused by the driver itself; DMA
         * buffers, peer BARs, NoC cleanup and dma-buf export are not modelled. */
        default: rc = -EINVAL;
        }
    }
    pthread_mutex_unlock(&F.lock);
    return rc;
}

/* ---- open, close ---- */

static int fake_open(void *ctx, const char *path, int flags)
{
    (void)ctx, (void)flags;
    unsigned node;
    char tail;
    if (sscanf(path, "/dev/tenstorrent/%u%c", &node, &tail) != 1 || node >= NODES)
        return -ENOENT;
    pthread_mutex_lock(&F.lock);
    int rc = -EMFILE;
    for (unsigned i = 0; i < FDS; i++) {
        if (F.fds[i].used)
            continue;
        struct node *n = &F.nodes[node];
        if (!n->emu && (rc = node_boot(n, node)))
            break;
        n->fds++;
        F.fds[i] = (struct handle){true, node, n->generation, 0};
        /* A client that is not power-aware asks for everything but the top clock. */
        F.fds[i].power_flags = 0xFFFE;
        rc = FD_BASE + (int)i;
        break;
    }
    pthread_mutex_unlock(&F.lock);
    return rc;
}

static void drop_pending(unsigned node);

/* The release of a handle (chardev.c tt_cdev_release): pins, windows, locks and the
 * power request go with it. */
static int fake_close(void *ctx, int fd)
{
    (void)ctx;
    pthread_mutex_lock(&F.lock);
    struct handle *h = handle(fd);
    int rc = -EBADF;
    if (h) {
        struct node *n = &F.nodes[h->node];
        for (unsigned i = 0; i < IATU_REGIONS; i++)
            if (n->pins[i].used && n->pins[i].fd == fd)
                unpin(n, &n->pins[i]);
        for (unsigned i = 0; i < WIN_COUNT; i++)
            if (n->window_owner[i] == fd)
                n->window_owner[i] = NOBODY;
        for (unsigned i = 0; i < LOCKS; i++)
            if (n->lock_owner[i] == fd)
                n->lock_owner[i] = NOBODY;
        for (unsigned i = 0; i < MAPS; i++)
            if (F.maps[i].used && F.maps[i].fd == fd)
                F.maps[i].dead = true;
        h->used = false;
        if (!--n->fds) {
            drop_pending(h->node);
            node_shutdown(n);
        }
        rc = 0;
    }
    pthread_mutex_unlock(&F.lock);
    return rc;
}

/* ---- mappings (memory.c tt_cdev_mmap) ---- */

static struct mapping *new_mapping(void)
{
    for (unsigned i = 0; i < MAPS; i++)
        if (!F.maps[i].used)
            return &F.maps[i];
    return NULL;
}

/* Which resource an mmap offset names: a BAR range wholly inside one BAR, or exactly a
 * window's base. */
static int device_target(const struct handle *h, int fd, uint64_t off, size_t len,
                         struct mapping *m)
{
    static const uint64_t sizes[3] = {BAR0_SIZE, BAR2_SIZE, BAR4_SIZE};
    unsigned res = (unsigned)(off >> MMAP_SHIFT);
    uint64_t in = off & ((1ull << MMAP_SHIFT) - 1);
    m->wc = res & 1;
    if (res < 6) {
        if (in > sizes[res / 2] || len > sizes[res / 2] - in)
            return -EINVAL;
        m->kind = MAP_BAR;
        m->bar = res / 2 * 2;
        m->bar_off = in;
        return 0;
    }
    if (res > 7)
        return -EINVAL;
    for (unsigned id = 0; id < WIN_COUNT; id++) {
        if (window_bar_offset(id) != in)
            continue;
        if (len > window_size(id))
            return -EINVAL;
        if (F.nodes[h->node].window_owner[id] != fd)
            return -EPERM;
        m->kind = MAP_TLB;
        m->window = (int)id;
        m->bar_off = window_bar_offset(id);
        return 0;
    }
    return -EINVAL;
}

static int fake_mmap(void *ctx, size_t len, int prot, int flags, int fd, uint64_t offset,
                     void **addr)
{
    (void)ctx;
    pthread_mutex_lock(&F.lock);
    struct mapping *m = new_mapping();
    int rc = m ? 0 : -ENOMEM;
    if (!rc && fd < 0) {
        /* Host memory: real pages. A huge mapping stands for physically contiguous
         * memory, unless the machine has no huge page reserved. */
        bool huge = flags & MAP_HUGETLB;
        void *p = huge && F.cfg.no_hugepages
                      ? MAP_FAILED
                      : mmap(NULL, len, prot, flags & ~(MAP_HUGETLB | (int)(0x3Fu << 26)), -1, 0);
        if (p == MAP_FAILED)
            rc = -ENOMEM;
        else
            *m = (struct mapping){.used = true, .kind = MAP_HOST, .va = p, .len = len,
                                  .fd = -1, .huge = huge};
    } else if (!rc) {
        struct handle *h = handle(fd);
        struct mapping t = {0};
        if (!h)
            rc = -EBADF;
        else if (at_least(2, 6) && (h->generation != F.nodes[h->node].generation ||
                                    F.nodes[h->node].needs_hw_init))
            rc = -ENODEV;
        else if (!len || len % PAGE || offset % PAGE)
            rc = -EINVAL;
        else
            rc = device_target(h, fd, offset, len, &t);
        /* A reservation nothing can touch: only the MMIO calls reach the chip. */
        void *p = rc ? MAP_FAILED
                     : mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                            -1, 0);
        if (!rc && p == MAP_FAILED)
            rc = -ENOMEM;
        if (!rc) {
            t.used = true;
            t.va = p;
            t.len = len;
            t.fd = fd;
            t.node = h->node;
            *m = t;
        }
    }
    if (!rc)
        *addr = m->va;
    pthread_mutex_unlock(&F.lock);
    return rc;
}

static int fake_munmap(void *ctx, void *addr, size_t len)
{
    (void)ctx;
    pthread_mutex_lock(&F.lock);
    int rc = -EINVAL;
    for (unsigned i = 0; i < MAPS; i++) {
        struct mapping *m = &F.maps[i];
        if (!m->used || m->va != addr)
            continue;
        /* A TLB window's mapping cannot be split (memory.c). */
        if (m->kind == MAP_TLB && len != m->len)
            break;
        munmap(m->va, m->len);
        m->used = false;
        rc = 0;
        break;
    }
    pthread_mutex_unlock(&F.lock);
    return rc;
}

static void unmap_dead(unsigned node)
{
    for (unsigned i = 0; i < MAPS; i++)
        if (F.maps[i].used && F.maps[i].kind != MAP_HOST && F.maps[i].node == node)
            F.maps[i].dead = true;
    drop_pending(node);
}

static int fake_read_file(void *ctx, const char *path, char *buf, size_t len)
{
    (void)ctx;
    unsigned node;
    int n = -ENOENT;
    buf[0] = 0;
    if (sscanf(path, "/proc/driver/tenstorrent/%u/pids", &node) == 1 && node < NODES)
        n = snprintf(buf, len, "%d\n", (int)getpid());
    else if (strstr(path, "/iommu_group/type") && !F.cfg.no_iommu)
        n = snprintf(buf, len, "DMA-FQ\n");
    return n < 0 ? n : n >= (int)len ? (int)len - 1 : n;
}

/* ---- MMIO ---- */

static struct mapping *device_mapping(const volatile void *addr, size_t len)
{
    static unsigned last;
    const uint8_t *a = (const uint8_t *)addr;
    for (unsigned k = 0; k < MAPS; k++) {
        unsigned i = (last + k) % MAPS;
        struct mapping *m = &F.maps[i];
        if (m->used && m->kind != MAP_HOST && a >= m->va && a + len <= m->va + m->len) {
            last = i;
            return m;
        }
    }
    return NULL;
}

/* An access through a mapping: its BAR and offset, or an errno. A torn-down mapping is
 * where a card raises SIGBUS, which the real table turns into -ENODEV. */
static int translate(const volatile void *addr, size_t len, struct mapping **out,
                     uint64_t *bar_off)
{
    struct mapping *m = device_mapping(addr, len);
    if (!m)
        return -EFAULT;
    if (m->dead)
        return -ENODEV;
    if ((uintptr_t)addr % 4 || len % 4) {
        F.st.violations++;
        if (F.cfg.strict)
            return -EINVAL;
    }
    *out = m;
    *bar_off = m->bar_off + (uint64_t)((const uint8_t *)addr - m->va);
    return 0;
}

/* The BAR an access goes to, and its offset there: a 4 GiB window's offset is kept past
 * BAR0 (window_bar_offset). */
static unsigned bar_of(const struct mapping *m, uint64_t *off)
{
    if (m->kind == MAP_TLB && m->window >= WIN2M_COUNT) {
        *off -= BAR0_SIZE;
        return 4;
    }
    return m->kind == MAP_TLB ? 0 : m->bar;
}

static int fake_mmio_read(void *ctx, const volatile void *addr, void *dst, size_t len)
{
    (void)ctx;
    pthread_mutex_lock(&F.lock);
    struct mapping *m;
    uint64_t off;
    int rc = translate(addr, len, &m, &off);
    if (!rc) {
        unsigned bar = bar_of(m, &off);
        rc = bhemu_bar_read(F.nodes[m->node].emu, bar, off, dst, len);
        /* A read of nothing returns all-ones, as on a card, not an error. */
        rc = rc == -EFAULT ? 0 : rc;
    }
    F.last_read = len == 4 ? addr : NULL;
    pthread_mutex_unlock(&F.lock);
    return rc;
}

static void drop_pending(unsigned node)
{
    size_t k = 0;
    for (size_t i = 0; i < F.n_pending; i++)
        if (F.pending[i].node != node)
            F.pending[k++] = F.pending[i];
    F.n_pending = k;
    F.st.wc_pending = (uint32_t)k;
}

static int hold(const struct mapping *m, unsigned bar, uint64_t off, const void *src, size_t len)
{
    size_t words = len / 4;
    if (F.n_pending + words > F.cap_pending) {
        size_t cap = (F.n_pending + words) * 2;
        struct pending *p = realloc(F.pending, cap * sizeof *p);
        if (!p)
            return -ENOMEM;
        F.pending = p;
        F.cap_pending = cap;
    }
    for (size_t i = 0; i < words; i++) {
        struct pending *p = &F.pending[F.n_pending++];
        p->node = m->node;
        p->bar = bar;
        p->bar_off = off + 4 * i;
        memcpy(&p->word, (const uint8_t *)src + 4 * i, 4);
    }
    F.st.wc_pending = (uint32_t)F.n_pending;
    return 0;
}

static int fake_mmio_write(void *ctx, volatile void *addr, const void *src, size_t len)
{
    (void)ctx;
    pthread_mutex_lock(&F.lock);
    struct mapping *m;
    uint64_t off;
    int rc = translate(addr, len, &m, &off);
    unsigned bar = rc ? 0 : bar_of(m, &off);
    F.st.merged_writes += len == 4 && addr == F.last_read;
    F.last_read = NULL;
    if (!rc && m->wc && F.cfg.strict) {
        rc = hold(m, bar, off, src, len);
    } else if (!rc) {
        rc = bhemu_bar_write(F.nodes[m->node].emu, bar, off, src, len);
        rc = rc == -EFAULT ? 0 : rc;  /* posted: a write to nothing is lost silently */
    }
    pthread_mutex_unlock(&F.lock);
    return rc;
}

/* The barrier drains the held stores, in the order they were made. */
static void fake_wmb(void *ctx)
{
    (void)ctx;
    pthread_mutex_lock(&F.lock);
    for (size_t i = 0; i < F.n_pending; i++) {
        const struct pending *p = &F.pending[i];
        (void)bhemu_bar_write(F.nodes[p->node].emu, p->bar, p->bar_off, &p->word, 4);
    }
    F.n_pending = 0;
    F.st.wc_pending = 0;
    pthread_mutex_unlock(&F.lock);
}

/* Time passes on every card at once, as it would. */
static void fake_pause(void *ctx, uint64_t cycles)
{
    (void)ctx;
    pthread_mutex_lock(&F.lock);
    for (unsigned i = 0; i < NODES; i++)
        if (F.nodes[i].emu) {
            (void)bhemu_clock(F.nodes[i].emu, cycles);
            bring_up_step(&F.nodes[i]);
        }
    pthread_mutex_unlock(&F.lock);
}

static const struct kmd_io fake_io = {
    .open = fake_open,
    .close = fake_close,
    .ioctl = fake_ioctl,
    .mmap = fake_mmap,
    .munmap = fake_munmap,
    .read_file = fake_read_file,
    .mmio_read = fake_mmio_read,
    .mmio_write = fake_mmio_write,
    .wmb = fake_wmb,
    .pause = fake_pause,
};

/* ---- control ---- */

int fake_kmd_install(const struct fake_kmd_config *cfg)
{
    if (cfg->version > FAKE_KMD_2_10 || cfg->foreign_windows > WIN2M_KERNEL - 1)
        return -EINVAL;
    pthread_mutex_lock(&F.lock);
    for (unsigned i = 0; i < NODES; i++)
        node_shutdown(&F.nodes[i]);
    memset(F.fds, 0, sizeof F.fds);
    for (unsigned i = 0; i < MAPS; i++)
        if (F.maps[i].used)
            munmap(F.maps[i].va, F.maps[i].len);
    memset(F.maps, 0, sizeof F.maps);
    F.n_pending = 0;
    memset(F.fail_count, 0, sizeof F.fail_count);
    memset(&F.st, 0, sizeof F.st);
    F.last_read = NULL;
    F.cfg = *cfg;
    pthread_mutex_unlock(&F.lock);
    pcie_kmd_set_io(&fake_io);
    return 0;
}

void fake_kmd_uninstall(void)
{
    pcie_kmd_set_io(NULL);
}

bool fake_kmd_from_env(void)
{
    const char *e = getenv("TTM_TEST_KMD");
    if (!e || !*e)
        return false;
    struct fake_kmd_config cfg = {.version = FAKE_KMD_2_10, .strict = true,
                                  .foreign_windows = 40};
    return fake_kmd_install(&cfg) == 0;
}

void fake_kmd_fail(unsigned nr, int err, unsigned count)
{
    pthread_mutex_lock(&F.lock);
    if (nr < REQUESTS) {
        F.fail_err[nr] = err;
        F.fail_count[nr] = count;
    }
    pthread_mutex_unlock(&F.lock);
}

int fake_kmd_reset(unsigned node, bool finish)
{
    if (node >= NODES)
        return -EINVAL;
    pthread_mutex_lock(&F.lock);
    int rc = 0;
    if (F.nodes[node].emu) {
        reset_node(node);
        if (finish)
            rc = post_reset(node);
        F.nodes[node].needs_hw_init = !finish;
    }
    pthread_mutex_unlock(&F.lock);
    return rc;
}

void fake_kmd_foreign_lock(unsigned node, unsigned index, bool held)
{
    pthread_mutex_lock(&F.lock);
    if (node < NODES && index < LOCKS)
        F.nodes[node].lock_owner[index] = held ? FOREIGN : NOBODY;
    pthread_mutex_unlock(&F.lock);
}

void fake_kmd_stats(struct fake_kmd_stats *st)
{
    pthread_mutex_lock(&F.lock);
    F.st.open_fds = F.st.windows_held = F.st.pins = F.st.maps = 0;
    F.st.power_flags = 0;
    for (unsigned i = 0; i < FDS; i++) {
        F.st.open_fds += F.fds[i].used;
        if (F.fds[i].used && F.fds[i].node == 0)
            F.st.power_flags |= F.fds[i].power_flags;
    }
    for (unsigned n = 0; n < NODES; n++) {
        for (unsigned i = 0; i < WIN_COUNT; i++)
            F.st.windows_held += F.nodes[n].window_owner[i] >= FD_BASE;
        for (unsigned i = 0; i < IATU_REGIONS; i++)
            F.st.pins += F.nodes[n].pins[i].used;
    }
    for (unsigned i = 0; i < MAPS; i++)
        F.st.maps += F.maps[i].used;
    *st = F.st;
    pthread_mutex_unlock(&F.lock);
}
