build-tsan/src/build/hash.o: src/build/hash.c src/build/hash.h
src/build/hash.h:
