/* What a kernel build takes from the machine besides the compiler and our headers: the
 * compiler's runtime library, and the host's C++ standard headers for .cpp kernels.
 *
 * The runtime library is GCC's libgcc.a for rv32im/ilp32, from Debian's
 * gcc-riscv64-unknown-elf (soft float, 64-bit division, count-leading-zeros: what clang
 * emits calls to for code the cores have no instruction for). It is chosen over
 * compiler-rt, which Debian ships for no 32-bit RISC-V target, and over routines of our
 * own, which would be a second soft-float to keep correct. It is built medany without
 * compressed instructions, as our kernels are, so the image stays position-independent.
 *
 * The C++ headers are libstdc++'s (libstdc++-N-dev): the freestanding ones (<cstdint>,
 * <cstddef>, <type_traits>, <limits>, <utility>, <array>, <tuple>, <new>, <bit>...) are
 * templates and compiler builtins that hold for any target. Their configuration header
 * asks glibc's <features.h> for its version; the kernel headers carry a stand-in that
 * answers "no glibc". */
#pragma once

#include <limits.h>
#include <stddef.h>

struct kbuild_runtime {
    char libgcc[PATH_MAX];      /* the archive to link, or "" */
    char cxx[PATH_MAX];         /* libstdc++'s headers, or "" */
    char cxx_arch[PATH_MAX];    /* their target-specific part */
    char ident[3 * PATH_MAX];   /* what the cache key must hold: paths, sizes, times */
};

/* Look for them now (TTM_KERNEL_LIBGCC names the archive; set but empty: link none).
 * -ENOENT with a message when TTM_KERNEL_LIBGCC names no file; absence otherwise is no
 * error (a kernel that needs the missing part fails to build, with kbuild_runtime_hint). */
int kbuild_runtime_find(struct kbuild_runtime *rt);
/* A sentence on what to install, for a failed build's compiler output, or "". */
const char *kbuild_runtime_hint(const struct kbuild_runtime *rt, int is_cpp, const char *log);
