/* The worker grid and DRAM banks, discovered the way a host does it on a card: from the
 * ARC firmware's telemetry table, read through the NoC (host-facts 2.9; device-facts 1.3).
 * Nothing here assumes which columns or bank a chip has lost. */
#include <errno.h>
#include <string.h>

#include "../util/err.h"
#include "chip.h"
#include "grid.h"
#include "ttm.h"

#define TELEMETRY_MAX_ENTRIES 256

struct telemetry {
    uint32_t data;                 /* NoC address of the value block */
    uint32_t n;
    uint32_t entries[TELEMETRY_MAX_ENTRIES];
};

/* How long a card may take to become usable after power-on or a reset: its ARC firmware
 * boots and publishes its telemetry, then it trains the GDDR channels. tt-umd waits up to
 * 300 s for each (its ARC_STARTUP_TIMEOUT, ARC_LONG_POST_RESET_TIMEOUT and
 * DRAM_TRAINING_TIMEOUT), kmd-facts 2.12. A model is ready at once. */
#define ARC_BOOT_TIMEOUT_MS 300000u
#define DRAM_TRAINING_TIMEOUT_MS 300000u

struct arc_wait {
    struct ttm_chip *chip;
    uint32_t status, table, data;
};

/* BOOT_STATUS & 7 == 5 once the ARC firmware takes messages (tt-umd), and the telemetry
 * table's pointers are set (tt-umd waits for them apart: the firmware may publish them
 * later); all-ones is a NoC or a card that no longer answers (host-facts 2.9). */
static int arc_booted(void *arg)
{
    struct arc_wait *w = arg;
    int rc = chip_read32(w->chip, BH_ARC_X, BH_ARC_Y, BH_ARC_BOOT_STATUS, &w->status);
    if (rc)
        return err_wrap(rc, "reading ARC boot status");
    if (w->status == 0xFFFFFFFFu)
        return err_set(-ENODEV, "the ARC boot status reads all-ones: the card's NoC is hung "
                                "(reset it: tt-smi -r)");
    if ((w->status & 7) != 5)
        return 0;
    if ((rc = chip_read32(w->chip, BH_ARC_X, BH_ARC_Y, BH_ARC_TELEMETRY_TABLE_PTR, &w->table)) ||
        (rc = chip_read32(w->chip, BH_ARC_X, BH_ARC_Y, BH_ARC_TELEMETRY_DATA_PTR, &w->data)))
        return err_wrap(rc, "reading the telemetry pointers");
    return w->table && w->data;
}

static int read_telemetry(struct ttm_chip *chip, struct telemetry *t)
{
    struct arc_wait w = {chip, 0, 0, 0};
    struct wait_budget b;
    wait_budget_start(&b, ARC_BOOT_TIMEOUT_MS);
    int rc = chip_poll(chip, arc_booted, &w, &b);
    if (rc == -ETIMEDOUT)
        return err_set(-EIO, "ARC firmware not ready after %u ms (boot status 0x%08x, "
                             "telemetry table 0x%x)", ARC_BOOT_TIMEOUT_MS, w.status, w.table);
    if (rc)
        return rc;
    uint32_t table = w.table;
    t->data = w.data;
    if ((rc = chip_read32(chip, BH_ARC_X, BH_ARC_Y, table + 4, &t->n)))
        return err_wrap(rc, "reading the telemetry table");
    if (t->n > TELEMETRY_MAX_ENTRIES)
        return err_set(-EIO, "telemetry table claims %u entries", t->n);
    if (t->n && (rc = chip_read(chip, BH_ARC_X, BH_ARC_Y, table + 8, t->entries, 4 * t->n)))
        return err_wrap(rc, "reading telemetry entries");
    return 0;
}

/* Value of `tag`; -ENOENT when the table does not have it. */
static int telemetry_value(struct ttm_chip *chip, const struct telemetry *t, uint32_t tag,
                           uint32_t *val)
{
    for (uint32_t i = 0; i < t->n; i++)
        if ((t->entries[i] & 0xFFFF) == tag)
            return chip_read32(chip, BH_ARC_X, BH_ARC_Y, t->data + 4 * (t->entries[i] >> 16), val);
    return -ENOENT;
}

int grid_telemetry(struct ttm_chip *chip, uint32_t tag, uint32_t *val)
{
    struct telemetry t;
    int rc = read_telemetry(chip, &t);
    return rc ? rc : telemetry_value(chip, &t, tag, val);
}

/* GDDR_STATUS: two bits a channel, 01 trained, 1x failed, 00 still training; from
 * firmware 19.7 the upper half reports the memory self-test the same way, and both must
 * pass (tt-umd, kmd-facts 2.12). Channels the board does not have are skipped. */
#define GDDR_TRAINED 1u
#define FW_WITH_GDDR_BIST 0x13070000u   /* 19.7.0 as FLASH_BUNDLE_VERSION encodes it */

struct dram_wait {
    struct ttm_chip *chip;
    const struct telemetry *t;
    uint32_t banks, halves, status;
};

static int dram_trained(void *arg)
{
    struct dram_wait *w = arg;
    int rc = telemetry_value(w->chip, w->t, BH_TAG_GDDR_STATUS, &w->status);
    if (rc)
        return err_wrap(rc, "reading GDDR_STATUS");
    int done = 1;
    for (uint32_t half = 0; half < w->halves; half++) {
        for (uint32_t b = 0; b < BH_DRAM_BANKS; b++) {
            uint32_t code = w->status >> (16 * half + 2 * b) & 3;
            if (!(w->banks >> b & 1) || code == GDDR_TRAINED)
                continue;
            if (code)
                return err_set(-EIO, "DRAM channel %u failed %s (GDDR_STATUS 0x%08x): reset "
                                     "the card (tt-smi -r)", b, half ? "its self-test"
                                                                     : "training", w->status);
            done = 0;
        }
    }
    return done;
}

static int wait_dram_trained(struct ttm_chip *chip, const struct telemetry *t, uint32_t banks)
{
    uint32_t fw = 0, status;
    int rc = telemetry_value(chip, t, BH_TAG_GDDR_STATUS, &status);
    if (rc == -ENOENT) /* firmware that does not report it */
        return 0;
    if ((rc = telemetry_value(chip, t, BH_TAG_FLASH_BUNDLE_VERSION, &fw)) && rc != -ENOENT)
        return err_wrap(rc, "reading FLASH_BUNDLE_VERSION");
    struct dram_wait w = {chip, t, banks, fw >= FW_WITH_GDDR_BIST ? 2 : 1, status};
    struct wait_budget b;
    wait_budget_start(&b, DRAM_TRAINING_TIMEOUT_MS);
    rc = chip_poll(chip, dram_trained, &w, &b);
    if (rc == -ETIMEDOUT)
        return err_set(-EIO, "DRAM still training after %u ms (GDDR_STATUS 0x%08x)",
                       DRAM_TRAINING_TIMEOUT_MS, w.status);
    return rc;
}

int grid_discover(struct ttm_chip *chip)
{
    struct telemetry t;
    uint32_t cols = 0x3FFF, gddr = 0xFF, board_hi = 0;
    int rc = read_telemetry(chip, &t);
    if (rc)
        return rc;
    /* A table without the harvesting tags describes a chip with nothing disabled. */
    if ((rc = telemetry_value(chip, &t, BH_TAG_ENABLED_TENSIX_COL, &cols)) && rc != -ENOENT)
        return err_wrap(rc, "reading ENABLED_TENSIX_COL");
    if ((rc = telemetry_value(chip, &t, BH_TAG_ENABLED_GDDR, &gddr)) && rc != -ENOENT)
        return err_wrap(rc, "reading ENABLED_GDDR");
    if ((rc = telemetry_value(chip, &t, BH_TAG_BOARD_ID_HIGH, &board_hi)) && rc != -ENOENT)
        return err_wrap(rc, "reading BOARD_ID");

    /* Tag 34 lists columns in die order; enabled columns in ascending NOC0 x become the
     * logical columns, at translated x bh_tensix_x(0..) (device-facts 1.5). */
    uint32_t enabled_x = 0;
    for (unsigned i = 0; i < BH_TENSIX_COLS; i++)
        if (cols >> i & 1)
            enabled_x |= 1u << bh_harvest_bit_x(i);
    chip->grid_x = (uint32_t)__builtin_popcount(enabled_x);
    chip->grid_y = BH_TENSIX_ROWS;
    if (!chip->grid_x)
        return err_set(-EIO, "telemetry reports no enabled Tensix column");
    for (unsigned k = 0; k < chip->grid_x; k++)
        chip->col_x[k] = bh_tensix_x(k);
    chip->n_workers = chip->grid_x * chip->grid_y;

    if ((rc = wait_dram_trained(chip, &t, gddr)))
        return rc;
    /* Enabled banks take logical ids 0..; the host reaches each through its port 0. */
    chip->n_dram = (uint32_t)__builtin_popcount(gddr & 0xFF);
    if (!chip->n_dram)
        return err_set(-EIO, "telemetry reports no enabled DRAM bank");
    for (unsigned b = 0; b < chip->n_dram; b++) {
        chip->dram_x[b] = (uint8_t)bh_dram_x(b);
        chip->dram_y[b] = (uint8_t)bh_dram_y(b, 0);
    }
    chip->board = (board_hi >> 4 & BH_UPI_MASK) == BH_UPI_P100A || chip->grid_x < BH_TENSIX_COLS
                      ? TTM_BOARD_P100A
                      : TTM_BOARD_P150A;
    return 0;
}
