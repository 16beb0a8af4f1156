build-tsan/src/chip/grid.o: src/chip/grid.c src/chip/../util/err.h \
 src/chip/chip.h include/ttm/kernel/abi.h \
 include/ttm/kernel/../blackhole.h src/chip/../pcie/pcie.h \
 src/chip/alloc.h src/chip/grid.h include/ttm.h
src/chip/../util/err.h:
src/chip/chip.h:
include/ttm/kernel/abi.h:
include/ttm/kernel/../blackhole.h:
src/chip/../pcie/pcie.h:
src/chip/alloc.h:
src/chip/grid.h:
include/ttm.h:
