build-tsan/emu/niu.o: emu/niu.c emu/emu.h emu/bhemu.h \
 include/ttm/blackhole.h
emu/emu.h:
emu/bhemu.h:
include/ttm/blackhole.h:
