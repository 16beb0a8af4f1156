build-tsan/src/chip/procs.o: src/chip/procs.c src/chip/procs.h \
 include/ttm/blackhole.h include/ttm/kernel/abi.h \
 include/ttm/kernel/../blackhole.h
src/chip/procs.h:
include/ttm/blackhole.h:
include/ttm/kernel/abi.h:
include/ttm/kernel/../blackhole.h:
