/* The tree view: every thread's graph merged by rolling hash (children
 * matched by label under an already-merged parent), with tid/pid sets. A
 * thread other than the main one starts at the main thread's position when
 * it first recorded; a fork bookmark (dummy leaf) marks that position. */
#include <stdlib.h>
#include <string.h>

#include "chan.h"
#include "view_common.h"

typedef struct tm_mnode {
    int dummy; /* 0: region, 1: root, 2: fork */
    tm_label_t *label;
    int64_t depth;
    uint64_t rolling;
    tm_acc_t incl, excl;
    double last;
    uint32_t *tids;
    size_t n_tids, cap_tids;
    int64_t *pids;
    size_t n_pids, cap_pids;
    struct tm_mnode **kids;
    size_t n_kids, cap_kids;
} tm_mnode_t;

static bool tm_grow(void **p, size_t *cap, size_t n, size_t size) {
    if (n < *cap) return true;
    size_t c = *cap ? *cap * 2 : 4;
    void *q = realloc(*p, c * size);
    if (!q) return false;
    *p = q;
    *cap = c;
    return true;
}

static bool tm_mnode_add_ids(tm_mnode_t *m, uint32_t tid, int64_t pid) {
    bool have = false;
    for (size_t i = 0; i < m->n_tids && !have; ++i) have = m->tids[i] == tid;
    if (!have) {
        if (!tm_grow((void **)&m->tids, &m->cap_tids, m->n_tids, sizeof *m->tids)) return false;
        size_t i = m->n_tids++;
        for (; i > 0 && m->tids[i - 1] > tid; --i) m->tids[i] = m->tids[i - 1]; /* keep sorted */
        m->tids[i] = tid;
    }
    have = false;
    for (size_t i = 0; i < m->n_pids && !have; ++i) have = m->pids[i] == pid;
    if (!have) {
        if (!tm_grow((void **)&m->pids, &m->cap_pids, m->n_pids, sizeof *m->pids)) return false;
        m->pids[m->n_pids++] = pid;
    }
    return true;
}

static tm_mnode_t *tm_mnode_child(tm_mnode_t *parent, tm_label_t *label, int dummy) {
    for (size_t i = 0; i < parent->n_kids; ++i)
        if (parent->kids[i]->label == label && parent->kids[i]->dummy == dummy) return parent->kids[i];
    if (!tm_grow((void **)&parent->kids, &parent->cap_kids, parent->n_kids, sizeof *parent->kids)) return NULL;
    tm_mnode_t *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->dummy = dummy;
    m->label = label;
    m->depth = dummy ? -1 : parent->depth + 1; /* callers set region depths exactly */
    m->rolling = parent->rolling + (label ? label->hash : 0);
    parent->kids[parent->n_kids++] = m;
    return m;
}

static void tm_acc_merge(tm_acc_t *into, const tm_acc_t *a) {
    if (!a->count && !a->num && !a->den) return;
    if (a->count) {
        if (!into->count || a->min < into->min) into->min = a->min;
        if (!into->count || a->max > into->max) into->max = a->max;
    }
    if (a->count) {
        /* Chan et al.: combine two (count, mean, m2) without cancellation */
        tm_chan_combine((double)into->count, &into->mean, &into->m2, (double)a->count, a->mean, a->m2);
    }
    into->count += a->count;
    into->sum += a->sum;
    into->num += a->num;
    into->den += a->den;
}

typedef struct tm_merge {
    int component;
    const tm_thread_t *thread;
    const unsigned char *marks;
    uint32_t n_nodes; /* the snapshot: later nodes are ignored */
    bool failed;
} tm_merge_t;

/* A growable stack of fixed-size frames: the walks below run at any depth
 * without recursion (a recursion 100,000 deep would overflow the stack). */
typedef struct tm_walk {
    void *items;
    size_t n, cap, size;
} tm_walk_t;

static bool tm_walk_push(tm_walk_t *w, const void *item) {
    if (!tm_grow(&w->items, &w->cap, w->n, w->size)) return false;
    memcpy((char *)w->items + w->n++ * w->size, item, w->size);
    return true;
}

static bool tm_walk_pop(tm_walk_t *w, void *item) {
    if (!w->n) return false;
    memcpy(item, (char *)w->items + --w->n * w->size, w->size);
    return true;
}

typedef struct tm_merge_frame {
    const tm_node_t *n; /* the next sibling to merge */
    tm_mnode_t *dst;
} tm_merge_frame_t;

static void tm_merge_children(tm_merge_t *mg, const tm_node_t *src, tm_mnode_t *dst) {
    tm_walk_t w = {NULL, 0, 0, sizeof(tm_merge_frame_t)};
    tm_merge_frame_t f = {tm_node_first_child(src), dst};
    if (!tm_walk_push(&w, &f)) mg->failed = true;
    while (!mg->failed && tm_walk_pop(&w, &f)) {
        const tm_node_t *n = f.n;
        /* siblings are created in order: past the snapshot, all later ones are */
        if (!n || n->index >= mg->n_nodes) continue;
        tm_merge_frame_t next = {tm_node_next_sibling(n), f.dst};
        if (!tm_walk_push(&w, &next)) {
            mg->failed = true;
            break;
        }
        if (!mg->marks[n->index] || !n->label) continue;
        tm_mnode_t *m = tm_mnode_child(f.dst, n->label, 0);
        if (!m || !tm_mnode_add_ids(m, mg->thread->tid, mg->thread->pid)) {
            mg->failed = true;
            break;
        }
        m->depth = n->depth;
        tm_slot_t s;
        tm_node_read_slot(n, mg->component, &s);
        tm_acc_merge(&m->incl, &s.incl);
        tm_acc_merge(&m->excl, &s.excl);
        if (s.incl.count && s.last > m->last) m->last = s.last;
        tm_merge_frame_t down = {tm_node_first_child(n), m};
        if (!tm_walk_push(&w, &down)) mg->failed = true;
    }
    free(w.items);
}

static void tm_merge_thread(tm_merge_t *mg, tm_mnode_t *root) {
    const tm_thread_t *t = mg->thread;
    if (!mg->marks[t->root->index]) return;
    if (!tm_mnode_add_ids(root, t->tid, t->pid)) {
        mg->failed = true;
        return;
    }
    tm_mnode_t *at = root;
    if (t->base != t->root) {
        for (uint32_t i = 0; i < t->n_anchor && at; ++i) {
            at = tm_mnode_child(at, t->anchor[i], 0);
            if (at) at->depth = i;
        }
        /* the bookmark is a leaf at the fork position; the thread's regions
         * merge there by rolling hash with those of the other threads */
        tm_mnode_t *fork = at ? tm_mnode_child(at, NULL, 2) : NULL;
        if (!fork || !tm_mnode_add_ids(fork, t->tid, t->pid)) {
            mg->failed = true;
            return;
        }
    }
    tm_merge_children(mg, t->base, at);
}

/* Frees `m` and its subtree with their tid/pid arrays. Without memory for
 * the walk, recurses. */
static void tm_mnode_free(tm_mnode_t *m) {
    tm_walk_t w = {NULL, 0, 0, sizeof m};
    while (m) {
        for (size_t i = 0; i < m->n_kids; ++i)
            if (!tm_walk_push(&w, &m->kids[i])) tm_mnode_free(m->kids[i]);
        free(m->kids);
        free(m->tids);
        free(m->pids);
        free(m);
        if (!tm_walk_pop(&w, &m)) m = NULL;
    }
    free(w.items);
}

static bool tm_tree_convert_one(int c, const tm_mnode_t *m, tm_tree_node_t *out) {
    memset(out, 0, sizeof *out);
    out->is_dummy = m->dummy != 0;
    out->depth = m->dummy ? -1 : m->depth;
    out->hash = m->label ? m->label->hash : 0;
    out->rolling_hash = m->rolling;
    out->label = m->label ? m->label->name : (m->dummy == 1 ? "[root]" : "[fork]");
    out->prefix = out->label;
    out->tids = m->tids;
    out->n_tids = m->n_tids;
    out->pids = m->pids;
    out->n_pids = m->n_pids;
    tm_value_from_acc(c, &m->incl, m->last, &out->inclusive);
    tm_value_from_acc(c, &m->excl, m->last, &out->exclusive);
    if (!m->n_kids) return true;
    out->children = calloc(m->n_kids, sizeof *out->children);
    if (!out->children) return false;
    out->n_children = m->n_kids;
    return true;
}

typedef struct tm_convert_frame {
    const tm_mnode_t *m;
    tm_tree_node_t *out;
} tm_convert_frame_t;

/* Converts the tree at `root` and frees its shells as it goes (the tid/pid
 * arrays move to the public tree), so the two trees are never both whole in
 * memory: the peak is the larger, not the sum. On failure the part not yet
 * converted is freed with its ids; `out` holds what was converted. */
static bool tm_tree_convert(int c, tm_mnode_t *root, tm_tree_node_t *out) {
    tm_walk_t w = {NULL, 0, 0, sizeof(tm_convert_frame_t)};
    tm_convert_frame_t f = {root, out};
    bool ok = tm_walk_push(&w, &f);
    if (!ok) tm_mnode_free(root);
    while (ok && tm_walk_pop(&w, &f)) {
        tm_mnode_t *m = (tm_mnode_t *)f.m;
        ok = tm_tree_convert_one(c, m, f.out);
        for (size_t i = 0; i < m->n_kids; ++i) {
            tm_convert_frame_t kid = {m->kids[i], ok ? &f.out->children[i] : NULL};
            if (!ok || !tm_walk_push(&w, &kid)) {
                ok = false;
                tm_mnode_free(m->kids[i]);
            }
        }
        free(m->kids);
        free(m);
    }
    /* after a failure: what is left was never converted, ids included */
    while (tm_walk_pop(&w, &f)) tm_mnode_free((tm_mnode_t *)f.m);
    free(w.items);
    return ok;
}

typedef struct tm_nodes {
    tm_tree_node_t *a;
    size_t n;
} tm_nodes_t;

/* Frees what nodes[0..n) own (not the array). Without memory for the walk,
 * recurses. */
static void tm_tree_nodes_clear(tm_tree_node_t *nodes, size_t n) {
    tm_walk_t w = {NULL, 0, 0, sizeof(tm_nodes_t)};
    tm_nodes_t b = {nodes, n};
    for (bool more = true; more; more = tm_walk_pop(&w, &b)) {
        for (size_t i = 0; i < b.n; ++i) {
            tm_tree_node_t *x = &b.a[i];
            tm_nodes_t kids = {x->children, x->n_children};
            if (kids.a && !tm_walk_push(&w, &kids)) {
                tm_tree_nodes_clear(kids.a, kids.n);
                free(kids.a);
            }
            free((void *)x->tids);
            free((void *)x->pids);
        }
        if (b.a != nodes) free(b.a);
    }
    free(w.items);
}

int tm_tree_get(int component, tm_tree_t **out) {
    if (!out) return tm_fail(TM_E_INVALID, "output pointer is NULL");
    *out = NULL;
    if (!tm_component_desc(component))
        return tm_fail(TM_E_UNKNOWN_COMPONENT, "component id %d is out of range", component);
    size_t n_threads = 0;
    tm_thread_t **threads = tm_threads_snapshot(&n_threads);
    tm_mnode_t *root = calloc(1, sizeof *root);
    tm_tree_t *tree = calloc(1, sizeof *tree);
    if (!threads || !root || !tree) {
        free(threads);
        free(root);
        free(tree);
        return tm_fail(TM_E_NOMEM, "out of memory building the tree view");
    }
    root->dummy = 1;
    root->depth = -1;
    tm_merge_t mg = {component, NULL, NULL, 0, false};
    for (size_t i = 0; i < n_threads && !mg.failed; ++i) {
        mg.thread = threads[i];
        unsigned char *marks = tm_subtree_marks(threads[i], (tm_component_set_t)1 << component, &mg.n_nodes);
        if (!marks) {
            mg.failed = true;
            break;
        }
        mg.marks = marks;
        tm_merge_thread(&mg, root);
        free(marks);
    }
    free(threads);
    bool ok = !mg.failed;
    if (ok && root->n_kids) {
        tree->roots = calloc(1, sizeof *tree->roots);
        if (tree->roots) {
            tree->n_roots = 1;
            ok = tm_tree_convert(component, root, tree->roots); /* consumes root */
            root = NULL;
        } else {
            ok = false;
        }
    }
    tm_mnode_free(root);
    if (!ok) {
        tm_tree_free(tree);
        return tm_fail(TM_E_NOMEM, "out of memory building the tree view");
    }
    *out = tree;
    return TM_OK;
}

void tm_tree_free(tm_tree_t *tree) {
    if (!tree) return;
    tm_tree_nodes_clear(tree->roots, tree->n_roots);
    free(tree->roots);
    free(tree);
}
