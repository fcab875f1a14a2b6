/* A thread's call graph (graph.h): nodes in fixed-address chunks and an
 * open-addressing table from (parent, label) to child, so finding a child is
 * O(1) and, after a region's first use, allocates nothing. */
#include <math.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"

static inline uint64_t tm_graph_key(const tm_node_t *parent, const tm_label_t *label) {
    return ((uint64_t)parent->index << 32) | label->id;
}

static inline uint32_t tm_graph_slot(uint64_t key, uint32_t cap) {
    return (uint32_t)((key * 0x9E3779B97F4A7C15ull) >> 32) & (cap - 1);
}

static bool tm_graph_grow_table(tm_graph_t *g) {
    uint32_t cap = g->ht_cap ? g->ht_cap * 2 : 64;
    uint64_t *keys = malloc(cap * sizeof *keys);
    tm_node_t **nodes = calloc(cap, sizeof *nodes);
    if (!keys || !nodes) {
        free(keys);
        free(nodes);
        return false;
    }
    for (uint32_t i = 0; i < g->ht_cap; ++i) {
        if (!g->ht_nodes[i]) continue;
        uint32_t j = tm_graph_slot(g->ht_keys[i], cap);
        while (nodes[j]) j = (j + 1) & (cap - 1);
        keys[j] = g->ht_keys[i];
        nodes[j] = g->ht_nodes[i];
    }
    free(g->ht_keys);
    free(g->ht_nodes);
    g->ht_keys = keys;
    g->ht_nodes = nodes;
    g->ht_cap = cap;
    return true;
}

tm_node_t *tm_graph_new_node(tm_graph_t *g, tm_node_t *parent, tm_label_t *label) {
    tm_node_t *n = tm_arena_reserve(&g->nodes, sizeof *n);
    if (!n) return NULL;
    n->index = g->nodes.count;
    n->label = label;
    n->parent = parent;
    if (label) {
        n->depth = parent ? (parent->depth < 0 ? g->base_depth : parent->depth + 1) : 0;
        n->rolling = (parent ? parent->rolling : 0) + label->hash;
    } else {
        n->depth = -1;
        n->rolling = parent ? parent->rolling : 0;
    }
    /* complete before it is linked and published: readers follow links */
    if (parent) {
        if (parent->last_child)
            __atomic_store_n(&parent->last_child->next_sibling, n, __ATOMIC_RELEASE);
        else
            __atomic_store_n(&parent->first_child, n, __ATOMIC_RELEASE);
        parent->last_child = n;
    }
    tm_arena_publish(&g->nodes);
    return n;
}

const tm_slot_t tm_slot_empty;

tm_slot_t *tm_graph_new_slot(tm_graph_t *g) {
    tm_slot_t *s = tm_arena_reserve(&g->slots, sizeof *s);
    if (!s) return NULL;
    /* min/max start at +/-inf so adding a sample needs no first-sample branch */
    s->incl.min = s->excl.min = HUGE_VAL;
    s->incl.max = s->excl.max = -HUGE_VAL;
    tm_arena_publish(&g->slots);
    return s;
}

#define TM_GET(lvalue, from) __atomic_load(&(from), &(lvalue), __ATOMIC_RELAXED)

static void tm_acc_read(const tm_acc_t *a, tm_acc_t *out) {
    TM_GET(out->count, a->count);
    TM_GET(out->sum, a->sum);
    TM_GET(out->min, a->min);
    TM_GET(out->max, a->max);
    TM_GET(out->mean, a->mean);
    TM_GET(out->m2, a->m2);
    TM_GET(out->num, a->num);
    TM_GET(out->den, a->den);
}

void tm_slot_read(const tm_slot_t *s, tm_slot_t *out) {
    for (;;) {
        uint32_t before = __atomic_load_n(&s->seq, __ATOMIC_ACQUIRE);
        if (!(before & 1)) {
            tm_acc_read(&s->incl, &out->incl);
            tm_acc_read(&s->excl, &out->excl);
            TM_GET(out->last, s->last);
            __atomic_thread_fence(__ATOMIC_ACQUIRE);
            if (__atomic_load_n(&s->seq, __ATOMIC_RELAXED) == before) {
                out->seq = before;
                return;
            }
        }
        sched_yield(); /* the owner is mid-sample: it finishes in nanoseconds */
    }
}

tm_node_t *tm_graph_child_slow(tm_graph_t *g, tm_node_t *parent, tm_label_t *label) {
    uint64_t key = tm_graph_key(parent, label);
    if (g->ht_cap) {
        for (uint32_t j = tm_graph_slot(key, g->ht_cap); g->ht_nodes[j]; j = (j + 1) & (g->ht_cap - 1)) {
            if (g->ht_keys[j] == key) {
                parent->cached_label = label;
                parent->cached_child = g->ht_nodes[j];
                return g->ht_nodes[j];
            }
        }
    }
    /* first use of this region under this parent */
    if ((g->ht_used + 1) * 2 > g->ht_cap && !tm_graph_grow_table(g)) return NULL;
    tm_node_t *n = tm_graph_new_node(g, parent, label);
    if (!n) return NULL;
    uint32_t j = tm_graph_slot(key, g->ht_cap);
    while (g->ht_nodes[j]) j = (j + 1) & (g->ht_cap - 1);
    g->ht_keys[j] = key;
    g->ht_nodes[j] = n;
    ++g->ht_used;
    parent->cached_label = label;
    parent->cached_child = n;
    return n;
}

void tm_graph_free(tm_graph_t *g) {
    tm_arena_free(&g->nodes);
    tm_arena_free(&g->slots);
    free(g->ht_keys);
    free(g->ht_nodes);
    memset(g, 0, sizeof *g);
}
