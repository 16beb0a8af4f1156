build-tsan/src/build/kbuild.o: src/build/kbuild.c src/build/kbuild.h \
 src/build/../util/err.h include/ttm/kernel/abi.h \
 include/ttm/kernel/../blackhole.h src/build/embedded.h src/build/hash.h \
 src/build/runtime.h
src/build/kbuild.h:
src/build/../util/err.h:
include/ttm/kernel/abi.h:
include/ttm/kernel/../blackhole.h:
src/build/embedded.h:
src/build/hash.h:
src/build/runtime.h:
