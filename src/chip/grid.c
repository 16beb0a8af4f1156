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

static int read_telemetry(struct ttm_chip *chip, struct telemetry *t)
{
    uint32_t status, table;
    int rc;
    if ((rc = chip_read32(chip, BH_ARC_X, BH_ARC_Y, BH_ARC_BOOT_STATUS, &status)))
        return err_wrap(rc, "reading ARC boot status");
    if (status == 0xFFFFFFFFu || (status & 7) != 5)
        return err_set(-EIO, "ARC firmware not ready (boot status 0x%08x)", status);
    if ((rc = chip_read32(chip, BH_ARC_X, BH_ARC_Y, BH_ARC_TELEMETRY_TABLE_PTR, &table)) ||
        (rc = chip_read32(chip, BH_ARC_X, BH_ARC_Y, BH_ARC_TELEMETRY_DATA_PTR, &t->data)) ||
        (rc = chip_read32(chip, BH_ARC_X, BH_ARC_Y, table + 4, &t->n)))
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

    /* Enabled banks take logical ids 0..; the host reaches each through its port 0. */
    chip->n_dram = (uint32_t)__builtin_popcount(gddr & 0xFF);
    if (!chip->n_dram)
        return err_set(-EIO, "telemetry reports no enabled DRAM bank");
    for (unsigned b = 0; b < chip->n_dram; b++) {
        chip->dram_x[b] = (uint8_t)bh_dram_x(b);
        chip->dram_y[b] = (uint8_t)bh_dram_y(b, 0);
    }
    chip->board = (board_hi >> 4) == BH_UPI_P100A || chip->grid_x < BH_TENSIX_COLS
                      ? TTM_BOARD_P100A
                      : TTM_BOARD_P150A;
    return 0;
}
