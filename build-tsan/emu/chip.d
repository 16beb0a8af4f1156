build-tsan/emu/chip.o: emu/chip.c emu/emu.h emu/bhemu.h \
 include/ttm/blackhole.h
emu/emu.h:
emu/bhemu.h:
include/ttm/blackhole.h:
