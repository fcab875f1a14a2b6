/* A thread's call graph (graph.c): nodes in a chunked arena, a table from
 * (parent, label) to child, and per-node statistics. Written only by its
 * thread; other threads read it through the published node count, links
 * loaded with acquire and tm_slot_read(). */
#ifndef TIMEMORY_GRAPH_H
#define TIMEMORY_GRAPH_H

#include <stdbool.h>
#include <stdint.h>

#include <timemory/timemory.h>

#include "arena.h"
#include "base.h"
#include "labels.h"

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
 * the fields are stored with TM_PUT. */
typedef struct tm_slot {
    uint32_t seq;
    double last; /* LEVEL: the latest reading */
    /* each accumulator on a cache line of its own (the arena's chunks are
     * 64-byte aligned), whatever the heap's layout */
    tm_acc_t incl __attribute__((aligned(64)));
    tm_acc_t excl __attribute__((aligned(64)));
} tm_slot_t;
_Static_assert(sizeof(tm_acc_t) <= 64 && __builtin_offsetof(tm_slot_t, incl) % 64 == 0 &&
                   __builtin_offsetof(tm_slot_t, excl) % 64 == 0 && _Alignof(tm_slot_t) == 64,
               "each accumulator of a slot within one cache line");

static inline void tm_slot_write_begin(tm_slot_t *s) {
    __atomic_store_n(&s->seq, s->seq + 1, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_RELEASE);
}
static inline void tm_slot_write_end(tm_slot_t *s) { __atomic_store_n(&s->seq, s->seq + 1, __ATOMIC_RELEASE); }

/* A consistent copy of `s` while its thread may be adding samples. */
void tm_slot_read(const tm_slot_t *s, tm_slot_t *out);

/* What views read for a component a node never recorded. */
extern const tm_slot_t tm_slot_empty;

typedef struct tm_node {
    tm_label_t *label;      /* NULL for dummy nodes */
    struct tm_node *parent; /* immutable once published */
    /* first_child and next_sibling are read by other threads: stored with
     * release, loaded with acquire (a node is complete once linked) */
    struct tm_node *first_child;
    struct tm_node *last_child; /* owner only */
    struct tm_node *next_sibling;
    uint32_t index;
    int32_t depth;               /* absolute depth; -1 for dummies */
    uint64_t rolling;            /* wrapping sum of hashes from the top */
    tm_component_set_t recorded; /* components with samples here (TM_PUT) */
    /* one-entry cache of the last child looked up (loops hit it) */
    const tm_label_t *cached_label;
    struct tm_node *cached_child;
    /* statistics per component, allocated at the component's first sample
     * here, so a node costs only what it records; published with release */
    tm_slot_t *slots[TM_COMPONENT_COUNT];
} tm_node_t;

typedef struct tm_graph {
    tm_arena_t nodes; /* tm_node_t */
    tm_arena_t slots; /* tm_slot_t */
    /* (parent index, label id) -> child */
    uint64_t *ht_keys;
    tm_node_t **ht_nodes;
    uint32_t ht_cap, ht_used;
    int32_t base_depth; /* depth of a region directly under a dummy node */
} tm_graph_t;

/* Adds one sample to `a`, the (a->count + 1)-th: `inv_n` is 1 / that count
 * (a slot's inclusive and exclusive accumulators share it, so one division
 * serves both). min/max of a new slot start at +/-inf. */
static inline void tm_acc_add(tm_acc_t *a, double v, double inv_n) {
    /* everything read first: the stores below are volatile or atomic, so
     * the compiler would otherwise reload fields between them */
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

/* Creates (or finds) the child of `parent` for `label`; NULL on OOM. The
 * parent's one-entry cache answers repeated regions without hashing. */
tm_node_t *tm_graph_child_slow(tm_graph_t *g, tm_node_t *parent, tm_label_t *label);
static inline tm_node_t *tm_graph_child(tm_graph_t *g, tm_node_t *parent, tm_label_t *label) {
    if (TM_LIKELY(parent->cached_label == label)) return parent->cached_child;
    return tm_graph_child_slow(g, parent, label);
}
/* A new node under `parent` (NULL: a root), published once complete. */
tm_node_t *tm_graph_new_node(tm_graph_t *g, tm_node_t *parent, tm_label_t *label);
tm_slot_t *tm_graph_new_slot(tm_graph_t *g);
void tm_graph_free(tm_graph_t *g);

/* The statistics of component `c` at node `n`; NULL only when out of memory. */
static inline tm_slot_t *tm_node_slot(tm_graph_t *g, tm_node_t *n, int c) {
    tm_slot_t *s = n->slots[c];
    if (TM_LIKELY(s)) return s;
    s = tm_graph_new_slot(g);
    __atomic_store_n(&n->slots[c], s, __ATOMIC_RELEASE);
    return s;
}

/* Marks component bits as recorded at `n` (read by other threads). */
static inline void tm_node_mark(tm_node_t *n, tm_component_set_t bits) { TM_PUT(n->recorded, n->recorded | bits); }

#endif /* TIMEMORY_GRAPH_H */
