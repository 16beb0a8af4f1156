/* A fake tt-kmd behind the kmd backend's system-call table (src/pcie/kmd_io.h), backed
 * by the emulator: /dev/tenstorrent/0 is a P100A, /dev/tenstorrent/1 a P150A. It answers
 * each request as the driver does (kmd-facts 2.2-2.10, tt-kmd chardev.c, memory.c, tlb.c,
 * blackhole.c): the bytes it reads and writes, its zeroing of output, its error codes,
 * window ownership, pinning and its NoC addresses, the mmap rules, resets.
 *
 * It reads and writes each request's argument at raw byte offsets and never includes the
 * backend's header, so a slip in either layout shows up as a failing test. Device mappings
 * are inaccessible reservations: only the table's MMIO calls reach the emulator, so code
 * that touched a mapping directly would crash in the tests. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The drivers users run (kmd-facts 2.11). */
enum fake_kmd_version { FAKE_KMD_2_0, FAKE_KMD_2_6, FAKE_KMD_2_10 };

struct fake_kmd_config {
    uint32_t version;          /* enum fake_kmd_version */
    bool no_iommu;             /* host memory must be one huge page to be pinned */
    bool no_hugepages;         /* and none is reserved: a huge mapping fails */
    /* Hold write-combined stores until a barrier, so a missing one loses or delays
     * them, and record any access that is not whole aligned 32-bit words. */
    bool strict;
    uint32_t foreign_windows;  /* 2 MiB windows another process holds, spread over the
                                * ids, so that no id can be assumed free */
    /* After power-on or a reset, the ARC firmware boots over the first half of this many
     * host pauses and the DRAM trains over the second (0: ready at once). */
    uint32_t bring_up_pauses;
    uint32_t failing_channel;  /* 1 + the DRAM channel whose training fails (0: none) */
    uint64_t foreign_pinned;   /* bytes of the card's NoC window to host memory that other
                                * processes hold pinned, from its bottom */
};

/* Install the fake (replacing one installed before: devices open on it must be closed).
 * Returns 0 or -errno. */
int fake_kmd_install(const struct fake_kmd_config *cfg);
void fake_kmd_uninstall(void);
/* Install with the defaults (2.10, IOMMU, strict, 40 foreign windows) when the environment
 * variable TTM_TEST_KMD is set, for running end-to-end tests through the backend; returns
 * whether it did. */
bool fake_kmd_from_env(void);

/* The next `count` requests number `nr` (0..16) fail with `err` (a negative errno). */
void fake_kmd_fail(unsigned nr, int err, unsigned count);
/* Another process resets card `node` (RESET_DEVICE ASIC_RESET, then POST_RESET when
 * `finish`): every handle opened before fails from then on (from driver 2.6), and until the
 * POST_RESET every new one too. */
int fake_kmd_reset(unsigned node, bool finish);
/* Another process takes lock `index` of card `node`, or lets it go. */
void fake_kmd_foreign_lock(unsigned node, unsigned index, bool held);

struct fake_kmd_stats {
    uint32_t open_fds;         /* handles not closed */
    uint32_t windows_held;     /* windows owned by those handles */
    uint32_t pins;             /* pinned host ranges */
    uint32_t maps;             /* device and host mappings not unmapped */
    uint32_t violations;       /* MMIO accesses that are not whole aligned words */
    /* Single-word writes to the word the host read just before: read-modify-writes, which
     * lose what the device stored in that word between the two. */
    uint32_t merged_writes;
    uint32_t wc_pending;       /* write-combined stores not yet drained */
    uint32_t power_flags;      /* the power request of card 0's handles, OR-ed */
    uint64_t ioctls;
};
void fake_kmd_stats(struct fake_kmd_stats *st);
