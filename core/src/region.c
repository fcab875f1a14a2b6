/* Regions, the public API and the hot path: begin finds the child node
 * (cached, O(1)), pushes a frame and reads the samplers last; end reads the
 * samplers first and, for the usual one-component region, records the
 * sample inline (frame.c has the general close). */
#include "frame.h"
#include "labels.h"
#include "settings_cache.h"
#include "timeline.h"

static inline int tm_region_begin_impl(tm_region_t r, tm_component_set_t set) {
    tm_thread_t *t = tm_frame_thread();
    if (TM_UNLIKELY(!t)) return TM_E_NOMEM;
    if (TM_UNLIKELY(!r)) return tm_fail(TM_E_INVALID, "region handle is NULL");
    /* disabled: a frame that records nothing keeps begin/end balanced
     * when the setting changes while regions are open */
    if (TM_UNLIKELY(!atomic_load_explicit(&tm_g_settings.enabled, memory_order_relaxed))) set = 0;
    if (TM_UNLIKELY(!tm_thread_enter(t))) return TM_E_BUSY; /* a signal handler inside a call */
    tm_frame_t *f = tm_frame_push(t, r, set, NULL);
    if (TM_UNLIKELY(!f)) {
        tm_thread_leave(t);
        return TM_E_NOMEM;
    }
    if (TM_UNLIKELY(tm_timeline_enabled())) tm_timeline_begin(f, set);
    /* last, so bookkeeping is not measured */
    if (TM_LIKELY(set && !(set & (set - 1))))
        tm_read_sampler(__builtin_ctzll(set), f->start[__builtin_ctzll(set)]);
    else
        tm_read_samplers(set, f->start);
    tm_thread_leave(t);
    return TM_OK;
}

/* A set with bits past the table: the valid components are recorded (so the
 * matching end stays balanced) and the call reports the bad bits. */
__attribute__((noinline, cold)) static int tm_region_begin_bad_set(tm_region_t r, tm_component_set_t set) {
    int rc = tm_region_begin_impl(r, set & TM_ALL_COMPONENTS);
    if (rc != TM_OK) return rc;
    const tm_component_set_t bad = set & ~TM_ALL_COMPONENTS;
    return tm_fail(TM_E_INVALID,
                   "region '%s': component set 0x%llx has bits that name no component (first: bit %d; "
                   "valid bits are 0..%d); recorded the valid ones",
                   r->name, (unsigned long long)set, __builtin_ctzll(bad), TM_COMPONENT_COUNT - 1);
}

int tm_region_begin_set(tm_region_t r, tm_component_set_t set) {
    if (TM_UNLIKELY(set & ~TM_ALL_COMPONENTS) && r) return tm_region_begin_bad_set(r, set);
    return tm_region_begin_impl(r, set);
}

int tm_region_begin(tm_region_t r) {
    return tm_region_begin_impl(r, atomic_load_explicit(&tm_g_settings.components, memory_order_relaxed));
}

/* Ends `r` when it is not the innermost frame: closes the frames above it
 * (they were left open) or, if `r` is not open at all, reports it. */
__attribute__((noinline, cold)) static int tm_region_end_repair(tm_thread_t *t, tm_label_t *r) {
    uint32_t d = t->depth;
    while (d > 0 && !(t->frames[d].node->label == r && !t->frames[d].owner)) --d;
    if (d == 0) {
        if (t->depth == 0 && tm_thread_end_inherited(r)) return TM_OK; /* a fork child leaving the parent's */
        if (tm_label_first_warning(r, TM_WARN_END_WITHOUT_BEGIN))
            tm_warn("end of region '%s' without a matching begin on this thread; ignored", r->name);
        return tm_fail(TM_E_UNBALANCED, "end of region '%s' without a matching begin", r->name);
    }
    tm_label_t *inner = t->frames[t->depth].node->label;
    if (tm_label_first_warning(r, TM_WARN_END_NOT_INNERMOST))
        tm_warn("region '%s' ended while '%s' (inside it) was still open; closed the inner region(s) first", r->name,
                inner->name);
    tm_frames_close_above(t, d - 1); /* the inner ones, then `r` itself */
    return tm_fail(TM_E_UNBALANCED, "region '%s' ended while an inner region was open", r->name);
}

/* Any other frame: several components, other kinds, foreign children. Kept
 * out of line so the fast path below needs few registers and no big stack. */
__attribute__((noinline)) static int tm_region_end_general(tm_thread_t *t, tm_frame_t *f) {
    int64_t now[TM_COMPONENT_COUNT][2];
    tm_read_samplers(f->mask, now); /* first, so bookkeeping is not measured */
    tm_frame_close(t, (const int64_t(*)[2])now);
    return TM_OK;
}

/* The cases tm_region_end's fast path leaves out, on an entered thread. */
__attribute__((noinline)) static int tm_region_end_other(tm_thread_t *t, tm_label_t *r, tm_frame_t *f) {
    int rc =
        t->depth == 0 || f->node->label != r || f->owner ? tm_region_end_repair(t, r) : tm_region_end_general(t, f);
    tm_thread_leave(t);
    return rc;
}

int tm_region_end(tm_region_t r) {
    tm_thread_t *t = tm_frame_thread();
    if (TM_UNLIKELY(!t)) return TM_E_NOMEM;
    if (TM_UNLIKELY(!r)) return tm_fail(TM_E_INVALID, "region handle is NULL");
    if (TM_UNLIKELY(!tm_thread_enter(t))) return TM_E_BUSY; /* a signal handler inside a call */
    tm_frame_t *f = &t->frames[t->depth];
    if (TM_UNLIKELY(t->depth == 0 || f->node->label != r || f->owner)) return tm_region_end_other(t, r, f);
    const tm_component_set_t mask = f->mask;
    const int c = mask ? __builtin_ctzll(mask) : 0;
    if (TM_UNLIKELY(!mask || (mask & (mask - 1)) || (f->child_mask & ~mask) || !(mask & tm_g_plain_difference) ||
                    tm_timeline_enabled()))
        return tm_region_end_other(t, r, f);
    /* one component whose sample is a plain difference (the usual wall_clock
     * region): tm_frame_close specialised */
    int64_t now[2];
    tm_read_sampler(c, now);
    double d = (double)(now[0] - f->start[c][0]);
    tm_slot_t *s = tm_node_slot(&t->graph, f->node, c);
    if (TM_UNLIKELY(!s)) return tm_region_end_other(t, r, f); /* out of memory: it reports */
    tm_slot_write_begin(s);
    tm_slot_add(s, d, f->child_mask ? d - f->child[c][0] : d);
    tm_slot_write_end(s);
    tm_node_mark(f->node, mask);
    tm_frame_t *p = f - 1;
    tm_frame_pass_up(p, c, d, 0.0);
    uint32_t depth = --t->depth;
    atomic_store_explicit(&t->current, depth ? p->node : NULL, memory_order_release);
    tm_thread_leave(t);
    return TM_OK;
}

int tm_push_region(const char *name) {
    tm_region_t r = tm_region(name);
    return r ? tm_region_begin(r) : TM_E_INVALID;
}

int tm_pop_region(const char *name) {
    tm_region_t r = tm_region(name);
    return r ? tm_region_end(r) : TM_E_INVALID;
}

tm_component_set_t tm_default_components(void) {
    tm_settings_init();
    return atomic_load(&tm_g_settings.components);
}
