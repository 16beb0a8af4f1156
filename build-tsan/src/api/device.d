build-tsan/src/api/device.o: src/api/device.c \
 src/api/../dispatch/dispatch.h src/api/../dispatch/../util/err.h \
 src/api/../dispatch/../objects.h src/api/../dispatch/../chip/chip.h \
 include/ttm/kernel/abi.h include/ttm/kernel/../blackhole.h \
 src/api/../dispatch/../chip/../pcie/pcie.h \
 src/api/../dispatch/../chip/alloc.h src/api/../dispatch/../load/xip.h \
 src/api/../dispatch/../load/elf.h include/ttm.h src/api/api.h
src/api/../dispatch/dispatch.h:
src/api/../dispatch/../util/err.h:
src/api/../dispatch/../objects.h:
src/api/../dispatch/../chip/chip.h:
include/ttm/kernel/abi.h:
include/ttm/kernel/../blackhole.h:
src/api/../dispatch/../chip/../pcie/pcie.h:
src/api/../dispatch/../chip/alloc.h:
src/api/../dispatch/../load/xip.h:
src/api/../dispatch/../load/elf.h:
include/ttm.h:
src/api/api.h:
