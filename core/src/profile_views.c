/* The tree and flat layouts of a profile, shaped like the live views. */
#include <stdlib.h>
#include <string.h>

#include "profile.h"
#include "view_common.h"

/* Distinct tids (sorted) and pids of a node: records and id sets united. */
static bool tm_node_ids(const tm_pnode_t *n, tm_tree_node_t *out) {
    uint32_t *tids;
    int64_t *pids;
    size_t nt, np;
    if (!tm_pnode_ids(n, &tids, &nt, &pids, &np)) return false;
    out->tids = tids;
    out->n_tids = nt;
    out->pids = pids;
    out->n_pids = np;
    return true;
}

static bool tm_tree_fill(const tm_profile_t *p, uint32_t id, tm_tree_node_t *out) {
    const tm_pnode_t *n = &p->nodes[id];
    memset(out, 0, sizeof *out);
    out->is_dummy = n->kind != TM_PNODE_REGION;
    out->depth = n->depth;
    out->hash = n->hash;
    out->rolling_hash = n->rolling;
    out->label = out->prefix = n->label;
    out->inclusive = n->incl;
    out->exclusive = n->excl;
    if (!tm_node_ids(n, out)) return false;
    size_t count = 0;
    for (uint32_t c = n->first_child; c != TM_PNONE; c = p->nodes[c].next_sibling) ++count;
    if (!count) return true;
    out->children = calloc(count, sizeof *out->children);
    if (!out->children) return false;
    out->n_children = count;
    size_t k = 0;
    for (uint32_t c = n->first_child; c != TM_PNONE; c = p->nodes[c].next_sibling)
        if (!tm_tree_fill(p, c, &out->children[k++])) return false;
    return true;
}

int tm_profile_tree(const tm_profile_t *p, tm_tree_t **out) {
    if (!p || !out) return tm_fail(TM_E_INVALID, "profile or output pointer is NULL");
    *out = NULL;
    tm_tree_t *tree = calloc(1, sizeof *tree);
    size_t count = 0;
    for (uint32_t t = p->first_top; t != TM_PNONE; t = p->nodes[t].next_sibling) ++count;
    if (tree && count) tree->roots = calloc(count, sizeof *tree->roots);
    bool ok = tree && (!count || tree->roots);
    if (ok) tree->n_roots = count;
    size_t k = 0;
    for (uint32_t t = p->first_top; ok && t != TM_PNONE; t = p->nodes[t].next_sibling)
        ok = tm_tree_fill(p, t, &tree->roots[k++]);
    if (!ok) {
        tm_tree_free(tree); /* frees what was filled; calloc'd rest is zero */
        return tm_fail(TM_E_NOMEM, "out of memory building a profile's tree");
    }
    *out = tree;
    return TM_OK;
}

static bool tm_flat_fill(const tm_profile_t *p, uint32_t id, const tm_prec_t *r, tm_flat_entry_t *e) {
    const tm_pnode_t *n = &p->nodes[id];
    memset(e, 0, sizeof *e);
    e->tid = r->tid;
    e->pid = r->pid;
    e->depth = n->depth;
    e->hash = n->hash;
    e->rolling_hash = n->rolling;
    e->label = n->label;
    e->inclusive = r->incl;
    e->exclusive = r->excl;
    size_t len = 0;
    for (uint32_t a = id; a != TM_PNONE; a = p->nodes[a].parent) len += p->nodes[a].kind == TM_PNODE_REGION;
    uint64_t *h = malloc(len * sizeof *h);
    char *prefix = tm_flat_prefix(n->depth, n->label);
    if (!h || !prefix) {
        free(h);
        free(prefix);
        return false;
    }
    size_t k = len;
    for (uint32_t a = id; a != TM_PNONE; a = p->nodes[a].parent)
        if (p->nodes[a].kind == TM_PNODE_REGION) h[--k] = p->nodes[a].hash;
    e->hierarchy = h;
    e->hierarchy_len = len;
    e->prefix = prefix;
    return true;
}

/* A record's place in the flat layout: its thread, then its position. */
typedef struct tm_flat_slot {
    uint32_t thread, key, pos; /* key: seq, or the tree position */
    uint32_t node, rec;
} tm_flat_slot_t;

static int tm_flat_slot_cmp(const void *a, const void *b) {
    const tm_flat_slot_t *x = a, *y = b;
    if (x->thread != y->thread) return x->thread < y->thread ? -1 : 1;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

int tm_profile_flat(const tm_profile_t *p, tm_flat_t **out) {
    if (!p || !out) return tm_fail(TM_E_INVALID, "profile or output pointer is NULL");
    *out = NULL;
    if (p->ids_only)
        return tm_fail(TM_E_INVALID,
                       "%s holds a merged tree (layout \"tree\": nodes list their threads without each "
                       "thread's values), so it has no flat layout; use the tree layout",
                       *p->source ? p->source : "the profile");
    size_t n_recs = 0, n_threads = 0, k = 0;
    for (uint32_t i = 0; i < p->n_nodes; ++i)
        if (p->nodes[i].kind == TM_PNODE_REGION) n_recs += p->nodes[i].n_recs;
    tm_thread_pos_t *threads = tm_profile_threads(p, &n_threads);
    tm_flat_slot_t *slots = malloc((n_recs ? n_recs : 1) * sizeof *slots);
    tm_flat_t *flat = calloc(1, sizeof *flat);
    tm_flat_entry_t *entries = calloc(n_recs ? n_recs : 1, sizeof *entries);
    if (!threads || !slots || !flat || !entries) {
        free(threads);
        free(slots);
        free(flat);
        free(entries);
        return tm_fail(TM_E_NOMEM, "out of memory building a profile's flat layout");
    }
    /* threads in (pid, tid) order; each thread's records by seq (the order
     * it recorded them in), else in tree order */
    for (uint32_t i = p->first_top; i != TM_PNONE; i = tm_profile_next(p, i))
        for (uint32_t r = 0; p->nodes[i].kind == TM_PNODE_REGION && r < p->nodes[i].n_recs; ++r) {
            const tm_prec_t *rec = &p->nodes[i].recs[r];
            uint32_t pos = tm_thread_pos_next(threads, n_threads, rec);
            tm_thread_pos_t key = {rec->pid, rec->tid, 0};
            size_t lo = 0, hi = n_threads; /* the thread's index */
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (threads[mid].pid < key.pid || (threads[mid].pid == key.pid && threads[mid].tid < key.tid))
                    lo = mid + 1;
                else
                    hi = mid;
            }
            slots[k++] = (tm_flat_slot_t){(uint32_t)lo, rec->seq != TM_PNONE ? rec->seq : pos, pos, i, r};
        }
    free(threads);
    qsort(slots, k, sizeof *slots, tm_flat_slot_cmp);
    flat->entries = entries;
    bool ok = true;
    for (size_t s = 0; ok && s < k; ++s) {
        ok = tm_flat_fill(p, slots[s].node, &p->nodes[slots[s].node].recs[slots[s].rec], &entries[s]);
        flat->size++;
    }
    free(slots);
    if (!ok) {
        tm_flat_free(flat);
        return tm_fail(TM_E_NOMEM, "out of memory building a profile's flat layout");
    }
    *out = flat;
    return TM_OK;
}
