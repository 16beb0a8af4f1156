build-tsan/src/pcie/model.o: src/pcie/model.c src/pcie/model.h \
 src/pcie/../util/err.h src/pcie/pcie.h include/ttm/blackhole.h
src/pcie/model.h:
src/pcie/../util/err.h:
src/pcie/pcie.h:
include/ttm/blackhole.h:
