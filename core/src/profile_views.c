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

/* A node's fields and its (zeroed) children array; the children are filled
 * when the walk reaches them. */
static bool tm_tree_fill(const tm_profile_t *p, uint32_t id, tm_tree_node_t *out, tm_tree_node_t **dest) {
    const tm_pnode_t *n = &p->nodes[id];
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
    for (uint32_t c = n->first_child; c != TM_PNONE; c = p->nodes[c].next_sibling) dest[c] = &out->children[k++];
    return true;
}

int tm_profile_tree(const tm_profile_t *p, tm_tree_t **out) {
    if (!p || !out) return tm_fail(TM_E_INVALID, "profile or output pointer is NULL");
    *out = NULL;
    tm_tree_t *tree = calloc(1, sizeof *tree);
    size_t count = 0;
    for (uint32_t t = p->first_top; t != TM_PNONE; t = p->nodes[t].next_sibling) ++count;
    if (tree && count) tree->roots = calloc(count, sizeof *tree->roots);
    /* where each node goes, set by its parent: parents come first in the
     * depth-first order, so no recursion (the profile may be any depth) */
    tm_tree_node_t **dest = malloc((p->n_nodes ? p->n_nodes : 1) * sizeof *dest);
    bool ok = tree && (!count || tree->roots) && dest;
    if (ok) tree->n_roots = count;
    size_t k = 0;
    for (uint32_t t = p->first_top; ok && t != TM_PNONE; t = p->nodes[t].next_sibling) dest[t] = &tree->roots[k++];
    for (uint32_t i = p->first_top; ok && i != TM_PNONE; i = tm_profile_next(p, i))
        ok = tm_tree_fill(p, i, dest[i], dest);
    free(dest);
    if (!ok) {
        tm_tree_free(tree); /* frees what was filled; calloc'd rest is zero */
        return tm_fail(TM_E_NOMEM, "out of memory building a profile's tree");
    }
    *out = tree;
    return TM_OK;
}

/* Each region node's hierarchy (hashes of the region nodes on its path),
 * in the flat view's shared storage: a node's array extends its parent's
 * while that array ends at the parent (a chain of any depth costs
 * O(depth) in all), else starts from a copy of the parent's. */
typedef struct tm_flat_paths {
    const uint64_t **of; /* per node id */
    size_t *len;
    uint64_t *chain; /* the open array and its use */
    size_t chain_len, chain_cap;
} tm_flat_paths_t;

static bool tm_flat_paths_fill(const tm_profile_t *p, tm_flat_t *flat, tm_flat_paths_t *fp) {
    for (uint32_t i = p->first_top; i != TM_PNONE; i = tm_profile_next(p, i)) {
        const tm_pnode_t *n = &p->nodes[i];
        fp->of[i] = NULL;
        fp->len[i] = 0;
        uint32_t a = n->parent; /* the nearest region above (dummies take no place) */
        while (a != TM_PNONE && p->nodes[a].kind != TM_PNODE_REGION) a = p->nodes[a].parent;
        const uint64_t *up = a != TM_PNONE ? fp->of[a] : NULL;
        const size_t up_len = a != TM_PNONE ? fp->len[a] : 0;
        if (n->kind != TM_PNODE_REGION) {
            fp->of[i] = up; /* seen through by the nodes below */
            fp->len[i] = up_len;
            continue;
        }
        const size_t len = up_len + 1;
        if (up && up == fp->chain && fp->chain_len == up_len && up_len < fp->chain_cap) {
            fp->chain[fp->chain_len++] = n->hash;
        } else {
            size_t cap = len < 8 ? 16 : 2 * len;
            uint64_t *h = tm_flat_alloc(flat, cap * sizeof *h);
            if (!h) return false;
            if (up_len) memcpy(h, up, up_len * sizeof *h);
            h[up_len] = n->hash;
            fp->chain = h, fp->chain_len = len, fp->chain_cap = cap;
        }
        fp->of[i] = fp->chain;
        fp->len[i] = len;
    }
    return true;
}

/* An entry of region node `id`: `prefix` is shared by the node's entries. */
static bool tm_flat_fill(const tm_profile_t *p, tm_flat_t *flat, const tm_flat_paths_t *fp, const char **prefix,
                         uint32_t id, const tm_prec_t *r, tm_flat_entry_t *e) {
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
    e->hierarchy = fp->of[id];
    e->hierarchy_len = fp->len[id];
    if (!prefix[id]) {
        size_t plen = tm_flat_prefix_len(n->depth, n->label, NULL, 0);
        char *text = tm_flat_alloc(flat, plen + 1);
        if (!text) return false;
        tm_flat_prefix_len(n->depth, n->label, text, plen + 1);
        prefix[id] = text;
    }
    e->prefix = prefix[id];
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
    /* per node: hierarchy, prefix, and the entry of the thread being filled
     * (valid where last_thread is that thread), for the parent links */
    const size_t nn = p->n_nodes ? p->n_nodes : 1;
    tm_flat_paths_t fp = {malloc(nn * sizeof *fp.of), malloc(nn * sizeof *fp.len), NULL, 0, 0};
    const char **prefix = calloc(nn, sizeof *prefix);
    size_t *last_entry = malloc(nn * sizeof *last_entry);
    uint32_t *last_thread = malloc(nn * sizeof *last_thread);
    bool ok = fp.of && fp.len && prefix && last_entry && last_thread && tm_flat_paths_fill(p, flat, &fp);
    if (ok)
        for (size_t i = 0; i < nn; ++i) last_thread[i] = UINT32_MAX;
    for (size_t s = 0; ok && s < k; ++s) {
        const uint32_t id = slots[s].node;
        ok = tm_flat_fill(p, flat, &fp, prefix, id, &p->nodes[id].recs[slots[s].rec], &entries[s]);
        flat->size++;
        uint32_t a = p->nodes[id].parent;
        while (a != TM_PNONE && p->nodes[a].kind != TM_PNODE_REGION) a = p->nodes[a].parent;
        if (a != TM_PNONE && last_thread[a] == slots[s].thread && entries[last_entry[a]].depth == entries[s].depth - 1)
            entries[s].parent = last_entry[a] + 1;
        last_entry[id] = s;
        last_thread[id] = slots[s].thread;
    }
    free(fp.of);
    free(fp.len);
    free(prefix);
    free(last_entry);
    free(last_thread);
    free(slots);
    if (!ok) {
        tm_flat_free(flat);
        return tm_fail(TM_E_NOMEM, "out of memory building a profile's flat layout");
    }
    *out = flat;
    return TM_OK;
}
