/* The flat view: one entry per thread and node, depth-first, no dummies. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view_common.h"

/* Shared storage of a view's prefixes and hierarchies: bump-allocated
 * blocks, freed together by tm_flat_free(). */
typedef struct tm_flat_block {
    struct tm_flat_block *next;
    size_t used, cap;
    max_align_t data[];
} tm_flat_block_t;

void *tm_flat_alloc(tm_flat_t *flat, size_t bytes) {
    bytes = (bytes + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    tm_flat_block_t *b = flat->store_;
    if (!b || b->cap - b->used < bytes) {
        size_t cap = bytes > 65536 ? bytes : 65536;
        tm_flat_block_t *nb = malloc(sizeof *nb + cap);
        if (!nb) return NULL;
        nb->used = 0;
        nb->cap = cap;
        /* a big one-off goes behind the current block, which stays open */
        if (b && cap > 65536) {
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            flat->store_ = nb;
        }
        b = nb;
    }
    void *p = (char *)b->data + b->used;
    b->used += bytes;
    return p;
}

typedef struct tm_flat_builder {
    tm_flat_t *flat;
    size_t cap;
    int component;
    const tm_thread_t *thread;
    const unsigned char *marks;
    uint32_t n_nodes; /* the snapshot: later nodes are ignored */
    bool failed;
    /* the open hierarchy array: entries on one downward chain share it */
    uint64_t *chain;
    size_t chain_len, chain_cap;
} tm_flat_builder_t;

int tm_flat_format_prefix(int64_t depth, const char *label, char *buf, size_t n) {
    if (!label) label = "";
    size_t extra = depth > 0 ? (size_t)(depth - 1) * 2 + 2 : 0;
    size_t len = 4 + extra + strlen(label);
    if (buf && n) {
        size_t k = 0;
        for (const char *s = ">>> "; *s && k + 1 < n; ++s) buf[k++] = *s;
        for (int64_t i = 1; depth > 0 && i < depth && k + 2 < n; ++i) {
            buf[k++] = ' ';
            buf[k++] = ' ';
        }
        if (depth > 0 && k + 2 < n) {
            buf[k++] = '|';
            buf[k++] = '_';
        }
        for (const char *s = label; *s && k + 1 < n; ++s) buf[k++] = *s;
        buf[k] = '\0';
    }
    return len > (size_t)INT32_MAX ? INT32_MAX : (int)len;
}

/* The prefix of a flat entry, capped at TM_FLAT_PREFIX_DEPTH levels of
 * indentation (query.h) so that it costs O(label) per entry. */
size_t tm_flat_prefix_len(int64_t depth, const char *label, char *buf, size_t n) {
    if (depth <= TM_FLAT_PREFIX_DEPTH) return (size_t)tm_flat_format_prefix(depth, label, buf, n);
    return (size_t)snprintf(buf, n, ">>> (depth %lld) |_%s", (long long)depth, label);
}

char *tm_flat_prefix(int64_t depth, const char *label) {
    size_t len = tm_flat_prefix_len(depth, label, NULL, 0);
    char *p = malloc(len + 1);
    if (p) tm_flat_prefix_len(depth, label, p, len + 1);
    return p;
}

/* The hierarchy of `n` (depth d): extends the open chain when the parent's
 * array is its end, else starts a new chain (copying the parent's path, or
 * the node's own path and the thread's anchors at a thread's top). */
static const uint64_t *tm_flat_hierarchy(tm_flat_builder_t *b, const tm_node_t *n, const tm_flat_entry_t *up) {
    size_t len = (size_t)n->depth + 1;
    if (up && up->hierarchy == b->chain && b->chain_len == len - 1 && up->hierarchy_len == len - 1 &&
        b->chain_len < b->chain_cap) {
        b->chain[b->chain_len++] = n->label->hash;
        return b->chain;
    }
    size_t cap = len < 8 ? 16 : 2 * len;
    uint64_t *h = tm_flat_alloc(b->flat, cap * sizeof *h);
    if (!h) return NULL;
    if (up && up->hierarchy_len == len - 1) {
        memcpy(h, up->hierarchy, (len - 1) * sizeof *h);
        h[len - 1] = n->label->hash;
    } else {
        const tm_thread_t *t = b->thread;
        size_t k = len;
        for (const tm_node_t *p = n; p && p->label && k > 0; p = p->parent) h[--k] = p->label->hash;
        for (size_t i = 0; i < k; ++i) h[i] = i < t->n_anchor ? t->anchor[i]->hash : 0;
    }
    b->chain = h;
    b->chain_len = len;
    b->chain_cap = cap;
    return h;
}

/* Adds `n` below the entry `up` (1 + index, 0 at the top). */
static bool tm_flat_add(tm_flat_builder_t *b, const tm_node_t *n, size_t up) {
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
    const tm_flat_entry_t *parent = up && flat->entries[up - 1].depth == n->depth - 1 ? &flat->entries[up - 1] : NULL;
    memset(e, 0, sizeof *e);
    e->tid = t->tid;
    e->pid = t->pid;
    e->depth = n->depth;
    e->hash = n->label->hash;
    e->rolling_hash = n->rolling;
    e->label = n->label->name;
    e->parent = parent ? up : 0;
    e->hierarchy_len = (size_t)n->depth + 1;
    e->hierarchy = tm_flat_hierarchy(b, n, parent);
    size_t plen = tm_flat_prefix_len(n->depth, n->label->name, NULL, 0);
    char *prefix = tm_flat_alloc(flat, plen + 1);
    if (!e->hierarchy || !prefix) return false;
    tm_flat_prefix_len(n->depth, n->label->name, prefix, plen + 1);
    e->prefix = prefix;
    tm_slot_t s;
    tm_node_read_slot(n, b->component, &s);
    tm_value_from_acc(b->component, &s.incl, s.last, &e->inclusive);
    tm_value_from_acc(b->component, &s.excl, s.last, &e->exclusive);
    ++flat->size;
    return true;
}

/* Depth-first with an explicit stack: the graph may be any depth. */
static void tm_flat_walk(tm_flat_builder_t *b, const tm_node_t *root) {
    typedef struct {
        const tm_node_t *n;
        size_t up; /* the entry above n's level, 1 + index */
    } frame_t;
    size_t cap = 64, top = 0;
    frame_t *st = malloc(cap * sizeof *st);
    if (!st) {
        b->failed = true;
        return;
    }
    st[top++] = (frame_t){root, 0};
    while (top && !b->failed) {
        frame_t *f = &st[top - 1];
        const tm_node_t *n = f->n;
        /* siblings are created in order: past the snapshot, all later ones are */
        if (!n || n->index >= b->n_nodes) {
            --top;
            continue;
        }
        f->n = tm_node_next_sibling(n);
        if (!b->marks[n->index]) continue;
        size_t up = f->up;
        if (n->label) {
            if (!tm_flat_add(b, n, up)) {
                b->failed = true;
                break;
            }
            up = b->flat->size;
        }
        if (top == cap) {
            frame_t *ns = realloc(st, 2 * cap * sizeof *st);
            if (!ns) {
                b->failed = true;
                break;
            }
            st = ns;
            cap *= 2;
        }
        st[top++] = (frame_t){tm_node_first_child(n), up};
    }
    free(st);
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
    tm_flat_builder_t b = {flat, 0, component, NULL, NULL, 0, false, NULL, 0, 0};
    for (size_t i = 0; i < n_threads && !b.failed; ++i) {
        b.thread = threads[i];
        unsigned char *marks = tm_subtree_marks(threads[i], (tm_component_set_t)1 << component, &b.n_nodes);
        if (!marks) {
            b.failed = true;
            break;
        }
        b.marks = marks;
        b.chain = NULL; /* chains do not cross threads */
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
    if (flat->store_) {
        for (tm_flat_block_t *b = flat->store_, *next; b; b = next) {
            next = b->next;
            free(b);
        }
    } else {
        for (size_t i = 0; i < flat->size; ++i) { /* views that allocate per entry */
            free((void *)flat->entries[i].hierarchy);
            free((void *)flat->entries[i].prefix);
        }
    }
    free(flat->entries);
    free(flat);
}
