build-tsan/src/chip/alloc.o: src/chip/alloc.c src/chip/alloc.h \
 src/chip/../util/err.h
src/chip/alloc.h:
src/chip/../util/err.h:
