/* Internal declarations shared by the engine's files. Not installed. */
#ifndef TIMEMORY_INTERNAL_H
#define TIMEMORY_INTERNAL_H

#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <timemory/timemory.h>

#define TM_LIKELY(x) __builtin_expect(!!(x), 1)
#define TM_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define TM_NONE UINT32_MAX

/* ---- errors and warnings (error.c) ---- */
/* Records `fmt` as the calling thread's last error and returns `code`. */
int tm_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints one "[timemory] warning: ..." line to stderr and counts it. */
void tm_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

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
void tm_settings_load_env(void);
bool tm_settings_flag(const char *name);
long tm_settings_int(const char *name);

/* ---- component registry (registry.c) ---- */
extern const tm_component_desc_t tm_component_table[TM_COMPONENT_COUNT];
/* Samplers in use: the table's, or a test's fake (tm_testing_set_sampler). */
extern void (*tm_samplers[TM_COMPONENT_COUNT])(int64_t out[2]);
void tm_samplers_init(void);

/* ---- call graph (graph.c, thread.c) ---- */
/* Raw-unit accumulators of one node for one component. */
typedef struct tm_acc {
    uint64_t count;
    double sum, min, max, sqr;
    double num, den; /* RATIO: sums of the two counters' differences */
} tm_acc_t;

/* Two cache lines, 64-byte aligned (the arena's chunks are): each 56-byte
 * accumulator within one line, whatever the heap's layout. */
typedef struct tm_slot {
    tm_acc_t incl;
    double last; /* LEVEL: the latest reading */
    tm_acc_t excl;
} __attribute__((aligned(64))) tm_slot_t;
_Static_assert(sizeof(tm_slot_t) == 128 && __builtin_offsetof(tm_slot_t, excl) == 64 && sizeof(tm_acc_t) <= 64,
               "each accumulator of a slot within one cache line");

typedef struct tm_node {
    tm_label_t *label;            /* NULL for dummy nodes */
    struct tm_node *parent;       /* immutable once published */
    struct tm_node *first_child;
    struct tm_node *last_child;
    struct tm_node *next_sibling;
    uint32_t index;
    int32_t depth;                /* absolute depth; -1 for dummies */
    uint64_t rolling;             /* wrapping sum of hashes from the top */
    tm_component_set_t recorded;  /* components with samples here */
    /* one-entry cache of the last child looked up (loops hit it) */
    const tm_label_t *cached_label;
    struct tm_node *cached_child;
    /* statistics per component, allocated at the component's first sample
     * here, so a node costs only what it records */
    tm_slot_t *slots[TM_COMPONENT_COUNT];
} tm_node_t;

/* Adds one sample to `a`; min/max of a new slot start at +/-inf. */
static inline void tm_acc_add(tm_acc_t *a, double v) {
    a->min = v < a->min ? v : a->min;
    a->max = v > a->max ? v : a->max;
    ++a->count;
    a->sum += v;
    a->sqr += v * v;
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

/* Elements in fixed-size chunks: addresses never change as it grows, so
 * pointers to nodes stay valid and can be published to other threads. */
#define TM_CHUNK_ITEMS 64
typedef struct tm_arena {
    void **chunks;
    uint32_t n_chunks, cap_chunks;
    uint32_t count;
} tm_arena_t;

/* A zeroed new element of `size` bytes, or NULL when out of memory. */
void *tm_arena_next(tm_arena_t *a, size_t size);
void tm_arena_free(tm_arena_t *a);
static inline void *tm_arena_at(const tm_arena_t *a, uint32_t i, size_t size) {
    return (char *)a->chunks[i / TM_CHUNK_ITEMS] + (size_t)(i % TM_CHUNK_ITEMS) * size;
}

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
    return n->slots[c] = tm_graph_new_slot(t);
}
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
