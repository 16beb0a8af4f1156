build-tsan/src/pcie/backends.o: src/pcie/backends.c src/pcie/pcie.h
src/pcie/pcie.h:
