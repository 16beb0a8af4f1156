#include "banks.h"

#include <string.h>

#include "chip.h"

uint32_t chip_banks(const struct ttm_chip *chip, bool dram)
{
    return dram ? chip->n_dram : chip->n_workers;
}

/* Translated coordinates of bank `bank`. */
static struct chip_worker bank_xy(const struct ttm_chip *chip, bool dram, uint32_t bank)
{
    if (dram)
        return (struct chip_worker){chip->dram_x[bank], chip->dram_y[bank]};
    return chip_worker_at(chip, bank % chip->grid_x, bank / chip->grid_x);
}

void chip_bank_span(const struct ttm_chip *chip, bool dram, uint64_t base, uint32_t page_size,
                    uint64_t offset, uint64_t size, uint32_t max, struct bank_span *s)
{
    uint32_t banks = chip_banks(chip, dram);
    uint64_t page = offset / page_size, in_page = offset % page_size;
    uint64_t n = page_size - in_page;
    if (n > size)
        n = size;
    if (n > max)
        n = max;
    struct chip_worker w = bank_xy(chip, dram, (uint32_t)(page % banks));
    s->x = w.x;
    s->y = w.y;
    s->addr = base + page / banks * page_size + in_page;
    s->len = (uint32_t)n;
}

void chip_bank_table(const struct ttm_chip *chip, struct ttm_bank_table *bt)
{
    memset(bt, 0, sizeof *bt);
    bt->num_dram_banks = chip->n_dram;
    bt->num_l1_banks = chip->n_workers;
    for (uint32_t b = 0; b < chip->n_dram; b++) {
        struct chip_worker w = bank_xy(chip, true, b);
        bt->dram_xy[b] = (uint16_t)(w.y << 6 | w.x);
    }
    for (uint32_t b = 0; b < chip->n_workers; b++) {
        struct chip_worker w = bank_xy(chip, false, b);
        bt->l1_xy[b] = (uint16_t)(w.y << 6 | w.x);
    }
}
