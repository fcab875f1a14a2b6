/*
 * timemory-c: lifecycle, errors and regions.
 *
 * Threading: every function here may be called from any thread. Regions are
 * recorded into the calling thread's own call graph with no lock and no
 * allocation once a region has been seen on that thread. Only
 * tm_region_begin(), tm_region_begin_set() and tm_region_end() may be called
 * from a signal handler, under the conditions below them; no other function
 * here is async-signal safe.
 *
 * Errors are returned as negative tm_error_t codes; tm_strerror() names them
 * and tm_last_error() gives the detailed message of the calling thread's last
 * failure. The library never exits or aborts the program.
 */
#ifndef TIMEMORY_API_H
#define TIMEMORY_API_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define TM_EXPORT __attribute__((visibility("default")))
#else
#define TM_EXPORT
#endif

typedef enum tm_error {
    TM_OK = 0,
    TM_E_INVALID = -1,           /* bad argument (NULL, empty, out of range) */
    TM_E_UNKNOWN_COMPONENT = -2, /* a component name not in components.def */
    TM_E_UNBALANCED = -3,        /* end/pop/stop without begin/push/start; repaired */
    TM_E_NOMEM = -4,             /* allocation failed; nothing recorded was lost */
    TM_E_IO = -5,                /* a file could not be read or written */
    TM_E_UNAVAILABLE = -6,       /* the component cannot measure on this machine */
    TM_E_BAD_SETTING = -7,       /* unknown setting name or invalid value */
    TM_E_WRONG_KIND = -8,        /* operation not valid for this component's kind */
    TM_E_BUSY = -9               /* a signal handler's region begin/end interrupted a timemory
                                    call on its thread: not recorded (see "Signal handlers") */
} tm_error_t;

/* Static description of `err`; never NULL. Async-signal safe. */
TM_EXPORT const char *tm_strerror(int err);

/* Detailed message of the calling thread's last error ("" if none). */
TM_EXPORT const char *tm_last_error(void);

/* The library's version, "MAJOR.MINOR.PATCH" (the same string as the tools'
 * --version and Python's timemory.__version__); never NULL. Async-signal safe. */
TM_EXPORT const char *tm_version(void);

/* Reads TIMEMORY_* environment variables (once per process, unless a setting
 * was used first; later calls only update the name). `name` labels the
 * reports (the text report's first line, "metadata.name" in the JSON) and may be
 * NULL. Calling it is optional: the first region initialises with name
 * "timemory". */
TM_EXPORT int tm_init(const char *name);

/* Closes regions left open (with one warning) and, when auto_output is on,
 * prints the report of every recorded component and writes it under
 * output_path. Recorded data stays queryable until tm_storage_reset(). */
TM_EXPORT int tm_finalize(void);

/* Discards every thread's recorded data. Call it only while no other thread
 * is recording; regions open on the calling thread are dropped. */
TM_EXPORT void tm_storage_reset(void);

/* A set of components, one bit per tm_component_id_t (TM_WALL_CLOCK_BIT...). */
typedef uint64_t tm_component_set_t;

/* Opaque handle of an interned region label; valid for the process's life. */
typedef struct tm_label *tm_region_t;

/* Interns `name` and returns its handle, or NULL (tm_last_error() says why)
 * for a NULL or empty name. Takes a lock; cache the result. */
TM_EXPORT tm_region_t tm_region(const char *name);

/* Name and 64-bit hash of a handle. */
TM_EXPORT const char *tm_region_name(tm_region_t r);
TM_EXPORT uint64_t tm_region_hash(tm_region_t r);

/* The 64-bit label hash used by the call graph (FNV-1a). */
TM_EXPORT uint64_t tm_hash_string(const char *s);

/* Hot path: enter/leave region `r` recording the default components
 * (settings.components). tm_region_end() checks that `r` is the innermost
 * open region; if not, it repairs the stack and warns once. */
TM_EXPORT int tm_region_begin(tm_region_t r);
TM_EXPORT int tm_region_end(tm_region_t r);

/* Signal handlers: tm_region_begin/_set/_end may be called from a handler
 * with a handle made outside it (tm_region() locks and allocates), on a
 * thread that has recorded before, begin and end balanced within the
 * handler. The handler's region nests under the region its thread was in.
 * When the signal interrupted a timemory call on that thread (a region
 * begin/end, a component object's push/pop/stop/store, finalize), both the
 * begin and the end return TM_E_BUSY and nothing is recorded; the caller
 * may count them. Recording at a call-graph position for the first time
 * allocates with malloc, which is not async-signal safe if the interrupted
 * code was itself inside malloc: record such a region once outside the
 * handler first, where that matters. */

/* Same, recording exactly the components in `set`. Bits that name no
 * component (outside TM_ALL_COMPONENTS) give TM_E_INVALID; the region is
 * still entered with the valid ones, so the matching end stays balanced. */
TM_EXPORT int tm_region_begin_set(tm_region_t r, tm_component_set_t set);

/* Convenience by name (interns on every call: use handles in hot code). */
TM_EXPORT int tm_push_region(const char *name);
TM_EXPORT int tm_pop_region(const char *name);

/* Default component set (settings.components). */
TM_EXPORT tm_component_set_t tm_default_components(void);

/* Parses "wall_clock,cpu_clock" (commas, spaces or semicolons) into `*out`,
 * leaving out (with one warning each) components unavailable here. On an
 * unknown name returns TM_E_UNKNOWN_COMPONENT and tm_last_error() names it
 * and lists the valid names. */
TM_EXPORT int tm_component_set_parse(const char *names, tm_component_set_t *out);

/* `set` without the components that cannot measure on this machine (each
 * warned about once, with the reason); TM_E_UNAVAILABLE if none is left. */
TM_EXPORT int tm_component_set_available(tm_component_set_t set, tm_component_set_t *out);

/* Number of warnings issued so far (each distinct problem warns once). */
TM_EXPORT uint64_t tm_warning_count(void);

/* Region macros that cache the label handle at the call site, so a repeated
 * region hashes nothing. Defining TIMEMORY_DISABLE compiles them out. */
#if defined(TIMEMORY_DISABLE)
#define TM_REGION_BEGIN(name) ((void)0)
#define TM_REGION_END(name) ((void)0)
#else
#define TM_CACHED_REGION_(name)                                                                                        \
    __extension__({                                                                                                    \
        static tm_region_t tm_cached_region_;                                                                          \
        tm_region_t tm_r_ = __atomic_load_n(&tm_cached_region_, __ATOMIC_ACQUIRE);                                     \
        if (!tm_r_) {                                                                                                  \
            tm_r_ = tm_region(name);                                                                                   \
            __atomic_store_n(&tm_cached_region_, tm_r_, __ATOMIC_RELEASE);                                             \
        }                                                                                                              \
        tm_r_;                                                                                                         \
    })
#define TM_REGION_BEGIN(name) ((void)tm_region_begin(TM_CACHED_REGION_(name)))
#define TM_REGION_END(name) ((void)tm_region_end(TM_CACHED_REGION_(name)))
#endif

#ifdef __cplusplus
}
#endif

#endif /* TIMEMORY_API_H */
