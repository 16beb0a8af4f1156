/* tt-kmd's user ABI, as far as the kmd backend uses it (host-facts 1.2-1.5, kmd-facts 2.2-2.3).
 *
 * Every request is _IO(0xFA, nr): no size or direction bits, so the kernel cannot notice a
 * struct of the wrong size. The caller's output_size_bytes decides how many bytes the
 * driver zeroes and writes after the input part: a size larger than the struct makes it
 * write past it. The asserts below hold each layout to the sizes measured from the
 * driver's own header; the test fake encodes the same ABI independently, by byte offsets.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define KMD_IOCTL(nr) (0xFA00u | (nr))
#define KMD_GET_DEVICE_INFO KMD_IOCTL(0)
#define KMD_QUERY_MAPPINGS KMD_IOCTL(2)
#define KMD_GET_DRIVER_INFO KMD_IOCTL(5)
#define KMD_RESET_DEVICE KMD_IOCTL(6)
#define KMD_PIN_PAGES KMD_IOCTL(7)
#define KMD_LOCK_CTL KMD_IOCTL(8)
#define KMD_UNPIN_PAGES KMD_IOCTL(10)
#define KMD_ALLOCATE_TLB KMD_IOCTL(11)
#define KMD_FREE_TLB KMD_IOCTL(12)
#define KMD_CONFIGURE_TLB KMD_IOCTL(13)
#define KMD_SET_POWER_STATE KMD_IOCTL(15)   /* driver 2.6.0 and later */

/* GET_DRIVER_INFO's API version since 2.0.0 (1.34 changed the TLB ABI under version 1). */
#define KMD_API_VERSION 2u

struct kmd_device_info {
    struct {
        uint32_t output_size_bytes;
    } in;
    struct {
        uint32_t output_size_bytes;
        uint16_t vendor_id, device_id;
        uint16_t subsystem_vendor_id, subsystem_id;
        uint16_t bus_dev_fn;            /* bits 0-2 function, 3-7 device, 8-15 bus */
        uint16_t max_dma_buf_size_log2;
        uint16_t pci_domain;
        uint16_t reserved;
    } out;
};

struct kmd_driver_info {
    struct {
        uint32_t output_size_bytes;
    } in;
    struct {
        uint32_t output_size_bytes;
        uint32_t driver_version;        /* the API version */
        uint8_t major, minor, patch;    /* 2.0.0 and later; zero before */
        uint8_t reserved;
    } out;
};

/* QUERY_MAPPINGS: a header, then output_mapping_count entries written by the driver. */
#define KMD_MAPPING_BAR0_UC 1u
#define KMD_MAPPING_BAR0_WC 2u
struct kmd_mapping {
    uint32_t mapping_id;
    uint32_t reserved;
    uint64_t mapping_base;              /* the mmap offset */
    uint64_t mapping_size;
};
#define KMD_MAPPINGS_MAX 6
struct kmd_query_mappings {
    struct {
        uint32_t output_mapping_count;
        uint32_t reserved;
    } in;
    struct kmd_mapping out[KMD_MAPPINGS_MAX];
};

struct kmd_reset_device {
    struct {
        uint32_t output_size_bytes;
        uint32_t flags;
    } in;
    struct {
        uint32_t output_size_bytes;
        uint32_t result;
    } out;
};

#define KMD_PIN_CONTIGUOUS 1u
#define KMD_PIN_NOC_DMA 2u
/* The "extended" output with noc_address: the driver's header declares only the first
 * 8 bytes, so the caller defines the 16-byte form, as tt-umd does. */
struct kmd_pin_pages {
    struct {
        uint32_t output_size_bytes;
        uint32_t flags;
        uint64_t virtual_address;
        uint64_t size;
    } in;
    struct {
        uint64_t physical_address;
        uint64_t noc_address;
    } out;
};

struct kmd_unpin_pages {
    uint64_t virtual_address;           /* as pinned */
    uint64_t size;                      /* the whole pinning */
    uint64_t reserved;
};

#define KMD_LOCK_ACQUIRE 0u
#define KMD_LOCK_RELEASE 1u
struct kmd_lock_ctl {
    struct {
        uint32_t output_size_bytes;
        uint32_t flags;
        uint8_t index;                  /* 0..63 */
        uint8_t reserved[3];
    } in;
    struct {
        uint8_t value;                  /* ACQUIRE: 1 got it, 0 another holds it */
        uint8_t reserved[3];
    } out;
};

struct kmd_allocate_tlb {
    struct {
        uint64_t size;                  /* 2 MiB or 4 GiB */
        uint64_t reserved;
    } in;
    struct {
        uint32_t id;
        uint32_t reserved0;
        uint64_t mmap_offset_uc;
        uint64_t mmap_offset_wc;
        uint64_t reserved1;
    } out;
};

struct kmd_free_tlb {
    uint32_t id;
};

/* The driver truncates each field to the register's width (x/y 6 bits, noc and ordering
 * 2, mcast 1): out-of-range values are the caller's to refuse. */
struct kmd_noc_tlb_config {
    uint64_t addr;                      /* aligned to the window size */
    uint16_t x_end, y_end, x_start, y_start;
    uint8_t noc, mcast, ordering, linked, static_vc;
    uint8_t reserved0[3];
    uint32_t reserved1[2];
};
struct kmd_configure_tlb {
    struct {
        uint32_t id;
        uint32_t reserved;
        struct kmd_noc_tlb_config config;
    } in;
    struct {
        uint64_t reserved;
    } out;
};

/* SET_POWER_STATE: argsz must be exactly the size. flags: MAX_AI_CLK, MRISC_PHY_WAKEUP,
 * TENSIX_ENABLE, L2CPU_ENABLE; validity's low nibble counts the flags given. */
#define KMD_POWER_BUSY 0xFu
#define KMD_POWER_VALIDITY(flags, settings) ((uint8_t)((flags) | (settings) << 4))
struct kmd_power_state {
    uint32_t argsz;
    uint32_t flags;
    uint8_t reserved0;
    uint8_t validity;
    uint16_t power_flags;
    uint16_t power_settings[14];
};

/* mmap offsets (host-facts 1.5): BAR0 uncached at 0. */
#define KMD_MMAP_BAR0_UC 0ull

/* Sizes and offsets from compiling the driver's ioctl.h (kmd-facts 2.3). */
_Static_assert(sizeof(struct kmd_device_info) == 24, "GET_DEVICE_INFO");
_Static_assert(offsetof(struct kmd_device_info, out.pci_domain) == 20, "GET_DEVICE_INFO");
_Static_assert(sizeof(struct kmd_driver_info) == 16, "GET_DRIVER_INFO");
_Static_assert(sizeof(struct kmd_mapping) == 24, "tenstorrent_mapping");
_Static_assert(offsetof(struct kmd_query_mappings, out) == 8, "QUERY_MAPPINGS");
_Static_assert(sizeof(struct kmd_reset_device) == 16, "RESET_DEVICE");
_Static_assert(sizeof(struct kmd_pin_pages) == 40, "PIN_PAGES with the extended out");
_Static_assert(offsetof(struct kmd_pin_pages, out.noc_address) == 32, "PIN_PAGES");
_Static_assert(sizeof(struct kmd_unpin_pages) == 24, "UNPIN_PAGES");
_Static_assert(sizeof(struct kmd_lock_ctl) == 16, "LOCK_CTL");
_Static_assert(offsetof(struct kmd_lock_ctl, out) == 12, "LOCK_CTL");
_Static_assert(sizeof(struct kmd_allocate_tlb) == 48, "ALLOCATE_TLB");
_Static_assert(sizeof(struct kmd_noc_tlb_config) == 32, "noc_tlb_config");
_Static_assert(offsetof(struct kmd_noc_tlb_config, static_vc) == 20, "noc_tlb_config");
_Static_assert(sizeof(struct kmd_configure_tlb) == 48, "CONFIGURE_TLB");
_Static_assert(sizeof(struct kmd_power_state) == 40, "SET_POWER_STATE");
