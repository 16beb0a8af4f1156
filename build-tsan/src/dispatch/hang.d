build-tsan/src/dispatch/hang.o: src/dispatch/hang.c src/dispatch/hang.h \
 src/dispatch/../chip/chip.h src/dispatch/../chip/../util/err.h \
 include/ttm/kernel/abi.h include/ttm/kernel/../blackhole.h \
 src/dispatch/../chip/../pcie/pcie.h src/dispatch/../chip/alloc.h \
 src/dispatch/../chip/procs.h include/ttm/blackhole.h
src/dispatch/hang.h:
src/dispatch/../chip/chip.h:
src/dispatch/../chip/../util/err.h:
include/ttm/kernel/abi.h:
include/ttm/kernel/../blackhole.h:
src/dispatch/../chip/../pcie/pcie.h:
src/dispatch/../chip/alloc.h:
src/dispatch/../chip/procs.h:
include/ttm/blackhole.h:
