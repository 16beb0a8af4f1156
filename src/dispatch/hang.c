#include "hang.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "../chip/procs.h"
#include "../trace/kprint.h"

static const char *postcode_name(uint32_t pc)
{
    switch (pc) {
    case TTM_PC_BOOT: return "booting";
    case TTM_PC_IDLE: return "idle";
    case TTM_PC_SETUP: return "setting up";
    case TTM_PC_KERNEL: return "in its kernel";
    case TTM_PC_WAIT_NCRISC: return "waiting for NCRISC";
    }
    return "unknown";
}

static void append(char *buf, size_t len, size_t *used, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void append(char *buf, size_t len, size_t *used, const char *fmt, ...)
{
    va_list ap;
    if (*used >= len)
        return;
    va_start(ap, fmt);
    int k = vsnprintf(buf + *used, len - *used, fmt, ap);
    va_end(ap);
    *used += k > 0 ? (size_t)k : 0;
}

uint32_t hang_describe(struct ttm_chip *chip, const uint32_t *cores, uint32_t n, char *buf,
                       size_t len, uint32_t *stuck)
{
    size_t used = 0;
    uint32_t n_stuck = 0;
    /* PC snapshots (ISA memory map 0xFFB13138..) only where the backend has them
     * (ttsim does not model them and would stop the process on the read). */
    bool have_pcs = chip->pcie.ops->caps & TTM_PCIE_CAP_PC_SNAPSHOT;
    buf[0] = 0;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t i = cores[k], go = 0;
        struct chip_worker w = chip_worker_at(chip, i % chip->grid_x, i / chip->grid_x);
        struct ttm_mailbox mb;
        if (chip_read32(chip, w.x, w.y, TTM_L1_MAILBOX, &go) || TTM_GO_SIGNAL(go) == TTM_RUN_MSG_DONE)
            continue;
        bool have_mb = !chip_read(chip, w.x, w.y, TTM_L1_MAILBOX, &mb,
                                  offsetof(struct ttm_mailbox, launches));
        if (n_stuck < 8) {
            append(buf, len, &used, "%sworker (%u,%u):", n_stuck ? "; " : "", i % chip->grid_x,
                   i / chip->grid_x);
            /* Each processor our firmware runs, with its PC and what it was doing. */
            for (uint32_t p = 0; p < BH_CORES_PER_TILE; p++) {
                uint32_t pc = 0;
                if (!procs[p].worker_fw)
                    continue;
                append(buf, len, &used, "%s %s ", p ? "," : "", bh_core_desc(p)->name);
                if (have_pcs && !chip_read32(chip, w.x, w.y, BH_PC_SNAPSHOT + 4 * p, &pc))
                    append(buf, len, &used, "pc 0x%x ", pc);
                append(buf, len, &used, "%s",
                       have_mb ? postcode_name(mb.postcode[p]) : "(mailbox unreadable)");
                char line[64];
                kprint_last_line(chip, w.x, w.y, p, line, sizeof line);
                if (line[0])
                    append(buf, len, &used, " (last printed: \"%s\")", line);
            }
        }
        stuck[n_stuck++] = i;
    }
    if (n_stuck > 8)
        append(buf, len, &used, "; and %u more", n_stuck - 8);
    char faults[768];
    chip_describe_faults(chip, faults, sizeof faults);
    if (faults[0])
        append(buf, len, &used, "%sdevice faults: %s", used ? "; " : "", faults);
    return n_stuck;
}
