/* What the folded-stack and SVG flame-graph writers share. */
#ifndef TIMEMORY_FLAME_H
#define TIMEMORY_FLAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <timemory/query.h>

/* Flame graphs need values that add up: not ratios, not levels. */
bool tm_flame_additive(int c);
/* A node's own (exclusive) value as an integer of the raw unit; 0 for
 * dummies and for negative changes. */
uint64_t tm_flame_weight(int c, const tm_tree_node_t *n);

/* Levels (frames on a stack) the flame files show: settings
 * flamegraph_max_depth, SIZE_MAX for no limit. */
size_t tm_flame_max_levels(void);

/* What a cut at `n` hides: the weights of its descendants summed and the
 * most levels (non-dummy frames) below it. False on OOM. */
bool tm_flame_below(int c, const tm_tree_node_t *n, uint64_t *weight, size_t *levels);

#endif /* TIMEMORY_FLAME_H */
