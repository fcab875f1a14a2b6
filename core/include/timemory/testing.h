/*
 * timemory-c: hooks for tests. Not for production use.
 */
#ifndef TIMEMORY_TESTING_H
#define TIMEMORY_TESTING_H

#include <stdint.h>

#include <timemory/api.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Replaces the sampler of component `id` (NULL restores the table's), e.g.
 * a fake clock that makes statistics exact. Call while nothing records. */
TM_EXPORT int tm_testing_set_sampler(int id, void (*sample)(int64_t out[2]));

#ifdef __cplusplus
}
#endif

#endif /* TIMEMORY_TESTING_H */
