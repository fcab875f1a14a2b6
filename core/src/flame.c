/* What the folded-stack and SVG flame-graph writers share (flame.h). */
#include "flame.h"

#include <math.h>
#include <stdint.h>

#include <timemory/component.h>

#include "settings_cache.h"
#include "tree_walk.h"

bool tm_flame_additive(int c) {
    const tm_component_desc_t *d = tm_component_desc(c);
    return d && d->kind != TM_KIND_RATIO && d->kind != TM_KIND_LEVEL;
}

uint64_t tm_flame_weight(int c, const tm_tree_node_t *n) {
    if (n->is_dummy) return 0;
    double w = n->exclusive.data * tm_component_scale(c);
    return w > 0.5 && isfinite(w) ? (uint64_t)llround(w) : 0; /* negative changes (memory freed) count 0 */
}

size_t tm_flame_max_levels(void) {
    long cap = tm_settings_int("flamegraph_max_depth");
    return cap > 0 ? (size_t)cap : SIZE_MAX;
}

bool tm_flame_below(int c, const tm_tree_node_t *n, uint64_t *weight, size_t *levels) {
    tm_tree_walk_t w;
    tm_tree_walk_start(&w, n->children, n->n_children);
    size_t frames = 0; /* non-dummy frames on the path below n */
    *weight = 0;
    *levels = 0;
    bool enter;
    for (const tm_tree_node_t *m; (m = tm_tree_walk_next(&w, &enter));) {
        if (m->is_dummy) continue;
        if (!enter) {
            --frames;
            continue;
        }
        *weight += tm_flame_weight(c, m);
        if (++frames > *levels) *levels = frames;
    }
    bool ok = !w.nomem;
    tm_tree_walk_end(&w);
    return ok;
}
