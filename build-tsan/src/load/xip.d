build-tsan/src/load/xip.o: src/load/xip.c src/load/xip.h \
 src/load/../util/err.h src/load/elf.h
src/load/xip.h:
src/load/../util/err.h:
src/load/elf.h:
