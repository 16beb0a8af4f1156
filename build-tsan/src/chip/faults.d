build-tsan/src/chip/faults.o: src/chip/faults.c src/chip/chip.h \
 src/chip/../util/err.h include/ttm/kernel/abi.h \
 include/ttm/kernel/../blackhole.h src/chip/../pcie/pcie.h \
 src/chip/alloc.h
src/chip/chip.h:
src/chip/../util/err.h:
include/ttm/kernel/abi.h:
include/ttm/kernel/../blackhole.h:
src/chip/../pcie/pcie.h:
src/chip/alloc.h:
