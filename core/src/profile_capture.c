/* A profile from the live storage: the merged tree of tm_tree_get(), and
 * each thread's own values placed on it by walking the thread's graph the
 * way the tree view merged it (from the root, or from its fork position). */
#include <stdlib.h>

#include "profile.h"
#include "tree_walk.h"
#include "view_common.h"

/* The merged tree as profile nodes, walked with an explicit stack: `ids`
 * holds, per walk level, the profile node of the path's node there. */
static bool tm_capture_tree(tm_profile_t *p, const tm_tree_t *tree) {
    tm_tree_walk_t w;
    tm_tree_walk_start(&w, tree->roots, tree->n_roots);
    uint32_t *ids = NULL;
    size_t n_ids = 0;
    bool ok = true, enter;
    for (const tm_tree_node_t *n; ok && (n = tm_tree_walk_next(&w, &enter));) {
        const size_t level = tm_tree_walk_level(&w, enter);
        if (!enter) continue;
        if (level >= n_ids) {
            size_t cap = 2 * level + 64;
            uint32_t *grown = realloc(ids, cap * sizeof *grown);
            if (!grown) {
                ok = false;
                break;
            }
            ids = grown, n_ids = cap;
        }
        const uint32_t parent = level > 1 ? ids[level - 1] : TM_PNONE;
        int kind = !n->is_dummy ? TM_PNODE_REGION : parent == TM_PNONE ? TM_PNODE_ROOT : TM_PNODE_FORK;
        uint32_t id = tm_profile_child(p, parent, kind, n->label, n->hash, n->depth);
        if (id == TM_PNONE) {
            ok = false;
            break;
        }
        p->nodes[id].incl = n->inclusive;
        p->nodes[id].excl = n->exclusive;
        ids[level] = id;
    }
    ok = ok && !w.nomem;
    tm_tree_walk_end(&w);
    free(ids);
    return ok;
}

typedef struct tm_capture {
    tm_profile_t *p;
    int component;
    const tm_thread_t *thread;
    const unsigned char *marks;
    uint32_t n_nodes; /* the snapshot: later nodes are ignored */
    uint32_t seq;     /* the thread's next flat position */
} tm_capture_t;

static const tm_value_t tm_zero_value;

static bool tm_capture_thread_node(tm_capture_t *cp, const tm_node_t *n, uint32_t *id) {
    *id = tm_profile_child(cp->p, *id, TM_PNODE_REGION, n->label->name, n->label->hash, n->depth);
    if (*id == TM_PNONE) return false;
    tm_slot_t s;
    tm_node_read_slot(n, cp->component, &s);
    tm_value_t incl, excl;
    tm_value_from_acc(cp->component, &s.incl, s.last, &incl);
    tm_value_from_acc(cp->component, &s.excl, s.last, &excl);
    tm_prec_t *rec = tm_profile_add_record(cp->p, *id, cp->thread->tid, cp->thread->pid, &incl, &excl);
    if (!rec) return false;
    rec->seq = cp->seq++; /* the live flat layout's order for this thread */
    return true;
}

/* The thread's nodes below `src`, placed under profile node `at`, depth
 * first with an explicit stack (the graph may be any depth). */
static bool tm_capture_thread_nodes(tm_capture_t *cp, const tm_node_t *src, uint32_t at) {
    typedef struct {
        const tm_node_t *n; /* the next sibling to visit */
        uint32_t at;        /* their profile parent */
    } frame_t;
    size_t cap = 64, top = 0;
    frame_t *st = malloc(cap * sizeof *st);
    if (!st) return false;
    st[top++] = (frame_t){tm_node_first_child(src), at};
    bool ok = true;
    while (top && ok) {
        frame_t *f = &st[top - 1];
        const tm_node_t *n = f->n;
        /* siblings are created in order: past the snapshot, all later ones are */
        if (!n || n->index >= cp->n_nodes) {
            --top;
            continue;
        }
        f->n = tm_node_next_sibling(n);
        if (!cp->marks[n->index] || !n->label) continue;
        uint32_t id = f->at;
        if (!(ok = tm_capture_thread_node(cp, n, &id))) break;
        if (top == cap) {
            frame_t *grown = realloc(st, 2 * cap * sizeof *st);
            if (!(ok = grown != NULL)) break;
            st = grown, cap *= 2;
        }
        st[top++] = (frame_t){tm_node_first_child(n), id};
    }
    free(st);
    return ok;
}

static bool tm_capture_thread(tm_capture_t *cp) {
    const tm_thread_t *t = cp->thread;
    tm_profile_t *p = cp->p;
    uint32_t at = tm_profile_child(p, TM_PNONE, TM_PNODE_ROOT, "[root]", 0, -1);
    if (at == TM_PNONE || !tm_profile_add_record(p, at, t->tid, t->pid, &tm_zero_value, &tm_zero_value)) return false;
    cp->seq = 0;
    if (t->base != t->root) {
        for (uint32_t i = 0; i < t->n_anchor && at != TM_PNONE; ++i)
            at = tm_profile_child(p, at, TM_PNODE_REGION, t->anchor[i]->name, t->anchor[i]->hash, i);
        uint32_t fork = at == TM_PNONE ? TM_PNONE : tm_profile_child(p, at, TM_PNODE_FORK, "[fork]", 0, -1);
        if (fork == TM_PNONE || !tm_profile_add_record(p, fork, t->tid, t->pid, &tm_zero_value, &tm_zero_value))
            return false;
    }
    return tm_capture_thread_nodes(cp, t->base, at);
}

int tm_profile_capture(int component, tm_profile_t **out) {
    if (!out) return tm_fail(TM_E_INVALID, "output pointer is NULL");
    *out = NULL;
    if (!tm_component_desc(component))
        return tm_fail(TM_E_UNKNOWN_COMPONENT, "component id %d is out of range", component);
    tm_tree_t *tree = NULL;
    int rc = tm_tree_get(component, &tree);
    if (rc != TM_OK) return rc;
    tm_profile_t *p = tm_profile_new();
    if (!p) {
        tm_tree_free(tree);
        return tm_fail(TM_E_NOMEM, "out of memory capturing a profile");
    }
    rc = tm_run_info_capture(p, component);
    bool ok = rc == TM_OK;
    ok = ok && tm_capture_tree(p, tree);
    tm_tree_free(tree);
    size_t n_threads = 0;
    tm_thread_t **threads = ok && p->n_nodes ? tm_threads_snapshot(&n_threads) : NULL;
    if (ok && p->n_nodes && !threads) ok = false;
    tm_capture_t cp = {p, component, NULL, NULL, 0, 0};
    for (size_t i = 0; ok && i < n_threads; ++i) {
        cp.thread = threads[i];
        unsigned char *marks = tm_subtree_marks(threads[i], (tm_component_set_t)1 << component, &cp.n_nodes);
        if (!marks) {
            ok = false;
            break;
        }
        cp.marks = marks;
        if (marks[threads[i]->root->index]) ok = tm_capture_thread(&cp);
        free(marks);
    }
    free(threads);
    if (!ok) {
        tm_profile_free(p);
        return rc != TM_OK ? rc : tm_fail(TM_E_NOMEM, "out of memory capturing a profile");
    }
    tm_run_info_count_threads(p);
    *out = p;
    return TM_OK;
}
