build-tsan/src/dispatch/fast.o: src/dispatch/fast.c \
 src/dispatch/../util/err.h src/dispatch/fast.h src/dispatch/../objects.h \
 src/dispatch/../chip/chip.h include/ttm/kernel/abi.h \
 include/ttm/kernel/../blackhole.h src/dispatch/../chip/../pcie/pcie.h \
 src/dispatch/../chip/alloc.h src/dispatch/../load/xip.h \
 src/dispatch/../load/elf.h include/ttm.h src/dispatch/cq.h \
 src/dispatch/dispatch.h src/dispatch/groups.h
src/dispatch/../util/err.h:
src/dispatch/fast.h:
src/dispatch/../objects.h:
src/dispatch/../chip/chip.h:
include/ttm/kernel/abi.h:
include/ttm/kernel/../blackhole.h:
src/dispatch/../chip/../pcie/pcie.h:
src/dispatch/../chip/alloc.h:
src/dispatch/../load/xip.h:
src/dispatch/../load/elf.h:
include/ttm.h:
src/dispatch/cq.h:
src/dispatch/dispatch.h:
src/dispatch/groups.h:
