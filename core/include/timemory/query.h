/*
 * timemory-c: reading the call-graph storage.
 *
 * Two layouts, as in the Python toolkit:
 *  - flat: one entry per thread and node, depth-first per thread, dummy nodes
 *    omitted; the hierarchy is given by depth, prefix and the hash path;
 *  - tree: every thread merged by rolling hash into one tree, with the tid and
 *    pid sets of each node; dummy nodes (root and thread-fork bookmarks) kept.
 * A component's layouts hold the nodes where it (or a descendant) recorded.
 * Values are in display units (tm_component_unit()). Results are snapshots
 * owned by the caller. They may be taken while other threads record: a
 * snapshot holds the nodes that existed when it read each thread (later
 * ones are left out) and every value is a whole number of samples (never a
 * half-written one); values of different nodes may be a few samples apart.
 * Do not call tm_storage_reset() while a snapshot is being taken.
 */
#ifndef TIMEMORY_QUERY_H
#define TIMEMORY_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include <timemory/api.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Per-sample statistics; mean and stddev are derived. `variance` is kept
 * with Welford's update per sample and Chan's formula when threads merge,
 * so it stays exact for large, tightly clustered samples where
 * sqr/count - mean^2 cancels; `sqr` is the plain sum of squares (for output
 * compatible with the reference toolkit). */
typedef struct tm_stats {
    uint64_t count;
    double sum, min, max, sqr; /* sqr: sum of squares */
    double variance;           /* population variance */
} tm_stats_t;

TM_EXPORT double tm_stats_mean(const tm_stats_t *s);
TM_EXPORT double tm_stats_stddev(const tm_stats_t *s); /* population */

/* A node's value for one component: data (the accumulated value: the sum of
 * samples; for a RATIO the ratio of the sums; for a LEVEL the latest sample)
 * and the per-sample statistics. */
typedef struct tm_value {
    double data;
    tm_stats_t stats;
} tm_value_t;

typedef struct tm_flat_entry {
    uint32_t tid; /* 0 for the first thread that recorded */
    int64_t pid;
    int64_t depth;         /* 0 at the top */
    uint64_t hash;         /* tm_hash_string(label) */
    uint64_t rolling_hash; /* wrapping sum of `hierarchy` */
    const char *label;
    /* ">>> foo", ">>> |_bar", ">>>   |_baz"; deeper than
     * TM_FLAT_PREFIX_DEPTH levels the indentation is replaced by the depth,
     * ">>> (depth 100000) |_baz", so that prefixes cost O(1) per entry (the
     * full form: tm_flat_format_prefix()). */
    const char *prefix;
    /* Hashes of the path from the top, this node's last. Entries share this
     * storage: a node's array usually extends its parent's, so a chain of
     * any depth costs O(depth) in all. */
    const uint64_t *hierarchy;
    size_t hierarchy_len;
    tm_value_t inclusive;
    tm_value_t exclusive; /* each sample minus its children's samples */
    /* 1 + index in `entries` of the entry one level up in the same thread,
     * 0 for a thread's top entries (and for views that do not link). */
    size_t parent;
} tm_flat_entry_t;

typedef struct tm_flat {
    size_t size;
    tm_flat_entry_t *entries;
    void *store_; /* internal: the entries' shared prefix/hierarchy storage */
} tm_flat_t;

#define TM_FLAT_PREFIX_DEPTH 64

/* The full flat prefix of a node at `depth` with `label` (any depth):
 * ">>> " then, from depth 1, two spaces per extra level and "|_label".
 * Returns chars written (as snprintf). */
TM_EXPORT int tm_flat_format_prefix(int64_t depth, const char *label, char *buf, size_t n);

/* Flat layout of `component`; *out is freed by tm_flat_free(). */
TM_EXPORT int tm_flat_get(int component, tm_flat_t **out);
TM_EXPORT void tm_flat_free(tm_flat_t *flat);

typedef struct tm_tree_node {
    int is_dummy;  /* root or thread-fork bookmark */
    int64_t depth; /* -1 for dummies */
    uint64_t hash; /* 0 for dummies */
    uint64_t rolling_hash;
    const char *label;
    const char *prefix;   /* the bare label */
    const uint32_t *tids; /* sorted, distinct */
    size_t n_tids;
    const int64_t *pids;
    size_t n_pids;
    tm_value_t inclusive;
    tm_value_t exclusive;
    struct tm_tree_node *children;
    size_t n_children;
} tm_tree_node_t;

typedef struct tm_tree {
    tm_tree_node_t *roots;
    size_t n_roots;
} tm_tree_t;

/* Merged tree of `component`; *out is freed by tm_tree_free(). */
TM_EXPORT int tm_tree_get(int component, tm_tree_t **out);
TM_EXPORT void tm_tree_free(tm_tree_t *tree);

/* "   6.534 sec wall": `value` (display units) with the settings' width and
 * precision, the unit and the label of `component`. Returns chars written
 * (as snprintf). */
TM_EXPORT int tm_format_value(int component, double value, char *buf, size_t n);

/* "[sum: 6.53361] [min: 6.53361] [max: 6.53361] [sqr: 42.6881] [count: 1]". */
TM_EXPORT int tm_format_stats(const tm_stats_t *s, char *buf, size_t n);

/* Writes the text report of `component` (merged tree, label indented by
 * depth: count, sum, mean, min, max, stddev, % self) to `out`. */
TM_EXPORT int tm_report_write(int component, void *file /* FILE* */);

#ifdef __cplusplus
}
#endif

#endif /* TIMEMORY_QUERY_H */
