build-tsan/tests/emu_util.o: tests/emu_util.c tests/emu_util.h \
 tests/../emu/bhemu.h include/ttm/blackhole.h
tests/emu_util.h:
tests/../emu/bhemu.h:
include/ttm/blackhole.h:
