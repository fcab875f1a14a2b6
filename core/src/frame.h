/* Frames (frame.c): entering a node, reading the samplers, and turning the
 * readings into one inclusive and one exclusive sample per component at
 * close. The public region API (region.c) and component objects
 * (component.c) are built on it. */
#ifndef TIMEMORY_FRAME_H
#define TIMEMORY_FRAME_H

#include <stdint.h>

#include "errors.h"
#include "registry.h"
#include "samplers/wall_clock.h"
#include "thread.h"

/* Closes the frames a thread left open when it exits (thread.h's hook). */
void tm_frames_close_at_exit(tm_thread_t *t);

/* The calling thread, registered with this layer's exit repair. */
static inline tm_thread_t *tm_frame_thread(void) { return tm_thread_get(tm_frames_close_at_exit); }

/* Hands a child's sample of component c (raw differences d0, d1) to its
 * parent frame `p`, for the parent's exclusive value. */
static inline void tm_frame_pass_up(tm_frame_t *p, int c, double d0, double d1) {
    const tm_component_set_t bit = (tm_component_set_t)1 << c;
    if (p->child_mask & bit) {
        p->child[c][0] += d0;
        p->child[c][1] += d1;
    } else {
        p->child_mask |= bit;
        p->child[c][0] = d0;
        p->child[c][1] = d1;
    }
}

/* Reads component c's sampler; the wall clock, the common case, inline.
 * (The trip_count sampler is tm_sample_one; this dispatches to samplers.) */
static inline void tm_read_sampler(int c, int64_t out[2]) {
    if (TM_LIKELY(c == TM_WALL_CLOCK)) {
        tm_wall_read(out);
        return;
    }
    void (*sample)(int64_t[2]) = tm_samplers[c];
    if (sample) {
        sample(out);
    } else {
        out[0] = out[1] = 0;
    }
}

static inline void tm_read_samplers(tm_component_set_t set, int64_t out[][2]) {
    for (tm_component_set_t m = set; m; m &= m - 1) {
        int c = __builtin_ctzll(m);
        tm_read_sampler(c, out[c]);
    }
}

/* Pushes a frame for the child `label` of the innermost node, recording
 * `mask`, owned by component object `owner` (or NULL); NULL on OOM. */
static inline tm_frame_t *tm_frame_push(tm_thread_t *t, tm_label_t *label, tm_component_set_t mask,
                                        const tm_component_t *owner) {
    if (TM_UNLIKELY(t->depth + 1 >= t->cap_frames) && !tm_thread_grow_frames(t)) {
        tm_fail(TM_E_NOMEM, "out of memory entering region '%s'", label->name);
        return NULL;
    }
    tm_node_t *node = tm_graph_child(&t->graph, t->frames[t->depth].node, label);
    if (TM_UNLIKELY(!node)) {
        tm_fail(TM_E_NOMEM, "out of memory entering region '%s'", label->name);
        return NULL;
    }
    tm_frame_t *f = &t->frames[++t->depth];
    f->node = node;
    f->mask = mask;
    f->child_mask = 0;
    f->owner = owner;
    atomic_store_explicit(&t->current, node, memory_order_release);
    return f;
}

/* Pushes a frame owned by component object `owner`. */
tm_frame_t *tm_frame_push_owned(tm_thread_t *t, const tm_component_t *owner);

/* Closes the innermost frame with the given readings (region) or values. */
void tm_frame_close(tm_thread_t *t, const int64_t now[][2]);
/* Closes every frame above `depth` (repairing), sampling now. */
void tm_frames_close_above(tm_thread_t *t, uint32_t depth);

#endif /* TIMEMORY_FRAME_H */
