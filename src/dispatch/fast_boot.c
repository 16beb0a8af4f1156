/* Booting the dispatch cores: the dispatcher (BRISC) and its subordinate (NCRISC) on the
 * reserved column's second core, the prefetcher (BRISC) on its first, each with the
 * control block the firmware expects (seed 001 section 6: images and control block in
 * place before release). Both cores are held in reset before either is loaded: a
 * prefetcher still running from before would deliver into the new dispatcher's ring. */
#include "../util/err.h"
#include "fast.h"

int fast_boot(struct ttm_device *dev, struct wait_budget *b)
{
    static const char *const dispatcher[BH_CORES_PER_TILE] = {
        [BH_BRISC] = "firmware/dispatch.elf", [BH_NCRISC] = "firmware/dispatch_sub.elf"};
    static const char *const prefetcher[BH_CORES_PER_TILE] = {
        [BH_BRISC] = "firmware/prefetch.elf"};
    struct fast *f = dev->fast;
    struct ttm_chip *c = &dev->chip;
    uint8_t block[CQ_CTRL_BLOCK]; /* 16 KiB: on the stack, so every device has its own */
    cq_ctrl_image(&f->q, f->rects, f->n_rects, f->n_workers, block);
    int rc = chip_write32(c, f->q.pf.x, f->q.pf.y, BH_SOFT_RESET_0, BH_RESET_ALL_RISCS);
    if (!rc)
        rc = chip_write32(c, f->q.dp.x, f->q.dp.y, BH_SOFT_RESET_0, BH_RESET_ALL_RISCS);
    uint32_t col = c->grid_x; /* the reserved column, just past the workers */
    if (!rc)
        rc = chip_boot_core(c, col, 1, dispatcher, TTM_L1_CQ_CTRL, block, CQ_CTRL_BLOCK, b);
    if (!rc)
        rc = chip_boot_core(c, col, 0, prefetcher, TTM_L1_CQ_CTRL, block, CQ_CTRL_BLOCK, b);
    return rc ? err_wrap(rc, "booting the dispatch cores") : 0;
}
