build-tsan/emu/park.o: emu/park.c emu/emu.h emu/bhemu.h \
 include/ttm/blackhole.h
emu/emu.h:
emu/bhemu.h:
include/ttm/blackhole.h:
