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

/* Replaces what timing_source=auto/tsc inspect: whether the TSC is invariant
 * (1/0; -1 asks CPUID) and the file naming the kernel's clocksource (NULL:
 * the real one in /sys); then chooses the time source again. */
TM_EXPORT int tm_testing_set_tsc_probe(int invariant_tsc, const char *clocksource_path);

#ifdef __cplusplus
}
#endif

#endif /* TIMEMORY_TESTING_H */
