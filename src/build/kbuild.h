/* The kernel compiler driver: turns a kernel's C or C++ source into an rv32 ELF image for
 * the loader, with clang, against the kernel headers built into the library, and keeps the
 * result in a content-addressed cache.
 *
 * Cache directory: $TTM_CACHE_DIR, else $XDG_CACHE_HOME/ttm, else $HOME/.cache/ttm. It
 * holds include/ttm/kernel/ (the embedded headers, so kernels say
 * `#include <ttm/kernel/dataflow.h>`), kernel.ld (the link script), kernels/<key>.elf (one
 * file per build) and tmp/ (builds in progress). Every file appears by rename, so
 * processes may share the directory.
 *
 * Compiler: $TTM_CLANG (a program, not a command line), else `clang` on PATH; it needs
 * the riscv32 target and lld. The
 * cache key is a SHA-256 over everything that decides the output: source, language,
 * processor, compile args, defines, display name, the embedded headers, the flags and link
 * script, and the compiler's file (path, size, time). Images read and checked once are
 * kept for the process (kbuild_memo_clear forgets them).
 *
 * The image: text (kernel_main first), rodata, data and bss (the zero tail) in one
 * contiguous segment linked at 0, entry kernel_main. Code reaches data PC-relatively
 * (-mcmodel=medany, no jump tables), so the loader may place the segment at any 16-byte
 * aligned L1 address; relocations are kept (--emit-relocs) for the absolute data words
 * it must rebase (src/load/xip.h).
 * No C library, no compiler runtime (no soft float, no 64-bit division), no C++
 * exceptions, RTTI or global constructors.
 */
#pragma once

#include "../util/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kbuild_req {
    const char *source;          /* kernel text (need not be NUL-terminated) */
    size_t source_len;
    int is_cpp;                  /* C++17 rather than C11 */
    const char *display_name;    /* file path or "<string>", for diagnostics; NULL: "<string>" */
    uint32_t processor;          /* enum bh_core (ttm/blackhole.h), visible as TTM_PROC */
    const uint32_t *compile_args; /* visible as TTM_CT_ARG_<i> (unsigned) and TTM_CT_ARGS_N */
    uint32_t n_compile_args;
    /* NULL, or "NAME" / "NAME=VALUE" items separated by white space, each passed as
     * -DNAME[=VALUE]. NAME is a C identifier not starting with TTM_; VALUE may hold
     * letters, digits and _ . + - , : / only. */
    const char *defines;
    /* TRISC builds of a compute kernel: visible as TTM_MATH_FIDELITY (enum
     * ttm_math_fidelity) and TTM_FP32_DEST_ACC (0 or 1). */
    uint32_t math_fidelity;
    uint32_t fp32_dest_acc;
    /* Kernel print on: TTM_KERNEL_PRINT defined (ttm/kernel/print.h). */
    bool print;
};

/* Compile (or find in the cache) and return the ELF image in *elf, malloc'ed, which the
 * caller frees. 0 on success; a negative errno otherwise, with the reason in err_get():
 * -EINVAL for a bad request or a kernel that does not compile (the message then holds the
 * start of the compiler's diagnostics), -ENOENT when there is no compiler. */
MUST_CHECK int kbuild_compile(const struct kbuild_req *req, uint8_t **elf, size_t *elf_size);

/* Forget the images this process has already read and checked, so the next compile of
 * each reads (and checks) the cache's file again. */
void kbuild_memo_clear(void);

/* Read a kernel source file whole into *buf (malloc'ed, NUL-terminated; *len excludes the
 * NUL). A relative path is taken from root_dir when root_dir is not NULL. */
MUST_CHECK int kbuild_read_file(const char *path, const char *root_dir, char **buf,
                                size_t *len);

/* The cache directory as chosen above (not created). */
MUST_CHECK int kbuild_cache_dir(char *out, size_t size);
