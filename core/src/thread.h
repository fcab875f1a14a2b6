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
    /* set while a call changes this thread's frames or graph
     * (tm_thread_enter); beside `generation`, which every call reads, so it
     * costs no extra cache line (and, one byte, fits the padding after `dead`) */
    _Atomic uint8_t busy;
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

/* Guards a thread's frames and graph against its own signal handlers: a call
 * that changes them enters first; a region begun or ended by a handler that
 * interrupted such a call finds the thread busy and is refused (TM_E_BUSY),
 * so a handler never sees them half-updated. Only this thread and its
 * handlers touch `busy`: compiler barriers suffice, no atomic instruction. */
static inline bool tm_thread_enter(tm_thread_t *t) {
    if (TM_UNLIKELY(atomic_load_explicit(&t->busy, memory_order_relaxed))) return false;
    atomic_store_explicit(&t->busy, 1, memory_order_relaxed);
    atomic_signal_fence(memory_order_seq_cst);
    return true;
}
static inline void tm_thread_leave(tm_thread_t *t) {
    atomic_signal_fence(memory_order_seq_cst);
    atomic_store_explicit(&t->busy, 0, memory_order_relaxed);
}

/* Snapshot of the current generation's threads, tid order; caller frees the
 * array (not the threads). */
tm_thread_t **tm_threads_snapshot(size_t *n);

/* fork() (fork.c): the thread table's lock is held across it; the child
 * starts a new storage generation with an empty table, so its only thread
 * records as tid 0 of the new pid. */
void tm_threads_fork_prepare(void);
void tm_threads_fork_parent(void);
void tm_threads_fork_child(void);

/* In a fork() child, on the thread that forked: true when `r` is one of the
 * regions it had open at the fork (innermost first; it and those inside it
 * are forgotten). The code that goes on in the child ends them; they belong
 * to the parent, so the child records nothing for them and warns not. */
bool tm_thread_end_inherited(tm_label_t *r);

#endif /* TIMEMORY_THREAD_H */
