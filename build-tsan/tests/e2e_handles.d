build-tsan/tests/e2e_handles: tests/e2e/handles.c tests/test.h \
 include/ttm.h
tests/test.h:
include/ttm.h:
