build-tsan/src/dispatch/slow.o: src/dispatch/slow.c \
 src/dispatch/../chip/banks.h include/ttm/kernel/abi.h \
 include/ttm/kernel/../blackhole.h src/dispatch/../util/err.h \
 src/dispatch/dispatch.h src/dispatch/../objects.h \
 src/dispatch/../chip/chip.h src/dispatch/../chip/../pcie/pcie.h \
 src/dispatch/../chip/alloc.h src/dispatch/../load/xip.h \
 src/dispatch/../load/elf.h include/ttm.h src/dispatch/groups.h \
 src/dispatch/hang.h
src/dispatch/../chip/banks.h:
include/ttm/kernel/abi.h:
include/ttm/kernel/../blackhole.h:
src/dispatch/../util/err.h:
src/dispatch/dispatch.h:
src/dispatch/../objects.h:
src/dispatch/../chip/chip.h:
src/dispatch/../chip/../pcie/pcie.h:
src/dispatch/../chip/alloc.h:
src/dispatch/../load/xip.h:
src/dispatch/../load/elf.h:
include/ttm.h:
src/dispatch/groups.h:
src/dispatch/hang.h:
