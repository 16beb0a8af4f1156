build-tsan/src/build/runtime.o: src/build/runtime.c src/build/runtime.h \
 src/build/../util/err.h
src/build/runtime.h:
src/build/../util/err.h:
