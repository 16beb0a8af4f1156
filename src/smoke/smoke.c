/* The first-hour check of a card (or of any backend): each step a line, stopping at the
 * first that fails. Until the firmware step it needs nothing of ours on the device, so a
 * failure points at the card, the driver or the machine rather than at ttm's firmware.
 * The order follows kmd-facts 7: driver, PCIe tile, ARC and telemetry (which waits for the
 * DRAM training), every core's NoC id, L1 and DRAM patterns, host memory the card
 * writes, then our firmware and a launch. */
#include "smoke.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../chip/chip.h"
#include "../chip/grid.h"
#include "../pcie/pcie.h"
#include "../util/err.h"
#include "ttm.h"

#define PATTERN_BYTES 4096u
#define DRAM_PATTERN_ADDR 0x10000u     /* the start of a bank's usable range (chip.c) */
#define HOST_BYTES 0x10000u

static void say(FILE *out, int rc, const char *step, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void say(FILE *out, int rc, const char *step, const char *fmt, ...)
{
    fprintf(out, "%-4s %-12s ", rc ? "FAIL" : "ok", step);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(out, fmt, ap);
    va_end(ap);
    fputc('\n', out);
    fflush(out);
}

static void pattern(uint32_t *w, size_t words, uint32_t seed)
{
    for (size_t i = 0; i < words; i++)
        w[i] = (uint32_t)(i * 2654435761u) ^ seed;
}

/* PCI identity, and the PCIe tile's NoC id and coordinate translation through BAR0. */
static int step_pcie(struct ttm_chip *chip, FILE *out)
{
    uint32_t id = 0, node = 0, cfg = 0;
    int rc = chip->pcie.ops->config_read32(&chip->pcie, 0, &id);
    uint64_t niu = BH_PCIE_NIU_BAR0 + BH_PCIE_NIU0_OFF;
    if (!rc)
        rc = chip->pcie.ops->bar_read(&chip->pcie, 0, niu + BH_NOC_NODE_ID, &node, 4);
    if (!rc)
        rc = chip->pcie.ops->bar_read(&chip->pcie, 0, niu + BH_NIU_CFG_0, &cfg, 4);
    if (!rc && ((id & 0xFFFF) != BH_PCI_VENDOR || id >> 16 != BH_PCI_DEVICE))
        rc = err_set(-ENODEV, "PCI id %04x:%04x is not a Blackhole", id & 0xFFFF, id >> 16);
    if (!rc && node == 0xFFFFFFFFu)
        rc = err_set(-ENODEV, "the PCIe tile reads all-ones: the card is not responding");
    if (!rc && !(cfg & BH_NIU_CFG_0_TRANSLATE))
        rc = err_set(-ENODEV, "NoC coordinate translation is off (NIU_CFG_0 0x%08x)", cfg);
    if (rc) {
        say(out, rc, "pcie", "%s", err_get());
        return rc;
    }
    say(out, 0, "pcie", "Blackhole %04x:%04x, PCIe tile at NoC 0 (%u,%u), translation on",
        id & 0xFFFF, id >> 16, node & 0x3F, node >> 6 & 0x3F);
    return 0;
}

/* ARC boot, telemetry and the DRAM training, as opening a device waits for them. */
static int step_arc(struct ttm_chip *chip, FILE *out)
{
    int rc = grid_discover(chip);
    if (rc) {
        say(out, rc, "arc", "%s", err_get());
        return rc;
    }
    uint32_t fw = 0, aiclk = 0;
    bool have_fw = !grid_telemetry(chip, BH_TAG_FLASH_BUNDLE_VERSION, &fw);
    bool have_clk = !grid_telemetry(chip, BH_TAG_AICLK, &aiclk);
    char fw_text[24] = "not reported", clk_text[24] = "not reported";
    if (have_fw)
        snprintf(fw_text, sizeof fw_text, "%u.%u.%u", fw >> 24, fw >> 16 & 0xFF, fw >> 8 & 0xFF);
    if (have_clk)
        snprintf(clk_text, sizeof clk_text, "%u MHz", aiclk);
    say(out, 0, "arc", "%s, %u x %u workers, %u DRAM banks trained, firmware %s, AICLK %s",
        chip->board == TTM_BOARD_P150A ? "P150A" : "P100A", chip->grid_x, chip->grid_y,
        chip->n_dram, fw_text, clk_text);
    return 0;
}

/* Every worker answers with its own translated coordinates (tt-kmd test/tlbs.cpp). */
static int step_tensix(struct ttm_chip *chip, FILE *out)
{
    for (uint32_t ly = 0; ly < chip->grid_y; ly++) {
        for (uint32_t lx = 0; lx < chip->grid_x; lx++) {
            struct chip_worker w = chip_worker_at(chip, lx, ly);
            uint32_t id = 0;
            int rc = chip_read32(chip, w.x, w.y, BH_NIU_BASE(0) + BH_NOC_ID_LOGICAL, &id);
            if (!rc && (id & 0xFFF) != (w.x | (uint32_t)w.y << 6))
                rc = err_set(-EIO, "worker (%u,%u) at NoC (%u,%u) answers as (%u,%u)", lx, ly,
                             w.x, w.y, id & 0x3F, id >> 6 & 0x3F);
            if (rc) {
                say(out, rc, "tensix", "%s", err_get());
                return rc;
            }
        }
    }
    say(out, 0, "tensix", "all %u workers answer with their own NoC id", chip->n_workers);
    return 0;
}

/* A pattern written to every target, then read back from every one: a target that
 * aliases another shows. */
static int patterns(struct ttm_chip *chip, FILE *out, const char *step, bool dram)
{
    uint32_t n = dram ? chip->n_dram : chip->n_workers;
    uint64_t addr = dram ? DRAM_PATTERN_ADDR : TTM_L1_UNRESERVED;
    uint32_t want[PATTERN_BYTES / 4], got[PATTERN_BYTES / 4];
    for (int pass = 0; pass < 2; pass++) {
        for (uint32_t i = 0; i < n; i++) {
            uint32_t x, y;
            if (dram) {
                x = chip->dram_x[i], y = chip->dram_y[i];
            } else {
                struct chip_worker w = chip_worker_at(chip, i % chip->grid_x, i / chip->grid_x);
                x = w.x, y = w.y;
            }
            pattern(want, PATTERN_BYTES / 4, x << 8 | y);
            int rc = pass ? chip_read(chip, x, y, addr, got, PATTERN_BYTES)
                          : chip_write(chip, x, y, addr, want, PATTERN_BYTES);
            if (!rc && pass && memcmp(want, got, PATTERN_BYTES))
                rc = err_set(-EIO, "%s at NoC (%u,%u) 0x%" PRIx64 " reads back wrong", step, x,
                             y, addr);
            if (rc) {
                say(out, rc, step, "%s", err_get());
                return rc;
            }
        }
    }
    say(out, 0, step, "%u bytes written and read back on each of %u %s", PATTERN_BYTES, n,
        dram ? "banks" : "workers");
    return 0;
}

/* Host memory the device reaches: the PCIe tile, through a window, writes it (tt-umd's
 * sysmem loopback); a read behind the writes makes sure they have landed. */
static int step_host(struct ttm_chip *chip, FILE *out)
{
    void *mem;
    uint64_t noc;
    int rc = chip->pcie.ops->host_mem_alloc(&chip->pcie, HOST_BYTES, &mem, &noc);
    if (rc) {
        say(out, rc, "host memory", "%s", err_get());
        return rc;
    }
    uint32_t want[PATTERN_BYTES / 4], back;
    pattern(want, PATTERN_BYTES / 4, 0xC0DE);
    rc = chip_write(chip, BH_XLAT_PCIE_X, BH_XLAT_PCIE_Y, noc, want, PATTERN_BYTES);
    if (!rc)
        rc = chip_read32(chip, BH_XLAT_PCIE_X, BH_XLAT_PCIE_Y, noc, &back);
    if (!rc && memcmp(mem, want, PATTERN_BYTES))
        rc = err_set(-EIO, "what the card wrote at NoC address 0x%" PRIx64 " is not in host "
                           "memory", noc);
    chip->pcie.ops->host_mem_free(&chip->pcie, mem, HOST_BYTES);
    if (rc)
        say(out, rc, "host memory", "%s", err_get());
    else
        say(out, 0, "host memory", "%u KiB at NoC address 0x%" PRIx64 ", written by the card",
            HOST_BYTES / 1024, noc);
    return rc;
}

/* Every worker writes its own NoC coordinates into its page of a DRAM buffer. */
static const char launch_src[] =
    "#include <ttm/kernel/dataflow.h>\n"
    "void kernel_main(void) {\n"
    "    volatile uint32_t *w = (volatile uint32_t *)get_arg_val(2);\n"
    "    w[0] = 0x5A000000u | my_x() << 8 | my_y();\n"
    "    noc_async_write(get_arg_val(2), interleaved_noc_addr(get_arg_val(0), 64, 1,\n"
    "                                                         get_arg_val(1), 0), 64);\n"
    "    noc_async_write_barrier();\n"
    "}\n";

static int launch(ttm_device *dev, const struct ttm_device_info *info)
{
    ttm_buffer *buf = NULL;
    ttm_program *prog = NULL;
    ttm_kernel *k;
    uint32_t n = info->num_workers, *got = calloc(n, 64);
    struct ttm_core_range all = {0, 0, info->grid_x - 1, info->grid_y - 1};
    struct ttm_kernel_opts ko = {.argsz = sizeof ko, .processor = TTM_RISCV_0};
    int rc = got ? 0 : -ENOMEM;
    if (!rc)
        rc = ttm_buffer_create_interleaved(dev, 64ull * n, 64, TTM_BUFFER_DRAM, &buf);
    if (!rc)
        rc = ttm_program_create(dev, &prog);
    if (!rc)
        rc = ttm_kernel_create_dataflow_from_string(prog, launch_src, &all, 1, &ko, &k);
    for (uint32_t i = 0; !rc && i < n; i++) {
        uint32_t args[3] = {(uint32_t)ttm_buffer_address(buf), i, info->l1_unreserved};
        rc = ttm_set_runtime_args(prog, k, i % info->grid_x, i / info->grid_x, args, 3);
    }
    if (!rc)
        rc = ttm_program_launch(dev, prog, 0);
    if (!rc)
        rc = ttm_buffer_read(buf, 0, got, 64ull * n);
    for (uint32_t i = 0; !rc && i < n; i++) {
        uint32_t x, y;
        rc = ttm_core_noc_xy(dev, i % info->grid_x, i / info->grid_x, 0, &x, &y);
        if (!rc && got[16 * i] != (0x5A000000u | x << 8 | y))
            rc = err_set(-EIO, "worker (%u,%u) wrote 0x%08x, not 0x%08x", i % info->grid_x,
                         i / info->grid_x, got[16 * i], 0x5A000000u | x << 8 | y);
    }
    if (prog)
        ttm_program_destroy(prog);
    if (buf)
        ttm_buffer_destroy(buf);
    free(got);
    return rc;
}

static int step_firmware(const struct ttm_device_opts *opts, FILE *out)
{
    ttm_device *dev;
    struct ttm_device_info info = {.argsz = sizeof info};
    int rc = ttm_device_create_opts(opts, &dev);
    if (rc) {
        say(out, rc, "firmware", "%s", ttm_last_error());
        return rc;
    }
    if ((rc = ttm_device_info(dev, &info))) {
        say(out, rc, "firmware", "%s", ttm_last_error());
        ttm_device_close(dev);
        return rc;
    }
    const char *mode = info.dispatch == TTM_DISPATCH_FAST ? "fast" : "slow";
    say(out, 0, "firmware", "booted on %u workers, %s dispatch", info.num_workers, mode);
    rc = launch(dev, &info);
    if (rc)
        say(out, rc, "launch", "%s", ttm_last_error());
    else
        say(out, 0, "launch", "a kernel on every worker wrote its NoC id to DRAM");
    int close_rc = ttm_device_close(dev);
    return rc ? rc : close_rc;
}

int smoke_run(const struct ttm_device_opts *opts, FILE *out)
{
    const char *name = opts && opts->backend ? opts->backend : pcie_default_backend();
    const struct ttm_pcie_ops *ops = pcie_backend(name);
    if (!ops) {
        say(out, -EINVAL, "open", "unknown backend \"%s\"", name);
        return -EINVAL;
    }
    /* The chip layer over a port opened by hand: windows, reads and writes work before
     * anything is known of the grid. */
    struct ttm_chip *chip = calloc(1, sizeof *chip);
    if (!chip) {
        say(out, -ENOMEM, "open", "out of memory");
        return -ENOMEM;
    }
    chip->pcie.ops = ops;
    int rc = ops->open(&chip->pcie, opts);
    if (rc) {
        say(out, rc, "open", "%s", err_get());
        free(chip);
        return rc;
    }
    char what[160] = "";
    if (ops->describe)
        ops->describe(&chip->pcie, what, sizeof what);
    say(out, 0, "open", "backend %s: %s", ops->name, what);
    rc = step_pcie(chip, out);
    if (!rc)
        rc = step_arc(chip, out);
    if (!rc)
        rc = step_tensix(chip, out);
    if (!rc)
        rc = patterns(chip, out, "l1", false);
    if (!rc)
        rc = patterns(chip, out, "dram", true);
    if (!rc)
        rc = step_host(chip, out);
    chip_tlb_release(chip);
    ops->close(&chip->pcie);
    free(chip);
    if (!rc) {
        struct ttm_device_opts o = {.argsz = sizeof o};
        if (opts)
            o = *opts;
        o.backend = ops->name;
        rc = step_firmware(&o, out);
    }
    return rc;
}
