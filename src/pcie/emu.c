/* The emulator backend: our chip model in-process. BAR accesses go straight into it, host
 * memory the device can reach is ordinary memory the model reaches through its host-memory
 * callbacks, and waiting clocks the model. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../emu/bhemu.h"
#include "../util/err.h"
#include "model.h"
#include "ttm.h"

struct emu_port {
    struct model_port model;   /* first: the shared model ops find it at priv */
    bhemu *emu;
};

/* The device reaching host memory: only the regions handed out, each within bounds. */
static int host_access(void *ctx, uint64_t offset, void *buf, size_t len, int write)
{
    const struct model_host_region *r = model_host_find(ctx, offset, len);
    if (!r)
        return -EFAULT;
    uint8_t *mem = (uint8_t *)r->host + (offset - r->offset);
    if (write)
        memcpy(mem, buf, len);
    else
        memcpy(buf, mem, len);
    return 0;
}

static int host_read(void *ctx, uint64_t offset, void *dst, size_t len)
{
    return host_access(ctx, offset, dst, len, 0);
}

static int host_write(void *ctx, uint64_t offset, const void *src, size_t len)
{
    return host_access(ctx, offset, (void *)src, len, 1);
}

/* The default: a thread per processor, at most EMU_DEFAULT_THREADS_MAX. The clock hands
 * work to the others only while enough tiles are busy for it to pay (emu/sched.c), so
 * a mostly idle chip runs as it would on one. */
#define EMU_DEFAULT_THREADS_MAX 8

/* Host threads for the clock: the option, else TTM_EMU_THREADS, else the default. */
static int emu_threads(const struct ttm_device_opts *opts, uint32_t *threads)
{
    *threads = opts ? opts->emu_threads : 0;
    const char *env = getenv("TTM_EMU_THREADS");
    if (!*threads && env && *env) {
        char *end;
        unsigned long v = strtoul(env, &end, 10);
        if (*end || v > BHEMU_MAX_THREADS)
            return err_set(-EINVAL, "TTM_EMU_THREADS=\"%s\": expected 0 to %u", env,
                           BHEMU_MAX_THREADS);
        *threads = (uint32_t)v;
    }
    if (*threads > BHEMU_MAX_THREADS)
        return err_set(-EINVAL, "emu_threads %u: at most %u", *threads, BHEMU_MAX_THREADS);
    if (!*threads) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        *threads = cpus < 1 ? 1 : cpus > EMU_DEFAULT_THREADS_MAX ? EMU_DEFAULT_THREADS_MAX
                                                                 : (uint32_t)cpus;
    }
    return 0;
}

static int emu_open(struct ttm_pcie *p, const struct ttm_device_opts *opts)
{
    struct bhemu_config cfg;
    uint32_t board = opts ? opts->emu_board : BHEMU_P100A;
    if (board != BHEMU_P100A && board != BHEMU_P150A)
        return err_set(-EINVAL, "backend emu: unknown board %u", board);
    bhemu_config_default(board, &cfg);
    /* Each mask left at 0 keeps the board's default. */
    if (opts && opts->emu_tensix_cols_off)
        cfg.tensix_cols_off = opts->emu_tensix_cols_off;
    if (opts && opts->emu_dram_banks_off)
        cfg.dram_banks_off = opts->emu_dram_banks_off;
    int rc = emu_threads(opts, &cfg.threads);
    if (rc)
        return rc;
    struct emu_port *port = calloc(1, sizeof *port);
    if (!port)
        return err_set(-ENOMEM, "backend emu: out of memory");
    rc = bhemu_create(&cfg, &port->emu);
    if (rc) {
        free(port);
        if (rc != -EINVAL)
            return err_set(rc, "backend emu: cannot create the chip with %u threads",
                           cfg.threads);
        return err_set(rc, "backend emu: invalid harvesting for this board (columns 0x%x, "
                           "DRAM banks 0x%x)", cfg.tensix_cols_off, cfg.dram_banks_off);
    }
    model_init(&port->model);
    struct bhemu_host_mem_ops host = {host_read, host_write, &port->model};
    bhemu_set_host_mem_ops(port->emu, &host);
    p->priv = port;
    return 0;
}

static void emu_close(struct ttm_pcie *p)
{
    struct emu_port *port = p->priv;
    bhemu_destroy(port->emu);
    free(port);
    p->priv = NULL;
}

static int emu_config_read32(struct ttm_pcie *p, uint32_t offset, uint32_t *val)
{
    struct emu_port *port = p->priv;
    *val = bhemu_pci_config_read32(port->emu, offset);
    return 0;
}

static int emu_bar_read(struct ttm_pcie *p, unsigned bar, uint64_t offset, void *dst, size_t len)
{
    struct emu_port *port = p->priv;
    return bhemu_bar_read(port->emu, bar, offset, dst, len);
}

static int emu_bar_write(struct ttm_pcie *p, unsigned bar, uint64_t offset, const void *src,
                         size_t len)
{
    struct emu_port *port = p->priv;
    return bhemu_bar_write(port->emu, bar, offset, src, len);
}

static int emu_host_mem_alloc(struct ttm_pcie *p, size_t len, void **host, uint64_t *noc_addr)
{
    struct emu_port *port = p->priv;
    uint64_t offset;
    return model_host_alloc(&port->model, "emu", len, host, &offset, noc_addr);
}

static void emu_host_mem_free(struct ttm_pcie *p, void *host, size_t len)
{
    struct emu_port *port = p->priv;
    model_host_free(&port->model, host, len);
}

static int emu_advance(struct ttm_pcie *p, uint64_t cycles)
{
    struct emu_port *port = p->priv;
    return bhemu_clock(port->emu, cycles);
}

static unsigned emu_take_faults(struct ttm_pcie *p, struct pcie_fault *out, unsigned max)
{
    struct emu_port *port = p->priv;
    struct bhemu_fault f;
    unsigned n = 0;
    while (n < max && bhemu_fault_pop(port->emu, &f) == 1) {
        struct pcie_fault *o = &out[n++];
        o->kind = f.cause == BHEMU_FAULT_HOST ? PCIE_FAULT_HOST : PCIE_FAULT_CORE;
        o->core = f.core;
        o->x = f.x;
        o->y = f.y;
        o->pc = f.pc;
        o->addr = f.addr;
        snprintf(o->what, sizeof o->what, "%s", f.what);
    }
    return n;
}

static void emu_describe(struct ttm_pcie *p, char *buf, size_t len)
{
    (void)p;
    snprintf(buf, len, "the emulator, in this process");
}

const struct ttm_pcie_ops pcie_emu_ops = {
    .name = "emu",
    .caps = TTM_PCIE_CAP_PC_SNAPSHOT,
    .open = emu_open,
    .close = emu_close,
    .config_read32 = emu_config_read32,
    .bar_read = emu_bar_read,
    .bar_write = emu_bar_write,
    .tlb_alloc = model_tlb_alloc,
    .tlb_free = model_tlb_free,
    .tlb_configure = model_tlb_configure,
    .tlb_read = model_tlb_read,
    .tlb_write = model_tlb_write,
    .host_mem_alloc = emu_host_mem_alloc,
    .host_mem_free = emu_host_mem_free,
    .advance = emu_advance,
    .take_faults = emu_take_faults,
    .describe = emu_describe,
};
