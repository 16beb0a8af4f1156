/* A small test harness: each test binary holds TEST() functions, run in file order.
 * Every result is one line, "PASS name", "FAIL name: why" or "SKIP name: why", which
 * tests/run.sh counts across binaries. */
#pragma once

#include <stdio.h>

typedef void (*test_fn)(void);
void test_register(const char *name, test_fn fn);
void test_fail_at(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void test_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int test_failed(void);

#define TEST(name)                                                                      \
    static void name(void);                                                             \
    __attribute__((constructor)) static void test_reg_##name(void)                      \
    {                                                                                   \
        test_register(#name, name);                                                     \
    }                                                                                   \
    static void name(void)

/* Record a failure and leave the test. */
#define CHECK(cond)                                                                     \
    do {                                                                                \
        if (!(cond)) {                                                                  \
            test_fail_at(__FILE__, __LINE__, "%s", #cond);                              \
            return;                                                                     \
        }                                                                               \
    } while (0)

#define CHECK_EQ(a, b)                                                                  \
    do {                                                                                \
        unsigned long long check_a_ = (unsigned long long)(a);                          \
        unsigned long long check_b_ = (unsigned long long)(b);                          \
        if (check_a_ != check_b_) {                                                     \
            test_fail_at(__FILE__, __LINE__, "%s == %s (0x%llx != 0x%llx)", #a, #b,     \
                         check_a_, check_b_);                                           \
            return;                                                                     \
        }                                                                               \
    } while (0)

#define SKIP(...)                                                                       \
    do {                                                                                \
        test_skip(__VA_ARGS__);                                                         \
        return;                                                                         \
    } while (0)
