/* What the folded-stack and SVG flame-graph writers share (flame.h). */
#include "flame.h"

#include <math.h>

#include <timemory/component.h>

bool tm_flame_additive(int c) {
    const tm_component_desc_t *d = tm_component_desc(c);
    return d && d->kind != TM_KIND_RATIO && d->kind != TM_KIND_LEVEL;
}

uint64_t tm_flame_weight(int c, const tm_tree_node_t *n) {
    if (n->is_dummy) return 0;
    double w = n->exclusive.data * tm_component_scale(c);
    return w > 0.5 && isfinite(w) ? (uint64_t)llround(w) : 0; /* negative changes (memory freed) count 0 */
}
