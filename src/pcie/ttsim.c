/* The ttsim backend: Tenstorrent's full-chip Blackhole simulator, libttsim.so, loaded with
 * dlopen from the path in TTSIM_LIB and driven through its PCIe-port C API
 * (docs/libttsim_api.md in tenstorrent/ttsim): config-space reads, BAR reads and writes at
 * the physical addresses its config space advertises, a clock, and two callbacks through
 * which the simulated chip reads and writes host memory.
 *
 * Three properties of the library shape this file:
 *
 * - It is a process-wide singleton and libttsim_init may be called once per process. The
 *   first open loads and initialises it; closing a device leaves it running, and the next
 *   open (with the same TTSIM_LIB) reuses it: chip_boot puts every worker in reset and
 *   loads everything again, so nothing from the previous device leaks into results that
 *   matter. Only one device may hold it at a time (-EBUSY otherwise).
 * - Any access it does not model terminates the whole process with _Exit. Every access
 *   whose shape we can check here (BAR ranges, access sizes, config offsets, the TLB
 *   registers being write-only) is refused with an error instead of being passed on; what
 *   a TLB window then reaches is the chip layer's business. Tests run ttsim work in a
 *   forked child (tests/ttsim/differential.c).
 * - Its DMA callbacks carry no context pointer, so the host regions the device may reach
 *   live in the singleton's model_port (model.h: at most MODEL_HOST_REGIONS at a time).
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ttm/blackhole.h"
#include "../util/err.h"
#include "model.h"
#include "ttm.h"

/* ---- The library's C API (libttsim_api.md, "API reference") ---- */
struct ttsim_api {
    void (*init)(void);
    void (*exit)(void);
    void (*set_dma_callbacks)(void (*rd)(uint64_t paddr, void *dst, uint32_t size),
                              void (*wr)(uint64_t paddr, const void *src, uint32_t size));
    uint32_t (*config_rd32)(uint32_t bus_device_function, uint32_t offset);
    void (*mem_rd)(uint64_t paddr, void *dst, uint32_t size);
    void (*mem_wr)(uint64_t paddr, const void *src, uint32_t size);
    void (*clock)(uint32_t n_clocks);
};

static const struct {
    const char *name;
    size_t off;
} api_syms[] = {
    {"libttsim_init", offsetof(struct ttsim_api, init)},
    {"libttsim_exit", offsetof(struct ttsim_api, exit)},
    {"libttsim_set_pci_dma_mem_callbacks", offsetof(struct ttsim_api, set_dma_callbacks)},
    {"libttsim_pci_config_rd32", offsetof(struct ttsim_api, config_rd32)},
    {"libttsim_pci_mem_rd_bytes", offsetof(struct ttsim_api, mem_rd)},
    {"libttsim_pci_mem_wr_bytes", offsetof(struct ttsim_api, mem_wr)},
    {"libttsim_clock", offsetof(struct ttsim_api, clock)},
};

/* ---- What ttsim's Blackhole PCIe port accepts (ttsim src/libttsim.cpp) ---- */
#define CFG_HEADER_END 0x40u            /* config reads past the type-0 header are fatal */
#define CFG_BAR0 0x10u
#define CFG_BAR4 0x20u
#define TLB_WINDOWS_END (BH_TLB_2M_COUNT * BH_TLB_2M_SIZE)
/* TLB config registers: 32-bit writes only, 12 bytes per window, 2 MiB and 4 GiB ids. */
#define TLB_CFG_END (BH_TLB_CFG_BASE + (BH_TLB_2M_COUNT + BH_TLB_4G_COUNT) * BH_TLB_CFG_ENTRY)
/* The PCIe tile's NIU registers it answers (reads only): NOC_NODE_ID and NIU_CFG_0. */
#define PCIE_NIU_SPAN 0x2000u
/* One simulator call moves at most this much (its size argument is 32-bit). */
#define MAX_CALL (1u << 30)
/* ttsim's clock argument is 32-bit too. */
#define MAX_CLOCK 0x40000000u

/* Host memory (model.h): a NoC address with bit 60 set reaches the PCIe tile, whose
 * outbound path hands the DMA callbacks the offset below bit 58 when its outbound iATU is
 * not programmed (ttsim tile.cpp translate_pci_dma_addr: windows 4-7 go through the iATU,
 * identity for an unconfigured one). */

/* Device accesses to host memory that no region covered, kept for take_faults. */
#define DMA_FAULTS 8

/* The singleton. Static because the simulator is one per process and its DMA callbacks
 * have no context pointer. */
static struct {
    struct model_port model;   /* first: the shared model ops find it at priv */
    void *lib;
    char path[1024];
    struct ttsim_api api;
    bool running;          /* libttsim_init has been called */
    bool open;             /* a device holds it */
    char broken[1400];     /* set when the loaded library turned out unusable */
    uint64_t bar0, bar4;   /* physical bases from config space */
    unsigned n_dma_faults;             /* kept, up to DMA_FAULTS */
    struct pcie_fault dma_faults[DMA_FAULTS];
} sim;

/* ---- DMA: the simulated chip reading and writing host memory ---- */

static void dma_fault(const char *what, uint64_t paddr, uint32_t size)
{
    if (sim.n_dma_faults == DMA_FAULTS)
        return; /* the first ones tell the story */
    struct pcie_fault *f = &sim.dma_faults[sim.n_dma_faults++];
    *f = (struct pcie_fault){.kind = PCIE_FAULT_DMA, .core = -1, .x = BH_XLAT_PCIE_X,
                             .y = BH_XLAT_PCIE_Y, .addr = paddr};
    snprintf(f->what, sizeof f->what,
             "device %s of %u bytes at host offset 0x%llx reached no host memory", what, size,
             (unsigned long long)paddr);
}

/* A read nothing answers returns all-ones, as a PCIe completion with an error would. */
static void dma_read(uint64_t paddr, void *dst, uint32_t size)
{
    const struct model_host_region *r = model_host_find(&sim.model, paddr, size);
    if (r) {
        memcpy(dst, (uint8_t *)r->host + (paddr - r->offset), size);
        return;
    }
    memset(dst, 0xFF, size);
    dma_fault("read", paddr, size);
}

static void dma_write(uint64_t paddr, const void *src, uint32_t size)
{
    const struct model_host_region *r = model_host_find(&sim.model, paddr, size);
    if (r)
        memcpy((uint8_t *)r->host + (paddr - r->offset), src, size);
    else
        dma_fault("write", paddr, size);
}

/* ---- Loading ---- */

static int load_library(const char *path)
{
    dlerror();
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char *why = dlerror();
        return err_set(-ENOENT, "backend ttsim: cannot load TTSIM_LIB=%s: %s", path,
                       why ? why : "unknown error");
    }
    struct ttsim_api api;
    for (size_t i = 0; i < sizeof api_syms / sizeof api_syms[0]; i++) {
        void *sym = dlsym(lib, api_syms[i].name);
        if (!sym) {
            dlclose(lib);
            return err_set(-ENOEXEC, "backend ttsim: %s is not a libttsim: missing %s", path,
                           api_syms[i].name);
        }
        /* POSIX guarantees a function pointer survives the round trip through void *. */
        memcpy((char *)&api + api_syms[i].off, &sym, sizeof sym);
    }
    sim.lib = lib;
    sim.api = api;
    snprintf(sim.path, sizeof sim.path, "%s", path);
    return 0;
}

/* First open in this process: check the chip it simulates and where its BARs are. A
 * library that fails here stays loaded (it cannot be initialised twice) and every later
 * open gets the same error. */
static int start_simulator(void)
{
    sim.api.set_dma_callbacks(dma_read, dma_write);
    sim.api.init();
    sim.running = true;
    model_init(&sim.model);
    uint32_t id = sim.api.config_rd32(0, 0);
    if ((id & 0xFFFF) != BH_PCI_VENDOR || id >> 16 != BH_PCI_DEVICE) {
        snprintf(sim.broken, sizeof sim.broken,
                 "%s simulates PCI device %04x:%04x, not a Blackhole (%04x:%04x); build "
                 "ttsim for Blackhole (release_bh)", sim.path, id & 0xFFFF, id >> 16,
                 BH_PCI_VENDOR, BH_PCI_DEVICE);
        return -ENODEV;
    }
    uint32_t b0lo = sim.api.config_rd32(0, CFG_BAR0), b0hi = sim.api.config_rd32(0, CFG_BAR0 + 4);
    uint32_t b4lo = sim.api.config_rd32(0, CFG_BAR4), b4hi = sim.api.config_rd32(0, CFG_BAR4 + 4);
    /* Memory BARs: bits 3:0 are flags; type 10b (bits 2:1) is a 64-bit BAR. */
    if ((b0lo & 7) != 4 || (b4lo & 7) != 4) {
        snprintf(sim.broken, sizeof sim.broken,
                 "%s advertises BAR0 0x%08x and BAR4 0x%08x, not 64-bit memory BARs", sim.path,
                 b0lo, b4lo);
        return -ENODEV;
    }
    sim.bar0 = (uint64_t)b0hi << 32 | (b0lo & ~0xFu);
    sim.bar4 = (uint64_t)b4hi << 32 | (b4lo & ~0xFu);
    return 0;
}

static int ttsim_open(struct ttm_pcie *p, const struct ttm_device_opts *opts)
{
    (void)opts;
    const char *path = getenv("TTSIM_LIB");
    if (!path || !*path)
        return err_set(-ENOENT, "backend ttsim: TTSIM_LIB is not set (it names a Blackhole "
                                "libttsim.so)");
    if (sim.lib && strcmp(path, sim.path))
        return err_set(-EBUSY, "backend ttsim: this process already loaded %s; ttsim is one "
                               "simulator per process and cannot switch to %s", sim.path, path);
    if (sim.open)
        return err_set(-EBUSY, "backend ttsim: the simulator is already open in this process "
                               "(libttsim is a process-wide singleton: close the other "
                               "ttsim device first)");
    int rc;
    if (!sim.lib && (rc = load_library(path)))
        return rc;
    if (!sim.running && (rc = start_simulator()))
        return err_set(rc, "backend ttsim: %s", sim.broken);
    if (sim.broken[0])
        return err_set(-ENODEV, "backend ttsim: %s", sim.broken);
    sim.open = true;
    sim.n_dma_faults = 0;
    p->priv = &sim;
    return 0;
}

/* The simulator stays up for the next open; only the device's hold on it ends. Host
 * regions still registered are dropped from the registry (their memory is the owner's). */
static void ttsim_close(struct ttm_pcie *p)
{
    model_forget(&sim.model);
    sim.open = false;
    p->priv = NULL;
}

static int ttsim_config_read32(struct ttm_pcie *p, uint32_t offset, uint32_t *val)
{
    (void)p;
    if (offset >= CFG_HEADER_END || offset % 4)
        return err_set(-EINVAL, "backend ttsim: config-space offset 0x%x is not modelled", offset);
    *val = sim.api.config_rd32(0, offset);
    return 0;
}

/* ---- BARs ---- */

/* [off, off + len) inside [base, end). */
static bool within(uint64_t off, size_t len, uint64_t base, uint64_t end)
{
    return off >= base && off < end && len <= end - off;
}

/* Whether ttsim accepts this access; the error says why not. Window accesses must stay in
 * one window (ttsim checks "TLB region overrun"). */
static int check_bar(unsigned bar, uint64_t off, size_t len, bool write, uint64_t *paddr)
{
    if (!len)
        return err_set(-EINVAL, "backend ttsim: empty BAR%u access", bar);
    if (bar == 4) {
        if (!within(off, len, 0, BH_BAR4_SIZE) ||
            off / BH_TLB_4G_SIZE != (off + len - 1) / BH_TLB_4G_SIZE)
            return err_set(-EINVAL, "backend ttsim: BAR4 access of %zu bytes at 0x%llx leaves "
                                    "its 4 GiB window", len, (unsigned long long)off);
        *paddr = sim.bar4 + off;
        return 0;
    }
    if (bar != 0)
        return err_set(-EINVAL, "backend ttsim: BAR%u is not modelled", bar);
    *paddr = sim.bar0 + off;
    if (off < TLB_WINDOWS_END) {
        if (!within(off, len, 0, TLB_WINDOWS_END) ||
            off / BH_TLB_2M_SIZE != (off + len - 1) / BH_TLB_2M_SIZE)
            return err_set(-EINVAL, "backend ttsim: BAR0 access of %zu bytes at 0x%llx leaves "
                                    "its 2 MiB window", len, (unsigned long long)off);
        return 0;
    }
    if (within(off, len, BH_TLB_CFG_BASE, TLB_CFG_END)) {
        if (!write)
            return err_set(-ENOTSUP, "backend ttsim: the TLB config registers are write-only "
                                     "on ttsim (read at BAR0 0x%llx)", (unsigned long long)off);
        if (len != 4 || off % 4)
            return err_set(-EINVAL, "backend ttsim: TLB config registers take 32-bit writes "
                                    "only (%zu bytes at BAR0 0x%llx)", len,
                           (unsigned long long)off);
        return 0;
    }
    for (unsigned noc = 0; noc < 2; noc++) {
        uint64_t base = BH_PCIE_NIU_BAR0 + (noc ? BH_PCIE_NIU1_OFF : BH_PCIE_NIU0_OFF);
        if (!write && len == 4 && within(off, len, base, base + PCIE_NIU_SPAN) &&
            (off - base == BH_NOC_NODE_ID || off - base == BH_NIU_CFG_0))
            return 0;
    }
    return err_set(-ENOTSUP, "backend ttsim: BAR0 %s of %zu bytes at 0x%llx is not modelled "
                             "by ttsim", write ? "write" : "read", len, (unsigned long long)off);
}

static int ttsim_bar_read(struct ttm_pcie *p, unsigned bar, uint64_t offset, void *dst, size_t len)
{
    (void)p;
    uint64_t paddr;
    int rc = check_bar(bar, offset, len, false, &paddr);
    if (rc)
        return rc;
    for (size_t done = 0; done < len;) {
        uint32_t n = len - done < MAX_CALL ? (uint32_t)(len - done) : MAX_CALL;
        sim.api.mem_rd(paddr + done, (uint8_t *)dst + done, n);
        done += n;
    }
    return 0;
}

static int ttsim_bar_write(struct ttm_pcie *p, unsigned bar, uint64_t offset, const void *src,
                           size_t len)
{
    (void)p;
    uint64_t paddr;
    int rc = check_bar(bar, offset, len, true, &paddr);
    if (rc)
        return rc;
    for (size_t done = 0; done < len;) {
        uint32_t n = len - done < MAX_CALL ? (uint32_t)(len - done) : MAX_CALL;
        sim.api.mem_wr(paddr + done, (const uint8_t *)src + done, n);
        done += n;
    }
    return 0;
}

/* ---- Host memory ---- */

static int ttsim_host_mem_alloc(struct ttm_pcie *p, size_t len, void **host, uint64_t *noc_addr)
{
    (void)p;
    uint64_t offset;
    return model_host_alloc(&sim.model, "ttsim", len, host, &offset, noc_addr);
}

static void ttsim_host_mem_free(struct ttm_pcie *p, void *host, size_t len)
{
    (void)p;
    model_host_free(&sim.model, host, len);
}

static int ttsim_advance(struct ttm_pcie *p, uint64_t cycles)
{
    (void)p;
    while (cycles) {
        uint32_t n = cycles < MAX_CLOCK ? (uint32_t)cycles : MAX_CLOCK;
        sim.api.clock(n);
        cycles -= n;
    }
    return 0;
}

/* ttsim stops the process on a device fault, so the only faults left to report are host
 * memory accesses that reached nothing. */
static unsigned ttsim_take_faults(struct ttm_pcie *p, struct pcie_fault *out, unsigned max)
{
    (void)p;
    unsigned n = sim.n_dma_faults < max ? sim.n_dma_faults : max;
    memcpy(out, sim.dma_faults, n * sizeof *out);
    memmove(sim.dma_faults, sim.dma_faults + n, (sim.n_dma_faults - n) * sizeof *out);
    sim.n_dma_faults -= n;
    return n;
}

static void ttsim_describe(struct ttm_pcie *p, char *buf, size_t len)
{
    (void)p;
    snprintf(buf, len, "Tenstorrent's simulator, %s", getenv("TTSIM_LIB"));
}

const struct ttm_pcie_ops pcie_ttsim_ops = {
    .name = "ttsim",
    .caps = 0, /* ttsim has no PC snapshot registers (0xFFB13138..) */
    .open = ttsim_open,
    .close = ttsim_close,
    .config_read32 = ttsim_config_read32,
    .bar_read = ttsim_bar_read,
    .bar_write = ttsim_bar_write,
    .tlb_alloc = model_tlb_alloc,
    .tlb_free = model_tlb_free,
    .tlb_configure = model_tlb_configure,
    .tlb_read = model_tlb_read,
    .tlb_write = model_tlb_write,
    .host_mem_alloc = ttsim_host_mem_alloc,
    .host_mem_free = ttsim_host_mem_free,
    .advance = ttsim_advance,
    .take_faults = ttsim_take_faults,
    .describe = ttsim_describe,
};
