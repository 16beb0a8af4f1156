/* The kmd backend over the fake tt-kmd: opening, the driver's resources given back, windows
 * other processes hold, driver versions, the card lock, resets under an open device,
 * machines without an IOMMU, and the driver failing requests. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "e2e/queue_sequence.h"
#include "fake_kmd.h"
#include "test.h"
#include "ttm.h"
#include "ttm/kernel/abi.h"

static const struct fake_kmd_config strict = {.version = FAKE_KMD_2_10, .strict = true,
                                              .foreign_windows = 40};

static int open_card(uint32_t node, uint32_t mode, ttm_device **dev)
{
    struct ttm_device_opts o = {.argsz = sizeof o, .backend = "kmd", .device_id = node,
                                .dispatch = mode};
    return ttm_device_create_opts(&o, dev);
}

/* Writes a pattern over a buffer, reads it back, and checks it. */
static int round_trip(ttm_device *dev, uint32_t type, uint32_t size, uint32_t seed)
{
    static uint32_t in[1 << 16], out[1 << 16];
    ttm_buffer *b;
    int rc = ttm_buffer_create_interleaved(dev, size, 1024, type, &b);
    if (rc)
        return rc;
    for (uint32_t i = 0; i < size / 4; i++)
        in[i] = i * 2654435761u + seed;
    rc = ttm_buffer_write(b, 0, in, size);
    if (!rc)
        rc = ttm_buffer_read(b, 0, out, size);
    if (!rc && memcmp(in, out, size))
        rc = -EIO;
    ttm_buffer_destroy(b);
    return rc;
}

/* Nothing of the driver's is left held. */
static int all_given_back(void)
{
    struct fake_kmd_stats st;
    fake_kmd_stats(&st);
    if (st.open_fds || st.windows_held || st.pins || st.maps || st.wc_pending) {
        printf("  held: %u handles, %u windows, %u pins, %u mappings, %u stores\n",
               st.open_fds, st.windows_held, st.pins, st.maps, st.wc_pending);
        return 0;
    }
    return 1;
}

TEST(a_card_opens_runs_and_gives_everything_back)
{
    CHECK_EQ(fake_kmd_install(&strict), 0);
    for (uint32_t mode = TTM_DISPATCH_SLOW; mode <= TTM_DISPATCH_FAST; mode++) {
        for (uint32_t node = 0; node < 2; node++) {
            ttm_device *dev;
            CHECK_EQ(open_card(node, mode, &dev), 0);
            struct ttm_device_info info = {.argsz = sizeof info};
            CHECK_EQ(ttm_device_info(dev, &info), 0);
            CHECK(!strcmp(info.backend, "kmd"));
            CHECK_EQ(info.board, node ? TTM_BOARD_P150A : TTM_BOARD_P100A);
            CHECK_EQ(info.num_workers, node ? 140 : 120);
            struct fake_kmd_stats st;
            fake_kmd_stats(&st);
            CHECK_EQ(st.open_fds, 1);
            CHECK(st.windows_held > 0);
            CHECK_EQ(st.pins, mode == TTM_DISPATCH_FAST); /* the command queue's memory */
            CHECK_EQ(round_trip(dev, TTM_BUFFER_DRAM, 1 << 18, node), 0);
            CHECK_EQ(round_trip(dev, TTM_BUFFER_L1, 1 << 16, node + 7), 0);
            char why[256] = "";
            if (mode == TTM_DISPATCH_FAST && queue_sequence(dev, 3 + node, 8, 1u << 18, why,
                                                            sizeof why))
                printf("  %s\n", why);
            CHECK(!why[0]);
            fake_kmd_stats(&st);
            CHECK_EQ(st.violations, 0);
            CHECK_EQ(ttm_device_close(dev), 0);
            CHECK(all_given_back());
        }
    }
    fake_kmd_uninstall();
}

/* The prefetcher clears each queue entry it consumes while the host writes the next ones:
 * a host write that read the word first and wrote it back whole could restore a cleared
 * neighbour, and the prefetcher would fetch that record twice. */
TEST(fast_dispatch_writes_the_prefetch_queue_without_read_modify_write)
{
    CHECK_EQ(fake_kmd_install(&strict), 0);
    ttm_device *dev;
    CHECK_EQ(open_card(1, TTM_DISPATCH_FAST, &dev), 0);
    struct fake_kmd_stats before, after;
    fake_kmd_stats(&before);
    uint64_t ev;
    for (unsigned i = 0; i < 3 * TTM_PREFETCH_Q_ENTRIES; i++) /* every slot, three times */
        CHECK_EQ(ttm_enqueue_record_event(dev, &ev), 0);
    CHECK_EQ(ttm_finish(dev, 10000), 0);
    fake_kmd_stats(&after);
    CHECK_EQ(after.merged_writes - before.merged_writes, 0);
    CHECK_EQ(ttm_device_close(dev), 0);
    fake_kmd_uninstall();
}

TEST(windows_another_process_holds_are_never_assumed_free)
{
    /* 200 of the 201 windows a process can have are taken: one is left to reach every
     * tile through. */
    struct fake_kmd_config c = strict;
    c.foreign_windows = 200;
    CHECK_EQ(fake_kmd_install(&c), 0);
    ttm_device *dev;
    CHECK_EQ(open_card(1, TTM_DISPATCH_SLOW, &dev), 0);
    struct fake_kmd_stats st;
    fake_kmd_stats(&st);
    CHECK_EQ(st.windows_held, 1);
    CHECK_EQ(round_trip(dev, TTM_BUFFER_L1, 140 * 1024, 5), 0);  /* a page on every core */
    CHECK_EQ(round_trip(dev, TTM_BUFFER_DRAM, 1 << 16, 6), 0);
    CHECK_EQ(ttm_device_close(dev), 0);
    CHECK(all_given_back());
    /* None left at all. */
    c.foreign_windows = 201;
    CHECK_EQ(fake_kmd_install(&c), -EINVAL); /* the fake keeps the driver's own */
    fake_kmd_fail(11 /* ALLOCATE_TLB */, -ENOMEM, 1);
    CHECK_EQ(open_card(0, TTM_DISPATCH_SLOW, &dev), -ENOSPC);
    CHECK(strstr(ttm_last_error(), "no free TLB window"));
    CHECK(all_given_back());
    fake_kmd_uninstall();
}

TEST(the_clock_is_raised_while_open_from_driver_2_6)
{
    static const uint32_t versions[] = {FAKE_KMD_2_0, FAKE_KMD_2_6, FAKE_KMD_2_10};
    for (unsigned v = 0; v < 3; v++) {
        struct fake_kmd_config c = strict;
        c.version = versions[v];
        CHECK_EQ(fake_kmd_install(&c), 0);
        ttm_device *dev;
        CHECK_EQ(open_card(0, TTM_DISPATCH_FAST, &dev), 0);
        struct fake_kmd_stats st;
        fake_kmd_stats(&st);
        /* 2.0 has no power request: the driver's default for a legacy client, every
         * flag but MAX_AI_CLK. */
        CHECK_EQ(st.power_flags & 0xF, v ? 0xFu : 0xEu);
        CHECK_EQ(round_trip(dev, TTM_BUFFER_DRAM, 4096, v), 0);
        CHECK_EQ(ttm_device_close(dev), 0);
        CHECK(all_given_back());
    }
    fake_kmd_uninstall();
}

TEST(a_second_user_of_a_card_is_refused_naming_the_holders)
{
    CHECK_EQ(fake_kmd_install(&strict), 0);
    ttm_device *a, *b;
    CHECK_EQ(open_card(0, TTM_DISPATCH_SLOW, &a), 0);
    CHECK_EQ(open_card(0, TTM_DISPATCH_SLOW, &b), -EBUSY);
    char pid[16];
    snprintf(pid, sizeof pid, "%d", (int)getpid());
    CHECK(strstr(ttm_last_error(), "in use by another ttm process"));
    CHECK(strstr(ttm_last_error(), pid));
    CHECK_EQ(open_card(1, TTM_DISPATCH_SLOW, &b), 0); /* the other card is free */
    CHECK_EQ(ttm_device_close(b), 0);
    CHECK_EQ(ttm_device_close(a), 0);
    fake_kmd_foreign_lock(0, 63, true);
    CHECK_EQ(open_card(0, TTM_DISPATCH_SLOW, &a), -EBUSY);
    fake_kmd_foreign_lock(0, 63, false);
    CHECK_EQ(open_card(0, TTM_DISPATCH_SLOW, &a), 0);
    CHECK_EQ(ttm_device_close(a), 0);
    CHECK(all_given_back());
    fake_kmd_uninstall();
}

TEST(a_reset_under_an_open_device_fails_its_calls_with_enodev)
{
    CHECK_EQ(fake_kmd_install(&strict), 0);
    for (uint32_t mode = TTM_DISPATCH_SLOW; mode <= TTM_DISPATCH_FAST; mode++) {
        ttm_device *dev;
        CHECK_EQ(open_card(0, mode, &dev), 0);
        ttm_buffer *buf;
        CHECK_EQ(ttm_buffer_create_interleaved(dev, 8192, 1024, TTM_BUFFER_DRAM, &buf), 0);
        uint32_t data[2048] = {1, 2, 3};
        CHECK_EQ(ttm_buffer_write(buf, 0, data, sizeof data), 0);
        CHECK_EQ(fake_kmd_reset(0, true), 0);
        CHECK_EQ(ttm_buffer_read(buf, 0, data, sizeof data), -ENODEV);
        CHECK(strstr(ttm_last_error(), "was reset or removed"));
        CHECK_EQ(ttm_buffer_write(buf, 0, data, sizeof data), -ENODEV);
        /* The reset handle still holds the card's lock (locks survive a reset until their
         * handle closes): a second device is refused until the first is closed. */
        ttm_device *second;
        CHECK_EQ(open_card(0, mode, &second), -EBUSY);
        CHECK_EQ(ttm_buffer_destroy(buf), 0);
        ttm_device_close(dev);
        CHECK(all_given_back());
        /* A new handle drives the reset card. */
        CHECK_EQ(open_card(0, mode, &dev), 0);
        CHECK_EQ(round_trip(dev, TTM_BUFFER_DRAM, 8192, 9), 0);
        CHECK_EQ(ttm_device_close(dev), 0);
        CHECK(all_given_back());
    }
    fake_kmd_uninstall();
}

TEST(without_an_iommu_host_memory_is_a_huge_page)
{
    struct fake_kmd_config c = strict;
    c.no_iommu = true;
    c.no_hugepages = true;
    CHECK_EQ(fake_kmd_install(&c), 0);
    ttm_device *dev;
    CHECK_EQ(open_card(0, TTM_DISPATCH_FAST, &dev), -ENOMEM);
    CHECK(strstr(ttm_last_error(), "1 GiB huge page"));
    CHECK(strstr(ttm_last_error(), "nr_hugepages"));
    CHECK(all_given_back());
    CHECK_EQ(open_card(0, TTM_DISPATCH_SLOW, &dev), 0); /* needs no host memory */
    CHECK_EQ(ttm_device_close(dev), 0);
    c.no_hugepages = false;
    CHECK_EQ(fake_kmd_install(&c), 0);
    CHECK_EQ(open_card(0, TTM_DISPATCH_FAST, &dev), 0);
    CHECK_EQ(round_trip(dev, TTM_BUFFER_DRAM, 1 << 16, 2), 0);
    CHECK_EQ(ttm_device_close(dev), 0);
    CHECK(all_given_back());
    fake_kmd_uninstall();
}

/* Each request the backend makes, failed once by the driver: the open fails with the
 * request named, and nothing stays held. */
TEST(a_request_the_driver_fails_is_named_and_nothing_is_held)
{
    static const struct {
        unsigned nr;
        int err;
        const char *named;
    } cases[] = {
        {5, -EIO, "GET_DRIVER_INFO"},   {0, -EIO, "GET_DEVICE_INFO"},
        {8, -EINVAL, "LOCK_CTL"},       {2, -EIO, "QUERY_MAPPINGS"},
        {15, -ENODEV, "SET_POWER_STATE"}, {13, -EIO, "CONFIGURE_TLB"},
        {11, -EIO, "ALLOCATE_TLB"},     {7, -ENOSPC, "PIN_PAGES"},
    };
    CHECK_EQ(fake_kmd_install(&strict), 0);
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fake_kmd_fail(cases[i].nr, cases[i].err, 1);
        ttm_device *dev;
        int rc = open_card(0, TTM_DISPATCH_FAST, &dev);
        if (rc != cases[i].err || !strstr(ttm_last_error(), cases[i].named))
            printf("  %s: %d, %s\n", cases[i].named, rc, ttm_last_error());
        CHECK_EQ(rc, cases[i].err);
        CHECK(strstr(ttm_last_error(), cases[i].named));
        CHECK(all_given_back());
    }
    /* An ARC that does not take the clock request (not booted yet, or its firmware
     * refuses it) leaves the card at its clock: not a reason to fail, as for tt-umd. */
    fake_kmd_fail(15, -EINVAL, 1);
    ttm_device *dev;
    CHECK_EQ(open_card(0, TTM_DISPATCH_FAST, &dev), 0);
    CHECK_EQ(round_trip(dev, TTM_BUFFER_L1, 4096, 5), 0);
    CHECK_EQ(ttm_device_close(dev), 0);
    CHECK(all_given_back());
    fake_kmd_uninstall();
}

/* Host memory the driver places so far up its NoC window (others hold the rest pinned)
 * that the device's requests, which carry 36 address bits beside the PCIe bit, cannot
 * reach all of it: refused at open rather than written wrong later. */
TEST(host_memory_beyond_what_the_device_addresses_is_refused)
{
    struct fake_kmd_config c = strict;
    c.foreign_pinned = (64ull << 30) - (1u << 20);
    CHECK_EQ(fake_kmd_install(&c), 0);
    ttm_device *dev;
    CHECK_EQ(open_card(0, TTM_DISPATCH_FAST, &dev), -ENOSPC);
    CHECK(strstr(ttm_last_error(), "beyond the 64 GiB"));
    CHECK(all_given_back());
    c.foreign_pinned = 1ull << 30; /* far below: fine */
    CHECK_EQ(fake_kmd_install(&c), 0);
    CHECK_EQ(open_card(0, TTM_DISPATCH_FAST, &dev), 0);
    CHECK_EQ(round_trip(dev, TTM_BUFFER_DRAM, 1 << 16, 4), 0);
    CHECK_EQ(ttm_device_close(dev), 0);
    CHECK(all_given_back());
    fake_kmd_uninstall();
}

/* A card whose reset has not finished (no POST_RESET yet) refuses new handles too: the
 * open says so, rather than suggesting to open again. Once the reset finishes it opens. */
TEST(a_card_in_the_middle_of_a_reset_is_named_as_such)
{
    CHECK_EQ(fake_kmd_install(&strict), 0);
    ttm_device *held, *dev;
    CHECK_EQ(open_card(1, TTM_DISPATCH_SLOW, &held), 0); /* keeps the card powered */
    CHECK_EQ(fake_kmd_reset(1, false), 0);
    CHECK_EQ(open_card(1, TTM_DISPATCH_SLOW, &dev), -ENODEV);
    CHECK(strstr(ttm_last_error(), "middle of a reset"));
    CHECK_EQ(ttm_device_close(held), 0);
    CHECK(all_given_back());
    CHECK_EQ(open_card(1, TTM_DISPATCH_SLOW, &dev), 0);
    CHECK_EQ(round_trip(dev, TTM_BUFFER_DRAM, 1 << 16, 3), 0);
    CHECK_EQ(ttm_device_close(dev), 0);
    CHECK(all_given_back());
    fake_kmd_uninstall();
}

TEST(opening_waits_for_the_arc_and_dram_training)
{
    struct fake_kmd_config c = strict;
    c.bring_up_pauses = 200;
    CHECK_EQ(fake_kmd_install(&c), 0);
    ttm_device *dev;
    CHECK_EQ(open_card(1, TTM_DISPATCH_FAST, &dev), 0);
    CHECK_EQ(round_trip(dev, TTM_BUFFER_DRAM, 1 << 16, 4), 0);
    CHECK_EQ(ttm_device_close(dev), 0);
    /* A channel that fails training is named. */
    c.failing_channel = 1 + 6;
    CHECK_EQ(fake_kmd_install(&c), 0);
    CHECK_EQ(open_card(1, TTM_DISPATCH_SLOW, &dev), -EIO);
    CHECK(strstr(ttm_last_error(), "DRAM channel 6 failed training"));
    CHECK(all_given_back());
    /* A harvested channel does not count: the P100A has no bank 7. */
    c.failing_channel = 1 + 7;
    CHECK_EQ(fake_kmd_install(&c), 0);
    CHECK_EQ(open_card(0, TTM_DISPATCH_SLOW, &dev), 0);
    CHECK_EQ(ttm_device_close(dev), 0);
    fake_kmd_uninstall();
}
