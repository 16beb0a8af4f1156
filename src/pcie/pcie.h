/* The seam between the runtime and a device: one PCIe port. Everything above it (which
 * tile a TLB window points at, NoC access, firmware boot, loading, dispatch) is the same
 * code for a card, for Tenstorrent's simulator and for our emulator; only how a BAR
 * access reaches the device, who owns the TLB window ids (on a card, tt-kmd), how host
 * memory is made visible to it and how a waiting host lets time pass differ. */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct ttm_device_opts;
struct ttm_pcie;

/* Where a TLB window points (the fields of tt-kmd's CONFIGURE_TLB, host-facts 1.3-1.4,
 * 2.3): a unicast window reaches tile (x_end, y_end); a multicast one the rectangle from
 * (x_start, y_start). */
struct pcie_tlb_cfg {
    uint64_t addr;             /* tile-local address of the window's first byte, aligned
                                * to the window size */
    uint8_t x_end, y_end, x_start, y_start;
    uint8_t noc;               /* 0 or 1 */
    uint8_t mcast;
    uint8_t ordering;          /* BH_TLB_ORDERING_* */
    uint8_t memory;            /* the window reaches L1 or DRAM, not registers: a card
                                * may combine its writes (kmd-facts R1) */
};

/* Something device code did that the device refused (a model knows at once; ttsim stops
 * the process on most, leaving only its host-memory accesses to report). */
enum pcie_fault_kind {
    PCIE_FAULT_CORE = 1,       /* a core faulted (illegal instruction, bad access, NoC) */
    PCIE_FAULT_DMA,            /* the device reached for host memory that is not there */
    PCIE_FAULT_HOST,           /* a host access reached nothing (its call already failed) */
};
struct pcie_fault {
    uint32_t kind;             /* enum pcie_fault_kind */
    int32_t core;              /* enum bh_core of the core, -1 when not a core */
    uint32_t x, y;             /* translated NoC coordinates of the tile */
    uint32_t pc;
    uint64_t addr;             /* faulting address */
    char what[96];
};

/* Optional abilities of a backend (struct ttm_pcie_ops caps). */
#define TTM_PCIE_CAP_PC_SNAPSHOT 0x1u  /* the Tensix PC snapshot registers (BH_PC_SNAPSHOT)
                                        * can be read: a hang report shows each core's PC */

struct ttm_pcie_ops {
    const char *name;
    uint32_t caps;         /* TTM_PCIE_CAP_* */
    /* Open the device; on failure set the error text (err_set) and return -errno. */
    int (*open)(struct ttm_pcie *p, const struct ttm_device_opts *opts);
    void (*close)(struct ttm_pcie *p);
    int (*config_read32)(struct ttm_pcie *p, uint32_t offset, uint32_t *val);
    /* BAR accesses (registers); offsets are within the BAR. Reads of nothing fill
     * all-ones. */
    int (*bar_read)(struct ttm_pcie *p, unsigned bar, uint64_t offset, void *dst, size_t len);
    int (*bar_write)(struct ttm_pcie *p, unsigned bar, uint64_t offset, const void *src,
                     size_t len);
    /* TLB windows: a window of `size` bytes whose id the backend chooses (on a card the
     * driver hands them out, and other processes may hold some: -ENOSPC when none is
     * left), pointed at a target, and accessed at offsets within it. */
    int (*tlb_alloc)(struct ttm_pcie *p, uint64_t size, uint32_t *id);
    void (*tlb_free)(struct ttm_pcie *p, uint32_t id);
    int (*tlb_configure)(struct ttm_pcie *p, uint32_t id, const struct pcie_tlb_cfg *cfg);
    int (*tlb_read)(struct ttm_pcie *p, uint32_t id, uint64_t off, void *dst, size_t len);
    int (*tlb_write)(struct ttm_pcie *p, uint32_t id, uint64_t off, const void *src,
                     size_t len);
    /* Host memory the device can reach: *host is the CPU view, *noc_addr the address a
     * NoC request to the PCIe tile uses (bit 60 set). Page-aligned, zeroed. */
    int (*host_mem_alloc)(struct ttm_pcie *p, size_t len, void **host, uint64_t *noc_addr);
    void (*host_mem_free)(struct ttm_pcie *p, void *host, size_t len);
    /* Let device time pass while the host waits: `cycles` of device clock on a model,
     * a short pause on a card. */
    int (*advance)(struct ttm_pcie *p, uint64_t cycles);
    /* Optional: a line on what the port is (driver and its version, PCI address, ...). */
    void (*describe)(struct ttm_pcie *p, char *buf, size_t len);
    /* Optional (models only): move up to max of the faults recorded so far into out,
     * oldest first; returns how many. */
    unsigned (*take_faults)(struct ttm_pcie *p, struct pcie_fault *out, unsigned max);
};

struct ttm_pcie {
    const struct ttm_pcie_ops *ops;
    void *priv;            /* backend state */
};

/* Backends by name ("emu", "ttsim", "kmd"); NULL when the name is unknown. */
const struct ttm_pcie_ops *pcie_backend(const char *name);
/* The name a device opens with when none is given: TTM_BACKEND, else kmd when
 * /dev/tenstorrent/0 exists, else emu. */
const char *pcie_default_backend(void);
