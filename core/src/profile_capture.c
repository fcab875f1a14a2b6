/* A profile from the live storage: the merged tree of tm_tree_get(), and
 * each thread's own values placed on it by walking the thread's graph the
 * way the tree view merged it (from the root, or from its fork position). */
#include <stdlib.h>

#include "profile.h"
#include "view_common.h"

static bool tm_capture_tree(tm_profile_t *p, uint32_t parent, const tm_tree_node_t *n) {
    int kind = !n->is_dummy ? TM_PNODE_REGION : parent == TM_PNONE ? TM_PNODE_ROOT : TM_PNODE_FORK;
    uint32_t id = tm_profile_child(p, parent, kind, n->label, n->hash, n->depth);
    if (id == TM_PNONE) return false;
    p->nodes[id].incl = n->inclusive;
    p->nodes[id].excl = n->exclusive;
    for (size_t i = 0; i < n->n_children; ++i)
        if (!tm_capture_tree(p, id, &n->children[i])) return false;
    return true;
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

static bool tm_capture_thread_nodes(tm_capture_t *cp, const tm_node_t *src, uint32_t at) {
    /* siblings are created in order: past the snapshot, all later ones are */
    for (const tm_node_t *n = tm_node_first_child(src); n && n->index < cp->n_nodes; n = tm_node_next_sibling(n)) {
        if (!cp->marks[n->index] || !n->label) continue;
        uint32_t id = tm_profile_child(cp->p, at, TM_PNODE_REGION, n->label->name, n->label->hash, n->depth);
        if (id == TM_PNONE) return false;
        tm_slot_t s;
        tm_node_read_slot(n, cp->component, &s);
        tm_value_t incl, excl;
        tm_value_from_acc(cp->component, &s.incl, s.last, &incl);
        tm_value_from_acc(cp->component, &s.excl, s.last, &excl);
        tm_prec_t *rec = tm_profile_add_record(cp->p, id, cp->thread->tid, cp->thread->pid, &incl, &excl);
        if (!rec) return false;
        rec->seq = cp->seq++; /* the live flat layout's order for this thread */
        if (!tm_capture_thread_nodes(cp, n, id)) return false;
    }
    return true;
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
    for (size_t i = 0; ok && i < tree->n_roots; ++i) ok = tm_capture_tree(p, TM_PNONE, &tree->roots[i]);
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
