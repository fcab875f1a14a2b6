/* The timeline (timeline_profile): the real start and end of every region
 * instance, per thread, in bounded per-thread buffers. The engine calls one
 * hook at begin and one at close, each behind tm_timeline_enabled(), a
 * relaxed load of a flag cached when the setting changes: with the timeline
 * off the hot path pays one predictable branch, no lock, no allocation. */
#ifndef TIMEMORY_TIMELINE_H
#define TIMEMORY_TIMELINE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "base.h"
#include "labels.h"
#include "settings_cache.h"
#include "thread.h"

static inline bool tm_timeline_enabled(void) {
    return atomic_load_explicit(&tm_g_settings.timeline, memory_order_relaxed) != 0;
}

/* Begin hook: a frame that does not record wall_clock gets a
 * CLOCK_MONOTONIC start in start[TM_WALL_CLOCK][0] (a slot it leaves unused). */
void tm_timeline_begin(tm_frame_t *f, tm_component_set_t set);
/* Close hook: keeps frame f (innermost of t) with its start and end. */
void tm_timeline_close(tm_thread_t *t, const tm_frame_t *f, const int64_t now[][2]);

/* One region instance; times in ns of the wall clock's sampler. */
typedef struct tm_timeline_event {
    const tm_label_t *label;
    int64_t start, end;
    uint32_t depth; /* 0 at the top */
} tm_timeline_event_t;

/* A thread's events. */
typedef struct tm_timeline_buf {
    tm_timeline_event_t *events;
    uint64_t count, cap, max, dropped;
    uint32_t tid, generation;
    int64_t pid;
    bool dead;
    struct tm_timeline_buf *next;
} tm_timeline_buf_t;

/* Buffers of the current storage generation (tid order, caller frees the
 * array, not the buffers); read while no other thread records. */
tm_timeline_buf_t **tm_timeline_snapshot(size_t *n);

/* fork() (fork.c): the buffer list's lock is held across it. */
void tm_timeline_fork_prepare(void);
void tm_timeline_fork_parent(void);
void tm_timeline_fork_child(void);

#endif /* TIMEMORY_TIMELINE_H */
