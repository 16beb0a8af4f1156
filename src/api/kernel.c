/* Kernels of a program: compiled from a file or a string, loaded, and given runtime
 * args per core and common to all its cores. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../build/kbuild.h"
#include "../dispatch/dispatch.h"
#include "../load/elf.h"
#include "../util/err.h"
#include "api.h"

void api_kernel_free(struct ttm_kernel *k)
{
    for (uint32_t m = 0; m < KERNEL_MAX_PARTS; m++)
        xip_free(&k->image[m]);
    free(k->n_args);
    free(k->args);
    free(k);
}

static int read_source(const char *path, char **src, size_t *len)
{
    char root[PATH_MAX];
    api_root_dir(root, sizeof root);
    return kbuild_read_file(path, root[0] ? root : NULL, src, len);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

/* The cores of the kernel, free of another kernel of the program on the same processor,
 * and of one on the core's other data-movement processor using the same NoC (each
 * processor's requests are counted per NIU: two kernels on one NIU would wait on each
 * other's counts). Called with the device locked. */
static int check_placement(ttm_program *p, const char *name, uint32_t proc, uint32_t noc,
                           const struct ttm_core_range *ranges, size_t n_ranges,
                           struct core_set *cores)
{
    int rc;
    if ((rc = api_core_set(p->dev, ranges, n_ranges, cores)))
        return err_wrap(rc, "kernel %s", name);
    for (uint32_t i = 0; i < p->n_kernels; i++) {
        const struct ttm_kernel *o = p->kernels[i];
        if (!core_set_overlaps(&o->cores, cores))
            continue;
        if (o->proc == proc)
            return err_set(-EEXIST, "kernel %s: another kernel of this program already runs on "
                                    "%s of some of these cores", name,
                           proc == BH_BRISC    ? "RISCV_0"
                           : proc == BH_NCRISC ? "RISCV_1"
                                               : "the TRISCs");
        if (o->noc == noc && noc != KERNEL_NO_NOC)
            return err_set(-EINVAL, "kernels %s and %s share a core and both use NoC %u; give "
                                    "them different NoCs", o->name, name, noc);
    }
    if (p->n_kernels == TTM_MAX_KERNELS)
        return err_set(-ENOSPC, "a program has at most %u kernels", TTM_MAX_KERNELS);
    return 0;
}

/* What a kernel is built as: its first processor, how many parts, and for a compute
 * kernel its math options. */
struct kernel_kind {
    uint32_t proc, n_parts, noc;
    uint32_t math_fidelity, fp32_dest_acc;
};

/* Compile and load the kernel's parts: no device needed, so other calls on the device go
 * on meanwhile. */
static int build_kernel(const char *source, size_t len, const char *name, int is_cpp,
                        const struct kernel_kind *kind, const struct ttm_kernel_opts *opts,
                        bool print, struct ttm_kernel **out)
{
    struct ttm_kernel *k = calloc(1, sizeof *k);
    if (!k)
        return err_set(-ENOMEM, "out of memory");
    k->proc = kind->proc;
    k->n_parts = kind->n_parts;
    k->noc = kind->noc;
    snprintf(k->name, sizeof k->name, "%s", name);
    for (uint32_t m = 0; m < kind->n_parts; m++) {
        struct kbuild_req req = {
            .source = source,
            .source_len = len,
            .is_cpp = is_cpp,
            .display_name = name,
            .processor = kind->proc + m,
            .compile_args = opts->compile_args,
            .n_compile_args = opts->n_compile_args,
            .defines = opts->defines,
            .math_fidelity = kind->math_fidelity,
            .fp32_dest_acc = kind->fp32_dest_acc,
            .print = print,
        };
        uint8_t *elf = NULL;
        size_t elf_size = 0;
        struct elf_image img;
        int rc = kbuild_compile(&req, &elf, &elf_size);
        if (!rc && ((rc = elf_parse(elf, elf_size, &img)) || (rc = xip_pack(&img, &k->image[m]))))
            err_wrap(rc, "kernel %s", name);
        free(elf);
        if (rc) {
            api_kernel_free(k);
            return rc;
        }
    }
    *out = k;
    return 0;
}

/* Give the built kernel to the program, if its cores are still free (another thread may
 * have added a kernel meanwhile). Called with the device locked. */
static int attach_kernel(ttm_program *p, struct ttm_kernel *k, const struct ttm_core_range *ranges,
                         size_t n_ranges)
{
    int rc = check_placement(p, k->name, k->proc, k->noc, ranges, n_ranges, &k->cores);
    if (rc)
        return rc;
    if (!(k->n_args = calloc(p->dev->chip.n_workers, sizeof *k->n_args)))
        return err_set(-ENOMEM, "out of memory");
    k->prog = p;
    p->kernels[p->n_kernels++] = k;
    /* Refused now if the program could not be launched with it (its image too large). */
    if ((rc = p->dev->dispatch->check_program(p->dev, p)) ||
        (rc = api_handle_add(k, HANDLE_KERNEL, p->dev))) {
        p->kernels[--p->n_kernels] = NULL;
        return err_wrap(rc, "kernel %s", k->name);
    }
    p->version++;
    return 0;
}

/* The options are this size or, from callers of 0.3, end before math_fidelity. */
#define OPTS_V03_SIZE offsetof(struct ttm_kernel_opts, math_fidelity)

static int kernel_kind(const struct ttm_kernel_opts *opts, bool compute, const char *name,
                       struct kernel_kind *kind)
{
    if (!opts || (opts->argsz != sizeof *opts && opts->argsz != OPTS_V03_SIZE) || opts->flags ||
        opts->reserved)
        return err_set(-EINVAL, "kernel options: argsz must be %zu (or %zu, from 0.3), flags "
                                "and reserved 0", sizeof *opts, OPTS_V03_SIZE);
    if (opts->n_compile_args && !opts->compile_args)
        return err_set(-EINVAL, "kernel %s: compile_args is NULL", name);
    bool v03 = opts->argsz == OPTS_V03_SIZE;
    uint32_t fid = v03 ? (compute ? TTM_HIFI4 : 0) : opts->math_fidelity;
    uint32_t fp32 = v03 ? 0 : opts->fp32_dest_acc;
    if (!compute) {
        if (opts->processor > TTM_RISCV_1 || opts->noc > 1 || fid || fp32)
            return err_set(-EINVAL, "kernel %s: processor %u / NoC %u out of range, or math "
                                    "options on a dataflow kernel", name, opts->processor,
                           opts->noc);
        *kind = (struct kernel_kind){opts->processor == TTM_RISCV_0 ? BH_BRISC : BH_NCRISC, 1,
                                     opts->noc, 0, 0};
        return 0;
    }
    if (opts->processor || opts->noc)
        return err_set(-EINVAL, "kernel %s: a compute kernel runs on the TRISCs; its processor "
                                "and noc must be 0", name);
    if (fid == 1 || fid > TTM_HIFI4 || fp32 > 1)
        return err_set(-EINVAL, "kernel %s: math fidelity %u (0, 2, 3 or 4) or fp32_dest_acc "
                                "%u (0 or 1) out of range", name, fid, fp32);
    *kind = (struct kernel_kind){BH_TRISC0, 3, KERNEL_NO_NOC, fid, fp32};
    return 0;
}

static int create_kernel(ttm_program *p, const char *source, size_t len, const char *name,
                         int is_cpp, bool compute, const struct ttm_core_range *ranges,
                         size_t n_ranges, const struct ttm_kernel_opts *opts, ttm_kernel **out)
{
    struct kernel_kind kind;
    struct core_set cores;
    struct ttm_device *d;
    /* The entry point that got here, for a trace. */
    bool string = !strcmp(name, "<string>");
    const char *fn = compute ? (string ? "ttm_kernel_create_compute_from_string"
                                       : "ttm_kernel_create_compute")
                             : (string ? "ttm_kernel_create_dataflow_from_string"
                                       : "ttm_kernel_create_dataflow");
    int rc = kernel_kind(opts, compute, name, &kind);
    if (rc || (rc = api_enter_at(fn, p, HANDLE_PROGRAM, &d)))
        return rc;
    bool print = d->kprint != NULL; /* read while the program is known to be live */
    if ((rc = api_leave(d, check_placement(p, name, kind.proc, kind.noc, ranges, n_ranges,
                                           &cores))))
        return rc;
    struct ttm_kernel *k;
    if ((rc = build_kernel(source, len, name, is_cpp, &kind, opts, print, &k)))
        return rc;
    if (!(rc = api_enter_at(fn, p, HANDLE_PROGRAM, &d)))
        rc = api_leave(d, attach_kernel(p, k, ranges, n_ranges));
    if (rc) {
        api_kernel_free(k);
        return rc;
    }
    if (out)
        *out = k;
    return 0;
}

static int create_from_file(ttm_program *p, const char *path, bool compute,
                            const struct ttm_core_range *ranges, size_t n_ranges,
                            const struct ttm_kernel_opts *opts, ttm_kernel **out)
{
    if (!path)
        return err_set(-EINVAL, "kernel path is NULL");
    char *src;
    size_t len;
    int rc = read_source(path, &src, &len);
    if (rc)
        return rc;
    int is_cpp = ends_with(path, ".cpp") || ends_with(path, ".cc") || ends_with(path, ".cxx");
    rc = create_kernel(p, src, len, path, is_cpp, compute, ranges, n_ranges, opts, out);
    free(src);
    return rc;
}

static int create_from_string(ttm_program *p, const char *source, bool compute,
                              const struct ttm_core_range *ranges, size_t n_ranges,
                              const struct ttm_kernel_opts *opts, ttm_kernel **out)
{
    if (!source)
        return err_set(-EINVAL, "kernel source is NULL");
    return create_kernel(p, source, strlen(source), "<string>", 0, compute, ranges, n_ranges,
                         opts, out);
}

VIS int ttm_kernel_create_dataflow(ttm_program *p, const char *path,
                                   const struct ttm_core_range *ranges, size_t n_ranges,
                                   const struct ttm_kernel_opts *opts, ttm_kernel **out)
{
    return create_from_file(p, path, false, ranges, n_ranges, opts, out);
}

VIS int ttm_kernel_create_dataflow_from_string(ttm_program *p, const char *source,
                                               const struct ttm_core_range *ranges,
                                               size_t n_ranges, const struct ttm_kernel_opts *opts,
                                               ttm_kernel **out)
{
    return create_from_string(p, source, false, ranges, n_ranges, opts, out);
}

VIS int ttm_kernel_create_compute(ttm_program *p, const char *path,
                                  const struct ttm_core_range *ranges, size_t n_ranges,
                                  const struct ttm_kernel_opts *opts, ttm_kernel **out)
{
    return create_from_file(p, path, true, ranges, n_ranges, opts, out);
}

VIS int ttm_kernel_create_compute_from_string(ttm_program *p, const char *source,
                                              const struct ttm_core_range *ranges,
                                              size_t n_ranges, const struct ttm_kernel_opts *opts,
                                              ttm_kernel **out)
{
    return create_from_string(p, source, true, ranges, n_ranges, opts, out);
}

/* Enter a call on kernel k of program p. */
static int enter_kernel_at(const char *fn, ttm_program *p, ttm_kernel *k, struct ttm_device **dev)
{
    int rc = api_enter_at(fn, p, HANDLE_PROGRAM, dev);
    if (!rc && (!api_handle_is(k, HANDLE_KERNEL, *dev) || k->prog != p)) {
        rc = api_leave(*dev, err_set(-EINVAL, "kernel handle does not belong to this program"));
        *dev = NULL;
    }
    return rc;
}
#define enter_kernel(p, k, dev) enter_kernel_at(__func__, p, k, dev)

static int set_args(ttm_program *p, ttm_kernel *k, uint32_t x, uint32_t y, const uint32_t *args,
                    size_t n_args)
{
    const struct ttm_chip *c = &p->dev->chip;
    if (x >= c->grid_x || y >= c->grid_y || !core_set_has(&k->cores, y * c->grid_x + x))
        return err_set(-EINVAL, "kernel %s does not run on core (%u,%u)", k->name, x, y);
    if (n_args > TTM_MAX_ARGS || (n_args && !args))
        return err_set(-EINVAL, "%zu runtime args: at most %u, and args must not be NULL",
                       n_args, TTM_MAX_ARGS);
    if (!k->args && !(k->args = calloc((size_t)c->n_workers * TTM_MAX_ARGS, sizeof *k->args)))
        return err_set(-ENOMEM, "out of memory");
    uint32_t core = y * c->grid_x + x;
    if (n_args) /* args may be NULL then */
        memcpy(&k->args[(size_t)core * TTM_MAX_ARGS], args, n_args * sizeof *args);
    k->n_args[core] = (uint16_t)n_args;
    if (n_args > k->max_args) {
        k->max_args = (uint32_t)n_args; /* a new image layout */
        p->version++;
    } else if (p->dev->dispatch->args_changed) {
        p->dev->dispatch->args_changed(p, core);
    }
    return 0;
}

VIS int ttm_set_runtime_args(ttm_program *p, ttm_kernel *k, uint32_t x, uint32_t y,
                             const uint32_t *args, size_t n_args)
{
    struct ttm_device *d;
    int rc = enter_kernel(p, k, &d);
    return rc ? rc : api_leave(d, set_args(p, k, x, y, args, n_args));
}

static int set_common_args(ttm_program *p, ttm_kernel *k, const uint32_t *args, size_t n_args)
{
    if (n_args > TTM_MAX_ARGS || (n_args && !args))
        return err_set(-EINVAL, "%zu common runtime args: at most %u, and args must not be NULL",
                       n_args, TTM_MAX_ARGS);
    if (n_args) /* args may be NULL then */
        memcpy(k->common, args, n_args * sizeof *args);
    k->n_common = (uint32_t)n_args;
    p->version++;
    return 0;
}

VIS int ttm_set_common_runtime_args(ttm_program *p, ttm_kernel *k, const uint32_t *args,
                                    size_t n_args)
{
    struct ttm_device *d;
    int rc = enter_kernel(p, k, &d);
    return rc ? rc : api_leave(d, set_common_args(p, k, args, n_args));
}
