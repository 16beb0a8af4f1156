build-tsan/emu/rv32_decode.o: emu/rv32_decode.c emu/emu.h emu/bhemu.h \
 include/ttm/blackhole.h emu/rv32_ops.h
emu/emu.h:
emu/bhemu.h:
include/ttm/blackhole.h:
emu/rv32_ops.h:
