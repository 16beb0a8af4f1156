build-tsan/src/pcie/emu.o: src/pcie/emu.c src/pcie/../../emu/bhemu.h \
 src/pcie/../util/err.h src/pcie/model.h src/pcie/pcie.h \
 include/ttm/blackhole.h include/ttm.h
src/pcie/../../emu/bhemu.h:
src/pcie/../util/err.h:
src/pcie/model.h:
src/pcie/pcie.h:
include/ttm/blackhole.h:
include/ttm.h:
