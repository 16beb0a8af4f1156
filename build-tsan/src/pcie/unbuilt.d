build-tsan/src/pcie/unbuilt.o: src/pcie/unbuilt.c src/pcie/../util/err.h \
 src/pcie/pcie.h
src/pcie/../util/err.h:
src/pcie/pcie.h:
