/* Component objects: stand-alone measurements (start/stop laps) that record
 * into the call graph only through push()/pop(). */
#include <math.h>
#include <string.h>

#include "errors.h"
#include "frame.h"
#include "labels.h"
#include "settings_cache.h"

enum { TM_RUNNING = 1u << 0, TM_PUSHED = 1u << 1, TM_READY = 1u << 2 };

static int tm_component_check(const tm_component_t *c) {
    if (!c) return tm_fail(TM_E_INVALID, "component object is NULL");
    if (!(c->flags & TM_READY) || c->id < 0 || c->id >= TM_COMPONENT_COUNT)
        return tm_fail(TM_E_INVALID, "component object was not initialised with tm_component_init()");
    return TM_OK;
}

int tm_component_init(tm_component_t *c, int id, const char *label) {
    if (!c) return tm_fail(TM_E_INVALID, "component object is NULL");
    memset(c, 0, sizeof *c);
    if (!tm_component_desc(id))
        return tm_fail(TM_E_UNKNOWN_COMPONENT, "component id %d is out of range (0..%d)", id, TM_COMPONENT_COUNT - 1);
    const char *why = tm_component_unavailable(id);
    if (why)
        return tm_fail(TM_E_UNAVAILABLE, "component '%s' is not available here: %s", tm_component_table[id].name, why);
    tm_region_t r = tm_region(label);
    if (!r) return TM_E_INVALID;
    c->id = id;
    c->label = r;
    c->flags = TM_READY;
    return TM_OK;
}

/* The frame this object pushed on the calling thread, or NULL. */
static tm_frame_t *tm_component_frame(const tm_component_t *c) {
    tm_thread_t *t = c->thread ? tm_tls_thread : NULL;
    if (!t || c->thread != t || c->generation != t->generation || c->frame == 0 || c->frame > t->depth ||
        t->frames[c->frame].owner != c)
        return NULL;
    return &t->frames[c->frame];
}

static void tm_component_read(const tm_component_t *c, int64_t out[2]) {
    out[0] = out[1] = 0;
    if (tm_samplers[c->id]) tm_samplers[c->id](out);
}

int tm_component_start(tm_component_t *c) {
    int rc = tm_component_check(c);
    if (rc) return rc;
    if (tm_traits(c->id)->stored)
        return tm_fail(TM_E_WRONG_KIND, "%s stores values: use store(), not start()", tm_component_table[c->id].name);
    c->flags |= TM_RUNNING;
    tm_component_read(c, c->start);
    return TM_OK;
}

/* Raw value of the lap running since start(). */
static void tm_component_lap(const tm_component_t *c, double lap[2]) {
    int64_t now[2];
    tm_component_read(c, now);
    if (tm_traits(c->id)->reads_level) {
        lap[0] = (double)now[0];
        lap[1] = 0.0;
    } else {
        lap[0] = (double)(now[0] - c->start[0]);
        lap[1] = (double)(now[1] - c->start[1]);
    }
}

int tm_component_stop(tm_component_t *c) {
    int rc = tm_component_check(c);
    if (rc) return rc;
    if (!(c->flags & TM_RUNNING))
        return tm_fail(TM_E_UNBALANCED, "stop() of %s '%s' without start()", tm_component_table[c->id].name,
                       c->label->name);
    double lap[2];
    tm_component_lap(c, lap);
    c->flags &= ~TM_RUNNING;
    /* pushed: its frame takes the lap (entered, so no handler moves frames) */
    tm_thread_t *t = c->thread ? tm_tls_thread : NULL;
    if (t && !tm_thread_enter(t)) return TM_E_BUSY;
    tm_frame_t *f = tm_component_frame(c);
    if (tm_traits(c->id)->keeps_last) {
        c->value[0] = c->last = lap[0];
        if (f) f->owned[0] = lap[0];
    } else {
        c->value[0] += lap[0];
        c->value[1] += lap[1];
        if (f) {
            f->owned[0] += lap[0];
            f->owned[1] += lap[1];
        }
    }
    ++c->laps;
    if (t) tm_thread_leave(t);
    return TM_OK;
}

int tm_component_measure(tm_component_t *c) {
    int rc = tm_component_check(c);
    if (rc) return rc;
    if (tm_traits(c->id)->stored)
        return tm_fail(TM_E_WRONG_KIND, "%s stores values: use store(), not measure()", tm_component_table[c->id].name);
    int64_t now[2];
    tm_component_read(c, now);
    c->last = (double)now[0];
    c->value[0] = (double)now[0];
    c->value[1] = (double)now[1];
    return TM_OK;
}

int tm_component_reset(tm_component_t *c) {
    int rc = tm_component_check(c);
    if (rc) return rc;
    c->flags &= ~TM_RUNNING;
    c->value[0] = c->value[1] = c->last = 0.0;
    c->laps = 0;
    return TM_OK;
}

static int tm_component_push_entered(tm_component_t *c, tm_thread_t *t) {
    if (tm_component_frame(c))
        return tm_fail(TM_E_UNBALANCED, "%s '%s' is already pushed", tm_component_table[c->id].name, c->label->name);
    if (!tm_frame_push_owned(t, c)) return TM_E_NOMEM;
    c->thread = t;
    c->frame = t->depth;
    c->generation = t->generation;
    c->value[0] = c->value[1] = 0.0; /* one pop = what accumulates from here */
    c->laps = 0;
    return TM_OK;
}

int tm_component_push(tm_component_t *c) {
    int rc = tm_component_check(c);
    if (rc) return rc;
    tm_thread_t *t = tm_frame_thread();
    if (!t) return TM_E_NOMEM;
    if (!tm_thread_enter(t)) return TM_E_BUSY;
    rc = tm_component_push_entered(c, t);
    tm_thread_leave(t);
    return rc;
}

static int tm_component_pop_entered(tm_component_t *c, tm_thread_t *t) {
    int rc = TM_OK;
    if (!tm_component_frame(c)) {
        if (tm_label_first_warning(c->label, TM_WARN_POP_WITHOUT_PUSH))
            tm_warn("pop() of %s '%s' without a matching push() on this thread; ignored",
                    tm_component_table[c->id].name, c->label->name);
        return tm_fail(TM_E_UNBALANCED, "pop() of %s '%s' without push()", tm_component_table[c->id].name,
                       c->label->name);
    }
    if (c->frame != t->depth) {
        const unsigned inner = t->depth - c->frame;
        if (tm_label_first_warning(c->label, TM_WARN_END_NOT_INNERMOST))
            tm_warn("pop() of %s '%s' while %u inner region(s) were open; closed them first",
                    tm_component_table[c->id].name, c->label->name, inner);
        tm_frames_close_above(t, c->frame);
        rc = tm_fail(TM_E_UNBALANCED, "pop() of %s '%s' while %u inner region(s) were open; closed them first",
                     tm_component_table[c->id].name, c->label->name, inner);
    }
    tm_frame_close(t, NULL);
    c->thread = NULL;
    return rc;
}

int tm_component_pop(tm_component_t *c) {
    int rc = tm_component_check(c);
    if (rc) return rc;
    tm_thread_t *t = tm_frame_thread();
    if (!t) return TM_E_NOMEM;
    if (!tm_thread_enter(t)) return TM_E_BUSY;
    rc = tm_component_pop_entered(c, t);
    tm_thread_leave(t);
    return rc;
}

/* store() into the pushed frame or the innermost open region. */
static int tm_component_store_entered(tm_component_t *c, tm_thread_t *t, double v) {
    tm_frame_t *pushed = tm_component_frame(c);
    if (pushed) {
        pushed->owned[0] += v; /* the sum becomes one sample at pop() */
        return TM_OK;
    }
    if (!atomic_load_explicit(&tm_g_settings.enabled, memory_order_relaxed) || t->depth == 0) return TM_OK;
    tm_frame_t *f = &t->frames[t->depth];
    tm_slot_t *s = tm_node_slot(&t->graph, f->node, c->id);
    if (!s) return tm_fail(TM_E_NOMEM, "out of memory storing into '%s'", f->node->label->name);
    tm_slot_write_begin(s);
    tm_slot_add(s, v, v);
    TM_PUT(s->last, v);
    tm_slot_write_end(s);
    tm_node_mark(f->node, (tm_component_set_t)1 << c->id);
    return TM_OK;
}

int tm_component_store(tm_component_t *c, double v) {
    int rc = tm_component_check(c);
    if (rc) return rc;
    if (!tm_traits(c->id)->stored)
        return tm_fail(TM_E_WRONG_KIND, "%s measures by itself: store() is only for data trackers",
                       tm_component_table[c->id].name);
    const tm_value_type_t type = tm_component_table[c->id].type;
    if (type != TM_TYPE_F64 && (!(v >= -9.2e18 && v <= 9.2e18) || v != trunc(v) || (type == TM_TYPE_U64 && v < 0)))
        return tm_fail(TM_E_INVALID, "%s stores %s integers; %g is not one", tm_component_table[c->id].name,
                       type == TM_TYPE_U64 ? "non-negative" : "whole", v);
    c->value[0] += v;
    c->last = v;
    ++c->laps;
    tm_thread_t *t = tm_frame_thread();
    if (!t) return TM_E_NOMEM;
    if (!tm_thread_enter(t)) return TM_E_BUSY;
    rc = tm_component_store_entered(c, t, v);
    tm_thread_leave(t);
    return rc;
}

double tm_component_get_raw(const tm_component_t *c) {
    if (tm_component_check(c)) return 0.0;
    const tm_kind_traits_t *k = tm_traits(c->id);
    double v0 = c->value[0], v1 = c->value[1];
    if ((c->flags & TM_RUNNING) && !k->stored) {
        double lap[2];
        tm_component_lap(c, lap);
        if (k->keeps_last) {
            v0 = lap[0];
        } else {
            v0 += lap[0];
            v1 += lap[1];
        }
    }
    if (k->ratio) return v1 > 0 ? v0 / v1 : 0.0;
    return v0;
}

double tm_component_get(const tm_component_t *c) {
    if (tm_component_check(c)) return 0.0;
    return tm_component_get_raw(c) / tm_component_scale(c->id);
}
