/* Errors and warnings (error.c): the calling thread's last error message
 * and the "[timemory] ..." lines on stderr. */
#ifndef TIMEMORY_ERRORS_H
#define TIMEMORY_ERRORS_H

#include <stddef.h>

/* Records `fmt` as the calling thread's last error and returns `code`. */
int tm_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints one "[timemory] warning: ..." line to stderr and counts it. */
void tm_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "a, b, c" into out[cap]: the `name` field of n rows `stride` bytes apart
 * starting at `first_name` (&rows[0].name), whole names only, appended at a
 * running offset (strncat would rescan the list per name). For the
 * "(valid: ...)" part of error messages. */
void tm_join_names(char *out, size_t cap, const char *const *first_name, size_t n, size_t stride);
/* Prints one "[timemory] ..." diagnostic line to stderr (verbose > 0). */
void tm_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* TIMEMORY_ERRORS_H */
