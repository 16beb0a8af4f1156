build-tsan/src/chip/boot.o: src/chip/boot.c src/chip/../build/embedded.h \
 src/chip/../load/elf.h src/chip/../load/../util/err.h src/chip/banks.h \
 include/ttm/kernel/abi.h include/ttm/kernel/../blackhole.h \
 src/chip/chip.h src/chip/../pcie/pcie.h src/chip/alloc.h \
 src/chip/procs.h include/ttm/blackhole.h
src/chip/../build/embedded.h:
src/chip/../load/elf.h:
src/chip/../load/../util/err.h:
src/chip/banks.h:
include/ttm/kernel/abi.h:
include/ttm/kernel/../blackhole.h:
src/chip/chip.h:
src/chip/../pcie/pcie.h:
src/chip/alloc.h:
src/chip/procs.h:
include/ttm/blackhole.h:
