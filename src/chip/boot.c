/* Worker firmware boot, in the order the seeds give (seed 001 section 6; host-facts 5.3):
 * hold every core in reset while images are written, write firmware, boot jump, bank
 * table and mailboxes, set the other processors' start addresses, release BRISC only,
 * and wait for each worker's DONE. BRISC releases the others itself once it runs. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../build/embedded.h"
#include "../load/elf.h"
#include "../util/err.h"
#include "banks.h"
#include "chip.h"
#include "procs.h"

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
static int write_firmware(struct ttm_chip *chip, uint32_t lx0, uint32_t ly0, uint32_t lx1,
                          uint32_t ly1, const struct elf_image *img, uint32_t slot)
{
    int rc = elf_check_range(img, slot, slot + TTM_L1_FW_SIZE, 1);
    if (rc)
        return err_wrap(rc, "firmware does not fit its L1 slot at 0x%x", slot);
    for (unsigned i = 0; i < img->n_segments; i++) {
        const struct elf_segment *s = &img->seg[i];
        if (s->filesz &&
            (rc = chip_write_workers(chip, lx0, ly0, lx1, ly1, s->paddr, s->data, s->filesz)))
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

/* Waiting for cores to report DONE with our firmware: the listed ones (logical x | y << 8),
 * or the first n workers of the grid in row-major order when list is NULL. */
struct boot_wait {
    struct ttm_chip *chip;
    const uint32_t *list;
    size_t n, next;
};

static int boot_done(void *arg)
{
    struct boot_wait *bw = arg;
    struct ttm_chip *chip = bw->chip;
    size_t start = bw->next;
    while (bw->next < bw->n) {
        uint32_t i = (uint32_t)bw->next;
        uint32_t xy = bw->list ? bw->list[i] : (i % chip->grid_x) | (i / chip->grid_x) << 8;
        struct chip_worker w = chip_worker_at(chip, xy & 0xFF, xy >> 8);
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

/* Firmware images, one per processor; a processor without one stays in reset. */
struct images {
    struct elf_image img[BH_CORES_PER_TILE];
    bool has[BH_CORES_PER_TILE];
};

static int load_images(const char *const fw[BH_CORES_PER_TILE], struct images *im)
{
    if (!fw[BH_BRISC])
        return err_set(-EINVAL, "no BRISC firmware: BRISC starts every core");
    for (uint32_t p = 0; p < BH_CORES_PER_TILE; p++) {
        im->has[p] = fw[p] != NULL;
        int rc = im->has[p] ? find_firmware(fw[p], &im->img[p]) : 0;
        if (rc)
            return rc;
    }
    return 0;
}

static int worker_images(struct images *im)
{
    const char *fw[BH_CORES_PER_TILE];
    for (uint32_t p = 0; p < BH_CORES_PER_TILE; p++)
        fw[p] = procs[p].worker_fw;
    return load_images(fw, im);
}

/* Hold the cores of the rectangle in reset, load everything, release BRISC: its
 * firmware releases the others (ISA SoftReset.md: only BRISC has a fixed reset PC, 0).
 * `extra` (extra_len bytes at extra_addr) is more state to set up before the release. */
static int hold_and_load(struct ttm_chip *chip, uint32_t lx0, uint32_t ly0, uint32_t lx1,
                         uint32_t ly1, const struct images *im, uint32_t extra_addr,
                         const void *extra, size_t extra_len)
{
    uint32_t v = BH_RESET_ALL_RISCS;
    int rc;
#define ALL(addr, ptr, len) chip_write_workers(chip, lx0, ly0, lx1, ly1, addr, ptr, len)
    if ((rc = ALL(BH_SOFT_RESET_0, &v, 4)))
        return rc;
    for (uint32_t p = 0; p < BH_CORES_PER_TILE; p++)
        if (im->has[p] &&
            (rc = write_firmware(chip, lx0, ly0, lx1, ly1, &im->img[p], procs[p].fw_slot)))
            return rc;
    v = encode_jal((int32_t)im->img[BH_BRISC].entry);
    if ((rc = ALL(TTM_L1_BOOT, &v, 4)))
        return rc;
    struct ttm_bank_table bt;
    chip_bank_table(chip, &bt);
    if ((rc = ALL(TTM_L1_BANK_TABLE, &bt, sizeof bt)))
        return rc;
    struct ttm_mailbox mb;
    memset(&mb, 0, sizeof mb);
    mb.go = TTM_GO_WORD(TTM_RUN_MSG_INIT);
    if ((rc = ALL(TTM_L1_MAILBOX, &mb, sizeof mb)))
        return rc;
    if (extra_len && (rc = ALL(extra_addr, extra, extra_len)))
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
    /* The other processors start at their images' entries: each one's reset-PC register,
     * then each override register once, with the bits of every processor it selects
     * (the TRISCs share one). */
    uint32_t reg[BH_CORES_PER_TILE], bits[BH_CORES_PER_TILE];
    unsigned n_regs = 0;
    for (uint32_t p = 0; p < BH_CORES_PER_TILE; p++) {
        const struct bh_core_desc *hw = bh_core_desc(p);
        if (!im->has[p] || !hw->pc_reg)
            continue;
        if ((rc = ALL(hw->pc_reg, &im->img[p].entry, 4)))
            return rc;
        unsigned k = 0;
        while (k < n_regs && reg[k] != hw->pc_override_reg)
            k++;
        if (k == n_regs) {
            reg[n_regs] = hw->pc_override_reg;
            bits[n_regs++] = 0;
        }
        bits[k] |= hw->pc_override_bit;
    }
    for (unsigned k = 0; k < n_regs; k++)
        if ((rc = ALL(reg[k], &bits[k], 4)))
            return rc;
    v = BH_RESET_ALL_RISCS & ~bh_core_desc(BH_BRISC)->reset_bit;
    return ALL(BH_SOFT_RESET_0, &v, 4);
#undef ALL
}

int chip_boot(struct ttm_chip *chip, struct wait_budget *b)
{
    struct images img;
    int rc = worker_images(&img);
    if (rc)
        return rc;
    if ((rc = hold_and_load(chip, 0, 0, chip->grid_x - 1, chip->grid_y - 1, &img, 0, NULL, 0)))
        return err_wrap(rc, "booting workers");
    struct boot_wait bw = {chip, NULL, chip->n_workers, 0};
    rc = chip_poll(chip, boot_done, &bw, b);
    if (rc == -ETIMEDOUT) {
        uint32_t i = (uint32_t)bw.next;
        struct chip_worker w = chip_worker_at(chip, i % chip->grid_x, i / chip->grid_x);
        return err_set(rc, "worker firmware did not come up: worker (%u,%u) at NoC (%u,%u) "
                           "still not DONE after %u ms", i % chip->grid_x, i / chip->grid_x,
                       w.x, w.y, b->timeout_ms);
    }
    return rc;
}

int chip_reboot_workers(struct ttm_chip *chip, const uint32_t *workers, size_t n,
                        struct wait_budget *b)
{
    struct images img;
    int rc = worker_images(&img);
    if (rc)
        return rc;
    uint32_t *xy = calloc(n ? n : 1, sizeof *xy);
    if (!xy)
        return err_set(-ENOMEM, "out of memory");
    for (size_t i = 0; i < n && !rc; i++) {
        uint32_t lx = workers[i] % chip->grid_x, ly = workers[i] / chip->grid_x;
        xy[i] = lx | ly << 8;
        if ((rc = hold_and_load(chip, lx, ly, lx, ly, &img, 0, NULL, 0)))
            err_wrap(rc, "rebooting worker (%u,%u)", lx, ly);
    }
    struct boot_wait bw = {chip, xy, n, 0};
    if (!rc && (rc = chip_poll(chip, boot_done, &bw, b)) == -ETIMEDOUT)
        err_set(rc, "rebooted workers did not come up");
    free(xy);
    return rc;
}

int chip_boot_core(struct ttm_chip *chip, uint32_t lx, uint32_t ly,
                   const char *const fw[BH_CORES_PER_TILE], uint32_t extra_addr,
                   const void *extra, size_t extra_len, struct wait_budget *b)
{
    struct images img;
    int rc = load_images(fw, &img);
    if (rc)
        return rc;
    if ((rc = hold_and_load(chip, lx, ly, lx, ly, &img, extra_addr, extra, extra_len)))
        return err_wrap(rc, "booting core (%u,%u) with %s", lx, ly, fw[BH_BRISC]);
    uint32_t xy = lx | ly << 8;
    struct boot_wait bw = {chip, &xy, 1, 0};
    rc = chip_poll(chip, boot_done, &bw, b);
    return rc == -ETIMEDOUT
               ? err_set(rc, "core (%u,%u) did not come up with %s", lx, ly, fw[BH_BRISC])
               : rc;
}
