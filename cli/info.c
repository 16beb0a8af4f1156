/* ttm info: what the device is. */
#include <stdio.h>

#include "chip/grid.h"
#include "cli.h"
#include "objects.h"
#include "pcie/pcie.h"
#include "ttm/kernel/abi.h"

static const char usage[] =
    "usage: ttm info [--backend NAME] [--device N] [--board B]\n"
    "\n"
    "Opens the device and prints its backend (and driver), board, worker grid, harvested\n"
    "Tensix columns and DRAM banks, L1 and DRAM sizes, the card's firmware and clock, and\n"
    "the version of ttm's own firmware. Exit status: 0, 1 when the device cannot be\n"
    "opened, 2 bad usage.\n";

/* The disabled members of a telemetry mask, as a list: "x = 14, 16" or "none". */
static void harvested(struct ttm_chip *c, uint32_t tag, unsigned n, bool columns, char *buf,
                      size_t len)
{
    uint32_t enabled;
    int at = snprintf(buf, len, "none");
    if (grid_telemetry(c, tag, &enabled)) /* not reported: nothing is disabled */
        return;
    /* Bit i of the column mask is a die-order column; list them by NoC 0 x. */
    uint32_t off = 0;
    for (unsigned i = 0; i < n; i++)
        if (!(enabled >> i & 1))
            off |= 1u << (columns ? bh_harvest_bit_x(i) : i);
    at = 0;
    for (unsigned v = 0; off && v < 32 && at < (int)len; v++)
        if (off >> v & 1)
            at += snprintf(buf + at, len - at, "%s%u", at ? ", " : "", v);
    if (!at)
        snprintf(buf, len, "none");
}

int cmd_info(int argc, char **argv)
{
    struct ttm_device_opts o = {.argsz = sizeof o};
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            fputs(usage, stdout);
            return 0;
        }
        int r = cli_device_option("info", argc, argv, &i, &o);
        if (r < 0)
            return EXIT_BAD_USAGE;
        if (!r) {
            fprintf(stderr, "ttm info: bad option \"%s\" (ttm info --help)\n", argv[i]);
            return EXIT_BAD_USAGE;
        }
    }
    o.dispatch = TTM_DISPATCH_SLOW; /* every column a worker; nothing booted but workers */
    ttm_device *dev;
    struct ttm_device_info info = {.argsz = sizeof info};
    if (ttm_device_create_opts(&o, &dev) || ttm_device_info(dev, &info)) {
        fprintf(stderr, "ttm info: %s\n", ttm_last_error());
        return 1;
    }
    struct ttm_chip *c = &dev->chip;
    char what[160] = "", cols[64], banks[64];
    if (c->pcie.ops->describe)
        c->pcie.ops->describe(&c->pcie, what, sizeof what);
    harvested(c, BH_TAG_ENABLED_TENSIX_COL, BH_TENSIX_COLS, true, cols, sizeof cols);
    harvested(c, BH_TAG_ENABLED_GDDR, BH_DRAM_BANKS, false, banks, sizeof banks);
    uint32_t fw, aiclk;
    printf("backend      %s: %s\n", info.backend, what);
    printf("board        %s\n", info.board == TTM_BOARD_P150A ? "P150A" : "P100A");
    printf("workers      %u x %u = %u (fast dispatch keeps one column for its cores)\n",
           info.grid_x, info.grid_y, info.num_workers);
    printf("harvested    Tensix columns at NoC 0 x: %s; DRAM banks: %s\n", cols, banks);
    printf("L1           %u KiB a worker, free for buffers from 0x%x\n", info.l1_size / 1024,
           info.l1_unreserved);
    printf("DRAM         %u banks of %llu MiB usable\n", info.num_dram_banks,
           (unsigned long long)(info.dram_bank_size >> 20));
    if (!grid_telemetry(c, BH_TAG_FLASH_BUNDLE_VERSION, &fw))
        printf("firmware     card %u.%u.%u; ttm's ABI %u\n", fw >> 24, fw >> 16 & 0xFF,
               fw >> 8 & 0xFF, TTM_FW_ABI_VERSION);
    else
        printf("firmware     card not reported; ttm's ABI %u\n", TTM_FW_ABI_VERSION);
    if (!grid_telemetry(c, BH_TAG_AICLK, &aiclk))
        printf("clock        AICLK %u MHz\n", aiclk);
    return ttm_device_close(dev) ? 1 : 0;
}
