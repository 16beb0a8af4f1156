/* Worker firmware boot, in the order the seeds give (seed 001 section 6; host-facts 5.3):
 * hold every core in reset while images are written, write firmware, boot jump, bank
 * table and mailboxes, set NCRISC's start address, release BRISC only, and wait for each
 * worker's DONE. BRISC releases NCRISC itself once it runs. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../build/embedded.h"
#include "../load/elf.h"
#include "../util/err.h"
#include "chip.h"

static int find_firmware(const char *name, struct elf_image *img)
{
    const struct ttm_embedded_file *f = embedded_find(name);
    if (!f)
        return err_set(-ENOENT, "firmware %s is not embedded in the library", name);
    int rc = elf_parse(f->data, f->size, img);
    return rc ? err_wrap(rc, "firmware %s", name) : 0;
}

/* Every loadable byte of a firmware image goes to its load address (p_paddr), which our
 * link script keeps inside the image's L1 slot; .data's run-time copy lives in local
 * RAM and is filled by the firmware's start-up code. */
static int write_firmware(struct ttm_chip *chip, const struct elf_image *img, uint32_t slot)
{
    int rc = elf_check_range(img, slot, slot + TTM_L1_FW_SIZE, 1);
    if (rc)
        return err_wrap(rc, "firmware does not fit its L1 slot at 0x%x", slot);
    for (unsigned i = 0; i < img->n_segments; i++) {
        const struct elf_segment *s = &img->seg[i];
        if (s->filesz &&
            (rc = chip_write_workers(chip, 0, 0, chip->grid_x - 1, chip->grid_y - 1, s->paddr,
                                     s->data, s->filesz)))
            return rc;
    }
    return 0;
}

/* RISC-V JAL x0, offset (unprivileged spec 2.5): BRISC's reset PC is fixed at 0. */
static uint32_t encode_jal(int32_t off)
{
    uint32_t u = (uint32_t)off;
    return ((u >> 20 & 1) << 31) | ((u >> 1 & 0x3FF) << 21) | ((u >> 11 & 1) << 20) |
           ((u >> 12 & 0xFF) << 12) | 0x6F;
}

static int bank_table(struct ttm_chip *chip, struct ttm_bank_table *bt)
{
    memset(bt, 0, sizeof *bt);
    bt->num_dram_banks = chip->n_dram;
    bt->num_l1_banks = chip->n_workers;
    for (uint32_t b = 0; b < chip->n_dram; b++)
        bt->dram_xy[b] = (uint16_t)(chip->dram_y[b] << 6 | chip->dram_x[b]);
    /* L1 bank i is worker i in row-major logical order (the order buffers use). */
    for (uint32_t i = 0; i < chip->n_workers; i++) {
        struct chip_worker w = chip_worker_at(chip, i % chip->grid_x, i / chip->grid_x);
        bt->l1_xy[i] = (uint16_t)(w.y << 6 | w.x);
    }
    return 0;
}

struct boot_wait {
    struct ttm_chip *chip;
    uint32_t next;          /* workers below this index have reported DONE */
};

static int boot_done(void *arg)
{
    struct boot_wait *bw = arg;
    struct ttm_chip *chip = bw->chip;
    uint32_t start = bw->next;
    while (bw->next < chip->n_workers) {
        struct chip_worker w = chip_worker_at(chip, bw->next % chip->grid_x, bw->next / chip->grid_x);
        struct ttm_mailbox mb;
        int rc = chip_read(chip, w.x, w.y, TTM_L1_MAILBOX, &mb, offsetof(struct ttm_mailbox, logical_x));
        if (rc)
            return rc;
        if (TTM_GO_SIGNAL(mb.go) != TTM_RUN_MSG_DONE || mb.fw_version != TTM_FW_ABI_VERSION)
            return bw->next > start ? 2 : 0;
        bw->next++;
    }
    return 1;
}

static int hold_and_load(struct ttm_chip *chip, uint32_t lx0, uint32_t ly0, uint32_t lx1,
                         uint32_t ly1, const struct elf_image *brisc, const struct elf_image *ncrisc)
{
    uint32_t v = BH_RESET_ALL_RISCS;
    int rc;
#define ALL(addr, ptr, len) chip_write_workers(chip, lx0, ly0, lx1, ly1, addr, ptr, len)
    if ((rc = ALL(BH_SOFT_RESET_0, &v, 4)))
        return rc;
    if ((rc = write_firmware(chip, brisc, TTM_L1_FW_BRISC)) ||
        (rc = write_firmware(chip, ncrisc, TTM_L1_FW_NCRISC)))
        return rc;
    v = encode_jal((int32_t)brisc->entry);
    if ((rc = ALL(TTM_L1_BOOT, &v, 4)))
        return rc;
    struct ttm_bank_table bt;
    bank_table(chip, &bt);
    if ((rc = ALL(TTM_L1_BANK_TABLE, &bt, sizeof bt)))
        return rc;
    struct ttm_mailbox mb;
    memset(&mb, 0, sizeof mb);
    mb.go = TTM_GO_WORD(TTM_RUN_MSG_INIT);
    if ((rc = ALL(TTM_L1_MAILBOX, &mb, sizeof mb)))
        return rc;
    /* Per-worker identity, in the mailbox words the firmware hands to kernels. */
    for (uint32_t ly = ly0; ly <= ly1; ly++) {
        for (uint32_t lx = lx0; lx <= lx1; lx++) {
            struct chip_worker w = chip_worker_at(chip, lx, ly);
            uint8_t id[4] = {(uint8_t)lx, (uint8_t)ly, w.x, w.y};
            if ((rc = chip_write(chip, w.x, w.y, TTM_L1_MAILBOX + offsetof(struct ttm_mailbox, logical_x),
                                 id, sizeof id)))
                return rc;
        }
    }
    v = ncrisc->entry;
    if ((rc = ALL(BH_NCRISC_RESET_PC, &v, 4)))
        return rc;
    v = 1;
    if ((rc = ALL(BH_NCRISC_RESET_PC_OVERRIDE, &v, 4)))
        return rc;
    v = BH_RESET_ALL_RISCS & ~BH_RESET_BRISC;
    return ALL(BH_SOFT_RESET_0, &v, 4);
#undef ALL
}

static int load_images(struct elf_image *brisc, struct elf_image *ncrisc)
{
    int rc = find_firmware("firmware/brisc.elf", brisc);
    return rc ? rc : find_firmware("firmware/ncrisc.elf", ncrisc);
}

int chip_boot(struct ttm_chip *chip, uint32_t timeout_ms)
{
    struct elf_image brisc, ncrisc;
    int rc = load_images(&brisc, &ncrisc);
    if (rc)
        return rc;
    if ((rc = hold_and_load(chip, 0, 0, chip->grid_x - 1, chip->grid_y - 1, &brisc, &ncrisc)))
        return err_wrap(rc, "booting workers");
    struct boot_wait bw = {chip, 0};
    rc = chip_poll(chip, boot_done, &bw, timeout_ms);
    if (rc == -ETIMEDOUT) {
        struct chip_worker w = chip_worker_at(chip, bw.next % chip->grid_x, bw.next / chip->grid_x);
        return err_set(rc, "worker firmware did not come up: worker (%u,%u) at NoC (%u,%u) "
                           "still not DONE after %u ms", bw.next % chip->grid_x,
                       bw.next / chip->grid_x, w.x, w.y, timeout_ms);
    }
    return rc;
}

struct reboot_wait {
    struct ttm_chip *chip;
    const uint32_t *workers;
    size_t n, next;
};

static int reboot_done(void *arg)
{
    struct reboot_wait *rw = arg;
    size_t start = rw->next;
    while (rw->next < rw->n) {
        uint32_t i = rw->workers[rw->next];
        struct chip_worker w = chip_worker_at(rw->chip, i % rw->chip->grid_x, i / rw->chip->grid_x);
        uint32_t go;
        int rc = chip_read32(rw->chip, w.x, w.y, TTM_L1_MAILBOX, &go);
        if (rc)
            return rc;
        if (TTM_GO_SIGNAL(go) != TTM_RUN_MSG_DONE)
            return rw->next > start ? 2 : 0;
        rw->next++;
    }
    return 1;
}

int chip_reboot_workers(struct ttm_chip *chip, const uint32_t *workers, size_t n,
                        uint32_t timeout_ms)
{
    struct elf_image brisc, ncrisc;
    int rc = load_images(&brisc, &ncrisc);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++) {
        uint32_t lx = workers[i] % chip->grid_x, ly = workers[i] / chip->grid_x;
        if ((rc = hold_and_load(chip, lx, ly, lx, ly, &brisc, &ncrisc)))
            return err_wrap(rc, "rebooting worker (%u,%u)", lx, ly);
    }
    struct reboot_wait rw = {chip, workers, n, 0};
    rc = chip_poll(chip, reboot_done, &rw, timeout_ms);
    return rc == -ETIMEDOUT ? err_set(rc, "rebooted workers did not come up") : rc;
}
