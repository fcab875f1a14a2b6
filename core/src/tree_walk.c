/* Depth-first walks of a tm_tree_t without recursion (see tree_walk.h). */
#include "tree_walk.h"

#include <stdlib.h>

static bool tm_tree_walk_push(tm_tree_walk_t *w, const tm_tree_node_t *nodes, size_t count) {
    if (w->top == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 64;
        tm_tree_walk_frame_t *s = realloc(w->stack, cap * sizeof *s);
        if (!s) {
            w->nomem = true;
            return false;
        }
        w->stack = s;
        w->cap = cap;
    }
    w->stack[w->top++] = (tm_tree_walk_frame_t){nodes, count, 0};
    return true;
}

void tm_tree_walk_start(tm_tree_walk_t *w, const tm_tree_node_t *nodes, size_t count) {
    *w = (tm_tree_walk_t){0};
    tm_tree_walk_push(w, nodes, count);
}

const tm_tree_node_t *tm_tree_walk_next(tm_tree_walk_t *w, bool *enter) {
    if (w->nomem || !w->top) return NULL;
    tm_tree_walk_frame_t *f = &w->stack[w->top - 1];
    if (f->next < f->count) {
        const tm_tree_node_t *n = &f->nodes[f->next++];
        if (!tm_tree_walk_push(w, n->children, n->n_children)) return NULL;
        *enter = true;
        return n;
    }
    /* the frame's siblings are done: leave the node whose children they are */
    if (--w->top == 0) return NULL;
    f = &w->stack[w->top - 1];
    *enter = false;
    return &f->nodes[f->next - 1];
}

void tm_tree_walk_end(tm_tree_walk_t *w) {
    free(w->stack);
    *w = (tm_tree_walk_t){0};
}
