/* Per-thread state (thread.c): registration, the storage generation that
 * tm_storage_reset() bumps, the stack of open frames and the call graph. */
#ifndef TIMEMORY_THREAD_H
#define TIMEMORY_THREAD_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <timemory/timemory.h>

#include "base.h"
#include "graph.h"

/* One open region (or pushed component object) on a thread's stack. */
typedef struct tm_frame {
    tm_node_t *node;
    tm_component_set_t mask;       /* components this frame records */
    tm_component_set_t child_mask; /* components with entries in child[] */
    /* pushed component object, or NULL. Only compared, never dereferenced:
     * the object may be destroyed while pushed. Its laps are added to
     * `owned` as they happen, and that is what the frame records. */
    const tm_component_t *owner;
    double owned[2];
    int64_t start[TM_COMPONENT_COUNT][2];
    double child[TM_COMPONENT_COUNT][2]; /* children's samples taken during it */
} tm_frame_t;

typedef struct tm_thread tm_thread_t;

/* Called when a registered thread exits (the frame layer closes what it
 * left open); passed in by the layer that uses threads, so this one does
 * not depend on it. */
typedef void (*tm_thread_exit_fn)(tm_thread_t *t);

struct tm_thread {
    uint32_t tid;
    int64_t pid;
    uint32_t generation;
    bool dead;
    tm_graph_t graph;
    tm_node_t *root; /* dummy root */
    tm_node_t *base; /* root, or the fork bookmark of a non-first thread */
    /* where this thread forked from the first thread: labels from the top */
    tm_label_t **anchor;
    uint32_t n_anchor;
    /* frames[0] is the base frame; depth = number of open frames */
    tm_frame_t *frames;
    uint32_t depth, cap_frames;
    _Atomic(tm_node_t *) current; /* published for threads that fork */
    tm_thread_exit_fn on_exit;
    struct tm_thread *next;
};

extern _Atomic uint32_t tm_g_generation;
extern __thread tm_thread_t *tm_tls_thread;

/* Registers the calling thread (or rebuilds its graph after a reset). */
tm_thread_t *tm_thread_slow(tm_thread_exit_fn on_exit);

/* The calling thread's state for the current storage generation; NULL
 * only when out of memory. */
static inline tm_thread_t *tm_thread_get(tm_thread_exit_fn on_exit) {
    tm_thread_t *t = tm_tls_thread;
    if (TM_LIKELY(t && t->generation == atomic_load_explicit(&tm_g_generation, memory_order_relaxed))) return t;
    return tm_thread_slow(on_exit);
}

bool tm_thread_grow_frames(tm_thread_t *t);

/* Snapshot of the current generation's threads, tid order; caller frees the
 * array (not the threads). */
tm_thread_t **tm_threads_snapshot(size_t *n);

/* fork() (fork.c): the thread table's lock is held across it; the child
 * starts a new storage generation with an empty table, so its only thread
 * records as tid 0 of the new pid. */
void tm_threads_fork_prepare(void);
void tm_threads_fork_parent(void);
void tm_threads_fork_child(void);

#endif /* TIMEMORY_THREAD_H */
