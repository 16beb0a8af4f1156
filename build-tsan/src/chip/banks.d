build-tsan/src/chip/banks.o: src/chip/banks.c src/chip/banks.h \
 include/ttm/kernel/abi.h include/ttm/kernel/../blackhole.h \
 src/chip/chip.h src/chip/../util/err.h src/chip/../pcie/pcie.h \
 src/chip/alloc.h
src/chip/banks.h:
include/ttm/kernel/abi.h:
include/ttm/kernel/../blackhole.h:
src/chip/chip.h:
src/chip/../util/err.h:
src/chip/../pcie/pcie.h:
src/chip/alloc.h:
