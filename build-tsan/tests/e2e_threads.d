build-tsan/tests/e2e_threads: tests/e2e/threads.c \
 tests/e2e/queue_sequence.h include/ttm.h tests/test.h
tests/e2e/queue_sequence.h:
include/ttm.h:
tests/test.h:
