/* tt-kmd's own user-visible checks (its test/ folder, and tt-umd's TLB and sysmem tests),
 * made through the kmd_io table with the backend's ABI header (src/pcie/kmd_abi.h).
 *
 * They run against the fake driver, whose raw byte offsets are a second encoding of the
 * ABI: a slip in either shows here. With TTM_TEST_CARD=N they run against
 * /dev/tenstorrent/N through the real table instead; the checks that need the fake's
 * control (a reset, a whole idle card, write-combining held back) then skip. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "fake_kmd.h"
#include "pcie/kmd_abi.h"
#include "pcie/kmd_io.h"
#include "test.h"
#include "ttm/blackhole.h"

#define MIB (1ull << 20)
#define GIB (1ull << 30)

struct drv {
    const struct kmd_io *io;
    int fd;
    unsigned node;
    bool card;                 /* a real card through the real table */
};

/* Opens node 1 (the fake's P150A) or the card TTM_TEST_CARD names. */
static int drv_open(struct drv *d)
{
    const char *card = getenv("TTM_TEST_CARD");
    d->card = card && *card;
    d->node = d->card ? (unsigned)atoi(card) : 1;
    if (d->card) {
        d->io = &kmd_io_system;
    } else {
        struct fake_kmd_config c = {.version = FAKE_KMD_2_10, .strict = true};
        if (fake_kmd_install(&c))
            return -1;
        d->io = pcie_kmd_io();
    }
    char path[48];
    snprintf(path, sizeof path, "/dev/tenstorrent/%u", d->node);
    d->fd = d->io->open(d->io->ctx, path, O_RDWR | O_CLOEXEC);
    return d->fd < 0 ? d->fd : 0;
}

static void drv_close(struct drv *d)
{
    d->io->close(d->io->ctx, d->fd);
    if (!d->card)
        fake_kmd_uninstall();
}

static int req(struct drv *d, unsigned long nr, void *arg)
{
    return d->io->ioctl(d->io->ctx, d->fd, nr, arg);
}

TEST(driver_and_device_info)
{
    struct drv d;
    CHECK_EQ(drv_open(&d), 0);
    struct kmd_driver_info di = {.in.output_size_bytes = sizeof di.out};
    CHECK_EQ(req(&d, KMD_GET_DRIVER_INFO, &di), 0);
    CHECK_EQ(di.out.output_size_bytes, 12);
    CHECK_EQ(di.out.driver_version, KMD_API_VERSION);
    CHECK(di.out.major >= 2);
    struct kmd_device_info i = {.in.output_size_bytes = sizeof i.out};
    CHECK_EQ(req(&d, KMD_GET_DEVICE_INFO, &i), 0);
    CHECK_EQ(i.out.output_size_bytes, 20);
    CHECK_EQ(i.out.vendor_id, BH_PCI_VENDOR);
    CHECK_EQ(i.out.device_id, BH_PCI_DEVICE);
    CHECK_EQ(i.out.max_dma_buf_size_log2, 28);
    /* Requests it does not have, or refuses always (chardev.c). */
    CHECK_EQ(req(&d, KMD_IOCTL(1), &i), -EINVAL);
    CHECK_EQ(req(&d, KMD_IOCTL(4), &i), -EINVAL);
    CHECK_EQ(req(&d, KMD_IOCTL(0x7F), &i), -EINVAL);
    CHECK_EQ(req(&d, 0xFB00, &i), -EINVAL);
    drv_close(&d);
}

/* test/ioctl_zeroing.cpp: the driver clears as many output bytes as the caller claims,
 * even past its own struct, and copies only what it has. */
TEST(output_is_cleared_as_far_as_the_caller_claims)
{
    struct drv d;
    CHECK_EQ(drv_open(&d), 0);
    uint8_t buf[4 + 256];
    memset(buf, 0xAA, sizeof buf);
    uint32_t claim = 256;
    memcpy(buf, &claim, 4);
    CHECK_EQ(req(&d, KMD_GET_DRIVER_INFO, buf), 0);
    uint32_t size, api;
    memcpy(&size, buf + 4, 4);
    memcpy(&api, buf + 8, 4);
    CHECK_EQ(size, 12);
    CHECK_EQ(api, KMD_API_VERSION);
    for (unsigned i = 4 + 12; i < sizeof buf; i++)
        CHECK_EQ(buf[i], 0);
    /* Claiming less gets less: the rest is untouched. */
    memset(buf, 0xAA, sizeof buf);
    claim = 4;
    memcpy(buf, &claim, 4);
    CHECK_EQ(req(&d, KMD_GET_DEVICE_INFO, buf), 0);
    memcpy(&size, buf + 4, 4);
    CHECK_EQ(size, 20);
    CHECK_EQ(buf[8], 0xAA);
    drv_close(&d);
}

/* test/query_mappings.cpp. */
TEST(mappings_are_known_unique_aligned_and_prefix_consistent)
{
    struct drv d;
    CHECK_EQ(drv_open(&d), 0);
    struct kmd_query_mappings all = {.in.output_mapping_count = KMD_MAPPINGS_MAX};
    CHECK_EQ(req(&d, KMD_QUERY_MAPPINGS, &all), 0);
    bool seen_unused = false, bar0_uc = false;
    for (unsigned i = 0; i < KMD_MAPPINGS_MAX; i++) {
        const struct kmd_mapping *m = &all.out[i];
        if (!m->mapping_id) {
            seen_unused = true;
            continue;
        }
        CHECK(!seen_unused);
        CHECK(m->mapping_id <= 6);
        for (unsigned j = 0; j < i; j++)
            CHECK(all.out[j].mapping_id != m->mapping_id);
        CHECK_EQ(m->mapping_base % 4096, 0);
        CHECK(m->mapping_base + m->mapping_size < 1ull << 44);
        bar0_uc |= m->mapping_id == KMD_MAPPING_BAR0_UC && m->mapping_size == 512 * MIB;
    }
    CHECK(bar0_uc);
    for (uint32_t n = 1; n < KMD_MAPPINGS_MAX; n++) {
        struct kmd_query_mappings some;
        memset(&some, 0x55, sizeof some);
        some.in.output_mapping_count = n;
        some.in.reserved = 0;
        CHECK_EQ(req(&d, KMD_QUERY_MAPPINGS, &some), 0);
        CHECK(!memcmp(some.out, all.out, n * sizeof some.out[0]));
        CHECK_EQ(some.out[n].mapping_id, 0x55555555u); /* nothing written past the count */
    }
    drv_close(&d);
}

static int alloc_window(struct drv *d, uint64_t size, struct kmd_allocate_tlb *a)
{
    memset(a, 0, sizeof *a);
    a->in.size = size;
    return req(d, KMD_ALLOCATE_TLB, a);
}

static int point(struct drv *d, uint32_t id, uint64_t addr, uint16_t x, uint16_t y)
{
    struct kmd_configure_tlb c = {.in = {.id = id, .config = {.addr = addr, .x_end = x,
                                                              .y_end = y, .ordering = 1}}};
    return req(d, KMD_CONFIGURE_TLB, &c);
}

static int map(struct drv *d, uint64_t offset, size_t len, volatile uint8_t **out)
{
    void *p;
    int rc = d->io->mmap(d->io->ctx, len, PROT_READ | PROT_WRITE, MAP_SHARED, d->fd, offset, &p);
    if (!rc)
        *out = p;
    return rc;
}

/* test/tlbs.cpp: every window the driver has but its own, then none; the rules on
 * pointing, mapping and freeing them. */
TEST(tlb_windows_are_handed_out_until_none_is_left)
{
    struct drv d;
    CHECK_EQ(drv_open(&d), 0);
    if (d.card) {
        drv_close(&d);
        SKIP("counting every window needs a card no other process holds windows of");
    }
    static struct kmd_allocate_tlb a[BH_TLB_2M_COUNT];
    unsigned n = 0;
    while (n < BH_TLB_2M_COUNT && !alloc_window(&d, 2 * MIB, &a[n])) {
        CHECK(a[n].out.id != BH_TLB_2M_KMD_WINDOW);
        CHECK_EQ(a[n].out.id, n); /* lowest free first */
        n++;
    }
    CHECK_EQ(n, BH_TLB_2M_KMD_WINDOW);
    CHECK_EQ(alloc_window(&d, 2 * MIB, &a[n]), -ENOMEM);
    struct kmd_allocate_tlb big[9];
    unsigned m = 0;
    while (m < 9 && !alloc_window(&d, 4 * GIB, &big[m]))
        m++;
    CHECK_EQ(m, 8);
    CHECK_EQ(alloc_window(&d, MIB, &big[0]), -EINVAL);
    for (unsigned i = 0; i < n; i++) {
        struct kmd_free_tlb f = {a[i].out.id};
        CHECK_EQ(req(&d, KMD_FREE_TLB, &f), 0);
        CHECK_EQ(req(&d, KMD_FREE_TLB, &f), -EPERM);
    }
    drv_close(&d);
}

TEST(tlb_window_rules)
{
    struct drv d;
    CHECK_EQ(drv_open(&d), 0);
    struct kmd_allocate_tlb a;
    CHECK_EQ(alloc_window(&d, 2 * MIB, &a), 0);
    uint32_t id = a.out.id;
    CHECK_EQ(point(&d, id, 4096, 1, 2), -EINVAL);         /* not window-aligned */
    CHECK_EQ(point(&d, 300, 0, 1, 2), -EINVAL);
    uint32_t other = id == 0 ? 1 : 0;                     /* not ours */
    CHECK_EQ(point(&d, other, 0, 1, 2), -EPERM);
    CHECK_EQ(point(&d, id, 0, 1, 2), 0);
    volatile uint8_t *w;
    CHECK_EQ(map(&d, a.out.mmap_offset_uc + 4096, 4096, &w), -EINVAL); /* not its base */
    CHECK_EQ(map(&d, a.out.mmap_offset_uc, 4 * MIB, &w), -EINVAL);    /* longer */
    CHECK_EQ(map(&d, a.out.mmap_offset_uc, 2 * MIB, &w), 0);
    struct kmd_free_tlb f = {id};
    CHECK_EQ(req(&d, KMD_FREE_TLB, &f), -EBUSY);          /* still mapped */
    CHECK_EQ(d.io->munmap(d.io->ctx, (void *)w, MIB), -EINVAL); /* cannot be split */
    CHECK_EQ(d.io->munmap(d.io->ctx, (void *)w, 2 * MIB), 0);
    CHECK_EQ(req(&d, KMD_FREE_TLB, &f), 0);
    drv_close(&d);
}

/* test/tlbs.cpp: NODE_ID of Tensix tiles through a window, the translated x | y << 6. The
 * first 12 columns exist on every board. */
TEST(every_tensix_answers_with_its_node_id)
{
    struct drv d;
    CHECK_EQ(drv_open(&d), 0);
    struct kmd_allocate_tlb a;
    CHECK_EQ(alloc_window(&d, 2 * MIB, &a), 0);
    volatile uint8_t *w;
    CHECK_EQ(map(&d, a.out.mmap_offset_uc, 2 * MIB, &w), 0);
    uint64_t reg = BH_NIU_BASE(0) + BH_NOC_ID_LOGICAL;
    for (uint32_t k = 0; k < 12; k++) {
        for (uint32_t y = BH_TENSIX_Y0; y < BH_TENSIX_Y0 + BH_TENSIX_ROWS; y++) {
            uint32_t x = bh_tensix_x(k), id = 0;
            CHECK_EQ(point(&d, a.out.id, reg & ~(2 * MIB - 1), (uint16_t)x, (uint16_t)y), 0);
            CHECK_EQ(d.io->mmio_read(d.io->ctx, w + (reg & (2 * MIB - 1)), &id, 4), 0);
            CHECK_EQ(id & 0xFFF, x | y << 6);
        }
    }
    CHECK_EQ(d.io->munmap(d.io->ctx, (void *)w, 2 * MIB), 0);
    drv_close(&d);
}

/* test/pin_pages.cpp, and tt-umd's sysmem loopback: what the PCIe tile writes at the
 * pinned memory's NoC address lands in host memory. */
TEST(pinned_memory_rules_and_the_noc_loopback)
{
    struct drv d;
    CHECK_EQ(drv_open(&d), 0);
    void *mem;
    CHECK_EQ(d.io->mmap(d.io->ctx, 4 * 4096, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0, &mem), 0);
    struct kmd_pin_pages p = {.in = {.output_size_bytes = sizeof p.out,
                                     .flags = KMD_PIN_NOC_DMA,
                                     .virtual_address = (uintptr_t)mem, .size = 4096}};
    p.in.flags = 0x10;
    CHECK_EQ(req(&d, KMD_PIN_PAGES, &p), -EINVAL);
    p.in.flags = KMD_PIN_NOC_DMA;
    p.in.size = 0;
    CHECK_EQ(req(&d, KMD_PIN_PAGES, &p), -EINVAL);
    p.in.size = 2048;
    CHECK_EQ(req(&d, KMD_PIN_PAGES, &p), -EINVAL);
    p.in.size = 4096;
    p.in.virtual_address += 2048;
    CHECK_EQ(req(&d, KMD_PIN_PAGES, &p), -EINVAL);
    p.in.virtual_address -= 2048;
    p.out.noc_address = 1; /* cleared even before the checks */
    CHECK_EQ(req(&d, KMD_PIN_PAGES, &p), 0);
    uint64_t noc = p.out.noc_address;
    CHECK_EQ(noc & ~(BH_HOST_WINDOW_SIZE - 1), BH_NOC_PCIE_HOST_BIT);
    if (!d.card)
        CHECK_EQ(noc, BH_NOC_PCIE_HOST_BIT); /* the first bottom-up pin of an idle card */
    CHECK_EQ(req(&d, KMD_PIN_PAGES, &p), -EEXIST);
    struct kmd_pin_pages p2 = p;
    p2.in.virtual_address += 4096;
    CHECK_EQ(req(&d, KMD_PIN_PAGES, &p2), 0);
    CHECK(p2.out.noc_address > noc);

    /* Loopback: the PCIe tile, through a window, writes host memory. */
    struct kmd_allocate_tlb a;
    CHECK_EQ(alloc_window(&d, 2 * MIB, &a), 0);
    uint64_t base = noc & ~(2 * MIB - 1);
    CHECK_EQ(point(&d, a.out.id, base, BH_XLAT_PCIE_X, BH_XLAT_PCIE_Y), 0);
    volatile uint8_t *w;
    CHECK_EQ(map(&d, a.out.mmap_offset_uc, 2 * MIB, &w), 0);
    uint32_t pattern[64], back;
    for (unsigned i = 0; i < 64; i++)
        pattern[i] = 0xC0DE0000u + i;
    CHECK_EQ(d.io->mmio_write(d.io->ctx, w + (noc - base), pattern, sizeof pattern), 0);
    /* A read behind the writes: they have landed when it returns (tt-umd). */
    CHECK_EQ(d.io->mmio_read(d.io->ctx, w + (noc - base), &back, 4), 0);
    CHECK(!memcmp(mem, pattern, sizeof pattern));
    CHECK_EQ(d.io->munmap(d.io->ctx, (void *)w, 2 * MIB), 0);

    struct kmd_unpin_pages u = {.virtual_address = (uintptr_t)mem, .size = 8192};
    CHECK_EQ(req(&d, KMD_UNPIN_PAGES, &u), -EINVAL);      /* not the pinned size */
    u.size = 4096;
    u.reserved = 1;
    CHECK_EQ(req(&d, KMD_UNPIN_PAGES, &u), -EINVAL);
    u.reserved = 0;
    CHECK_EQ(req(&d, KMD_UNPIN_PAGES, &u), 0);
    CHECK_EQ(req(&d, KMD_UNPIN_PAGES, &u), -EINVAL);      /* no longer pinned */
    d.io->munmap(d.io->ctx, mem, 4 * 4096);
    drv_close(&d);
}

/* test/lock.cpp. */
TEST(resource_locks)
{
    struct drv d;
    CHECK_EQ(drv_open(&d), 0);
    struct kmd_lock_ctl l = {.in = {.output_size_bytes = sizeof l.out, .index = 64}};
    CHECK_EQ(req(&d, KMD_LOCK_CTL, &l), -EINVAL);
    l.in.index = 40;
    CHECK_EQ(req(&d, KMD_LOCK_CTL, &l), 0);
    CHECK_EQ(l.out.value, 1);
    l.in.flags = 2; /* TEST: held by this handle, held by anyone */
    CHECK_EQ(req(&d, KMD_LOCK_CTL, &l), 0);
    CHECK_EQ(l.out.value, 3);
    l.in.flags = KMD_LOCK_RELEASE;
    CHECK_EQ(req(&d, KMD_LOCK_CTL, &l), 0);
    CHECK_EQ(l.out.value, 1);
    CHECK_EQ(req(&d, KMD_LOCK_CTL, &l), 0);
    CHECK_EQ(l.out.value, 0); /* not ours any more */
    drv_close(&d);
}

/* A missing barrier after write-combined stores is caught: the fake holds them until
 * the barrier, as a CPU may. */
TEST(write_combined_stores_wait_for_the_barrier)
{
    struct drv d;
    CHECK_EQ(drv_open(&d), 0);
    if (d.card) {
        drv_close(&d);
        SKIP("a card's write-combining cannot be held back on demand");
    }
    struct kmd_allocate_tlb a;
    CHECK_EQ(alloc_window(&d, 2 * MIB, &a), 0);
    CHECK_EQ(point(&d, a.out.id, 0, 1, 2), 0);
    volatile uint8_t *wc, *uc;
    CHECK_EQ(map(&d, a.out.mmap_offset_wc, 2 * MIB, &wc), 0);
    CHECK_EQ(map(&d, a.out.mmap_offset_uc, 2 * MIB, &uc), 0);
    uint32_t v = 0x12345678, back = 0;
    CHECK_EQ(d.io->mmio_write(d.io->ctx, wc + 0x20000, &v, 4), 0);
    CHECK_EQ(d.io->mmio_read(d.io->ctx, uc + 0x20000, &back, 4), 0);
    CHECK_EQ(back, 0);
    d.io->wmb(d.io->ctx);
    CHECK_EQ(d.io->mmio_read(d.io->ctx, uc + 0x20000, &back, 4), 0);
    CHECK_EQ(back, v);
    /* Nothing narrower than a word reaches a register. */
    CHECK_EQ(d.io->mmio_read(d.io->ctx, uc + 0x20002, &back, 4), -EINVAL);
    struct fake_kmd_stats st;
    fake_kmd_stats(&st);
    CHECK_EQ(st.violations, 1);
    d.io->munmap(d.io->ctx, (void *)wc, 2 * MIB);
    d.io->munmap(d.io->ctx, (void *)uc, 2 * MIB);
    drv_close(&d);
}

/* test/reset, tools/reset.c: after a destructive reset every handle opened before it fails
 * with -ENODEV and its mappings with it; a new handle may only ask for the driver's and
 * the device's identity, or reset, until POST_RESET. */
TEST(a_reset_ends_every_handle_opened_before_it)
{
    struct drv d;
    CHECK_EQ(drv_open(&d), 0);
    if (d.card) {
        drv_close(&d);
        SKIP("resets are not made on a card by the tests");
    }
    struct kmd_allocate_tlb a;
    CHECK_EQ(alloc_window(&d, 2 * MIB, &a), 0);
    CHECK_EQ(point(&d, a.out.id, 0, 1, 2), 0);
    volatile uint8_t *w;
    CHECK_EQ(map(&d, a.out.mmap_offset_uc, 2 * MIB, &w), 0);
    struct kmd_reset_device r = {.in = {.output_size_bytes = sizeof r.out, .flags = 7}};
    CHECK_EQ(req(&d, KMD_RESET_DEVICE, &r), -EINVAL);
    r.in.flags = 4; /* ASIC_RESET */
    CHECK_EQ(req(&d, KMD_RESET_DEVICE, &r), 0);
    CHECK_EQ(r.out.result, 0);
    uint32_t v;
    CHECK_EQ(d.io->mmio_read(d.io->ctx, w, &v, 4), -ENODEV);
    CHECK_EQ(alloc_window(&d, 2 * MIB, &a), -ENODEV);
    struct kmd_driver_info di = {.in.output_size_bytes = sizeof di.out};
    CHECK_EQ(req(&d, KMD_GET_DRIVER_INFO, &di), -ENODEV);
    d.io->munmap(d.io->ctx, (void *)w, 2 * MIB);
    /* A new handle: identity and reset only, until POST_RESET. */
    struct drv e = d;
    e.fd = d.io->open(d.io->ctx, "/dev/tenstorrent/1", O_RDWR);
    CHECK(e.fd >= 0);
    CHECK_EQ(req(&e, KMD_GET_DRIVER_INFO, &di), 0);
    CHECK_EQ(alloc_window(&e, 2 * MIB, &a), -ENODEV);
    r.in.flags = 6; /* POST_RESET */
    CHECK_EQ(req(&e, KMD_RESET_DEVICE, &r), 0);
    CHECK_EQ(alloc_window(&e, 2 * MIB, &a), 0);
    d.io->close(d.io->ctx, e.fd);
    drv_close(&d);
}

/* Driver versions: what 2.0 lacks is refused, argsz is checked exactly. */
TEST(power_requests_need_driver_2_6_and_the_exact_size)
{
    for (uint32_t v = FAKE_KMD_2_0; v <= FAKE_KMD_2_10; v++) {
        struct fake_kmd_config c = {.version = v};
        CHECK_EQ(fake_kmd_install(&c), 0);
        const struct kmd_io *io = pcie_kmd_io();
        int fd = io->open(io->ctx, "/dev/tenstorrent/0", O_RDWR);
        CHECK(fd >= 0);
        struct kmd_power_state s = {.argsz = sizeof s, .validity = KMD_POWER_VALIDITY(4, 0),
                                    .power_flags = KMD_POWER_BUSY};
        CHECK_EQ(io->ioctl(io->ctx, fd, KMD_SET_POWER_STATE, &s), v == FAKE_KMD_2_0 ? -EINVAL : 0);
        s.argsz = 32;
        CHECK_EQ(io->ioctl(io->ctx, fd, KMD_SET_POWER_STATE, &s), -EINVAL);
        io->close(io->ctx, fd);
    }
    fake_kmd_uninstall();
}
