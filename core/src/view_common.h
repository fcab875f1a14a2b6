/* Helpers shared by the flat and tree views. */
#ifndef TIMEMORY_VIEW_COMMON_H
#define TIMEMORY_VIEW_COMMON_H

#include <stdlib.h>

#include "internal.h"

static inline tm_node_t *tm_thread_node(const tm_thread_t *t, uint32_t i) {
    return tm_arena_at(&t->nodes, i, sizeof(tm_node_t));
}

/* Marks, per node index, whether component `bit` was recorded in the node's
 * subtree. Parents are created before children, so one reverse pass does. */
static inline unsigned char *tm_subtree_marks(const tm_thread_t *t, tm_component_set_t bit) {
    unsigned char *marks = calloc(t->nodes.count ? t->nodes.count : 1, 1);
    if (!marks) return NULL;
    for (uint32_t i = t->nodes.count; i-- > 0;) {
        tm_node_t *n = tm_thread_node(t, i);
        if (n->recorded & bit) marks[i] = 1;
        if (marks[i] && n->parent) marks[n->parent->index] = 1;
    }
    return marks;
}

/* ">>> foo", ">>> |_bar", ">>>   |_baz" (view_flat.c); caller frees. */
char *tm_flat_prefix(int64_t depth, const char *label);

#endif /* TIMEMORY_VIEW_COMMON_H */
