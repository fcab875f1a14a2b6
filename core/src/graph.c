/* A thread's call graph: nodes in fixed-address chunks and an
 * open-addressing table from (parent, label) to child, so finding a child is
 * O(1) and, after a region's first use, allocates nothing. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static inline uint64_t tm_graph_key(const tm_node_t *parent, const tm_label_t *label) {
    return ((uint64_t)parent->index << 32) | label->id;
}

static inline uint32_t tm_graph_slot(uint64_t key, uint32_t cap) {
    return (uint32_t)((key * 0x9E3779B97F4A7C15ull) >> 32) & (cap - 1);
}

static bool tm_graph_grow_table(tm_thread_t *t) {
    uint32_t cap = t->ht_cap ? t->ht_cap * 2 : 64;
    uint64_t *keys = malloc(cap * sizeof *keys);
    tm_node_t **nodes = calloc(cap, sizeof *nodes);
    if (!keys || !nodes) {
        free(keys);
        free(nodes);
        return false;
    }
    for (uint32_t i = 0; i < t->ht_cap; ++i) {
        if (!t->ht_nodes[i]) continue;
        uint32_t j = tm_graph_slot(t->ht_keys[i], cap);
        while (nodes[j]) j = (j + 1) & (cap - 1);
        keys[j] = t->ht_keys[i];
        nodes[j] = t->ht_nodes[i];
    }
    free(t->ht_keys);
    free(t->ht_nodes);
    t->ht_keys = keys;
    t->ht_nodes = nodes;
    t->ht_cap = cap;
    return true;
}

void *tm_arena_next(tm_arena_t *a, size_t size) {
    uint32_t chunk = a->count / TM_CHUNK_ITEMS;
    if (chunk >= a->n_chunks) {
        if (a->n_chunks == a->cap_chunks) {
            uint32_t cap = a->cap_chunks ? a->cap_chunks * 2 : 8;
            void **chunks = realloc(a->chunks, cap * sizeof *chunks);
            if (!chunks) return NULL;
            a->chunks = chunks;
            a->cap_chunks = cap;
        }
        /* cache-line aligned, so aligned elements (tm_slot_t) stay so */
        size_t bytes = ((size_t)TM_CHUNK_ITEMS * size + 63) & ~(size_t)63;
        void *items = aligned_alloc(64, bytes);
        if (!items) return NULL;
        memset(items, 0, bytes);
        a->chunks[a->n_chunks++] = items;
    }
    return tm_arena_at(a, a->count++, size);
}

void tm_arena_free(tm_arena_t *a) {
    for (uint32_t i = 0; i < a->n_chunks; ++i) free(a->chunks[i]);
    free(a->chunks);
    memset(a, 0, sizeof *a);
}

tm_node_t *tm_graph_new_node(tm_thread_t *t, tm_node_t *parent, tm_label_t *label) {
    tm_node_t *n = tm_arena_next(&t->nodes, sizeof *n);
    if (!n) return NULL;
    n->index = t->nodes.count - 1;
    n->label = label;
    n->parent = parent;
    if (label) {
        n->depth = parent ? (parent->depth < 0 ? (int32_t)t->n_anchor : parent->depth + 1) : 0;
        n->rolling = (parent ? parent->rolling : 0) + label->hash;
    } else {
        n->depth = -1;
        n->rolling = parent ? parent->rolling : 0;
    }
    if (parent) {
        if (parent->last_child)
            parent->last_child->next_sibling = n;
        else
            parent->first_child = n;
        parent->last_child = n;
    }
    return n;
}

const tm_slot_t tm_slot_empty;

tm_slot_t *tm_graph_new_slot(tm_thread_t *t) {
    tm_slot_t *s = tm_arena_next(&t->slots, sizeof *s);
    if (!s) return NULL;
    /* min/max start at +/-inf so adding a sample needs no first-sample branch */
    s->incl.min = s->excl.min = HUGE_VAL;
    s->incl.max = s->excl.max = -HUGE_VAL;
    return s;
}

tm_node_t *tm_graph_child_slow(tm_thread_t *t, tm_node_t *parent, tm_label_t *label) {
    uint64_t key = tm_graph_key(parent, label);
    if (t->ht_cap) {
        for (uint32_t j = tm_graph_slot(key, t->ht_cap); t->ht_nodes[j]; j = (j + 1) & (t->ht_cap - 1)) {
            if (t->ht_keys[j] == key) {
                parent->cached_label = label;
                parent->cached_child = t->ht_nodes[j];
                return t->ht_nodes[j];
            }
        }
    }
    /* first use of this region under this parent */
    if ((t->ht_used + 1) * 2 > t->ht_cap && !tm_graph_grow_table(t)) return NULL;
    tm_node_t *n = tm_graph_new_node(t, parent, label);
    if (!n) return NULL;
    uint32_t j = tm_graph_slot(key, t->ht_cap);
    while (t->ht_nodes[j]) j = (j + 1) & (t->ht_cap - 1);
    t->ht_keys[j] = key;
    t->ht_nodes[j] = n;
    ++t->ht_used;
    parent->cached_label = label;
    parent->cached_child = n;
    return n;
}

void tm_graph_free(tm_thread_t *t) {
    tm_arena_free(&t->nodes);
    tm_arena_free(&t->slots);
    free(t->ht_keys);
    free(t->ht_nodes);
    free(t->frames);
    free(t->anchor);
    t->ht_keys = NULL;
    t->ht_nodes = NULL;
    t->frames = NULL;
    t->anchor = NULL;
    t->ht_cap = t->ht_used = 0;
    t->cap_frames = t->depth = 0;
    t->n_anchor = 0;
}

bool tm_thread_grow_frames(tm_thread_t *t) {
    uint32_t cap = t->cap_frames ? t->cap_frames * 2 : 16;
    tm_frame_t *frames = realloc(t->frames, cap * sizeof *frames);
    if (!frames) return false;
    t->frames = frames;
    t->cap_frames = cap;
    return true;
}
