/* Errors and warnings (error.c): the calling thread's last error message
 * and the "[timemory] ..." lines on stderr. */
#ifndef TIMEMORY_ERRORS_H
#define TIMEMORY_ERRORS_H

/* Records `fmt` as the calling thread's last error and returns `code`. */
int tm_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints one "[timemory] warning: ..." line to stderr and counts it. */
void tm_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints one "[timemory] ..." diagnostic line to stderr (verbose > 0). */
void tm_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* TIMEMORY_ERRORS_H */
