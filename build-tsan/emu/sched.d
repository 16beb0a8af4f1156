build-tsan/emu/sched.o: emu/sched.c emu/emu.h emu/bhemu.h \
 include/ttm/blackhole.h
emu/emu.h:
emu/bhemu.h:
include/ttm/blackhole.h:
