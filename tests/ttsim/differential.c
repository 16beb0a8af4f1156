/* Scenarios run on the emulator and on Tenstorrent's simulator and compared byte for byte
 * (the harness is diff.h): boot, buffers, the add1 example, NoC traffic, host memory, the
 * RV32 ISA and F subset, the command queue, registers and rows the two must treat alike.
 * A scenario records what it observed (return codes, buffer contents, chosen L1 regions
 * read back through the chip layer) as named sections; most also check their results
 * against what the host expects, so a scenario both backends get wrong in the same way
 * still fails.
 *
 * Without TTSIM_LIB every ttsim test is skipped; each scenario still runs on the emulator
 * alone with its own checks (<name>_on_emu), so a difference once fixed stays fixed.
 * Adding a scenario: write `static int name(ttm_device *dev, struct rec *r)` that records
 * sections with rec_*() and returns 0 (or a negative errno, with ttm_last_error() set),
 * then one DIFF_TEST(name).
 *
 *   TTSIM_LIB=/path/to/libttsim.so build/tests/ttsim_differential [name-filter]
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../examples/add1_kernels.h"
#include "../e2e/queue_sequence.h"
#include "../rv32/crosscheck_algo.h"
#include "../rv32/fp_operands.h"
#include "../rv32/fp_ops.h"
#include "../rv32/rvtest.h"
#include "diff.h"
#include "objects.h"
#include "test.h"
#include "ttm.h"

/* ---- Scenarios ---- */

/* Device discovery and firmware boot: the grid, DRAM banks and board identity, then every
 * worker's mailbox and bank table as the firmware left them. */
static int boot(ttm_device *dev, struct rec *r)
{
    struct ttm_device_info info = {.argsz = sizeof info};
    TRY(ttm_device_info(dev, &info));
    /* ttsim's chip has nothing harvested; fast dispatch keeps its last column. */
    uint32_t cols = fast_dispatch() ? 13 : 14;
    EXPECT(info.board == TTM_BOARD_P150A && info.grid_x == cols && info.grid_y == 10 &&
               info.num_dram_banks == 8 && info.dispatch == dispatch_mode,
           "board %u grid %ux%u banks %u dispatch %u", info.board, info.grid_x, info.grid_y,
           info.num_dram_banks, info.dispatch);
    rec_text(r, "device", "board %u grid %ux%u workers %u dram banks %u bank size 0x%llx "
             "dispatch %u", info.board, info.grid_x, info.grid_y, info.num_workers,
             info.num_dram_banks, (unsigned long long)info.dram_bank_size, info.dispatch);
    struct ttm_chip *c = &dev->chip;
    rec_section(r, "column x", c->col_x, sizeof c->col_x);
    rec_section(r, "dram x", c->dram_x, sizeof c->dram_x);
    rec_section(r, "dram y", c->dram_y, sizeof c->dram_y);
    TRY(rec_mailboxes(r, dev, "mailboxes after boot"));
    for (uint32_t i = 0; i < c->n_workers; i++) {
        struct ttm_mailbox mb;
        struct chip_worker w = chip_worker_at(c, i % c->grid_x, i / c->grid_x);
        TRY(chip_read(c, w.x, w.y, TTM_L1_MAILBOX, &mb, sizeof mb));
        EXPECT(TTM_GO_SIGNAL(mb.go) == TTM_RUN_MSG_DONE && mb.fw_version == TTM_FW_ABI_VERSION &&
                   mb.ncrisc_sync == TTM_SYNC_DONE && mb.logical_x == i % c->grid_x &&
                   mb.noc_x == w.x && mb.postcode[BH_BRISC] == TTM_PC_IDLE && mb.postcode[BH_NCRISC] == TTM_PC_IDLE,
               "worker %u mailbox go 0x%x fw %u sync %u", i, mb.go, mb.fw_version, mb.ncrisc_sync);
    }
    TRY(rec_l1(r, dev, 0, 0, TTM_L1_BANK_TABLE, sizeof(struct ttm_bank_table), "bank table"));
    TRY(rec_l1(r, dev, c->grid_x - 1, 9, TTM_L1_BANK_TABLE, sizeof(struct ttm_bank_table),
               "bank table"));
    TRY(rec_l1(r, dev, 5, 5, 0, 16, "boot jump"));
    return 0;
}
DIFF_TEST(boot)

static void pattern(uint8_t *p, size_t n, uint32_t seed)
{
    uint32_t x = seed * 2654435761u + 1;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        p[i] = (uint8_t)x;
    }
}

/* Interleaved buffers in DRAM and L1 with several page sizes: whole and partial writes
 * and reads at odd offsets, and each bank's raw bytes where the layout puts them. */
static int buffers(ttm_device *dev, struct rec *r)
{
    static const struct { uint32_t type, page, pages; } cases[] = {
        {TTM_BUFFER_DRAM, 64, 40},    {TTM_BUFFER_DRAM, 1024, 21},
        {TTM_BUFFER_DRAM, 4096, 17},  {TTM_BUFFER_DRAM, 32768, 9},
        {TTM_BUFFER_DRAM, 2u << 20, 3}, {TTM_BUFFER_L1, 16, 300},
        {TTM_BUFFER_L1, 1024, 150},   {TTM_BUFFER_L1, 4096, 141},
        {TTM_BUFFER_L1, 65536, 2},
    };
    struct ttm_chip *c = &dev->chip;
    for (unsigned k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        uint64_t size = (uint64_t)cases[k].page * cases[k].pages;
        uint8_t *in = malloc(size), *back = malloc(size);
        ttm_buffer *b = NULL;
        int rc = in && back ? 0 : -ENOMEM;
        if (!rc)
            rc = ttm_buffer_create_interleaved(dev, size, cases[k].page, cases[k].type, &b);
        if (!rc) {
            char name[64];
            pattern(in, size, k);
            rc = ttm_buffer_write(b, 0, in, size);
            /* Overwrite an unaligned stretch in the middle, then read it all back. (At most
             * 100 KiB: fast dispatch realigns such data with the dispatcher's CPU, and
             * ttsim clocks every spinning core on each of those cycles.) */
            uint64_t off = size / 3 + 3, len = size / 4 + 5;
            if (len > 100000)
                len = 100000;
            pattern(in + off, len, 100 + k);
            if (!rc)
                rc = ttm_buffer_write(b, off, in + off, len);
            if (!rc)
                rc = ttm_buffer_read(b, 0, back, size);
            if (!rc && memcmp(in, back, size)) {
                printf("  expectation failed: buffer %u read back differs\n", k);
                rc = -EPROTO;
            }
            snprintf(name, sizeof name, "buffer %u (%s, page %u) address", k,
                     cases[k].type ? "L1" : "DRAM", cases[k].page);
            rec_u32(r, name, (uint32_t)ttm_buffer_address(b));
            snprintf(name, sizeof name, "buffer %u contents", k);
            if (!rc)
                rec_section(r, name, back, size);
            /* A partial read at an odd offset (at most 100 KiB, as above). */
            uint64_t plen = size - 11 < 100000 ? size - 11 : 100000;
            if (!rc)
                rc = ttm_buffer_read(b, 7, back, plen);
            snprintf(name, sizeof name, "buffer %u partial read", k);
            if (!rc)
                rec_section(r, name, back, plen);
            /* Bank 1's first page, straight from the bank. */
            uint32_t x, y;
            if (cases[k].type == TTM_BUFFER_DRAM) {
                x = c->dram_x[1], y = c->dram_y[1];
            } else {
                struct chip_worker w = chip_worker_at(c, 1, 0);
                x = w.x, y = w.y;
            }
            if (!rc)
                rc = chip_read(c, x, y, ttm_buffer_address(b), back, cases[k].page);
            snprintf(name, sizeof name, "buffer %u bank 1 page", k);
            if (!rc)
                rec_section(r, name, back, cases[k].page);
        }
        if (b)
            ttm_buffer_destroy(b);
        free(in);
        free(back);
        TRY(rc);
    }
    return 0;
}
DIFF_TEST(buffers)

/* The add1 example's program, kernels from examples/add1_kernels.h, on every worker. */
struct add1 {
    ttm_program *prog;
    ttm_buffer *in, *out;
    ttm_kernel *reader, *writer;
    uint32_t pages;
};

static int add1_setup(ttm_device *dev, struct ttm_core_range all, uint32_t per_core,
                      uint32_t page, struct add1 *a)
{
    uint32_t cores = (all.x1 - all.x0 + 1) * (all.y1 - all.y0 + 1);
    a->pages = cores * per_core;
    uint64_t bytes = (uint64_t)a->pages * page;
    TRY(ttm_buffer_create_interleaved(dev, bytes, page, TTM_BUFFER_DRAM, &a->in));
    TRY(ttm_buffer_create_interleaved(dev, bytes, page, TTM_BUFFER_DRAM, &a->out));
    TRY(ttm_program_create(dev, &a->prog));
    TRY(ttm_cb_create(a->prog, &all, 1, 0, 2 * page, page, TTM_FORMAT_UINT32, NULL));
    struct ttm_kernel_opts ro = {.argsz = sizeof ro, .processor = TTM_RISCV_1, .noc = 1};
    struct ttm_kernel_opts wo = {.argsz = sizeof wo, .processor = TTM_RISCV_0, .noc = 0};
    TRY(ttm_kernel_create_dataflow_from_string(a->prog, add1_reader_src, &all, 1, &ro, &a->reader));
    TRY(ttm_kernel_create_dataflow_from_string(a->prog, add1_writer_src, &all, 1, &wo, &a->writer));
    TRY(ttm_set_common_runtime_args(a->prog, a->reader, &page, 1));
    TRY(ttm_set_common_runtime_args(a->prog, a->writer, &page, 1));
    uint32_t i = 0;
    for (uint32_t y = all.y0; y <= all.y1; y++) {
        for (uint32_t x = all.x0; x <= all.x1; x++, i++) {
            uint32_t ra[3] = {(uint32_t)ttm_buffer_address(a->in), i * per_core, per_core};
            uint32_t wa[3] = {(uint32_t)ttm_buffer_address(a->out), i * per_core, per_core};
            TRY(ttm_set_runtime_args(a->prog, a->reader, x, y, ra, 3));
            TRY(ttm_set_runtime_args(a->prog, a->writer, x, y, wa, 3));
        }
    }
    return 0;
}

static void add1_free(struct add1 *a)
{
    if (a->prog)
        ttm_program_destroy(a->prog);
    if (a->in)
        ttm_buffer_destroy(a->in);
    if (a->out)
        ttm_buffer_destroy(a->out);
}

/* Fill the input, launch, check and record the output. */
static int add1_run(ttm_device *dev, struct add1 *a, uint32_t seed, struct rec *r,
                    const char *what)
{
    size_t bytes = (size_t)ttm_buffer_size(a->in), words = bytes / 4;
    uint32_t *in = malloc(bytes), *out = malloc(bytes);
    int rc = in && out ? 0 : -ENOMEM;
    for (size_t i = 0; !rc && i < words; i++)
        in[i] = (uint32_t)(i * 2654435761u) ^ seed;
    if (!rc)
        rc = ttm_buffer_write(a->in, 0, in, bytes);
    if (!rc)
        rc = ttm_program_launch(dev, a->prog, 0);
    if (!rc)
        rc = ttm_buffer_read(a->out, 0, out, bytes);
    size_t bad = 0;
    for (size_t i = 0; !rc && i < words; i++)
        bad += out[i] != in[i] + 1;
    if (!rc)
        rec_section(r, what, out, bytes);
    free(in);
    free(out);
    if (!rc && bad) {
        printf("  expectation failed: %s: %zu of %zu words wrong\n", what, bad, words);
        return -EPROTO;
    }
    return rc;
}

static int add1_example(ttm_device *dev, struct rec *r)
{
    struct ttm_chip *c = &dev->chip;
    struct ttm_core_range all = {0, 0, c->grid_x - 1, c->grid_y - 1};
    struct add1 a = {0};
    int rc = add1_setup(dev, all, 4, 4096, &a);
    if (!rc)
        rc = add1_run(dev, &a, 1, r, "add1 output");
    /* What the launch left behind: mailboxes, kernel-config images and the CB pages. */
    if (!rc)
        rc = rec_mailboxes(r, dev, "mailboxes after add1");
    const uint32_t probe[][2] = {{0, 0}, {7, 4}, {c->grid_x - 1, 9}};
    for (unsigned i = 0; !rc && i < 3; i++) {
        uint32_t cb_addr = (uint32_t)a.prog->cbs[0]->addr;
        rc = rec_l1(r, dev, probe[i][0], probe[i][1], TTM_L1_KERNEL_CONFIG, 0x2000, "kernel config");
        if (!rc)
            rc = rec_l1(r, dev, probe[i][0], probe[i][1], cb_addr, 2 * 4096, "CB 0");
    }
    add1_free(&a);
    return rc;
}
DIFF_TEST(add1_example)

/* add1 again with another page size, twice on the same program and on two programs over
 * disjoint rectangles (two kernel groups, relaunches with new data). */
static int add1_relaunch(ttm_device *dev, struct rec *r)
{
    struct add1 a = {0}, b = {0};
    uint32_t last = dev->chip.grid_x - 1;
    int rc = add1_setup(dev, (struct ttm_core_range){0, 0, 6, 9}, 3, 2048, &a);
    if (!rc)
        rc = add1_setup(dev, (struct ttm_core_range){7, 2, last, 7}, 2, 16384, &b);
    for (uint32_t round = 0; !rc && round < 2; round++) {
        char name[32];
        snprintf(name, sizeof name, "left round %u", round);
        rc = add1_run(dev, &a, 10 + round, r, name);
        snprintf(name, sizeof name, "right round %u", round);
        if (!rc)
            rc = add1_run(dev, &b, 20 + round, r, name);
    }
    if (!rc)
        rc = rec_mailboxes(r, dev, "mailboxes after relaunches");
    add1_free(&a);
    add1_free(&b);
    return rc;
}
DIFF_TEST(add1_relaunch)

/* A NoC-heavy program on every worker. Each worker owns page `me` of an L1 buffer (the
 * same address on every core) laid out as:
 *   +0     its own 1 KiB block            +1024  the block its left neighbour wrote
 *   +2048  block A, multicast by worker 0 over NoC 0 (two rectangles, one with loopback)
 *   +3072  block B, multicast by the last worker's NCRISC over NoC 1
 *   +4096  results: [0] stream 40 register 8 as the left neighbour's inline write left it,
 *          [1] checksum of the received block, [2] the right neighbour's NOC_ID_LOGICAL
 *          read over the NoC, [3] worker 0: the counter all workers incremented atomically
 *   +5120  the left neighbour's own block, read L1 to L1 over NoC 1 by the NCRISC
 * Semaphores: 0 ring arrival, 1 counter on worker 0, 2 block A done, 3 block B done.
 * Args (both kernels): {buffer base, workers, grid_x, last column of rectangle 1}. */
#define NOC_HEAVY_COMMON                                                                \
    "#include <ttm/kernel/dataflow.h>\n"                                                \
    "#define SEM(i) ((volatile uint32_t *)(uintptr_t)get_semaphore(i))\n"              \
    "static uint64_t at(uint32_t w, uint32_t addr) {\n"                                \
    "    uint32_t xy = ttm_bank_table()->l1_xy[w];\n"                                   \
    "    return get_noc_addr(xy & 0x3F, xy >> 6, addr);\n"                              \
    "}\n"                                                                               \
    "static uint64_t rect(uint32_t gx, uint32_t x0, uint32_t x1, uint32_t addr) {\n"  \
    "    uint32_t a = ttm_bank_table()->l1_xy[x0], b = ttm_bank_table()->l1_xy[9 * gx + x1];\n" \
    "    return get_noc_multicast_addr(a & 0x3F, a >> 6, b & 0x3F, b >> 6, addr);\n"    \
    "}\n"

static const char noc_heavy_brisc[] =
    NOC_HEAVY_COMMON
    "void kernel_main(void) {\n"
    "    uint32_t base = get_common_arg_val(0), n = get_common_arg_val(1);\n"
    "    uint32_t gx = get_common_arg_val(2), c1 = get_common_arg_val(3);\n"
    "    uint32_t me = my_logical_y() * gx + my_logical_x(), right = (me + 1) % n;\n"
    "    volatile uint32_t *blk = (volatile uint32_t *)(uintptr_t)base;\n"
    "    volatile uint32_t *res = (volatile uint32_t *)(uintptr_t)(base + 4096);\n"
    "    for (uint32_t k = 0; k < 256; k++) blk[k] = me * 1000 + k;\n"
    "    noc_async_write(base, at(right, base + 1024), 1024);\n"
    "    noc_inline_dw_write(at(right, BH_STREAM_REG(40, 8)), 0x100 + me);\n"
    "    noc_async_write_barrier();\n"
    "    noc_semaphore_inc(at(right, get_semaphore(0)), 1);\n"
    "    noc_async_atomic_barrier();\n"
    "    noc_semaphore_wait(SEM(0), 1);\n"
    "    res[0] = *(volatile uint32_t *)(uintptr_t)BH_STREAM_REG(40, 8);\n"
    "    uint32_t sum = 0;\n"
    "    for (uint32_t k = 0; k < 256; k++) sum = sum * 31 + blk[256 + k];\n"
    "    res[1] = sum;\n"
    "    noc_async_read(at(right, BH_NIU_BASE(0) + BH_NOC_ID_LOGICAL), base + 4096 + 8, 4);\n"
    "    noc_async_read_barrier();\n"
    "    noc_semaphore_inc(at(0, get_semaphore(1)), 1);\n"
    "    noc_async_atomic_barrier();\n"
    "    if (me == 0) {\n"
    "        noc_semaphore_wait(SEM(1), n);\n"
    "        res[3] = *SEM(1);\n"
    "        for (uint32_t k = 0; k < 256; k++) blk[512 + k] = 0xA0000000u + k;\n"
    "        noc_async_write_multicast_loopback_src(base + 2048, rect(gx, 0, c1, base + 2048), 1024, 10 * (c1 + 1));\n"
    "        noc_async_write_multicast(base + 2048, rect(gx, c1 + 1, gx - 1, base + 2048), 1024, 10 * (gx - c1 - 1));\n"
    "        noc_async_write_barrier();\n"
    "        *SEM(2) = 1;\n"
    "        noc_semaphore_set_multicast(get_semaphore(2), rect(gx, 0, c1, get_semaphore(2)), 10 * (c1 + 1) - 1);\n"
    "        noc_semaphore_set_multicast(get_semaphore(2), rect(gx, c1 + 1, gx - 1, get_semaphore(2)), 10 * (gx - c1 - 1));\n"
    "        noc_async_write_barrier();\n"
    "    } else {\n"
    "        noc_semaphore_wait(SEM(2), 1);\n"
    "    }\n"
    "}\n";

static const char noc_heavy_ncrisc[] =
    NOC_HEAVY_COMMON
    "void kernel_main(void) {\n"
    "    uint32_t base = get_common_arg_val(0), n = get_common_arg_val(1);\n"
    "    uint32_t gx = get_common_arg_val(2), c1 = get_common_arg_val(3);\n"
    "    uint32_t me = my_logical_y() * gx + my_logical_x(), left = (me + n - 1) % n;\n"
    "    volatile uint32_t *blk = (volatile uint32_t *)(uintptr_t)base;\n"
    "    if (me == n - 1) {\n"
    "        for (uint32_t k = 0; k < 256; k++) blk[768 + k] = 0xB0000000u + k * 3;\n"
    "        noc_async_write_multicast_loopback_src(base + 3072, rect(gx, c1 + 1, gx - 1, base + 3072), 1024, 10 * (gx - c1 - 1));\n"
    "        noc_async_write_multicast(base + 3072, rect(gx, 0, c1, base + 3072), 1024, 10 * (c1 + 1));\n"
    "        noc_async_write_barrier();\n"
    "        *SEM(3) = 1;\n"
    "        noc_semaphore_set_multicast(get_semaphore(3), rect(gx, c1 + 1, gx - 1, get_semaphore(3)), 10 * (gx - c1 - 1) - 1);\n"
    "        noc_semaphore_set_multicast(get_semaphore(3), rect(gx, 0, c1, get_semaphore(3)), 10 * (c1 + 1));\n"
    "        noc_async_write_barrier();\n"
    "    } else {\n"
    "        noc_semaphore_wait(SEM(3), 1);\n"
    "    }\n"
    "    noc_semaphore_wait_min(SEM(0), 1);\n"
    "    noc_async_read(at(left, base), base + 5120, 1024);\n"
    "    noc_async_read_barrier();\n"
    "}\n";

static int noc_heavy(ttm_device *dev, struct rec *r)
{
    struct ttm_chip *c = &dev->chip;
    uint32_t n = c->n_workers, page = 8192;
    /* Rectangle 1: the logical columns whose translated x run on without a gap. */
    uint32_t c1 = 0;
    while (c1 + 1 < c->grid_x && c->col_x[c1 + 1] == c->col_x[c1] + 1)
        c1++;
    ttm_buffer *b;
    ttm_program *p;
    ttm_kernel *kb, *kn;
    TRY(ttm_buffer_create_interleaved(dev, (uint64_t)n * page, page, TTM_BUFFER_L1, &b));
    uint8_t *zero = calloc(n, page);
    if (!zero)
        return -ENOMEM;
    int rc = ttm_buffer_write(b, 0, zero, (uint64_t)n * page);
    free(zero);
    TRY(rc);
    TRY(ttm_program_create(dev, &p));
    struct ttm_core_range all = {0, 0, c->grid_x - 1, c->grid_y - 1};
    struct ttm_kernel_opts ob = {.argsz = sizeof ob, .processor = TTM_RISCV_0, .noc = 0};
    struct ttm_kernel_opts on = {.argsz = sizeof on, .processor = TTM_RISCV_1, .noc = 1};
    for (uint32_t i = 0; i < 4; i++) { /* semaphores 0..3, at 0 on every worker */
        uint32_t id;
        TRY(ttm_semaphore_create(p, &all, 1, 0, &id));
        EXPECT(id == i, "semaphore %u got id %u", i, id);
    }
    TRY(ttm_kernel_create_dataflow_from_string(p, noc_heavy_brisc, &all, 1, &ob, &kb));
    TRY(ttm_kernel_create_dataflow_from_string(p, noc_heavy_ncrisc, &all, 1, &on, &kn));
    uint32_t args[4] = {(uint32_t)ttm_buffer_address(b), n, c->grid_x, c1};
    TRY(ttm_set_common_runtime_args(p, kb, args, 4));
    TRY(ttm_set_common_runtime_args(p, kn, args, 4));
    TRY(ttm_program_launch(dev, p, 0));
    uint8_t *got = malloc((size_t)n * page);
    if (!got)
        return -ENOMEM;
    rc = ttm_buffer_read(b, 0, got, (uint64_t)n * page);
    if (!rc)
        rec_section(r, "noc-heavy buffer", got, (size_t)n * page);
    /* The host's own expectation of every worker's page. */
    for (uint32_t me = 0; !rc && me < n; me++) {
        const uint32_t *w = (const uint32_t *)(got + (size_t)me * page);
        uint32_t left = (me + n - 1) % n, right = (me + 1) % n, sum = 0;
        struct chip_worker rw = chip_worker_at(c, right % c->grid_x, right / c->grid_x);
        for (uint32_t k = 0; k < 256; k++) {
            EXPECT(w[k] == me * 1000 + k && w[256 + k] == left * 1000 + k &&
                       w[512 + k] == 0xA0000000u + k && w[768 + k] == 0xB0000000u + k * 3 &&
                       w[1280 + k] == left * 1000 + k,
                   "worker %u word %u", me, k);
            sum = sum * 31 + left * 1000 + k;
        }
        EXPECT(w[1024] == 0x100 + left, "worker %u stream register 0x%x", me, w[1024]);
        EXPECT(w[1025] == sum, "worker %u checksum", me);
        EXPECT((w[1026] & 0xFFF) == (rw.x | (uint32_t)rw.y << 6), "worker %u NOC_ID_LOGICAL 0x%x",
               me, w[1026]);
        EXPECT(me || w[1027] == n, "counter %u", w[1027]);
    }
    free(got);
    TRY(rc);
    /* Semaphores open the launch's kernel-config region. */
    struct ttm_launch_msg msg;
    struct chip_worker w0 = chip_worker_at(c, 0, 0);
    TRY(chip_read(c, w0.x, w0.y, TTM_L1_MAILBOX + offsetof(struct ttm_mailbox, launch), &msg,
                  sizeof msg));
    for (uint32_t i = 0; i < n; i += 23)
        TRY(rec_l1(r, dev, i % c->grid_x, i / c->grid_x, msg.sem_addr,
                   4 * 16, "semaphores"));
    TRY(rec_mailboxes(r, dev, "mailboxes after noc-heavy"));
    ttm_program_destroy(p);
    ttm_buffer_destroy(b);
    return 0;
}
DIFF_TEST(noc_heavy)

/* Host memory behind the PCIe tile: a kernel reads a page the host wrote there, adds 1 to
 * every word and writes it back to the next page, all through NoC addresses with bit 60
 * set (the device's view of host memory). */
static const char host_mem_kernel[] =
    "#include <ttm/kernel/dataflow.h>\n"
    "void kernel_main(void) {\n"
    "    uint64_t host = (uint64_t)get_arg_val(1) << 32 | get_arg_val(0);\n"
    "    uint32_t l1 = get_arg_val(2), px = get_arg_val(3), py = get_arg_val(4);\n"
    "    uint64_t a = get_noc_addr(px, py, 0) | host;\n"
    "    noc_async_read(a, l1, 4096);\n"
    "    noc_async_read_barrier();\n"
    "    volatile uint32_t *w = (volatile uint32_t *)(uintptr_t)l1;\n"
    "    for (uint32_t i = 0; i < 1024; i++) w[i] += 1;\n"
    "    noc_async_write(l1, a + 4096, 4096);\n"
    "    noc_async_write_barrier();\n"
    "}\n";

static int host_memory(ttm_device *dev, struct rec *r)
{
    struct ttm_pcie *pcie = &dev->chip.pcie;
    void *host;
    uint64_t noc_addr;
    TRY(pcie->ops->host_mem_alloc(pcie, 3 * 4096, &host, &noc_addr));
    uint32_t *w = host;
    for (uint32_t i = 0; i < 1024; i++)
        w[i] = i * 7 + 3;
    ttm_buffer *b = NULL;
    ttm_program *p = NULL;
    ttm_kernel *k;
    struct ttm_core_range one = {4, 6, 4, 6};
    struct ttm_kernel_opts o = {.argsz = sizeof o, .processor = TTM_RISCV_0, .noc = 0};
    int rc = ttm_buffer_create_interleaved(dev, 140 * 4096, 4096, TTM_BUFFER_L1, &b);
    if (!rc)
        rc = ttm_program_create(dev, &p);
    if (!rc)
        rc = ttm_kernel_create_dataflow_from_string(p, host_mem_kernel, &one, 1, &o, &k);
    uint32_t args[5] = {(uint32_t)noc_addr, (uint32_t)(noc_addr >> 32),
                        (uint32_t)ttm_buffer_address(b), BH_XLAT_PCIE_X, BH_XLAT_PCIE_Y};
    if (!rc)
        rc = ttm_set_runtime_args(p, k, 4, 6, args, 5);
    if (!rc)
        rc = ttm_program_launch(dev, p, 0);
    if (!rc)
        rec_section(r, "host memory", host, 3 * 4096);
    for (uint32_t i = 0; !rc && i < 3072; i++) {
        uint32_t want = i < 2048 ? (i % 1024) * 7 + 3 + (i >= 1024) : 0;
        if (w[i] != want) {
            printf("  expectation failed: host word %u is 0x%x, not 0x%x\n", i, w[i], want);
            rc = -EPROTO;
        }
    }
    char faults[256];
    chip_describe_faults(&dev->chip, faults, sizeof faults);
    if (!rc && faults[0]) {
        printf("  expectation failed: device faults: %s\n", faults);
        rc = -EPROTO;
    }
    if (p)
        ttm_program_destroy(p);
    if (b)
        ttm_buffer_destroy(b);
    pcie->ops->host_mem_free(pcie, host, 3 * 4096);
    return rc;
}
DIFF_TEST(host_memory)

/* Error paths a simulator can take: a kernel that never finishes is reported (the PCs only
 * where the backend has PC snapshots, so they are left out of the comparison) and the
 * device runs a good program on the same cores afterwards; a compile error and bad
 * arguments are refused alike. */
static const char hang_kernel[] =
    "#include <ttm/kernel/dataflow.h>\n"
    "void kernel_main(void) { cb_wait_front(5, 1); }\n";

/* The message without "pc 0x... " parts. */
static void strip_pcs(char *s)
{
    char *p;
    while ((p = strstr(s, "pc 0x"))) {
        char *e = p + 5;
        while ((*e >= '0' && *e <= '9') || (*e >= 'a' && *e <= 'f'))
            e++;
        if (*e == ' ')
            e++;
        memmove(p, e, strlen(e) + 1);
    }
}

static int errors(ttm_device *dev, struct rec *r)
{
    ttm_program *p;
    ttm_kernel *k;
    struct ttm_core_range two = {3, 4, 4, 4};
    struct ttm_kernel_opts o = {.argsz = sizeof o, .processor = TTM_RISCV_0, .noc = 0};
    TRY(ttm_program_create(dev, &p));
    TRY(ttm_cb_create(p, &two, 1, 5, 4096, 4096, TTM_FORMAT_RAW, NULL));
    TRY(ttm_kernel_create_dataflow_from_string(p, hang_kernel, &two, 1, &o, &k));
    int rc = ttm_program_launch(dev, p, 300);
    char msg[1024];
    snprintf(msg, sizeof msg, "%s", ttm_last_error());
    EXPECT(rc == -ETIMEDOUT, "hang: launch returned %d: %s", rc, msg);
    EXPECT(strstr(msg, "(3,4): BRISC") && strstr(msg, "(4,4): BRISC") &&
               strstr(msg, "in its kernel"),
           "hang message: %s", msg);
    strip_pcs(msg);
    rec_text(r, "hang report", "%d %s", rc, msg);
    ttm_program_destroy(p);
    TRY(rec_mailboxes(r, dev, "mailboxes after the hang"));
    struct add1 a = {0};
    rc = add1_setup(dev, two, 2, 4096, &a);
    if (!rc)
        rc = add1_run(dev, &a, 77, r, "add1 after the hang");
    add1_free(&a);
    TRY(rc);

    TRY(ttm_program_create(dev, &p));
    rc = ttm_kernel_create_dataflow_from_string(
        p, "#include <ttm/kernel/dataflow.h>\nvoid kernel_main(void) { nope(); }\n", &two, 1, &o, &k);
    rec_u32(r, "compile error rc", (uint32_t)rc);
    struct ttm_core_range outside = {0, 0, dev->chip.grid_x, 0};
    rc = ttm_kernel_create_dataflow_from_string(p, hang_kernel, &outside, 1, &o, &k);
    rec_text(r, "range error", "%d %s", rc, ttm_last_error());
    ttm_program_destroy(p);
    ttm_buffer *b;
    rc = ttm_buffer_create_interleaved(dev, 1ull << 40, 4096, TTM_BUFFER_DRAM, &b);
    rec_text(r, "huge buffer", "%d %s", rc, ttm_last_error());
    return 0;
}
DIFF_TEST(errors)

/* The rv32 ISA suite (tests/rv32: the self-checking isa_*.S programs and the C
 * cross-check) on one worker's BRISC, loaded and released through the chip layer as a
 * host would: the two RISC-V models must agree on every result word. */
static const char *const isa_progs[] = {
    "isa_alu", "isa_branch", "isa_mem", "isa_mul", "isa_zba", "isa_zbb", "isa_amo",
    "isa_fence", "isa_csr", "crosscheck",
};

struct rv_wait {
    struct ttm_chip *c;
    uint32_t x, y, done;
};

static int rv_done(void *arg)
{
    struct rv_wait *w = arg;
    int rc = chip_read32(w->c, w->x, w->y, RV_DONE, &w->done);
    return rc ? rc : w->done != 0;
}

static int rv32_isa(ttm_device *dev, struct rec *r)
{
    struct ttm_chip *c = &dev->chip;
    struct chip_worker w = chip_worker_at(c, 0, 0);
    static uint8_t zero[RV_SIG + 4 * XC_MAX_WORDS];
    for (size_t i = 0; i < sizeof isa_progs / sizeof isa_progs[0]; i++) {
        uint8_t *bin;
        size_t len;
        TRY(load_bin(isa_progs[i], &bin, &len));
        /* Hold the worker's cores, clear its L1 up to the results, load, release BRISC. */
        int rc = chip_write32(c, w.x, w.y, BH_SOFT_RESET_0, BH_RESET_ALL_RISCS);
        if (!rc)
            rc = chip_write(c, w.x, w.y, 0, zero, sizeof zero);
        if (!rc)
            rc = chip_write(c, w.x, w.y, 0, bin, len);
        free(bin);
        if (!rc)
            rc = chip_write32(c, w.x, w.y, BH_SOFT_RESET_0, BH_RESET_ALL_RISCS & ~BH_RESET_BRISC);
        struct rv_wait wait = {c, w.x, w.y, 0};
        struct wait_budget b;
        wait_budget_start(&b, 5000);
        if (!rc)
            rc = chip_poll(c, rv_done, &wait, &b);
        EXPECT(!rc && wait.done == RV_DONE_PASS, "%s: rc %d, done 0x%x", isa_progs[i], rc,
               wait.done);
        char name[64];
        snprintf(name, sizeof name, "%s results", isa_progs[i]);
        TRY(rec_l1(r, dev, 0, 0, RV_SIG - 4, 4 + 4 * XC_MAX_WORDS, name));
        if (!strcmp(isa_progs[i], "crosscheck")) {
            /* The same code compiled for the host gives the same words. */
            uint32_t want[XC_MAX_WORDS], got[1 + XC_MAX_WORDS];
            uint32_t n = xc_run(want, XC_SEED);
            TRY(chip_read(c, w.x, w.y, RV_SIG - 4, got, sizeof got));
            EXPECT(got[0] == n && !memcmp(got + 1, want, 4 * n), "crosscheck: %u words, "
                   "host %u", got[0], n);
        }
    }
    /* The worker runs test code now: put it back in reset before the device closes. */
    return chip_write32(c, w.x, w.y, BH_SOFT_RESET_0, BH_RESET_ALL_RISCS);
}
DIFF_TEST(rv32_isa)

/* Rows 0 and 1 are not translated: a kernel writes DRAM through the physical coordinates
 * of two ports there and reads the data back through their translated ones. Args: the
 * L1 scratch address, the DRAM address. */
static const char untranslated_src[] =
    "#include <ttm/kernel/dataflow.h>\n"
    "void kernel_main(void) {\n"
    "    uint32_t l1 = get_arg_val(0), dram = get_arg_val(1);\n"
    "    volatile uint32_t *w = (volatile uint32_t *)l1;\n"
    "    static const uint8_t phys[2][2] = {{0, 0}, {9, 1}}, xlat[2][2] = {{18, 12}, {17, 13}};\n"
    "    for (int t = 0; t < 2; t++) {\n"
    "        for (int i = 0; i < 16; i++) w[i] = 0xD0000000u + t * 0x100 + i;\n"
    "        noc_async_write(l1, get_noc_addr(phys[t][0], phys[t][1], dram), 64);\n"
    "        noc_async_write_barrier();\n"
    "        noc_async_read(get_noc_addr(xlat[t][0], xlat[t][1], dram), l1 + 64 + 64 * t, 64);\n"
    "        noc_async_read_barrier();\n"
    "    }\n"
    "}\n";

static int untranslated_rows(ttm_device *dev, struct rec *r)
{
    ttm_buffer *scratch;
    ttm_program *p;
    ttm_kernel *k;
    struct ttm_core_range c = {0, 0, 0, 0};
    struct ttm_kernel_opts o = {.argsz = sizeof o};
    /* DRAM above anything the test allocates; L1 from an L1 buffer on worker (0,0). */
    uint32_t dram = 0x40000000;
    TRY(ttm_buffer_create_interleaved(dev, 256, 256, TTM_BUFFER_L1, &scratch));
    TRY(ttm_program_create(dev, &p));
    TRY(ttm_kernel_create_dataflow_from_string(p, untranslated_src, &c, 1, &o, &k));
    uint32_t args[2] = {(uint32_t)ttm_buffer_address(scratch), dram};
    TRY(ttm_set_runtime_args(p, k, 0, 0, args, 2));
    TRY(ttm_program_launch(dev, p, 0));
    uint32_t got[64];
    TRY(ttm_buffer_read(scratch, 0, got, sizeof got));
    for (int t = 0; t < 2; t++)
        for (int i = 0; i < 16; i++)
            EXPECT(got[16 + 16 * t + i] == 0xD0000000u + t * 0x100 + i, "port %d word %d: 0x%x",
                   t, i, got[16 + 16 * t + i]);
    rec_section(r, "read back through translated coordinates", got + 16, 128);
    ttm_program_destroy(p);
    ttm_buffer_destroy(scratch);
    return 0;
}
DIFF_TEST(untranslated_rows)

/* Registers a kernel may reach that ttsim models and the emulator used to refuse: an
 * atomic increment of a stream register (through the NoC, to the kernel's own tile) and
 * a write to the debug-bus control register. Args: the L1 word to report in. */
static const char registers_src[] =
    "#include <ttm/kernel/dataflow.h>\n"
    "void kernel_main(void) {\n"
    "    uint32_t reg = BH_STREAM_REG(5, BH_STREAM_REMOTE_DEST_BUF_START);\n"
    "    *(volatile uint32_t *)reg = 0x1234;\n"
    "    noc_semaphore_inc(get_noc_addr(my_x(), my_y(), reg), 7);\n"
    "    noc_async_atomic_barrier();\n"
    "    *(volatile uint32_t *)BH_DBG_BUS_CTRL = 1u << 29;\n"
    "    *(volatile uint32_t *)get_arg_val(0) = *(volatile uint32_t *)reg;\n"
    "}\n";

static int registers(ttm_device *dev, struct rec *r)
{
    ttm_buffer *out;
    ttm_program *p;
    ttm_kernel *k;
    struct ttm_core_range c = {0, 0, 0, 0};
    struct ttm_kernel_opts o = {.argsz = sizeof o};
    TRY(ttm_buffer_create_interleaved(dev, 64, 64, TTM_BUFFER_L1, &out));
    TRY(ttm_program_create(dev, &p));
    TRY(ttm_kernel_create_dataflow_from_string(p, registers_src, &c, 1, &o, &k));
    uint32_t arg = (uint32_t)ttm_buffer_address(out), got;
    TRY(ttm_set_runtime_args(p, k, 0, 0, &arg, 1));
    TRY(ttm_program_launch(dev, p, 0));
    TRY(ttm_buffer_read(out, 0, &got, 4));
    EXPECT(got == 0x1234 + 7, "stream register after the atomic: 0x%x", got);
    rec_u32(r, "stream register after an atomic +7", got);
    ttm_program_destroy(p);
    ttm_buffer_destroy(out);
    return 0;
}
DIFF_TEST(registers)

/* A random sequence of queue calls (tests/e2e/queue_sequence.h) with transfers up to
 * 9 MiB, past both rings' sizes, checked against the host model on each backend; the
 * recording is the verdict, so both must finish it. Slow dispatch has no queue. */
static int queue_random(ttm_device *dev, struct rec *r)
{
    if (!fast_dispatch()) {
        rec_text(r, "queue sequence", "slow dispatch has no queue");
        return 0;
    }
    char why[512] = "";
    int rc = queue_sequence(dev, 7, 40, 9u << 20, why, sizeof why);
    EXPECT(!rc, "%s", why);
    rec_text(r, "queue sequence", "seed 7, 40 calls: matches the model");
    return 0;
}
DIFF_TEST(queue_random)

/* The F subset, PACK and BREV8 on operand triples from three seeds (specials, random
 * patterns, normal ranges): every result word must agree with ttsim's, which models the
 * cores' partially fused multiply-add bit for bit (emu/fp32.c). */
static int fp_subset(ttm_device *dev, struct rec *r)
{
    struct ttm_chip *c = &dev->chip;
    struct chip_worker w = chip_worker_at(c, 1, 0);
    static uint32_t in[3 * FP_MAX], out[FP_MAX * FP_OPS];
    uint8_t *bin;
    size_t len;
    TRY(load_bin("fp_ops", &bin, &len));
    for (uint64_t seed = 1; seed <= 3; seed++) {
        uint32_t n = FP_MAX, done = 0;
        fp_operands(seed, n, in);
        int rc = chip_write32(c, w.x, w.y, BH_SOFT_RESET_0, BH_RESET_ALL_RISCS);
        if (!rc)
            rc = chip_write(c, w.x, w.y, 0, bin, len);
        if (!rc)
            rc = chip_write32(c, w.x, w.y, RV_DONE, 0);
        if (!rc)
            rc = chip_write32(c, w.x, w.y, FP_COUNT, n);
        if (!rc)
            rc = chip_write(c, w.x, w.y, FP_IN, in, sizeof in);
        if (!rc)
            rc = chip_write32(c, w.x, w.y, BH_SOFT_RESET_0, BH_RESET_ALL_RISCS & ~BH_RESET_BRISC);
        struct rv_wait wait = {c, w.x, w.y, 0};
        struct wait_budget b;
        wait_budget_start(&b, 20000);
        if (!rc)
            rc = chip_poll(c, rv_done, &wait, &b);
        done = wait.done;
        if (!rc)
            rc = chip_read(c, w.x, w.y, FP_OUT, out, sizeof out);
        if (rc) {
            free(bin);
            return rc;
        }
        EXPECT(done == RV_DONE_PASS, "fp_ops seed %llu: done 0x%x", (unsigned long long)seed, done);
        char name[64];
        snprintf(name, sizeof name, "F subset results, seed %llu", (unsigned long long)seed);
        rec_section(r, name, out, sizeof out);
    }
    free(bin);
    return chip_write32(c, w.x, w.y, BH_SOFT_RESET_0, BH_RESET_ALL_RISCS);
}
DIFF_TEST(fp_subset)

/* ---- The ttsim backend itself ---- */

/* Run fn in a child with the given TTSIM_LIB (NULL: unset); the child's exit status is
 * the test's verdict (0 pass), its output shown on failure. */
static void in_child(const char *lib, int (*fn)(void))
{
    int out_fd = temp_fd();
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out_fd, 1);
        dup2(out_fd, 2);
        setvbuf(stdout, NULL, _IONBF, 0);
        if (lib)
            setenv("TTSIM_LIB", lib, 1);
        else
            unsetenv("TTSIM_LIB");
        _exit(fn() ? 1 : 0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status)) {
        size_t len;
        char *out = (char *)read_file(out_fd, &len);
        if (out)
            show_output(out, len);
        free(out);
        test_fail_at(__FILE__, __LINE__, "child status 0x%x", status);
    }
    close(out_fd);
}

#define CHILD_CHECK(cond)                                                               \
    do {                                                                                \
        if (!(cond)) {                                                                  \
            printf("failed: %s (last error: %s)\n", #cond, ttm_last_error());          \
            return 1;                                                                   \
        }                                                                               \
    } while (0)

static int open_errors(void)
{
    ttm_device *dev;
    const char *lib = getenv("TTSIM_LIB");
    int rc = open_device("ttsim", &dev);
    if (!lib) {
        CHILD_CHECK(rc == -ENOENT && strstr(ttm_last_error(), "TTSIM_LIB is not set"));
    } else if (!strcmp(lib, "/nonexistent/libttsim.so")) {
        CHILD_CHECK(rc == -ENOENT && strstr(ttm_last_error(), "cannot load") &&
                    strstr(ttm_last_error(), "No such file"));
    } else {
        CHILD_CHECK(rc < 0 && strstr(ttm_last_error(), "backend ttsim"));
        printf("%s\n", ttm_last_error());
    }
    return 0;
}

/* A stand-in for libttsim: `kind` 0 lacks libttsim_clock, 1 simulates a Wormhole. */
static const char fake_lib_src[] =
    "#include <stdint.h>\n"
    "void libttsim_init(void) {}\n"
    "void libttsim_exit(void) {}\n"
    "void libttsim_set_pci_dma_mem_callbacks(void *r, void *w) { (void)r; (void)w; }\n"
    "uint32_t libttsim_pci_config_rd32(uint32_t d, uint32_t o) { (void)d; return o ? 0 : 0x401E1E52u; }\n"
    "void libttsim_pci_mem_rd_bytes(uint64_t a, void *p, uint32_t n) { (void)a; (void)p; (void)n; }\n"
    "void libttsim_pci_mem_wr_bytes(uint64_t a, const void *p, uint32_t n) { (void)a; (void)p; (void)n; }\n"
    "#if KIND\n"
    "void libttsim_clock(uint32_t n) { (void)n; }\n"
    "#endif\n";

static int build_fake(const char *dir, int kind, char *path, size_t n)
{
    char src[256], cmd[1024];
    snprintf(src, sizeof src, "%s/fake.c", dir);
    snprintf(path, n, "%s/fake%d.so", dir, kind);
    FILE *f = fopen(src, "w");
    if (!f)
        return -1;
    fputs(fake_lib_src, f);
    fclose(f);
    const char *cc = getenv("CC");
    snprintf(cmd, sizeof cmd, "%s -shared -fPIC -DKIND=%d -o '%s' '%s' 2>/dev/null",
             cc && *cc ? cc : "cc", kind, path, src);
    return system(cmd) ? -1 : 0;
}

static int expect_missing_clock(void)
{
    ttm_device *dev;
    CHILD_CHECK(open_device("ttsim", &dev) == -ENOEXEC);
    CHILD_CHECK(strstr(ttm_last_error(), "not a libttsim: missing libttsim_clock"));
    return 0;
}

static int expect_wrong_chip(void)
{
    ttm_device *dev;
    CHILD_CHECK(open_device("ttsim", &dev) == -ENODEV);
    CHILD_CHECK(strstr(ttm_last_error(), "1e52:401e, not a Blackhole"));
    /* The library stays loaded and initialised; a second open says the same. */
    CHILD_CHECK(open_device("ttsim", &dev) == -ENODEV);
    CHILD_CHECK(strstr(ttm_last_error(), "not a Blackhole"));
    return 0;
}

/* Runs without TTSIM_LIB: no real simulator is involved. */
TEST(ttsim_missing_or_wrong_library_is_a_clear_error)
{
    in_child(NULL, open_errors);
    in_child("/nonexistent/libttsim.so", open_errors);
    char dir[] = "/tmp/ttm-fake-ttsim-XXXXXX", path[256];
    CHECK(mkdtemp(dir));
    if (build_fake(dir, 0, path, sizeof path) == 0)
        in_child(path, expect_missing_clock);
    else
        printf("  (no C compiler for the fake libraries: only the unset and missing cases)\n");
    if (build_fake(dir, 1, path, sizeof path) == 0)
        in_child(path, expect_wrong_chip);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
}

static int one_per_process(void)
{
    ensure_cache_dir();
    ttm_device *a, *b;
    CHILD_CHECK(open_device("ttsim", &a) == 0);
    CHILD_CHECK(open_device("ttsim", &b) == -EBUSY);
    CHILD_CHECK(strstr(ttm_last_error(), "already open"));
    CHILD_CHECK(ttm_device_close(a) == 0);
    /* Reopened: the same simulator, booted again, runs a program. */
    for (int round = 0; round < 2; round++) {
        CHILD_CHECK(open_device("ttsim", &b) == 0);
        struct add1 x = {0};
        struct rec r = {0};
        CHILD_CHECK(add1_setup(b, (struct ttm_core_range){2, 2, 5, 3}, 2, 4096, &x) == 0);
        CHILD_CHECK(add1_run(b, &x, 5 + round, &r, "add1") == 0);
        add1_free(&x);
        free(r.p);
        CHILD_CHECK(ttm_device_close(b) == 0);
    }
    /* Another library cannot replace the loaded one. */
    setenv("TTSIM_LIB", "/some/other/libttsim.so", 1);
    CHILD_CHECK(open_device("ttsim", &b) == -EBUSY);
    CHILD_CHECK(strstr(ttm_last_error(), "already loaded"));
    return 0;
}

TEST(ttsim_is_one_simulator_per_process_reused_after_close)
{
    const char *why = skip_reason();
    if (why)
        SKIP("%s", why);
    in_child(getenv("TTSIM_LIB"), one_per_process);
}

static int refused_accesses(void)
{
    ttm_device *dev;
    dispatch_mode = TTM_DISPATCH_SLOW;
    CHILD_CHECK(open_device("ttsim", &dev) == 0);
    struct ttm_pcie *p = &dev->chip.pcie;
    uint32_t v = 0;
    uint8_t twelve[12] = {0};
    /* The TLB registers are write-only and take 32-bit words; config space ends at 0x40;
     * window accesses stay inside one window. None of these may reach ttsim. */
    CHILD_CHECK(p->ops->bar_read(p, 0, BH_TLB_CFG_BASE, &v, 4) == -ENOTSUP);
    CHILD_CHECK(p->ops->bar_write(p, 0, BH_TLB_CFG_BASE, twelve, 12) == -EINVAL);
    CHILD_CHECK(strstr(ttm_last_error(), "32-bit writes only"));
    CHILD_CHECK(p->ops->bar_write(p, 0, BH_TLB_CFG_BASE + 2, &v, 4) == -EINVAL);
    CHILD_CHECK(p->ops->config_read32(p, 0x100, &v) == -EINVAL);
    CHILD_CHECK(p->ops->bar_read(p, 0, BH_TLB_2M_SIZE - 4, twelve, 8) == -EINVAL);
    CHILD_CHECK(p->ops->bar_read(p, 0, BH_ARC_APB_BAR0, &v, 4) == -ENOTSUP);
    CHILD_CHECK(p->ops->bar_read(p, 2, 0, &v, 4) == -EINVAL);
    CHILD_CHECK(p->ops->config_read32(p, 0, &v) == 0 && v == (0x1E52u | 0xB140u << 16));
    CHILD_CHECK((p->ops->caps & TTM_PCIE_CAP_PC_SNAPSHOT) == 0);
    /* Still usable afterwards. */
    CHILD_CHECK(chip_read32(&dev->chip, BH_ARC_X, BH_ARC_Y, BH_ARC_BOOT_STATUS, &v) == 0 && v == 5);
    /* A device read of host memory no region covers is a fault ttsim reports (through
     * take_faults: its DMA callbacks cannot fail the access); the launch ends with it at
     * once, and the device is usable again. */
    ensure_cache_dir();
    ttm_program *prog;
    ttm_kernel *k;
    struct ttm_core_range one = {2, 2, 2, 2};
    struct ttm_kernel_opts o = {.argsz = sizeof o, .processor = TTM_RISCV_0, .noc = 0};
    uint32_t args[5] = {0x100, 1u << 28, 0x60000, BH_XLAT_PCIE_X, BH_XLAT_PCIE_Y};
    CHILD_CHECK(ttm_program_create(dev, &prog) == 0);
    CHILD_CHECK(ttm_kernel_create_dataflow_from_string(prog, host_mem_kernel, &one, 1, &o, &k) == 0);
    CHILD_CHECK(ttm_set_runtime_args(prog, k, 2, 2, args, 5) == 0);
    CHILD_CHECK(ttm_program_launch(dev, prog, 0) == -EFAULT);
    CHILD_CHECK(strstr(ttm_last_error(), "device read of 4096 bytes at host offset 0x100 "
                                         "reached no host memory"));
    struct pcie_fault f;
    CHILD_CHECK(p->ops->take_faults(p, &f, 1) == 0);
    CHILD_CHECK(chip_read32(&dev->chip, BH_ARC_X, BH_ARC_Y, BH_ARC_BOOT_STATUS, &v) == 0 && v == 5);
    ttm_program_destroy(prog);
    CHILD_CHECK(ttm_device_close(dev) == 0);
    return 0;
}

TEST(ttsim_refuses_accesses_it_would_die_on)
{
    const char *why = skip_reason();
    if (why)
        SKIP("%s", why);
    in_child(getenv("TTSIM_LIB"), refused_accesses);
}
