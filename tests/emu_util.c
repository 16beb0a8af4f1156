#include "emu_util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ttm/blackhole.h"

bhemu *eu_create(uint32_t board, uint32_t cols_off, uint32_t banks_off)
{
    /* TTM_EMU_THREADS runs these tests on several host threads, as it does the library. */
    const char *threads = getenv("TTM_EMU_THREADS");
    struct bhemu_config cfg = {board, cols_off, banks_off,
                               threads ? (uint32_t)strtoul(threads, NULL, 10) : 1};
    bhemu *emu = NULL;
    int rc = bhemu_create(&cfg, &emu);
    if (rc) {
        fprintf(stderr, "bhemu_create: %s\n", strerror(-rc));
        return NULL;
    }
    return emu;
}

bhemu *eu_create_default(uint32_t board)
{
    struct bhemu_config cfg;
    bhemu_config_default(board, &cfg);
    return eu_create(cfg.board, cfg.tensix_cols_off, cfg.dram_banks_off);
}

int eu_load(bhemu *emu, uint32_t x, uint32_t y, uint32_t addr, const char *name)
{
    char path[512];
    const char *dir = getenv("TTM_RV32_DIR");
    snprintf(path, sizeof path, "%s/%s.bin", dir ? dir : RV32_DIR, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        return -ENOENT;
    }
    static unsigned char buf[BH_L1_SIZE];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    return bhemu_tile_write(emu, x, y, addr, buf, n);
}

void eu_release(bhemu *emu, uint32_t x, uint32_t y, uint32_t mask)
{
    uint32_t v = eu_rd32(emu, x, y, BH_SOFT_RESET_0);
    eu_wr32(emu, x, y, BH_SOFT_RESET_0, v & ~mask);
}

uint32_t eu_wait_word(bhemu *emu, uint32_t x, uint32_t y, uint32_t addr, uint64_t max_cycles)
{
    uint64_t step = 1000;
    for (uint64_t done = 0; done < max_cycles; done += step) {
        uint32_t v = eu_rd32(emu, x, y, addr);
        if (v)
            return v;
        bhemu_clock(emu, step);
    }
    return eu_rd32(emu, x, y, addr);
}

uint32_t eu_rd32(bhemu *emu, uint32_t x, uint32_t y, uint64_t addr)
{
    uint32_t v = 0xFFFFFFFFu;
    bhemu_tile_read(emu, x, y, addr, &v, 4);
    return v;
}

void eu_wr32(bhemu *emu, uint32_t x, uint32_t y, uint64_t addr, uint32_t val)
{
    bhemu_tile_write(emu, x, y, addr, &val, 4);
}

int eu_drain_faults(bhemu *emu)
{
    struct bhemu_fault f;
    int n = 0;
    while (bhemu_fault_pop(emu, &f) == 1) {
        fprintf(stderr, "fault: cause %u core %d tile (%u,%u) pc 0x%x addr 0x%llx: %s\n",
                f.cause, f.core, f.x, f.y, f.pc, (unsigned long long)f.addr, f.what);
        n++;
    }
    return n;
}

unsigned eu_worker_count(bhemu *emu)
{
    unsigned n = 0;
    for (unsigned k = 0; k < BH_TENSIX_COLS; k++) {
        uint32_t x = bh_tensix_x(k);
        uint32_t probe;
        if (bhemu_tile_read(emu, x, BH_TENSIX_Y0, BH_SOFT_RESET_0, &probe, 4) == 0)
            n += BH_TENSIX_ROWS;
    }
    return n;
}

void eu_worker_xy(bhemu *emu, unsigned i, uint32_t *x, uint32_t *y)
{
    (void)emu;
    *x = bh_tensix_x(i / BH_TENSIX_ROWS);
    *y = BH_TENSIX_Y0 + i % BH_TENSIX_ROWS;
}
