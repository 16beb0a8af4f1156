/* Error reporting inside the runtime: functions return 0 or a negative errno value and
 * leave a sentence in a per-thread buffer that ttm_last_error() returns. */
#pragma once

/* Marks an internal function whose int result is 0 (or a count) or a negative errno:
 * ignoring the result does not compile (-Werror). */
#define MUST_CHECK __attribute__((warn_unused_result))

/* Record the message and return `code` (a negative errno), so callers can write
 * `return err_set(-EINVAL, "bad size %u", n);`. */
int err_set(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prefix the current message with more context, keeping the code: "ctx: old message". */
int err_wrap(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *err_get(void);
void err_clear(void);
