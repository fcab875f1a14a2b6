/*
 * _timemory: what the profile and trace hooks share.
 *
 * tm_py_pcache_t maps a pointer (a code object, or the C function of a
 * builtin) to what the hook decided for it once: a region handle, a skip, or
 * the tracer's per-code line table. It is an open-addressing table with
 * linear probing, touched only with the GIL held, so it needs no lock. A
 * code object key is kept alive by a strong reference so its address cannot
 * be reused by another code object while the table remembers it.
 */
#ifndef TM_PY_PROFILER_CACHE_H
#define TM_PY_PROFILER_CACHE_H

#include "bindings/python/tm_py.h"

#define TM_PY_LIKELY(x) __builtin_expect(!!(x), 1)
#define TM_PY_UNLIKELY(x) __builtin_expect(!!(x), 0)

typedef struct tm_py_pcache_slot {
    const void *key;  /* NULL: empty slot */
    PyObject *ref;    /* strong reference keeping `key` alive, or NULL */
    void *value;      /* never NULL in a used slot */
} tm_py_pcache_slot_t;

typedef struct tm_py_pcache {
    tm_py_pcache_slot_t *slots;
    size_t mask; /* capacity - 1 (capacity a power of two), 0 when unallocated */
    size_t used;
    void (*free_value)(void *value); /* called on clear, or NULL */
} tm_py_pcache_t;

/* The value cached for `key`, or NULL. Inline: this is the per-call path. */
static inline void *tm_py_pcache_get(const tm_py_pcache_t *c, const void *key) {
    if (!c->mask)
        return NULL;
    size_t i = (size_t)(((uintptr_t)key >> 4) * 0x9E3779B97F4A7C15ull >> 20) & c->mask;
    for (;;) {
        const tm_py_pcache_slot_t *s = &c->slots[i];
        if (s->key == key)
            return s->value;
        if (!s->key)
            return NULL;
        i = (i + 1) & c->mask;
    }
}

/* Remembers `value` (not NULL) for `key`, taking a new reference to `ref`
 * (may be NULL). Returns 0, or -1 with MemoryError set. */
int tm_py_pcache_put(tm_py_pcache_t *c, const void *key, PyObject *ref, void *value);

/* Forgets every entry (drops the references, frees values with free_value). */
void tm_py_pcache_clear(tm_py_pcache_t *c);

/* The `skip` value: "decided, do not record". */
extern char tm_py_pcache_skip_value;
#define TM_PY_PCACHE_SKIP ((void *)&tm_py_pcache_skip_value)
/* The `own` value: timemory's own code, skipped together with the C
 * functions it calls (a profiler with trace_c must not record them). */
extern char tm_py_pcache_own_value;
#define TM_PY_PCACHE_OWN ((void *)&tm_py_pcache_own_value)
#define TM_PY_PCACHE_DECIDED_NO(v) ((v) == TM_PY_PCACHE_SKIP || (v) == TM_PY_PCACHE_OWN)

/* Calls decide(obj) and interns the label it returns: the region handle,
 * TM_PY_PCACHE_SKIP for None, TM_PY_PCACHE_OWN for False, or NULL with an exception set. `what` names the
 * callback in errors. */
void *tm_py_decide_region(PyObject *decide, PyObject *obj, const char *what);

/* Reports the pending exception of a hook as unraisable: a hook must never
 * raise into the profiled program. */
void tm_py_hook_unraisable(const char *what);

/* The current thread's profile (trace: 1) object, from sys.getprofile() or
 * sys.gettrace(); a new reference, Py_None, or NULL with an exception. */
PyObject *tm_py_current_hook_obj(int trace);

/* Type creation, called from the module's exec slot. */
int tm_py_profiler_types_init(PyObject *module);
int tm_py_trace_types_init(PyObject *module);

#endif /* TM_PY_PROFILER_CACHE_H */
