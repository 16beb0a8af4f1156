/* What the two model backends (emu, ttsim) share, as a card's driver would do it for
 * them: handing out TLB window ids and programming the windows' config registers through
 * BAR0, and placing host memory the device can reach in the PCIe tile's host window.
 *
 * A model backend's private state (struct ttm_pcie priv) begins with a struct model_port,
 * so the shared ops below find it there. */
#pragma once

#include "../util/err.h"

#include <stddef.h>
#include <stdint.h>

#include "pcie.h"
#include "ttm/blackhole.h"

#define MODEL_HOST_REGIONS 16

struct model_host_region {
    void *host;                 /* NULL: slot free */
    uint64_t offset;            /* in the device's host window */
    size_t len;
};

struct model_port {
    uint8_t tlb_used[BH_TLB_2M_COUNT];
    struct model_host_region regions[MODEL_HOST_REGIONS];
    uint64_t next_offset;       /* where the next region goes */
};

/* A port with no window or region. */
void model_init(struct model_port *m);
/* Forget every window and region (the region memory is the owner's); offsets keep moving
 * on, so nothing later reuses an offset a device once knew. */
void model_forget(struct model_port *m);

/* TLB window ops for struct ttm_pcie_ops. Ids are handed out lowest first, as tt-kmd
 * does, from the 2 MiB windows but the topmost, which the driver keeps for itself
 * (host-facts 1.4). */
MUST_CHECK int model_tlb_alloc(struct ttm_pcie *p, uint64_t size, uint32_t *id);
void model_tlb_free(struct ttm_pcie *p, uint32_t id);
MUST_CHECK int model_tlb_configure(struct ttm_pcie *p, uint32_t id,
                                   const struct pcie_tlb_cfg *cfg);
MUST_CHECK int model_tlb_read(struct ttm_pcie *p, uint32_t id, uint64_t off, void *dst,
                              size_t len);
MUST_CHECK int model_tlb_write(struct ttm_pcie *p, uint32_t id, uint64_t off, const void *src,
                               size_t len);

/* Host memory: len bytes, zeroed and page-aligned, at a new offset of the host window
 * (regions 1 MiB apart from 1 MiB up, never reused, so a late or stray device access
 * reaches nothing). The backend makes the offset reachable; *noc_addr is what a NoC
 * request to the PCIe tile uses (bit 60 set). */
MUST_CHECK int model_host_alloc(struct model_port *m, const char *backend, size_t len,
                                void **host, uint64_t *offset, uint64_t *noc_addr);
/* Release a region; returns its offset, or UINT64_MAX when `host` is not one. */
uint64_t model_host_free(struct model_port *m, void *host, size_t len);
/* The region holding [offset, offset + size), or NULL. */
const struct model_host_region *model_host_find(const struct model_port *m, uint64_t offset,
                                                uint64_t size);
