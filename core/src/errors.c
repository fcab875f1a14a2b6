/* Error codes, per-thread error messages and warnings (errors.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <stdatomic.h>
#include <stdint.h>

#include <timemory/timemory.h>

#include "errors.h"

static __thread char tm_error_message[4096]; /* room for every component name */
static _Atomic uint64_t tm_warnings;

const char *tm_strerror(int err) {
    switch (err) {
    case TM_OK: return "success";
    case TM_E_INVALID: return "invalid argument";
    case TM_E_UNKNOWN_COMPONENT: return "unknown component";
    case TM_E_UNBALANCED: return "unbalanced use (repaired)";
    case TM_E_NOMEM: return "out of memory";
    case TM_E_IO: return "could not read or write a file";
    case TM_E_UNAVAILABLE: return "component not available on this machine";
    case TM_E_BAD_SETTING: return "unknown setting or invalid value";
    case TM_E_WRONG_KIND: return "operation not valid for this component";
    case TM_E_BUSY: return "signal handler interrupted a timemory call on its thread; not recorded";
    default: return "unknown error code";
    }
}

const char *tm_last_error(void) { return tm_error_message; }

int tm_fail(int code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tm_error_message, sizeof tm_error_message, fmt, ap);
    va_end(ap);
    return code;
}

void tm_warn(const char *fmt, ...) {
    char line[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    atomic_fetch_add_explicit(&tm_warnings, 1, memory_order_relaxed);
    fprintf(stderr, "[timemory] warning: %s\n", line);
}

void tm_info(const char *fmt, ...) {
    char line[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fprintf(stderr, "[timemory] %s\n", line);
}

uint64_t tm_warning_count(void) { return atomic_load(&tm_warnings); }

void tm_join_names(char *out, size_t cap, const char *const *first_name, size_t n, size_t stride) {
    size_t used = 0;
    for (size_t i = 0; i < n; ++i) {
        const char *name = *(const char *const *)((const char *)first_name + i * stride);
        size_t len = strlen(name), sep = i ? 2 : 0;
        if (used + sep + len >= cap) break;
        memcpy(out + used, ", ", sep);
        memcpy(out + used + sep, name, len);
        used += sep + len;
    }
    if (cap) out[used] = '\0';
}
