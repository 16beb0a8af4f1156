build-tsan/emu/rv32.o: emu/rv32.c emu/emu.h emu/bhemu.h \
 include/ttm/blackhole.h emu/rv32_ops.h
emu/emu.h:
emu/bhemu.h:
include/ttm/blackhole.h:
emu/rv32_ops.h:
