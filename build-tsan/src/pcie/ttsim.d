build-tsan/src/pcie/ttsim.o: src/pcie/ttsim.c include/ttm/blackhole.h \
 src/pcie/../util/err.h src/pcie/model.h src/pcie/pcie.h include/ttm.h
include/ttm/blackhole.h:
src/pcie/../util/err.h:
src/pcie/model.h:
src/pcie/pcie.h:
include/ttm.h:
