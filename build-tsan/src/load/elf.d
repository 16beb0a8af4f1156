build-tsan/src/load/elf.o: src/load/elf.c src/load/elf.h \
 src/load/../util/err.h
src/load/elf.h:
src/load/../util/err.h:
