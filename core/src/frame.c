/* Frames (frame.h): closing turns the readings into one inclusive and one
 * exclusive sample per component and hands the inclusive sample to the
 * parent frame for its exclusive value. */
#include "frame.h"
#include "labels.h"
#include "settings_cache.h"
#include "timeline.h"

/* Adds one sample of component c (raw differences d0, d1) to the innermost
 * frame's node and passes it to the parent frame. */
static inline void tm_frame_commit(tm_thread_t *t, tm_frame_t *f, int c, double d0, double d1) {
    const tm_component_set_t bit = (tm_component_set_t)1 << c;
    const tm_kind_traits_t *k = tm_traits(c);
    tm_slot_t *s = tm_node_slot(&t->graph, f->node, c);
    if (TM_UNLIKELY(!s)) {
        tm_fail(TM_E_NOMEM, "out of memory recording a sample of '%s'", f->node->label->name);
        return;
    }
    /* a level or a stored value is its own: children do not subtract */
    double c0 = 0.0, c1 = 0.0;
    if (k->subtracts_children && (f->child_mask & bit)) {
        c0 = f->child[c][0];
        c1 = f->child[c][1];
    }
    tm_slot_write_begin(s);
    if (k->ratio) {
        double e0 = d0 - c0, e1 = d1 - c1;
        tm_slot_add(s, d1 > 0 ? d0 / d1 : 0.0, e1 > 0 ? e0 / e1 : 0.0);
        TM_PUT(s->incl.num, s->incl.num + d0);
        TM_PUT(s->incl.den, s->incl.den + d1);
        TM_PUT(s->excl.num, s->excl.num + e0);
        TM_PUT(s->excl.den, s->excl.den + e1);
    } else {
        tm_slot_add(s, d0, d0 - c0);
    }
    if (k->keeps_last) TM_PUT(s->last, d0);
    tm_slot_write_end(s);
    tm_node_mark(f->node, bit);
    if (k->subtracts_children) tm_frame_pass_up(f - 1, c, d0, d1);
}

static inline void tm_frame_close_impl(tm_thread_t *t, const int64_t now[][2]) {
    tm_frame_t *f = &t->frames[t->depth];
    if (TM_UNLIKELY(tm_timeline_enabled())) tm_timeline_close(t, f, now);
    if (f->owner) {
        if (f->mask) tm_frame_commit(t, f, __builtin_ctzll(f->mask), f->owned[0], f->owned[1]);
    } else {
        for (tm_component_set_t m = f->mask; m; m &= m - 1) {
            int c = __builtin_ctzll(m);
            const tm_kind_traits_t *k = tm_traits(c);
            if (k->stored) continue; /* fed by store(), not by the region */
            double d0, d1 = 0.0;
            if (k->reads_level) {
                d0 = (double)now[c][0];
            } else {
                d0 = (double)(now[c][0] - f->start[c][0]);
                if (k->ratio) d1 = (double)(now[c][1] - f->start[c][1]);
            }
            tm_frame_commit(t, f, c, d0, d1);
        }
    }
    /* children's samples of components this frame does not record pass up,
     * so a grandparent's exclusive value still excludes them */
    for (tm_component_set_t m = f->child_mask & ~f->mask; m; m &= m - 1) {
        int c = __builtin_ctzll(m);
        tm_frame_pass_up(f - 1, c, f->child[c][0], f->child[c][1]);
    }
    --t->depth;
    atomic_store_explicit(&t->current, t->depth ? t->frames[t->depth].node : NULL, memory_order_release);
}

void tm_frame_close(tm_thread_t *t, const int64_t now[][2]) { tm_frame_close_impl(t, now); }

void tm_frames_close_above(tm_thread_t *t, uint32_t depth) {
    int64_t now[TM_COMPONENT_COUNT][2];
    while (t->depth > depth) {
        tm_read_samplers(t->frames[t->depth].owner ? 0 : t->frames[t->depth].mask, now);
        tm_frame_close(t, (const int64_t(*)[2])now);
    }
}

tm_frame_t *tm_frame_push_owned(tm_thread_t *t, const tm_component_t *owner) {
    bool on = atomic_load_explicit(&tm_g_settings.enabled, memory_order_relaxed);
    tm_frame_t *f = tm_frame_push(t, owner->label, on ? (tm_component_set_t)1 << owner->id : 0, owner);
    if (f) f->owned[0] = f->owned[1] = 0.0;
    return f;
}

/* Thread exit: close what it left open, so its data is kept. */
void tm_frames_close_at_exit(tm_thread_t *t) {
    /* not when a handler that interrupted a call ended the thread: its
     * frames may be half-updated */
    if (t->depth == 0 || !tm_thread_enter(t)) return;
    tm_node_t *n = t->frames[t->depth].node;
    if (tm_label_first_warning(n->label, TM_WARN_LEFT_OPEN))
        tm_warn("thread %u exited inside region '%s' (%u open); closed them at exit", t->tid, n->label->name, t->depth);
    tm_frames_close_above(t, 0);
    tm_thread_leave(t);
}
