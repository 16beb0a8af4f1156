build-tsan/emu/dram.o: emu/dram.c emu/emu.h emu/bhemu.h \
 include/ttm/blackhole.h
emu/emu.h:
emu/bhemu.h:
include/ttm/blackhole.h:
