/* The flat view: one entry per thread and node, depth-first, no dummies. */
#include <stdlib.h>
#include <string.h>

#include "view_common.h"

typedef struct tm_flat_builder {
    tm_flat_t *flat;
    size_t cap;
    int component;
    const tm_thread_t *thread;
    const unsigned char *marks;
    uint32_t n_nodes; /* the snapshot: later nodes are ignored */
    bool failed;
} tm_flat_builder_t;

/* ">>> " then, from depth 1, two spaces per extra level and "|_". */
char *tm_flat_prefix(int64_t depth, const char *label) {
    size_t extra = depth > 0 ? (size_t)(depth - 1) * 2 + 2 : 0;
    size_t len = 4 + extra + strlen(label);
    char *p = malloc(len + 1);
    if (!p) return NULL;
    memcpy(p, ">>> ", 4);
    size_t k = 4;
    if (depth > 0) {
        for (int64_t i = 1; i < depth; ++i) {
            p[k++] = ' ';
            p[k++] = ' ';
        }
        p[k++] = '|';
        p[k++] = '_';
    }
    strcpy(p + k, label);
    return p;
}

static bool tm_flat_add(tm_flat_builder_t *b, const tm_node_t *n) {
    tm_flat_t *flat = b->flat;
    if (flat->size == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 16;
        tm_flat_entry_t *e = realloc(flat->entries, cap * sizeof *e);
        if (!e) return false;
        flat->entries = e;
        b->cap = cap;
    }
    const tm_thread_t *t = b->thread;
    tm_flat_entry_t *e = &flat->entries[flat->size];
    memset(e, 0, sizeof *e);
    e->tid = t->tid;
    e->pid = t->pid;
    e->depth = n->depth;
    e->hash = n->label->hash;
    e->rolling_hash = n->rolling;
    e->label = n->label->name;
    e->hierarchy_len = (size_t)n->depth + 1;
    uint64_t *h = malloc(e->hierarchy_len * sizeof *h);
    char *prefix = tm_flat_prefix(n->depth, n->label->name);
    if (!h || !prefix) {
        free(h);
        free(prefix);
        return false;
    }
    size_t k = e->hierarchy_len;
    for (const tm_node_t *p = n; p && p->label; p = p->parent) h[--k] = p->label->hash;
    for (size_t i = 0; i < k && i < t->n_anchor; ++i) h[i] = t->anchor[i]->hash;
    e->hierarchy = h;
    e->prefix = prefix;
    tm_slot_t s;
    tm_node_read_slot(n, b->component, &s);
    tm_value_from_acc(b->component, &s.incl, s.last, &e->inclusive);
    tm_value_from_acc(b->component, &s.excl, s.last, &e->exclusive);
    ++flat->size;
    return true;
}

static void tm_flat_walk(tm_flat_builder_t *b, const tm_node_t *n) {
    /* siblings are created in order: past the snapshot, all later ones are */
    for (; n && n->index < b->n_nodes && !b->failed; n = tm_node_next_sibling(n)) {
        if (!b->marks[n->index]) continue;
        if (n->label && !tm_flat_add(b, n)) {
            b->failed = true;
            return;
        }
        tm_flat_walk(b, tm_node_first_child(n));
    }
}

int tm_flat_get(int component, tm_flat_t **out) {
    if (!out) return tm_fail(TM_E_INVALID, "output pointer is NULL");
    *out = NULL;
    if (!tm_component_desc(component))
        return tm_fail(TM_E_UNKNOWN_COMPONENT, "component id %d is out of range", component);
    tm_flat_t *flat = calloc(1, sizeof *flat);
    size_t n_threads = 0;
    tm_thread_t **threads = tm_threads_snapshot(&n_threads);
    if (!flat || !threads) {
        free(flat);
        free(threads);
        return tm_fail(TM_E_NOMEM, "out of memory building the flat view");
    }
    tm_flat_builder_t b = {flat, 0, component, NULL, NULL, 0, false};
    for (size_t i = 0; i < n_threads && !b.failed; ++i) {
        b.thread = threads[i];
        unsigned char *marks = tm_subtree_marks(threads[i], (tm_component_set_t)1 << component, &b.n_nodes);
        if (!marks) {
            b.failed = true;
            break;
        }
        b.marks = marks;
        tm_flat_walk(&b, threads[i]->root);
        free(marks);
    }
    free(threads);
    if (b.failed) {
        tm_flat_free(flat);
        return tm_fail(TM_E_NOMEM, "out of memory building the flat view");
    }
    *out = flat;
    return TM_OK;
}

void tm_flat_free(tm_flat_t *flat) {
    if (!flat) return;
    for (size_t i = 0; i < flat->size; ++i) {
        free((void *)flat->entries[i].hierarchy);
        free((void *)flat->entries[i].prefix);
    }
    free(flat->entries);
    free(flat);
}
