build-tsan/src/api/library.o: src/api/library.c src/api/../util/err.h \
 src/api/api.h src/api/../objects.h src/api/../chip/chip.h \
 include/ttm/kernel/abi.h include/ttm/kernel/../blackhole.h \
 src/api/../chip/../pcie/pcie.h src/api/../chip/alloc.h \
 src/api/../load/xip.h src/api/../load/elf.h include/ttm.h
src/api/../util/err.h:
src/api/api.h:
src/api/../objects.h:
src/api/../chip/chip.h:
include/ttm/kernel/abi.h:
include/ttm/kernel/../blackhole.h:
src/api/../chip/../pcie/pcie.h:
src/api/../chip/alloc.h:
src/api/../load/xip.h:
src/api/../load/elf.h:
include/ttm.h:
