build-tsan/src/dispatch/cq.o: src/dispatch/cq.c src/dispatch/cq.h \
 src/dispatch/../chip/chip.h src/dispatch/../chip/../util/err.h \
 include/ttm/kernel/abi.h include/ttm/kernel/../blackhole.h \
 src/dispatch/../chip/../pcie/pcie.h src/dispatch/../chip/alloc.h
src/dispatch/cq.h:
src/dispatch/../chip/chip.h:
src/dispatch/../chip/../util/err.h:
include/ttm/kernel/abi.h:
include/ttm/kernel/../blackhole.h:
src/dispatch/../chip/../pcie/pcie.h:
src/dispatch/../chip/alloc.h:
