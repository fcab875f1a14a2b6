/* The timeline's recording side (timeline.h): per-thread buffers that grow
 * by doubling up to timeline_max_events, then count what they drop. */
#include "timeline.h"

#include "errors.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t tm_timeline_lock = PTHREAD_MUTEX_INITIALIZER;
static tm_timeline_buf_t *tm_timeline_bufs;
static pthread_key_t tm_timeline_key;
static pthread_once_t tm_timeline_key_once = PTHREAD_ONCE_INIT;
static __thread tm_timeline_buf_t *tm_tls_timeline;
static _Atomic uint32_t tm_timeline_warned; /* generation + 1 of the last message */

static int64_t tm_timeline_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Thread exit: the buffer stays (its events are part of the run) and is
 * freed once a later storage generation no longer needs it. */
static void tm_timeline_thread_exit(void *arg) {
    tm_timeline_buf_t *b = arg;
    pthread_mutex_lock(&tm_timeline_lock);
    b->dead = true;
    pthread_mutex_unlock(&tm_timeline_lock);
    tm_tls_timeline = NULL;
}

static void tm_timeline_key_create(void) { pthread_key_create(&tm_timeline_key, tm_timeline_thread_exit); }

/* The calling thread's buffer for generation `gen`, created or reset. */
__attribute__((noinline, cold)) static tm_timeline_buf_t *tm_timeline_buf_slow(tm_thread_t *t, uint32_t gen) {
    tm_timeline_buf_t *b = tm_tls_timeline;
    if (!b) {
        pthread_once(&tm_timeline_key_once, tm_timeline_key_create);
        b = calloc(1, sizeof *b);
        if (!b) return NULL;
        pthread_mutex_lock(&tm_timeline_lock);
        /* free the buffers of exited threads from earlier generations */
        for (tm_timeline_buf_t **pp = &tm_timeline_bufs; *pp;) {
            tm_timeline_buf_t *o = *pp;
            if (o->dead && o->generation != gen) {
                *pp = o->next;
                free(o->events);
                free(o);
            } else {
                pp = &o->next;
            }
        }
        b->next = tm_timeline_bufs;
        tm_timeline_bufs = b;
        pthread_mutex_unlock(&tm_timeline_lock);
        pthread_setspecific(tm_timeline_key, b);
        tm_tls_timeline = b;
    }
    long max = tm_settings_int("timeline_max_events");
    pthread_mutex_lock(&tm_timeline_lock);
    b->count = b->dropped = 0;
    b->max = max > 0 ? (uint64_t)max : 0;
    if (b->cap > b->max) b->cap = b->max; /* the allocation may be larger: only the cap shrinks */
    b->tid = t->tid;
    b->pid = t->pid;
    b->generation = gen;
    pthread_mutex_unlock(&tm_timeline_lock);
    return b;
}

__attribute__((noinline, cold)) static bool tm_timeline_grow(tm_timeline_buf_t *b) {
    if (b->count >= b->max) {
        if (b->dropped++ == 0 && atomic_exchange(&tm_timeline_warned, b->generation + 1) != b->generation + 1)
            tm_warn("timeline: thread %u reached timeline_max_events=%" PRIu64
                    "; later region instances are left out of the timeline (and counted as dropped), "
                    "the call-graph statistics keep them",
                    b->tid, b->max);
        return false;
    }
    uint64_t cap = b->cap ? 2 * b->cap : 256; /* small first: short-lived threads are common */
    if (cap > b->max) cap = b->max;
    tm_timeline_event_t *e = realloc(b->events, cap * sizeof *e);
    if (!e) {
        ++b->dropped;
        return false;
    }
    pthread_mutex_lock(&tm_timeline_lock);
    b->events = e;
    b->cap = cap;
    pthread_mutex_unlock(&tm_timeline_lock);
    return true;
}

void tm_timeline_begin(tm_frame_t *f, tm_component_set_t set) {
    if (!(set & TM_WALL_CLOCK_BIT)) f->start[TM_WALL_CLOCK][0] = tm_timeline_now();
}

void tm_timeline_close(tm_thread_t *t, const tm_frame_t *f, const int64_t now[][2]) {
    if (f->owner || !f->mask) return; /* component objects and disabled frames: not region instances */
    const int64_t start = f->start[TM_WALL_CLOCK][0];
    const int64_t end = (f->mask & TM_WALL_CLOCK_BIT) ? now[TM_WALL_CLOCK][0] : tm_timeline_now();
    if (end < start) return; /* a region opened before the timeline was switched on */
    tm_timeline_buf_t *b = tm_tls_timeline;
    const uint32_t gen = atomic_load_explicit(&tm_g_generation, memory_order_relaxed);
    if (TM_UNLIKELY(!b || b->generation != gen) && !(b = tm_timeline_buf_slow(t, gen))) return;
    if (TM_UNLIKELY(b->count == b->cap) && !tm_timeline_grow(b)) return;
    b->events[b->count++] = (tm_timeline_event_t){f->node->label, start, end, t->depth - 1};
}

static int tm_timeline_tid_order(const void *a, const void *b) {
    const tm_timeline_buf_t *x = *(tm_timeline_buf_t *const *)a, *y = *(tm_timeline_buf_t *const *)b;
    return (x->tid > y->tid) - (x->tid < y->tid);
}

tm_timeline_buf_t **tm_timeline_snapshot(size_t *n) {
    const uint32_t gen = atomic_load(&tm_g_generation);
    pthread_mutex_lock(&tm_timeline_lock);
    size_t count = 0, k = 0;
    for (tm_timeline_buf_t *b = tm_timeline_bufs; b; b = b->next) count += b->generation == gen;
    tm_timeline_buf_t **out = malloc((count ? count : 1) * sizeof *out);
    for (tm_timeline_buf_t *b = tm_timeline_bufs; out && b; b = b->next)
        if (b->generation == gen) out[k++] = b;
    pthread_mutex_unlock(&tm_timeline_lock);
    if (out) qsort(out, k, sizeof *out, tm_timeline_tid_order);
    *n = k;
    return out;
}

uint64_t tm_timeline_dropped(void) {
    size_t n = 0;
    tm_timeline_buf_t **bufs = tm_timeline_snapshot(&n);
    uint64_t dropped = 0;
    for (size_t i = 0; bufs && i < n; ++i) dropped += bufs[i]->dropped;
    free(bufs);
    return dropped;
}

/* fork() (fork.c): the child's buffers of other threads are of an older
 * generation (fork.c starts a new one) and are never written. */
void tm_timeline_fork_prepare(void) { pthread_mutex_lock(&tm_timeline_lock); }
void tm_timeline_fork_parent(void) { pthread_mutex_unlock(&tm_timeline_lock); }
void tm_timeline_fork_child(void) { pthread_mutex_init(&tm_timeline_lock, NULL); }
