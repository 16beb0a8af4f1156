/* Stand-in for glibc's <features.h>, first on a C++ kernel's include path (src/build/
 * runtime.h). The host's libstdc++ configuration asks it which glibc is there; a kernel
 * has none, so every version test is false. */
#ifndef TTM_KERNEL_LIBSTDCXX_FEATURES_H
#define TTM_KERNEL_LIBSTDCXX_FEATURES_H
#define __GLIBC_PREREQ(major, minor) 0
#endif
