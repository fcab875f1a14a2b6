/* Internal declarations shared by the engine's files. Not installed. */
#ifndef TIMEMORY_INTERNAL_H
#define TIMEMORY_INTERNAL_H

#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <timemory/timemory.h>

#include "arena.h"
#include "kinds.h"

#define TM_LIKELY(x) __builtin_expect(!!(x), 1)
#define TM_UNLIKELY(x) __builtin_expect(!!(x), 0)

/* ---- errors and warnings (error.c) ---- */
/* Records `fmt` as the calling thread's last error and returns `code`. */
int tm_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints one "[timemory] warning: ..." line to stderr and counts it. */
void tm_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints one "[timemory] ..." diagnostic line to stderr (verbose > 0). */
void tm_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- labels (labels.c) ---- */
enum tm_label_warning {
    TM_WARN_END_WITHOUT_BEGIN = 1u << 0,
    TM_WARN_END_NOT_INNERMOST = 1u << 1,
    TM_WARN_POP_WITHOUT_PUSH = 1u << 2,
    TM_WARN_LEFT_OPEN = 1u << 3
};

struct tm_label {
    uint32_t id;
    uint64_t hash;
    _Atomic uint32_t warned; /* tm_label_warning bits already reported */
    char name[];
};
typedef struct tm_label tm_label_t;

/* True the first time `bit` is claimed for `label` (warn-once). */
bool tm_label_first_warning(tm_label_t *label, uint32_t bit);

/* ---- settings (settings.c) ---- */
typedef struct tm_settings_cache {
    _Atomic int enabled;
    _Atomic tm_component_set_t components;
} tm_settings_cache_t;
extern tm_settings_cache_t tm_g_settings;
/* Defaults, then the environment (once per process; every accessor calls it). */
void tm_settings_init(void);
bool tm_settings_flag(const char *name);
long tm_settings_int(const char *name);

/* ---- component registry (registry.c) ---- */
extern const tm_component_desc_t tm_component_table[TM_COMPONENT_COUNT];
/* Samplers in use: the table's, or a test's fake (tm_testing_set_sampler). */
extern void (*tm_samplers[TM_COMPONENT_COUNT])(int64_t out[2]);
void tm_samplers_init(void);

/* Components whose sample is a plain difference (DELTA, HWM): the region
 * end's fast path. Filled with tm_samplers[]. */
extern tm_component_set_t tm_g_plain_difference;

/* The traits of component `c`'s KIND. */
static inline const tm_kind_traits_t *tm_traits(int c) { return &tm_kind_traits[tm_component_table[c].kind]; }

/* ---- call graph (graph.c, thread.c) ---- */
/* Raw-unit accumulators of one node for one component. */
typedef struct tm_acc {
    uint64_t count;
    double sum, min, max;
    double mean, m2; /* Welford: running mean, sum of squared deviations;
                        the sum of squares is m2 + sum^2 / count (values.c) */
    double num, den; /* RATIO: sums of the two counters' differences */
} tm_acc_t;

/* Statistics of one component at one node. Written only by the node's
 * thread; other threads read it with tm_slot_read(). `seq` is odd while a
 * sample is being added (a seqlock), so a reader never sees half a sample;
 * the fields are stored with relaxed atomic stores (TM_PUT). */
typedef struct tm_slot {
    uint32_t seq;
    tm_acc_t incl, excl;
    double last; /* LEVEL: the latest reading */
} tm_slot_t;

/* Stores a field that other threads may read at the same time (through
 * tm_slot_read's seqlock). Under ThreadSanitizer it is a relaxed atomic
 * store, so the tool checks the protocol; otherwise a volatile store, which
 * for these aligned 1-8 byte fields is the same single instruction (the
 * Linux kernel's WRITE_ONCE) without the round trip of a double through an
 * integer register that gcc emits for an atomic double. */
#if defined(__SANITIZE_THREAD__)
#define TM_PUT_ATOMIC 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define TM_PUT_ATOMIC 1
#endif
#endif
#ifdef TM_PUT_ATOMIC
#define TM_PUT(lvalue, value)                                  \
    do {                                                       \
        __typeof__(lvalue) tm_put_ = (value);                  \
        __atomic_store(&(lvalue), &tm_put_, __ATOMIC_RELAXED); \
    } while (0)
#else
#define TM_PUT(lvalue, value) (*(volatile __typeof__(lvalue) *)&(lvalue) = (value))
#endif

static inline void tm_slot_write_begin(tm_slot_t *s) {
    __atomic_store_n(&s->seq, s->seq + 1, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_RELEASE);
}
static inline void tm_slot_write_end(tm_slot_t *s) { __atomic_store_n(&s->seq, s->seq + 1, __ATOMIC_RELEASE); }

/* A consistent copy of `s` while its thread may be adding samples. */
void tm_slot_read(const tm_slot_t *s, tm_slot_t *out);

typedef struct tm_node {
    tm_label_t *label;            /* NULL for dummy nodes */
    struct tm_node *parent;       /* immutable once published */
    /* first_child and next_sibling are read by other threads: stored with
     * release, loaded with acquire (a node is complete once linked) */
    struct tm_node *first_child;
    struct tm_node *last_child;   /* owner only */
    struct tm_node *next_sibling;
    uint32_t index;
    int32_t depth;                /* absolute depth; -1 for dummies */
    uint64_t rolling;             /* wrapping sum of hashes from the top */
    tm_component_set_t recorded;  /* components with samples here (TM_PUT) */
    /* one-entry cache of the last child looked up (loops hit it) */
    const tm_label_t *cached_label;
    struct tm_node *cached_child;
    /* statistics per component, allocated at the component's first sample
     * here, so a node costs only what it records; published with release */
    tm_slot_t *slots[TM_COMPONENT_COUNT];
} tm_node_t;

/* Adds one sample to `a`, the (a->count + 1)-th: `inv_n` is 1 / that count
 * (a slot's inclusive and exclusive accumulators share it, so one division
 * serves both). min/max of a new slot start at +/-inf. */
static inline void tm_acc_add(tm_acc_t *a, double v, double inv_n) {
    /* everything read first: the stores below are atomic, so the compiler
     * would otherwise reload fields between them */
    const uint64_t count = a->count;
    const double min = a->min, max = a->max, sum = a->sum, mean = a->mean, m2 = a->m2;
    const double d = v - mean, next_mean = mean + d * inv_n;
    TM_PUT(a->min, v < min ? v : min);
    TM_PUT(a->max, v > max ? v : max);
    TM_PUT(a->count, count + 1);
    TM_PUT(a->sum, sum + v);
    TM_PUT(a->mean, next_mean);
    TM_PUT(a->m2, m2 + d * (v - next_mean));
}

/* 1 / the count of `s`'s next sample (counts stay far below 2^63). */
static inline double tm_slot_inv_next(const tm_slot_t *s) { return 1.0 / (double)(int64_t)(s->incl.count + 1); }

/* Adds one sample to both accumulators of `s`: inclusive `vi`, exclusive `ve`. */
static inline void tm_slot_add(tm_slot_t *s, double vi, double ve) {
    const double inv = tm_slot_inv_next(s);
    tm_acc_add(&s->incl, vi, inv);
    tm_acc_add(&s->excl, ve, inv);
}

/* What views read for a component a node never recorded. */
extern const tm_slot_t tm_slot_empty;

/* One open region (or pushed component object) on a thread's stack. */
typedef struct tm_frame {
    tm_node_t *node;
    tm_component_set_t mask;        /* components this frame records */
    tm_component_set_t child_mask;  /* components with entries in child[] */
    /* pushed component object, or NULL. Only compared, never dereferenced:
     * the object may be destroyed while pushed. Its laps are added to
     * `owned` as they happen, and that is what the frame records. */
    const tm_component_t *owner;
    double owned[2];
    int64_t start[TM_COMPONENT_COUNT][2];
    double child[TM_COMPONENT_COUNT][2]; /* children's samples taken during it */
} tm_frame_t;

typedef struct tm_thread {
    uint32_t tid;
    int64_t pid;
    uint32_t generation;
    bool dead;
    tm_arena_t nodes; /* tm_node_t */
    tm_arena_t slots; /* tm_slot_t */
    tm_node_t *root;  /* dummy root */
    tm_node_t *base;  /* root, or the fork bookmark of a non-first thread */
    /* where this thread forked from the first thread: labels from the top */
    tm_label_t **anchor;
    uint32_t n_anchor;
    /* (parent index, label id) -> child */
    uint64_t *ht_keys;
    tm_node_t **ht_nodes;
    uint32_t ht_cap, ht_used;
    /* frames[0] is the base frame; depth = number of open frames */
    tm_frame_t *frames;
    uint32_t depth, cap_frames;
    _Atomic(tm_node_t *) current;  /* published for threads that fork */
    struct tm_thread *next;
} tm_thread_t;

extern _Atomic uint32_t tm_g_generation;

tm_thread_t *tm_thread_slow(void);

/* Creates (or finds) the child of `parent` for `label`; NULL on OOM. The
 * parent's one-entry cache answers repeated regions without hashing. */
tm_node_t *tm_graph_child_slow(tm_thread_t *t, tm_node_t *parent, tm_label_t *label);
static inline tm_node_t *tm_graph_child(tm_thread_t *t, tm_node_t *parent, tm_label_t *label) {
    if (TM_LIKELY(parent->cached_label == label)) return parent->cached_child;
    return tm_graph_child_slow(t, parent, label);
}
tm_node_t *tm_graph_new_node(tm_thread_t *t, tm_node_t *parent, tm_label_t *label);
void tm_graph_free(tm_thread_t *t);
tm_slot_t *tm_graph_new_slot(tm_thread_t *t);

/* The statistics of component `c` at node `n`; NULL only when out of memory. */
static inline tm_slot_t *tm_node_slot(tm_thread_t *t, tm_node_t *n, int c) {
    tm_slot_t *s = n->slots[c];
    if (TM_LIKELY(s)) return s;
    s = tm_graph_new_slot(t);
    __atomic_store_n(&n->slots[c], s, __ATOMIC_RELEASE);
    return s;
}

/* Marks component bits as recorded at `n` (read by other threads). */
static inline void tm_node_mark(tm_node_t *n, tm_component_set_t bits) { TM_PUT(n->recorded, n->recorded | bits); }
bool tm_thread_grow_frames(tm_thread_t *t);

/* Closes the innermost frame with the given readings (region) or values. */
void tm_frame_close(tm_thread_t *t, const int64_t now[][2]);
/* Closes every frame above `depth` (repairing), sampling now. */
void tm_frames_close_above(tm_thread_t *t, uint32_t depth);

/* Snapshot of the current generation's threads, tid order; caller frees the
 * array (not the threads). */
tm_thread_t **tm_threads_snapshot(size_t *n);

/* Display conversion for component `c`. */
void tm_value_from_acc(int c, const tm_acc_t *acc, double last, tm_value_t *out);

/* Writes all reports (finalize). */
int tm_reports_write_all(void);

extern __thread tm_thread_t *tm_tls_thread;

static inline tm_thread_t *tm_thread_get(void) {
    tm_thread_t *t = tm_tls_thread;
    if (TM_LIKELY(t && t->generation == atomic_load_explicit(&tm_g_generation, memory_order_relaxed)))
        return t;
    return tm_thread_slow();
}



/* Pushes a frame owned by component object `owner` (region.c). */
tm_frame_t *tm_frame_push_owned(tm_thread_t *t, const tm_component_t *owner);
#endif /* TIMEMORY_INTERNAL_H */
