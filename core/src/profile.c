/* The profile object: node table, child index, records and string pool. */
#include <stdlib.h>
#include <string.h>

#include "profile.h"

tm_profile_t *tm_profile_new(void) {
    tm_profile_t *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->component = -1;
    p->first_top = p->last_top = TM_PNONE;
    p->info.format_version = TM_JSON_FORMAT_VERSION;
    p->info.runs = 1;
    p->info.name = p->info.component = p->info.label = p->info.unit = p->info.kind = "";
    p->info.description = p->info.timemory_version = p->info.hostname = "";
    p->info.start_time = p->info.end_time = "";
    p->layout = p->source = "";
    return p;
}

void tm_profile_free(tm_profile_t *p) {
    if (!p) return;
    for (uint32_t i = 0; i < p->n_nodes; ++i) {
        free(p->nodes[i].recs);
        free(p->nodes[i].set_tids);
        free(p->nodes[i].set_pids);
    }
    free(p->nodes);
    free(p->index);
    free((void *)p->info.argv);
    free((void *)p->info.setting_names);
    free((void *)p->info.setting_values);
    free((void *)p->info.rank_pids); /* rank_table.c: (rank, pid) pairs */
    for (tm_pool_block_t *b = p->pool, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(p);
}

const char *tm_profile_strndup(tm_profile_t *p, const char *s, size_t len) {
    tm_pool_block_t *b = p->pool;
    if (!b || b->cap - b->used < len + 1) {
        /* 4 KiB doubling to 64 KiB: small profiles stay small */
        size_t cap = b ? (b->cap < 65536 ? b->cap * 2 : 65536) : 4096;
        if (cap < len + 1) cap = len + 1;
        b = malloc(sizeof *b + cap);
        if (!b) return NULL;
        b->used = 0;
        b->cap = cap;
        b->next = p->pool;
        p->pool = b;
    }
    char *out = b->data + b->used;
    memcpy(out, s, len);
    out[len] = '\0';
    b->used += len + 1;
    return out;
}

const char *tm_profile_strdup(tm_profile_t *p, const char *s) {
    return tm_profile_strndup(p, s ? s : "", s ? strlen(s) : 0);
}

static uint32_t tm_index_slot(uint32_t parent, int kind, uint64_t hash, uint32_t cap) {
    uint64_t h = hash ^ ((uint64_t)parent * 0x9E3779B97F4A7C15ull) ^ ((uint64_t)kind << 61);
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return (uint32_t)(h & (cap - 1));
}

static void tm_index_put(tm_profile_t *p, uint32_t id) {
    const tm_pnode_t *n = &p->nodes[id];
    uint32_t s = tm_index_slot(n->parent, n->kind, n->hash, p->index_cap);
    while (p->index[s] != TM_PNONE) s = (s + 1) & (p->index_cap - 1);
    p->index[s] = id;
}

static bool tm_index_grow(tm_profile_t *p) {
    if ((uint64_t)(p->n_nodes + 1) * 2 <= p->index_cap) return true;
    uint32_t cap = p->index_cap ? p->index_cap * 2 : 64;
    uint32_t *index = malloc((size_t)cap * sizeof *index);
    if (!index) return false;
    memset(index, 0xff, (size_t)cap * sizeof *index);
    free(p->index);
    p->index = index;
    p->index_cap = cap;
    for (uint32_t i = 0; i < p->n_nodes; ++i) tm_index_put(p, i);
    return true;
}

uint32_t tm_profile_child(tm_profile_t *p, uint32_t parent, int kind, const char *label, uint64_t hash, int64_t depth) {
    if (p->index_cap) {
        uint32_t s = tm_index_slot(parent, kind, hash, p->index_cap);
        for (; p->index[s] != TM_PNONE; s = (s + 1) & (p->index_cap - 1)) {
            const tm_pnode_t *n = &p->nodes[p->index[s]];
            if (n->parent == parent && n->kind == kind && n->hash == hash && strcmp(n->label, label) == 0)
                return p->index[s];
        }
    }
    if (p->n_nodes == TM_PNONE - 1 || !tm_index_grow(p)) return TM_PNONE;
    if (p->n_nodes == p->cap_nodes) {
        uint32_t cap = p->cap_nodes ? p->cap_nodes * 2 : 64;
        tm_pnode_t *nodes = realloc(p->nodes, (size_t)cap * sizeof *nodes);
        if (!nodes) return TM_PNONE;
        p->nodes = nodes;
        p->cap_nodes = cap;
    }
    const char *copy = tm_profile_strdup(p, label);
    if (!copy) return TM_PNONE;
    uint32_t id = p->n_nodes++;
    tm_pnode_t *n = &p->nodes[id];
    memset(n, 0, sizeof *n);
    n->parent = parent;
    n->first_child = n->last_child = n->next_sibling = TM_PNONE;
    n->kind = kind;
    n->label = copy;
    n->hash = hash;
    n->rolling = (parent == TM_PNONE ? 0 : p->nodes[parent].rolling) + hash;
    n->depth = kind == TM_PNODE_REGION ? depth : -1;
    uint32_t *last = parent == TM_PNONE ? &p->last_top : &p->nodes[parent].last_child;
    if (*last == TM_PNONE) {
        if (parent == TM_PNONE)
            p->first_top = id;
        else
            p->nodes[parent].first_child = id;
    } else {
        p->nodes[*last].next_sibling = id;
    }
    *last = id;
    tm_index_put(p, id);
    return id;
}

tm_prec_t *tm_profile_add_record(tm_profile_t *p, uint32_t node, uint32_t tid, int64_t pid, const tm_value_t *incl,
                                 const tm_value_t *excl) {
    tm_pnode_t *n = &p->nodes[node];
    for (uint32_t i = 0; i < n->n_recs; ++i) {
        tm_prec_t *r = &n->recs[i];
        if (r->tid == tid && r->pid == pid) {
            tm_value_merge(p->kind, &r->incl, incl);
            tm_value_merge(p->kind, &r->excl, excl);
            return r;
        }
    }
    if (n->n_recs == n->cap_recs) {
        uint32_t cap = n->cap_recs ? n->cap_recs * 2 : 1;
        tm_prec_t *recs = realloc(n->recs, (size_t)cap * sizeof *recs);
        if (!recs) return NULL;
        n->recs = recs;
        n->cap_recs = cap;
    }
    n->recs[n->n_recs] = (tm_prec_t){tid, pid, TM_PNONE, *incl, *excl};
    return &n->recs[n->n_recs++];
}

static int tm_u32_cmp(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int tm_i64_cmp(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Unites sorted distinct `set` (n) with `add` (m, any order) into a new
 * sorted distinct array: O((n + m) log m), so a merge of many ranks' sets
 * stays linear per node. NULL on OOM. */
#define TM_SET_UNION(T, cmp)                                                                                           \
    static T *tm_set_union_##T(const T *set, uint32_t n, const T *add, size_t m, uint32_t *out_n) {                    \
        T *in = malloc((m ? m : 1) * sizeof *in), *out = malloc(((size_t)n + m + 1) * sizeof *out);                    \
        if (!in || !out) {                                                                                             \
            free(in);                                                                                                  \
            free(out);                                                                                                 \
            return NULL;                                                                                               \
        }                                                                                                              \
        memcpy(in, add, m * sizeof *in);                                                                               \
        qsort(in, m, sizeof *in, cmp);                                                                                 \
        size_t i = 0, j = 0, k = 0;                                                                                    \
        while (i < n || j < m) {                                                                                       \
            T v = j >= m || (i < n && set[i] <= in[j]) ? set[i++] : in[j++];                                           \
            if (!k || out[k - 1] != v) out[k++] = v;                                                                   \
        }                                                                                                              \
        free(in);                                                                                                      \
        *out_n = (uint32_t)k;                                                                                          \
        return out;                                                                                                    \
    }
TM_SET_UNION(uint32_t, tm_u32_cmp)
TM_SET_UNION(int64_t, tm_i64_cmp)

bool tm_profile_add_ids(tm_profile_t *p, uint32_t node, const uint32_t *tids, size_t nt, const int64_t *pids,
                        size_t np) {
    tm_pnode_t *n = &p->nodes[node];
    if (nt) {
        uint32_t k;
        uint32_t *t = tm_set_union_uint32_t(n->set_tids, n->n_set_tids, tids, nt, &k);
        if (!t) return false;
        free(n->set_tids);
        n->set_tids = t;
        n->n_set_tids = k;
    }
    if (np) {
        uint32_t k;
        int64_t *q = tm_set_union_int64_t(n->set_pids, n->n_set_pids, pids, np, &k);
        if (!q) return false;
        free(n->set_pids);
        n->set_pids = q;
        n->n_set_pids = k;
    }
    if (nt || np) p->ids_only = true;
    return true;
}

bool tm_pnode_ids(const tm_pnode_t *n, uint32_t **tids_out, size_t *nt_out, int64_t **pids_out, size_t *np_out) {
    size_t cap_t = (size_t)n->n_recs + n->n_set_tids, cap_p = (size_t)n->n_recs + n->n_set_pids;
    uint32_t *tids = malloc((cap_t ? cap_t : 1) * sizeof *tids);
    int64_t *pids = malloc((cap_p ? cap_p : 1) * sizeof *pids);
    if (!tids || !pids) {
        free(tids);
        free(pids);
        return false;
    }
    size_t nt = 0, np = 0;
    /* the sets are distinct already: check them against the records' ids only */
    for (size_t r = 0; r < cap_t; ++r) {
        uint32_t t = r < n->n_recs ? n->recs[r].tid : n->set_tids[r - n->n_recs];
        bool have = false;
        for (size_t i = 0; i < nt && i < n->n_recs && !have; ++i) have = tids[i] == t;
        if (!have) tids[nt++] = t;
    }
    size_t rec_pids = 0;
    for (size_t r = 0; r < cap_p; ++r) {
        int64_t q = r < n->n_recs ? n->recs[r].pid : n->set_pids[r - n->n_recs];
        bool have = false;
        for (size_t i = 0; i < rec_pids && !have; ++i) have = pids[i] == q;
        if (!have) pids[np++] = q;
        if (r < n->n_recs) rec_pids = np;
    }
    qsort(tids, nt, sizeof *tids, tm_u32_cmp);
    *tids_out = tids, *nt_out = nt, *pids_out = pids, *np_out = np;
    return true;
}

static int tm_thread_pos_cmp(const void *a, const void *b) {
    const tm_thread_pos_t *x = a, *y = b;
    if (x->pid != y->pid) return x->pid < y->pid ? -1 : 1;
    return x->tid < y->tid ? -1 : x->tid > y->tid;
}

tm_thread_pos_t *tm_profile_threads(const tm_profile_t *p, size_t *n) {
    size_t total = 0, k = 0;
    for (uint32_t i = 0; i < p->n_nodes; ++i)
        if (p->nodes[i].kind == TM_PNODE_REGION) total += p->nodes[i].n_recs;
    tm_thread_pos_t *t = malloc((total ? total : 1) * sizeof *t);
    if (!t) return NULL;
    for (uint32_t i = 0; i < p->n_nodes; ++i)
        for (uint32_t r = 0; p->nodes[i].kind == TM_PNODE_REGION && r < p->nodes[i].n_recs; ++r)
            t[k++] = (tm_thread_pos_t){p->nodes[i].recs[r].pid, p->nodes[i].recs[r].tid, 0};
    qsort(t, k, sizeof *t, tm_thread_pos_cmp);
    size_t distinct = 0;
    for (size_t i = 0; i < k; ++i)
        if (!distinct || tm_thread_pos_cmp(&t[distinct - 1], &t[i]) != 0) t[distinct++] = t[i];
    *n = distinct;
    return t;
}

uint32_t tm_thread_pos_next(tm_thread_pos_t *threads, size_t n, const tm_prec_t *r) {
    tm_thread_pos_t key = {r->pid, r->tid, 0};
    tm_thread_pos_t *t = bsearch(&key, threads, n, sizeof *threads, tm_thread_pos_cmp);
    return t ? t->next++ : 0;
}

const tm_run_info_t *tm_profile_info(const tm_profile_t *p) { return p ? &p->info : NULL; }

int tm_profile_component(const tm_profile_t *p) { return p ? p->component : -1; }

int tm_profile_compact(tm_profile_t *p) {
    if (!p) return tm_fail(TM_E_INVALID, "profile is NULL");
    uint32_t *tids = NULL;
    int64_t *pids = NULL;
    uint32_t cap = 0;
    for (uint32_t i = 0; i < p->n_nodes; ++i) {
        tm_pnode_t *n = &p->nodes[i];
        if (!n->n_recs) continue;
        if (n->n_recs > cap) {
            free(tids);
            free(pids);
            cap = n->n_recs;
            tids = malloc(cap * sizeof *tids);
            pids = malloc(cap * sizeof *pids);
            if (!tids || !pids) {
                free(tids);
                free(pids);
                return tm_fail(TM_E_NOMEM, "out of memory compacting a profile");
            }
        }
        for (uint32_t r = 0; r < n->n_recs; ++r) tids[r] = n->recs[r].tid, pids[r] = n->recs[r].pid;
        if (!tm_profile_add_ids(p, i, tids, n->n_recs, pids, n->n_recs)) {
            free(tids);
            free(pids);
            return tm_fail(TM_E_NOMEM, "out of memory compacting a profile");
        }
        free(n->recs);
        n->recs = NULL;
        n->n_recs = n->cap_recs = 0;
    }
    free(tids);
    free(pids);
    p->ids_only = true;
    p->layout = "tree";
    return TM_OK;
}

const char *tm_profile_layout(const tm_profile_t *p) { return p ? (p->ids_only ? "tree" : p->layout) : ""; }

size_t tm_profile_node_count(const tm_profile_t *p) { return p ? p->n_nodes : 0; }

static const char *const tm_kind_names[] = {"DELTA", "HWM", "LEVEL", "TALLY", "RATIO", "STORE"};

const char *tm_kind_name(tm_kind_t kind) {
    return (unsigned)kind < sizeof tm_kind_names / sizeof *tm_kind_names ? tm_kind_names[kind] : "DELTA";
}

int tm_kind_parse(const char *name) {
    for (size_t i = 0; name && i < sizeof tm_kind_names / sizeof *tm_kind_names; ++i)
        if (strcmp(name, tm_kind_names[i]) == 0) return (int)i;
    return -1;
}
