/* Programs: circular buffers, kernels and their runtime args. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../build/kbuild.h"
#include "../dispatch/fast.h"
#include "../load/elf.h"
#include "../util/err.h"
#include "internal.h"

#define VIS __attribute__((visibility("default")))

static pthread_mutex_t root_lock = PTHREAD_MUTEX_INITIALIZER;
static char root_dir[PATH_MAX];

VIS int ttm_set_root_dir(const char *dir)
{
    if (!dir)
        return err_set(-EINVAL, "root directory is NULL");
    if (strlen(dir) >= sizeof root_dir)
        return err_set(-ENAMETOOLONG, "root directory path is too long");
    pthread_mutex_lock(&root_lock);
    snprintf(root_dir, sizeof root_dir, "%s", dir);
    pthread_mutex_unlock(&root_lock);
    return 0;
}

static int check_program(const struct ttm_program *p)
{
    return p ? api_check_device(p->dev) : err_set(-EINVAL, "program handle is NULL");
}

VIS int ttm_program_create(ttm_device *dev, ttm_program **out)
{
    if (!out)
        return err_set(-EINVAL, "ttm_program_create: out is NULL");
    *out = NULL;
    int rc = api_check_device(dev);
    if (rc)
        return rc;
    struct ttm_program *p = calloc(1, sizeof *p);
    if (!p)
        return err_set(-ENOMEM, "out of memory");
    p->dev = dev;
    p->id = ++dev->next_program_id;
    dev->children++;
    *out = p;
    return 0;
}

static void kernel_free(struct ttm_kernel *k)
{
    xip_free(&k->image);
    free(k->n_args);
    free(k->args);
    free(k);
}

VIS int ttm_program_destroy(ttm_program *p)
{
    if (!p)
        return err_set(-EINVAL, "program handle is NULL");
    struct ttm_device *dev = p->dev;
    fast_program_free(p);
    for (uint32_t i = 0; i < p->n_kernels; i++)
        kernel_free(p->kernels[i]);
    for (uint32_t i = 0; i < p->n_cbs; i++) {
        if (!dev->closed)
            alloc_give(&dev->chip.l1_alloc, p->cbs[i]->addr);
        free(p->cbs[i]);
    }
    free(p);
    api_device_release(dev);
    return 0;
}

static bool sets_overlap(const struct core_set *a, const struct core_set *b)
{
    for (size_t i = 0; i < sizeof a->bits / sizeof a->bits[0]; i++)
        if (a->bits[i] & b->bits[i])
            return true;
    return false;
}

VIS int ttm_cb_create(ttm_program *p, const struct ttm_core_range *ranges, size_t n_ranges,
                      uint32_t index, uint32_t total_size, uint32_t page_size, uint32_t format,
                      ttm_cb **out)
{
    int rc = check_program(p);
    if (rc)
        return rc;
    struct core_set cores;
    if ((rc = api_core_set(p->dev, ranges, n_ranges, &cores)))
        return rc;
    if (index >= TTM_MAX_CBS)
        return err_set(-EINVAL, "CB index %u is not below %u", index, TTM_MAX_CBS);
    if (format > TTM_FORMAT_UINT8)
        return err_set(-EINVAL, "unknown data format %u", format);
    if (!page_size || page_size % TTM_L1_ALIGN || !total_size || total_size % page_size)
        return err_set(-EINVAL, "CB %u: page size %u must be a non-zero multiple of %u and the "
                                "total size %u a multiple of it", index, page_size, TTM_L1_ALIGN,
                       total_size);
    for (uint32_t i = 0; i < p->n_cbs; i++)
        if (p->cbs[i]->index == index && sets_overlap(&p->cbs[i]->cores, &cores))
            return err_set(-EEXIST, "CB %u already exists on some of these cores", index);
    if (p->n_cbs == TTM_MAX_PROGRAM_CBS)
        return err_set(-ENOSPC, "a program has at most %u circular buffers", TTM_MAX_PROGRAM_CBS);
    struct ttm_cb *cb = calloc(1, sizeof *cb);
    if (!cb)
        return err_set(-ENOMEM, "out of memory");
    /* Same L1 address on every core of the set, so one config serves them all. */
    if ((rc = alloc_take(&p->dev->chip.l1_alloc, total_size, TTM_L1_ALIGN, &cb->addr))) {
        free(cb);
        return err_wrap(rc, "CB %u: allocating %u bytes of L1", index, total_size);
    }
    cb->prog = p;
    cb->cores = cores;
    cb->index = index;
    cb->total_size = total_size;
    cb->page_size = page_size;
    cb->format = format;
    p->cbs[p->n_cbs++] = cb;
    fast_program_changed(p);
    if (out)
        *out = cb;
    return 0;
}

static int read_source(const char *path, char **src, size_t *len)
{
    char root[PATH_MAX];
    pthread_mutex_lock(&root_lock);
    memcpy(root, root_dir, sizeof root);
    pthread_mutex_unlock(&root_lock);
    return kbuild_read_file(path, root[0] ? root : NULL, src, len);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

static int create_kernel(ttm_program *p, const char *source, size_t len, const char *name,
                         int is_cpp, const struct ttm_core_range *ranges, size_t n_ranges,
                         const struct ttm_kernel_opts *opts, ttm_kernel **out)
{
    int rc;
    if (!opts || opts->argsz != sizeof *opts || opts->flags)
        return err_set(-EINVAL, "kernel options: argsz must be %zu and flags 0",
                       sizeof *opts);
    if (opts->processor > TTM_RISCV_1 || opts->noc > 1)
        return err_set(-EINVAL, "kernel %s: processor %u / NoC %u out of range", name,
                       opts->processor, opts->noc);
    if (opts->n_compile_args && !opts->compile_args)
        return err_set(-EINVAL, "kernel %s: compile_args is NULL", name);
    struct core_set cores;
    if ((rc = api_core_set(p->dev, ranges, n_ranges, &cores)))
        return err_wrap(rc, "kernel %s", name);
    uint32_t proc = opts->processor == TTM_RISCV_0 ? BH_BRISC : BH_NCRISC;
    for (uint32_t i = 0; i < p->n_kernels; i++)
        if (p->kernels[i]->proc == proc && sets_overlap(&p->kernels[i]->cores, &cores))
            return err_set(-EEXIST, "kernel %s: another kernel of this program already runs on "
                                    "RISCV_%u of some of these cores", name, opts->processor);
    if (p->n_kernels == TTM_MAX_KERNELS)
        return err_set(-ENOSPC, "a program has at most %u kernels", TTM_MAX_KERNELS);

    struct kbuild_req req = {
        .source = source,
        .source_len = len,
        .is_cpp = is_cpp,
        .display_name = name,
        .processor = proc,
        .compile_args = opts->compile_args,
        .n_compile_args = opts->n_compile_args,
        .defines = opts->defines,
    };
    uint8_t *elf = NULL;
    size_t elf_size = 0;
    if ((rc = kbuild_compile(&req, &elf, &elf_size)))
        return rc;
    struct ttm_kernel *k = calloc(1, sizeof *k);
    struct elf_image img;
    if (!k) {
        free(elf);
        return err_set(-ENOMEM, "out of memory");
    }
    if ((rc = elf_parse(elf, elf_size, &img)) || (rc = xip_pack(&img, &k->image))) {
        free(elf);
        free(k);
        return err_wrap(rc, "kernel %s", name);
    }
    free(elf);
    k->n_args = calloc(p->dev->chip.n_workers, sizeof *k->n_args);
    if (!k->n_args) {
        kernel_free(k);
        return err_set(-ENOMEM, "out of memory");
    }
    k->prog = p;
    k->proc = proc;
    k->noc = opts->noc;
    k->cores = cores;
    snprintf(k->name, sizeof k->name, "%s", name);
    p->kernels[p->n_kernels++] = k;
    fast_program_changed(p);
    if (out)
        *out = k;
    return 0;
}

static int create_from_file(ttm_program *p, const char *path, const struct ttm_core_range *ranges,
                            size_t n_ranges, const struct ttm_kernel_opts *opts, ttm_kernel **out)
{
    int rc = check_program(p);
    if (rc)
        return rc;
    if (!path)
        return err_set(-EINVAL, "kernel path is NULL");
    char *src;
    size_t len;
    if ((rc = read_source(path, &src, &len)))
        return rc;
    int is_cpp = ends_with(path, ".cpp") || ends_with(path, ".cc") || ends_with(path, ".cxx");
    rc = create_kernel(p, src, len, path, is_cpp, ranges, n_ranges, opts, out);
    free(src);
    return rc;
}

static int create_from_string(ttm_program *p, const char *source,
                              const struct ttm_core_range *ranges, size_t n_ranges,
                              const struct ttm_kernel_opts *opts, ttm_kernel **out)
{
    int rc = check_program(p);
    if (rc)
        return rc;
    if (!source)
        return err_set(-EINVAL, "kernel source is NULL");
    return create_kernel(p, source, strlen(source), "<string>", 0, ranges, n_ranges, opts, out);
}

VIS int ttm_kernel_create_dataflow(ttm_program *p, const char *path,
                                   const struct ttm_core_range *ranges, size_t n_ranges,
                                   const struct ttm_kernel_opts *opts, ttm_kernel **out)
{
    return create_from_file(p, path, ranges, n_ranges, opts, out);
}

VIS int ttm_kernel_create_dataflow_from_string(ttm_program *p, const char *source,
                                               const struct ttm_core_range *ranges,
                                               size_t n_ranges, const struct ttm_kernel_opts *opts,
                                               ttm_kernel **out)
{
    return create_from_string(p, source, ranges, n_ranges, opts, out);
}

/* Compute kernels run on the TRISCs and drive the Tensix coprocessor, which neither our
 * firmware nor the emulator models yet. */
static int no_compute(ttm_program *p)
{
    int rc = check_program(p);
    return rc ? rc
              : err_set(-ENOTSUP, "compute kernels need the Tensix coprocessor, which is not "
                                  "supported yet; use dataflow kernels");
}

VIS int ttm_kernel_create_compute(ttm_program *p, const char *path,
                                  const struct ttm_core_range *ranges, size_t n_ranges,
                                  const struct ttm_kernel_opts *opts, ttm_kernel **out)
{
    (void)path, (void)ranges, (void)n_ranges, (void)opts, (void)out;
    return no_compute(p);
}

VIS int ttm_kernel_create_compute_from_string(ttm_program *p, const char *source,
                                              const struct ttm_core_range *ranges,
                                              size_t n_ranges, const struct ttm_kernel_opts *opts,
                                              ttm_kernel **out)
{
    (void)source, (void)ranges, (void)n_ranges, (void)opts, (void)out;
    return no_compute(p);
}

static int check_kernel(ttm_program *p, ttm_kernel *k)
{
    int rc = check_program(p);
    if (rc)
        return rc;
    if (!k || k->prog != p)
        return err_set(-EINVAL, "kernel handle does not belong to this program");
    return 0;
}

VIS int ttm_set_runtime_args(ttm_program *p, ttm_kernel *k, uint32_t x, uint32_t y,
                             const uint32_t *args, size_t n_args)
{
    int rc = check_kernel(p, k);
    if (rc)
        return rc;
    const struct ttm_chip *c = &p->dev->chip;
    if (x >= c->grid_x || y >= c->grid_y || !core_set_has(&k->cores, y * c->grid_x + x))
        return err_set(-EINVAL, "kernel %s does not run on core (%u,%u)", k->name, x, y);
    if (n_args > TTM_MAX_ARGS || (n_args && !args))
        return err_set(-EINVAL, "%zu runtime args: at most %u, and args must not be NULL",
                       n_args, TTM_MAX_ARGS);
    if (!k->args && !(k->args = calloc((size_t)c->n_workers * TTM_MAX_ARGS, sizeof *k->args)))
        return err_set(-ENOMEM, "out of memory");
    uint32_t core = y * c->grid_x + x;
    memcpy(&k->args[(size_t)core * TTM_MAX_ARGS], args, n_args * sizeof *args);
    k->n_args[core] = (uint16_t)n_args;
    if (n_args > k->max_args) {
        k->max_args = (uint32_t)n_args; /* a new image layout */
        fast_program_changed(p);
    } else {
        fast_args_changed(p, core);
    }
    return 0;
}

VIS int ttm_set_common_runtime_args(ttm_program *p, ttm_kernel *k, const uint32_t *args,
                                    size_t n_args)
{
    int rc = check_kernel(p, k);
    if (rc)
        return rc;
    if (n_args > TTM_MAX_ARGS || (n_args && !args))
        return err_set(-EINVAL, "%zu common runtime args: at most %u, and args must not be NULL",
                       n_args, TTM_MAX_ARGS);
    memcpy(k->common, args, n_args * sizeof *args);
    k->n_common = (uint32_t)n_args;
    fast_program_changed(p);
    return 0;
}

VIS int ttm_program_launch(ttm_device *dev, ttm_program *p, uint32_t timeout_ms)
{
    int rc = check_program(p);
    if (rc)
        return rc;
    if (p->dev != dev)
        return err_set(-EINVAL, "the program belongs to another device");
    timeout_ms = timeout_ms ? timeout_ms : 10000;
    if (!dev->fast)
        return slow_launch(dev, p, timeout_ms);
    if ((rc = fast_enqueue_program(dev, p)))
        return rc;
    return fast_finish(dev, timeout_ms);
}


VIS int ttm_enqueue_program(ttm_device *dev, ttm_program *p)
{
    int rc = check_program(p);
    if (rc || (rc = api_check_fast(dev)))
        return rc;
    if (p->dev != dev)
        return err_set(-EINVAL, "the program belongs to another device");
    return fast_enqueue_program(dev, p);
}

VIS int ttm_enqueue_record_event(ttm_device *dev, uint64_t *event)
{
    int rc = api_check_fast(dev);
    if (rc)
        return rc;
    if (!event)
        return err_set(-EINVAL, "event is NULL");
    return fast_record_event(dev, event);
}

VIS int ttm_event_wait(ttm_device *dev, uint64_t event, uint32_t timeout_ms)
{
    int rc = api_check_fast(dev);
    return rc ? rc : fast_event_wait(dev, event, timeout_ms ? timeout_ms : 10000);
}

VIS int ttm_event_query(ttm_device *dev, uint64_t event)
{
    int rc = api_check_fast(dev);
    return rc ? rc : fast_event_query(dev, event);
}

VIS int ttm_finish(ttm_device *dev, uint32_t timeout_ms)
{
    int rc = api_check_fast(dev);
    return rc ? rc : fast_finish(dev, timeout_ms ? timeout_ms : 10000);
}
