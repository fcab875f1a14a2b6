/* Per-thread state (thread.h): registration (tid, fork bookmark), the storage
 * generation that tm_storage_reset() bumps, and repair at thread exit. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "errors.h"
#include "registry.h"
#include "settings_cache.h"
#include "thread.h"

__thread tm_thread_t *tm_tls_thread;
_Atomic uint32_t tm_g_generation = 1;

static pthread_mutex_t tm_threads_lock = PTHREAD_MUTEX_INITIALIZER;
static tm_thread_t *tm_threads;     /* every registered thread, newest first */
static tm_thread_t *tm_main_thread; /* the process's main thread, once it records */
static uint32_t tm_next_tid;
static pthread_key_t tm_thread_key;
static pthread_once_t tm_thread_key_once = PTHREAD_ONCE_INIT;

static void tm_thread_exit(void *arg);
static void tm_thread_key_create(void) { pthread_key_create(&tm_thread_key, tm_thread_exit); }

/* Copies the main thread's current call-graph position as this thread's
 * anchor: its regions are placed there in the merged tree. Worker threads
 * of a pool whose main thread does not record start at the top. */
static void tm_thread_take_anchor(tm_thread_t *t, tm_thread_t *first) {
    tm_node_t *pos = first ? atomic_load_explicit(&first->current, memory_order_acquire) : NULL;
    uint32_t n = 0;
    for (tm_node_t *p = pos; p; p = p->parent)
        if (p->label) ++n;
    if (!n) return;
    t->anchor = malloc(n * sizeof *t->anchor);
    if (!t->anchor) return;
    t->n_anchor = n;
    for (tm_node_t *p = pos; p; p = p->parent)
        if (p->label) t->anchor[--n] = p->label;
}

/* Builds an empty graph for the current generation. Caller holds the lock. */
static bool tm_thread_setup(tm_thread_t *t, uint32_t generation) {
    t->generation = generation;
    t->tid = tm_next_tid++;
    t->pid = (int64_t)getpid();
    t->dead = false;
    bool is_main = syscall(SYS_gettid) == getpid();
    if (is_main)
        tm_main_thread = t;
    else
        tm_thread_take_anchor(t, tm_main_thread);
    if (!tm_thread_grow_frames(t)) return false;
    t->graph.base_depth = (int32_t)t->n_anchor;
    t->root = tm_graph_new_node(&t->graph, NULL, NULL);
    if (!t->root) return false;
    t->base = t->root;
    if (!is_main) {
        t->base = tm_graph_new_node(&t->graph, t->root, NULL); /* fork bookmark */
        if (!t->base) return false;
        for (uint32_t i = 0; i < t->n_anchor; ++i) t->base->rolling += t->anchor[i]->hash;
    }
    memset(&t->frames[0], 0, sizeof t->frames[0]);
    t->frames[0].node = t->base;
    t->depth = 0;
    atomic_store_explicit(&t->current, t->base->label ? t->base : NULL, memory_order_release);
    return true;
}

/* Everything a thread's graph and frames are freed of (storage reset). */
static void tm_thread_clear(tm_thread_t *t) {
    tm_graph_free(&t->graph);
    free(t->frames);
    free(t->anchor);
    t->frames = NULL;
    t->anchor = NULL;
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

tm_thread_t *tm_thread_slow(tm_thread_exit_fn on_exit) {
    /* what tm_init does for the process, from the layers below this one */
    tm_samplers_init();
    tm_settings_init();
    pthread_once(&tm_thread_key_once, tm_thread_key_create);
    uint32_t generation = atomic_load(&tm_g_generation);
    tm_thread_t *t = tm_tls_thread;
    pthread_mutex_lock(&tm_threads_lock);
    if (!t) {
        t = calloc(1, sizeof *t);
        if (!t) {
            pthread_mutex_unlock(&tm_threads_lock);
            tm_fail(TM_E_NOMEM, "out of memory registering a thread");
            return NULL;
        }
        t->next = tm_threads;
        tm_threads = t;
        tm_tls_thread = t;
        pthread_setspecific(tm_thread_key, t);
    } else {
        tm_thread_clear(t); /* storage was reset: start a fresh graph */
    }
    t->on_exit = on_exit;
    bool ok = tm_thread_setup(t, generation);
    pthread_mutex_unlock(&tm_threads_lock);
    if (!ok) {
        tm_thread_clear(t);
        t->generation = 0;
        tm_fail(TM_E_NOMEM, "out of memory creating a thread's call graph");
        return NULL;
    }
    return t;
}

/* Thread exit: the layer that recorded closes what it left open, so its
 * data is kept. */
static void tm_thread_exit(void *arg) {
    tm_thread_t *t = arg;
    if (t->generation == atomic_load(&tm_g_generation) && t->depth > 0 && t->on_exit) t->on_exit(t);
    pthread_mutex_lock(&tm_threads_lock);
    t->dead = true;
    pthread_mutex_unlock(&tm_threads_lock);
    tm_tls_thread = NULL;
}

void tm_storage_reset(void) {
    pthread_mutex_lock(&tm_threads_lock);
    atomic_fetch_add(&tm_g_generation, 1);
    tm_next_tid = 0;
    tm_main_thread = NULL;
    /* exited threads are freed now; live ones rebuild lazily on next use */
    for (tm_thread_t **pp = &tm_threads; *pp;) {
        tm_thread_t *t = *pp;
        if (t->dead) {
            *pp = t->next;
            tm_thread_clear(t);
            free(t);
        } else {
            pp = &t->next;
        }
    }
    pthread_mutex_unlock(&tm_threads_lock);
}

static int tm_tid_order(const void *a, const void *b) {
    const tm_thread_t *x = *(tm_thread_t *const *)a, *y = *(tm_thread_t *const *)b;
    return (x->tid > y->tid) - (x->tid < y->tid);
}

tm_thread_t **tm_threads_snapshot(size_t *n) {
    pthread_mutex_lock(&tm_threads_lock);
    uint32_t generation = atomic_load(&tm_g_generation);
    size_t count = 0;
    for (tm_thread_t *t = tm_threads; t; t = t->next)
        if (t->generation == generation) ++count;
    tm_thread_t **out = malloc((count ? count : 1) * sizeof *out);
    size_t k = 0;
    if (out)
        for (tm_thread_t *t = tm_threads; t; t = t->next)
            if (t->generation == generation) out[k++] = t;
    pthread_mutex_unlock(&tm_threads_lock);
    if (out) qsort(out, k, sizeof *out, tm_tid_order);
    *n = k;
    return out;
}

/* fork() (fork.c): hold the lock across it; the child drops the copied
 * table (left unfreed: touching it would only copy the parent's pages).
 * Dropped tables stay linked here, retained rather than lost, so a leak
 * checker (LSan at a fork child's exit) sees them as the parent's memory. */
static tm_thread_t *tm_threads_dropped;

void tm_threads_fork_prepare(void) { pthread_mutex_lock(&tm_threads_lock); }
void tm_threads_fork_parent(void) { pthread_mutex_unlock(&tm_threads_lock); }
/* Fork child: the forking thread's frames as the fork copied them (the
 * copied thread table is never freed, see below), so nothing is allocated. */
static const tm_frame_t *tm_inherited; /* [1..tm_n_inherited] */
static uint32_t tm_n_inherited;
static pthread_t tm_inherited_thread;

static void tm_threads_keep_inherited(tm_thread_t *t) {
    tm_n_inherited = 0;
    if (!t || t->generation != atomic_load(&tm_g_generation)) return;
    tm_inherited = t->frames;
    tm_n_inherited = t->depth;
    tm_inherited_thread = pthread_self();
}

bool tm_thread_end_inherited(tm_label_t *r) {
    if (!tm_n_inherited || !pthread_equal(pthread_self(), tm_inherited_thread)) return false;
    for (uint32_t k = tm_n_inherited; k > 0; --k) {
        if (!tm_inherited[k].owner && tm_inherited[k].node->label == r) {
            tm_n_inherited = k - 1;
            return true;
        }
    }
    return false;
}

void tm_threads_fork_child(void) {
    tm_threads_keep_inherited(tm_tls_thread);
    pthread_mutex_init(&tm_threads_lock, NULL);
    if (tm_threads) { /* nested forks: the grandparent's table hangs off the parent's */
        tm_thread_t *last = tm_threads;
        while (last->next) last = last->next;
        last->next = tm_threads_dropped;
        tm_threads_dropped = tm_threads;
    }
    atomic_fetch_add(&tm_g_generation, 1);
    tm_threads = NULL;
    tm_main_thread = NULL;
    tm_next_tid = 0;
    if (tm_tls_thread) pthread_setspecific(tm_thread_key, NULL); /* no exit handler for it */
    tm_tls_thread = NULL;
}
