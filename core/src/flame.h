/* What the folded-stack and SVG flame-graph writers share. */
#ifndef TIMEMORY_FLAME_H
#define TIMEMORY_FLAME_H

#include <stdbool.h>
#include <stdint.h>

#include <timemory/query.h>

/* Flame graphs need values that add up: not ratios, not levels. */
bool tm_flame_additive(int c);
/* A node's own (exclusive) value as an integer of the raw unit; 0 for
 * dummies and for negative changes. */
uint64_t tm_flame_weight(int c, const tm_tree_node_t *n);

#endif /* TIMEMORY_FLAME_H */
