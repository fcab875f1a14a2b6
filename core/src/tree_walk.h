/* Depth-first walks of a tm_tree_t with an explicit stack on the heap, so
 * that the writers handle a tree of any depth in O(depth) extra memory:
 *
 *     tm_tree_walk_t w;
 *     tm_tree_walk_start(&w, tree->roots, tree->n_roots);
 *     for (bool enter; (n = tm_tree_walk_next(&w, &enter));)
 *         enter ? before_children(n) : after_children(n);
 *     if (w.nomem) ...;
 *     tm_tree_walk_end(&w);
 */
#ifndef TIMEMORY_TREE_WALK_H
#define TIMEMORY_TREE_WALK_H

#include <stdbool.h>
#include <stddef.h>

#include <timemory/query.h>

typedef struct tm_tree_walk_frame {
    const tm_tree_node_t *nodes; /* a sibling array */
    size_t count, next;          /* next: the sibling to enter next */
} tm_tree_walk_frame_t;

typedef struct tm_tree_walk {
    tm_tree_walk_frame_t *stack;
    size_t top, cap;
    bool nomem; /* the walk stopped early: out of memory */
} tm_tree_walk_t;

/* Starts a walk over `count` sibling trees. */
void tm_tree_walk_start(tm_tree_walk_t *w, const tm_tree_node_t *nodes, size_t count);

/* The next node, entered (*enter true: before its children) or left (after
 * them); NULL when the walk is over or out of memory (w->nomem). */
const tm_tree_node_t *tm_tree_walk_next(tm_tree_walk_t *w, bool *enter);

/* Nodes on the path to the node just entered or left, itself included. */
static inline size_t tm_tree_walk_level(const tm_tree_walk_t *w, bool enter) { return enter ? w->top - 1 : w->top; }

/* After entering a node: skip its children (it is left next). */
static inline void tm_tree_walk_prune(tm_tree_walk_t *w) { w->stack[w->top - 1].next = w->stack[w->top - 1].count; }

void tm_tree_walk_end(tm_tree_walk_t *w);

#endif /* TIMEMORY_TREE_WALK_H */
