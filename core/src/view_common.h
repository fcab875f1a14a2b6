/* Helpers shared by the flat and tree views. */
#ifndef TIMEMORY_VIEW_COMMON_H
#define TIMEMORY_VIEW_COMMON_H

#include <stdlib.h>

#include "errors.h"
#include "registry.h"
#include "thread.h"
#include "values.h"

/* Views read threads that may still be recording: they take a snapshot of
 * the published node count and ignore nodes created after it (a node is
 * complete before it is published), follow links with acquire loads and copy
 * statistics with tm_slot_read(). */
static inline tm_node_t *tm_thread_node(const tm_thread_t *t, uint32_t i) {
    return tm_arena_at(&t->graph.nodes, i, sizeof(tm_node_t));
}

static inline const tm_node_t *tm_node_first_child(const tm_node_t *n) {
    return __atomic_load_n(&n->first_child, __ATOMIC_ACQUIRE);
}
static inline const tm_node_t *tm_node_next_sibling(const tm_node_t *n) {
    return __atomic_load_n(&n->next_sibling, __ATOMIC_ACQUIRE);
}
static inline tm_component_set_t tm_node_recorded(const tm_node_t *n) {
    return __atomic_load_n(&n->recorded, __ATOMIC_RELAXED);
}

/* A consistent copy of the statistics of component `c` at `n` (empty when
 * `n` never recorded it). */
static inline void tm_node_read_slot(const tm_node_t *n, int c, tm_slot_t *out) {
    const tm_slot_t *s = __atomic_load_n(&n->slots[c], __ATOMIC_ACQUIRE);
    tm_slot_read(s ? s : &tm_slot_empty, out);
}

/* Every component recorded at some node of `t`. */
static inline tm_component_set_t tm_thread_recorded(const tm_thread_t *t) {
    tm_component_set_t set = 0;
    for (uint32_t i = 0, n = tm_arena_published(&t->graph.nodes); i < n; ++i)
        set |= tm_node_recorded(tm_thread_node(t, i));
    return set;
}

/* Marks, per node index below the snapshot `*n_nodes`, whether component
 * `bit` was recorded in the node's subtree. Parents are created before
 * children, so one reverse pass does. */
static inline unsigned char *tm_subtree_marks(const tm_thread_t *t, tm_component_set_t bit, uint32_t *n_nodes) {
    const uint32_t count = tm_arena_published(&t->graph.nodes);
    unsigned char *marks = calloc(count ? count : 1, 1);
    if (!marks) return NULL;
    for (uint32_t i = count; i-- > 0;) {
        tm_node_t *n = tm_thread_node(t, i);
        if (tm_node_recorded(n) & bit) marks[i] = 1;
        if (marks[i] && n->parent) marks[n->parent->index] = 1;
    }
    *n_nodes = count;
    return marks;
}

/* ">>> foo", ">>> |_bar", ">>>   |_baz" (view_flat.c); caller frees. */
char *tm_flat_prefix(int64_t depth, const char *label);
/* The same into buf (as snprintf: the length is returned). */
size_t tm_flat_prefix_len(int64_t depth, const char *label, char *buf, size_t n);

/* `bytes` of the flat view's shared storage, freed by tm_flat_free(); NULL
 * on OOM. A view that uses it allocates no entry's strings elsewhere. */
void *tm_flat_alloc(tm_flat_t *flat, size_t bytes);

#endif /* TIMEMORY_VIEW_COMMON_H */
