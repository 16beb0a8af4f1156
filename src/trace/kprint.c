/* Kernel print, the host's side (kprint.h). */
#include "kprint.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../chip/chip.h"
#include "../objects.h"
#include "ttm/kernel/abi.h"

/* A line longer than this is printed in pieces. */
#define LINE_MAX_CHARS 160
/* Looks at the rings while a wait goes on are at least this far apart: each reads every
 * processor's ring head (on a card, a few hundred PCIe reads). */
#define DRAIN_EVERY_MS 10

struct kprint_part {
    char text[LINE_MAX_CHARS];
    uint32_t len;
};

struct kprint {
    FILE *out;
    uint64_t last_ms;
    struct kprint_part *parts;   /* worker * BH_CORES_PER_TILE + proc */
};

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void on_wait(void *arg)
{
    struct ttm_device *dev = arg;
    uint64_t t = now_ms();
    if (t - dev->kprint->last_ms < DRAIN_EVERY_MS)
        return;
    /* A failed look is not the wait's failure: the next one, or the call's end, tries
     * again. */
    if (kprint_drain(dev))
        err_clear();
}

int kprint_open(struct ttm_device *dev)
{
    const char *env = getenv("TTM_KERNEL_PRINT");
    if (!env || !*env || !strcmp(env, "0"))
        return 0;
    struct kprint *k = calloc(1, sizeof *k);
    if (k)
        k->parts = calloc((size_t)dev->chip.n_workers * BH_CORES_PER_TILE, sizeof *k->parts);
    if (!k || !k->parts) {
        free(k);
        return err_set(-ENOMEM, "out of memory");
    }
    k->out = stderr;
    dev->kprint = k;
    dev->chip.wait_hook = on_wait;
    dev->chip.wait_hook_arg = dev;
    return 0;
}

void kprint_close(struct ttm_device *dev)
{
    if (!dev->kprint)
        return;
    dev->chip.wait_hook = NULL;
    free(dev->kprint->parts);
    free(dev->kprint);
    dev->kprint = NULL;
}

void kprint_set_output(struct ttm_device *dev, FILE *out)
{
    if (dev->kprint)
        dev->kprint->out = out;
}

static void emit(struct kprint *k, const struct ttm_chip *c, uint32_t worker, uint32_t proc,
                 struct kprint_part *p)
{
    struct chip_worker w = chip_worker_at(c, worker % c->grid_x, worker / c->grid_x);
    fprintf(k->out, "(%u,%u) [%u,%u] %s: %.*s\n", worker % c->grid_x, worker / c->grid_x, w.x,
            w.y, bh_core_desc(proc)->name, (int)p->len, p->text);
    p->len = 0;
}

/* One ring: the new bytes, split into lines, and `read` moved on so the kernel may go on
 * writing. */
static int drain_ring(struct ttm_device *dev, uint32_t worker, uint32_t proc)
{
    struct ttm_chip *c = &dev->chip;
    struct chip_worker w = chip_worker_at(c, worker % c->grid_x, worker / c->grid_x);
    uint32_t head[2], at = TTM_PRINT_RING_ADDR(proc);
    int rc = chip_read(c, w.x, w.y, at, head, sizeof head);
    if (rc || head[0] == head[1])
        return rc;
    uint32_t n = head[0] - head[1];
    /* Read from the device: more than the ring holds is not a count a kernel made (one
     * wrote over it). Its text is lost; the ring starts over from where it is now. */
    if (n > TTM_PRINT_RING) {
        fprintf(dev->kprint->out, "(%u,%u) [%u,%u] %s: (kernel print ring overwritten; text "
                                  "lost)\n", worker % c->grid_x, worker / c->grid_x, w.x, w.y,
                bh_core_desc(proc)->name);
        return chip_write32(c, w.x, w.y, at + offsetof(struct ttm_print_ring, read), head[0]);
    }
    char text[TTM_PRINT_RING];
    uint32_t first = head[1] % TTM_PRINT_RING, part = n < TTM_PRINT_RING - first ? n
                                                                              : TTM_PRINT_RING - first;
    uint64_t buf = at + offsetof(struct ttm_print_ring, buf);
    rc = chip_read(c, w.x, w.y, buf + first, text, part);
    if (!rc && part < n)
        rc = chip_read(c, w.x, w.y, buf, text + part, n - part);
    if (rc)
        return rc;
    struct kprint_part *p = &dev->kprint->parts[worker * BH_CORES_PER_TILE + proc];
    for (uint32_t i = 0; i < n; i++) {
        if (text[i] == '\n') {
            emit(dev->kprint, c, worker, proc, p);
            continue;
        }
        p->text[p->len++] = text[i];
        if (p->len == LINE_MAX_CHARS)
            emit(dev->kprint, c, worker, proc, p);
    }
    return chip_write32(c, w.x, w.y, at + offsetof(struct ttm_print_ring, read), head[0]);
}

int kprint_drain(struct ttm_device *dev)
{
    if (!dev->kprint)
        return 0;
    dev->kprint->last_ms = now_ms();
    int rc = 0;
    for (uint32_t i = 0; !rc && i < dev->chip.n_workers; i++)
        for (uint32_t p = 0; !rc && p < BH_CORES_PER_TILE; p++)
            rc = drain_ring(dev, i, p);
    fflush(dev->kprint->out);
    return rc ? err_wrap(rc, "reading what kernels printed") : 0;
}

void kprint_last_line(struct ttm_chip *chip, uint32_t x, uint32_t y, uint32_t proc, char *buf,
                      size_t len)
{
    struct ttm_print_ring r;
    buf[0] = 0;
    if (chip_read(chip, x, y, TTM_PRINT_RING_ADDR(proc), &r, sizeof r) || !r.written ||
        len < 2)
        return;
    /* Back from the last byte written, past a final newline, to the one before. */
    uint32_t end = r.written, avail = r.written < TTM_PRINT_RING ? r.written : TTM_PRINT_RING;
    if (r.buf[(end - 1) % TTM_PRINT_RING] == '\n') {
        end--;
        avail--;
    }
    uint32_t n = 0;
    while (n < avail && n + 1 < len && r.buf[(end - n - 1) % TTM_PRINT_RING] != '\n')
        n++;
    for (uint32_t i = 0; i < n; i++) {
        char ch = r.buf[(end - n + i) % TTM_PRINT_RING];
        buf[i] = ch >= ' ' && ch < 127 ? ch : '?'; /* read from the device: printable only */
    }
    buf[n] = 0;
}
