/* The profile behind serialize.h: a node table (parents before children,
 * children linked in order) with each thread's values per node, a child
 * index for merging by path, and a string pool that owns every label. */
#ifndef TIMEMORY_PROFILE_H
#define TIMEMORY_PROFILE_H

#include <timemory/serialize.h>

#include "internal.h"

enum tm_pnode_kind { TM_PNODE_REGION = 0, TM_PNODE_ROOT = 1, TM_PNODE_FORK = 2 };

/* "no node" (and "no seq") in the tables below */
#define TM_PNONE UINT32_MAX

/* One thread's values at a node. */
typedef struct tm_prec {
    uint32_t tid;
    int64_t pid;
    uint32_t seq; /* position in its thread's flat layout; TM_PNONE: tree order */
    tm_value_t incl, excl;
} tm_prec_t;

typedef struct tm_pnode {
    uint32_t parent, first_child, last_child, next_sibling; /* TM_PNONE: none */
    int kind;
    const char *label; /* in the pool; "[root]" / "[fork]" for dummies */
    uint64_t hash, rolling;
    int64_t depth;
    tm_value_t incl, excl; /* all threads merged */
    tm_prec_t *recs;       /* one per (tid, pid), in the order they came */
    uint32_t n_recs, cap_recs;
    /* ids of threads and processes that recorded the node without a record
     * here (a merged tree: the values per thread were not kept); united
     * with the records' ids. NULL when none. */
    uint32_t *set_tids;
    int64_t *set_pids;
    uint32_t n_set_tids, n_set_pids;
} tm_pnode_t;

typedef struct tm_pool_block {
    struct tm_pool_block *next;
    size_t used, cap;
    char data[];
} tm_pool_block_t;

struct tm_profile {
    int component; /* id here, or -1 */
    tm_kind_t kind;
    tm_run_info_t info; /* strings in the pool, arrays malloc'd */
    tm_pnode_t *nodes;
    uint32_t n_nodes, cap_nodes;
    uint32_t first_top, last_top; /* top-level nodes (the root) */
    uint32_t *index;              /* open addressing: node ids, TM_PNONE empty */
    uint32_t index_cap;
    tm_pool_block_t *pool;
    const char *layout; /* metadata "layout": "", "flat" or "tree" (in the pool or static) */
    const char *source; /* the file or text name it was read from (pool), "" when captured */
    bool ids_only;      /* some node has ids without records: no flat layout */
};

/* Depth-first (pre-order) walk: start at p->first_top, then next. */
static inline uint32_t tm_profile_next(const tm_profile_t *p, uint32_t i) {
    if (p->nodes[i].first_child != TM_PNONE) return p->nodes[i].first_child;
    for (; i != TM_PNONE; i = p->nodes[i].parent)
        if (p->nodes[i].next_sibling != TM_PNONE) return p->nodes[i].next_sibling;
    return TM_PNONE;
}

tm_profile_t *tm_profile_new(void);
/* Copy of `len` bytes of `s` (NUL added) owned by the profile; NULL on OOM. */
const char *tm_profile_strndup(tm_profile_t *p, const char *s, size_t len);
const char *tm_profile_strdup(tm_profile_t *p, const char *s);

/* The child of `parent` (TM_PNONE: top level) of this kind and label, created
 * (label copied, depth and rolling hash derived) when missing. TM_PNONE on
 * OOM. `depth` is used for a new region node. */
uint32_t tm_profile_child(tm_profile_t *p, uint32_t parent, int kind, const char *label, uint64_t hash, int64_t depth);

/* Adds one thread's values at `node` (combined with an existing record of
 * the same tid and pid). The record, or NULL on OOM. */
tm_prec_t *tm_profile_add_record(tm_profile_t *p, uint32_t node, uint32_t tid, int64_t pid, const tm_value_t *incl,
                                 const tm_value_t *excl);

/* Unites `tids` and `pids` into the node's id sets without records (a
 * merged tree); sets p->ids_only. False on OOM. */
bool tm_profile_add_ids(tm_profile_t *p, uint32_t node, const uint32_t *tids, size_t nt, const int64_t *pids,
                        size_t np);

/* The node's distinct tids (sorted) and pids (records' order, then the
 * sets'), records and sets united; malloc'd arrays (free them). False on OOM. */
bool tm_pnode_ids(const tm_pnode_t *n, uint32_t **tids, size_t *nt, int64_t **pids, size_t *np);

/* The threads (distinct (pid, tid)) of the region records, sorted, each
 * with a counter: tm_thread_pos_next() gives a record's position among its
 * thread's records when called for the region records in depth-first
 * order. NULL on OOM; free() it. */
typedef struct tm_thread_pos {
    int64_t pid;
    uint32_t tid;
    uint32_t next;
} tm_thread_pos_t;
tm_thread_pos_t *tm_profile_threads(const tm_profile_t *p, size_t *n);
uint32_t tm_thread_pos_next(tm_thread_pos_t *threads, size_t n, const tm_prec_t *r);

/* Combines `from` into `into` as the samples of both (see tm_profile_merge). */
void tm_value_merge(tm_kind_t kind, tm_value_t *into, const tm_value_t *from);

/* Metadata of this process for `component` (run_meta.c). */
int tm_run_info_capture(tm_profile_t *p, int component);
/* thread_count from the records of the top-level nodes. */
void tm_run_info_count_threads(tm_profile_t *p);

/* Kind names ("DELTA"...) and back; -1 for an unknown name. */
const char *tm_kind_name(tm_kind_t kind);
int tm_kind_parse(const char *name);

#endif /* TIMEMORY_PROFILE_H */
