/* The component registry (registry.c): the generated descriptor table, the
 * samplers in use and what each row's KIND means. */
#ifndef TIMEMORY_REGISTRY_H
#define TIMEMORY_REGISTRY_H

#include <stdint.h>

#include <timemory/timemory.h>

#include "kinds.h"

extern const tm_component_desc_t tm_component_table[TM_COMPONENT_COUNT];

/* Samplers in use: the table's, or a test's fake (tm_testing_set_sampler). */
extern void (*tm_samplers[TM_COMPONENT_COUNT])(int64_t out[2]);
void tm_samplers_init(void);

/* Components whose sample is a plain difference (DELTA, HWM): the region
 * end's fast path. Filled with tm_samplers[]. */
extern tm_component_set_t tm_g_plain_difference;

/* The traits of component `c`'s KIND. */
static inline const tm_kind_traits_t *tm_traits(int c) { return &tm_kind_traits[tm_component_table[c].kind]; }

#endif /* TIMEMORY_REGISTRY_H */
