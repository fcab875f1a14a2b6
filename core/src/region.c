/* Regions: the hot path. Begin finds the child node (cached, O(1)), pushes a
 * frame and reads the samplers last; end reads the samplers first, turns the
 * readings into one inclusive and one exclusive sample per component and
 * hands the inclusive sample to the parent frame for its exclusive value. */
#include <math.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "internal.h"
#include "timeline.h"


/* Adds one sample of component c (raw differences d0, d1) to the innermost
 * frame's node and passes it to the parent frame. */
static inline void tm_frame_commit(tm_thread_t *t, tm_frame_t *f, int c, double d0, double d1) {
    const tm_component_set_t bit = (tm_component_set_t)1 << c;
    tm_slot_t *s = tm_node_slot(t, f->node, c);
    const tm_kind_t kind = tm_component_table[c].kind;
    if (TM_UNLIKELY(!s)) {
        tm_fail(TM_E_NOMEM, "out of memory recording a sample of '%s'", f->node->label->name);
        return;
    }
    double c0 = 0.0, c1 = 0.0;
    if (f->child_mask & bit) {
        c0 = f->child[c][0];
        c1 = f->child[c][1];
    }
    if (kind == TM_KIND_RATIO) {
        double e0 = d0 - c0, e1 = d1 - c1;
        tm_acc_add(&s->incl, d1 > 0 ? d0 / d1 : 0.0);
        tm_acc_add(&s->excl, e1 > 0 ? e0 / e1 : 0.0);
        s->incl.num += d0;
        s->incl.den += d1;
        s->excl.num += e0;
        s->excl.den += e1;
    } else if (kind == TM_KIND_LEVEL || kind == TM_KIND_TALLY || kind == TM_KIND_STORE) {
        /* a level or a stored value is its own: children do not subtract */
        tm_acc_add(&s->incl, d0);
        tm_acc_add(&s->excl, d0);
        s->last = d0;
    } else {
        tm_acc_add(&s->incl, d0);
        tm_acc_add(&s->excl, d0 - c0);
    }
    f->node->recorded |= bit;
    tm_frame_t *p = f - 1;
    if (kind == TM_KIND_LEVEL || kind == TM_KIND_TALLY || kind == TM_KIND_STORE) return;
    if (p->child_mask & bit) {
        p->child[c][0] += d0;
        p->child[c][1] += d1;
    } else {
        p->child_mask |= bit;
        p->child[c][0] = d0;
        p->child[c][1] = d1;
    }
}

static inline void tm_frame_close_impl(tm_thread_t *t, const int64_t now[][2]) {
    tm_frame_t *f = &t->frames[t->depth];
    if (TM_UNLIKELY(tm_timeline_enabled())) tm_timeline_close(t, f, now);
    if (f->owner) {
        if (f->mask) tm_frame_commit(t, f, __builtin_ctzll(f->mask), f->owned[0], f->owned[1]);
    } else {
        for (tm_component_set_t m = f->mask; m; m &= m - 1) {
            int c = __builtin_ctzll(m);
            const tm_kind_t kind = tm_component_table[c].kind;
            if (kind == TM_KIND_STORE) continue; /* fed by store(), not by the region */
            double d0, d1 = 0.0;
            if (kind == TM_KIND_LEVEL || kind == TM_KIND_TALLY) {
                d0 = (double)now[c][0];
            } else {
                d0 = (double)(now[c][0] - f->start[c][0]);
                if (kind == TM_KIND_RATIO) d1 = (double)(now[c][1] - f->start[c][1]);
            }
            tm_frame_commit(t, f, c, d0, d1);
        }
    }
    /* children's samples of components this frame does not record pass up,
     * so a grandparent's exclusive value still excludes them */
    tm_frame_t *p = f - 1;
    for (tm_component_set_t m = f->child_mask & ~f->mask; m; m &= m - 1) {
        int c = __builtin_ctzll(m);
        tm_component_set_t bit = (tm_component_set_t)1 << c;
        if (p->child_mask & bit) {
            p->child[c][0] += f->child[c][0];
            p->child[c][1] += f->child[c][1];
        } else {
            p->child_mask |= bit;
            p->child[c][0] = f->child[c][0];
            p->child[c][1] = f->child[c][1];
        }
    }
    --t->depth;
    atomic_store_explicit(&t->current, t->depth ? t->frames[t->depth].node : NULL, memory_order_release);
}

void tm_frame_close(tm_thread_t *t, const int64_t now[][2]) { tm_frame_close_impl(t, now); }

void tm_sample_wall_clock(int64_t out[2]);

/* Reads one component's sampler; the wall clock, the common case, inline. */
static inline void tm_sample_one(int c, int64_t out[2]) {
    void (*sample)(int64_t[2]) = tm_samplers[c];
    if (TM_LIKELY(sample == tm_sample_wall_clock)) {
        out[0] = tm_wall_now_ns();
    } else if (sample) {
        sample(out);
    } else {
        out[0] = out[1] = 0;
    }
}

static inline void tm_sample_set(tm_component_set_t set, int64_t out[][2]) {
    for (tm_component_set_t m = set; m; m &= m - 1) {
        int c = __builtin_ctzll(m);
        tm_sample_one(c, out[c]);
    }
}

void tm_frames_close_above(tm_thread_t *t, uint32_t depth) {
    int64_t now[TM_COMPONENT_COUNT][2];
    while (t->depth > depth) {
        tm_sample_set(t->frames[t->depth].owner ? 0 : t->frames[t->depth].mask, now);
        tm_frame_close(t, (const int64_t(*)[2])now);
    }
}

/* Pushes a frame for the child `label` of the innermost node. */
static inline tm_frame_t *tm_frame_push(tm_thread_t *t, tm_label_t *label, tm_component_set_t mask,
                                        const tm_component_t *owner) {
    if (TM_UNLIKELY(t->depth + 1 >= t->cap_frames) && !tm_thread_grow_frames(t)) {
        tm_fail(TM_E_NOMEM, "out of memory entering region '%s'", label->name);
        return NULL;
    }
    tm_node_t *node = tm_graph_child(t, t->frames[t->depth].node, label);
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

tm_frame_t *tm_frame_push_owned(tm_thread_t *t, const tm_component_t *owner) {
    bool on = atomic_load_explicit(&tm_g_settings.enabled, memory_order_relaxed);
    tm_frame_t *f = tm_frame_push(t, owner->label, on ? (tm_component_set_t)1 << owner->id : 0, owner);
    if (f) f->owned[0] = f->owned[1] = 0.0;
    return f;
}

static inline int tm_region_begin_impl(tm_region_t r, tm_component_set_t set) {
    tm_thread_t *t = tm_thread_get();
    if (TM_UNLIKELY(!t)) return TM_E_NOMEM;
    if (TM_UNLIKELY(!r)) return tm_fail(TM_E_INVALID, "region handle is NULL");
    /* disabled: a frame that records nothing keeps begin/end balanced
     * when the setting changes while regions are open */
    if (TM_UNLIKELY(!atomic_load_explicit(&tm_g_settings.enabled, memory_order_relaxed))) set = 0;
    tm_frame_t *f = tm_frame_push(t, r, set, NULL);
    if (TM_UNLIKELY(!f)) return TM_E_NOMEM;
    if (TM_UNLIKELY(tm_timeline_enabled())) tm_timeline_begin(f, set);
    /* last, so bookkeeping is not measured */
    if (TM_LIKELY(set && !(set & (set - 1)))) tm_sample_one(__builtin_ctzll(set), f->start[__builtin_ctzll(set)]);
    else tm_sample_set(set, f->start);
    return TM_OK;
}

int tm_region_begin_set(tm_region_t r, tm_component_set_t set) { return tm_region_begin_impl(r, set); }

int tm_region_begin(tm_region_t r) {
    return tm_region_begin_impl(r, atomic_load_explicit(&tm_g_settings.components, memory_order_relaxed));
}

/* Ends `r` when it is not the innermost frame: closes the frames above it
 * (they were left open) or, if `r` is not open at all, reports it. */
__attribute__((noinline, cold)) static int tm_region_end_repair(tm_thread_t *t, tm_label_t *r) {
    uint32_t d = t->depth;
    while (d > 0 && !(t->frames[d].node->label == r && !t->frames[d].owner)) --d;
    if (d == 0) {
        if (tm_label_first_warning(r, TM_WARN_END_WITHOUT_BEGIN))
            tm_warn("end of region '%s' without a matching begin on this thread; ignored", r->name);
        return tm_fail(TM_E_UNBALANCED, "end of region '%s' without a matching begin", r->name);
    }
    tm_label_t *inner = t->frames[t->depth].node->label;
    if (tm_label_first_warning(r, TM_WARN_END_NOT_INNERMOST))
        tm_warn("region '%s' ended while '%s' (inside it) was still open; closed the inner region(s) first",
                r->name, inner->name);
    tm_frames_close_above(t, d - 1); /* the inner ones, then `r` itself */
    return tm_fail(TM_E_UNBALANCED, "region '%s' ended while an inner region was open", r->name);
}

/* Any other frame: several components, other kinds, foreign children. Kept
 * out of line so the fast path below needs few registers and no big stack. */
__attribute__((noinline)) static int tm_region_end_general(tm_thread_t *t, tm_frame_t *f) {
    int64_t now[TM_COMPONENT_COUNT][2];
    tm_sample_set(f->mask, now); /* first, so bookkeeping is not measured */
    tm_frame_close_impl(t, (const int64_t(*)[2])now);
    return TM_OK;
}

int tm_region_end(tm_region_t r) {
    tm_thread_t *t = tm_thread_get();
    if (TM_UNLIKELY(!t)) return TM_E_NOMEM;
    if (TM_UNLIKELY(!r)) return tm_fail(TM_E_INVALID, "region handle is NULL");
    tm_frame_t *f = &t->frames[t->depth];
    if (TM_UNLIKELY(t->depth == 0 || f->node->label != r || f->owner)) return tm_region_end_repair(t, r);
    const tm_component_set_t mask = f->mask;
    const int c = mask ? __builtin_ctzll(mask) : 0;
    if (TM_UNLIKELY(!mask || (mask & (mask - 1)) || (f->child_mask & ~mask) ||
                    tm_component_table[c].kind != TM_KIND_DELTA || tm_timeline_enabled()))
        return tm_region_end_general(t, f);
    /* one DELTA component (the usual wall_clock region): the general close,
     * specialised */
    int64_t now[2];
    tm_sample_one(c, now);
    double d = (double)(now[0] - f->start[c][0]);
    tm_slot_t *s = tm_node_slot(t, f->node, c);
    if (TM_UNLIKELY(!s)) return tm_region_end_general(t, f); /* out of memory: it reports */
    tm_acc_add(&s->incl, d);
    tm_acc_add(&s->excl, f->child_mask ? d - f->child[c][0] : d);
    f->node->recorded |= mask;
    tm_frame_t *p = f - 1;
    if (p->child_mask & mask) {
        p->child[c][0] += d;
    } else {
        p->child_mask |= mask;
        p->child[c][0] = d;
        p->child[c][1] = 0.0;
    }
    uint32_t depth = --t->depth;
    atomic_store_explicit(&t->current, depth ? p->node : NULL, memory_order_release);
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
    tm_init(NULL);
    return atomic_load(&tm_g_settings.components);
}
