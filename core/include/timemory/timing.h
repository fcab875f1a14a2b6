/*
 * timemory-c: the time source of wall_clock and of regions.
 *
 * tm_init chooses it from the timing_source setting (TIMEMORY_TIMING_SOURCE):
 *   auto          the TSC where it is safe (x86-64, CPUID reports an
 *                 invariant TSC and the kernel's current clocksource is tsc),
 *                 else clock_gettime (the default)
 *   tsc           the TSC whenever the CPU's TSC is invariant
 *   clock_gettime clock_gettime(CLOCK_MONOTONIC)
 * Setting timing_source later chooses again at once. Either way values are
 * nanoseconds on the CLOCK_MONOTONIC timeline, so results, files and other
 * components are unchanged; the TSC is converted with a multiply and shift
 * from a rate taken from the kernel where it publishes one, else from a
 * 0.5 ms calibration, and re-measured against CLOCK_MONOTONIC while the
 * program runs.
 *
 * Readings never decrease on a thread, also when it moves to another CPU.
 * The TSC is read with an unordered rdtsc (cheaper than the region it
 * times): a reading taken just after seeing another thread's may be up to a
 * few hundred ns below it, which clock_gettime's ordered read avoids.
 *
 * Threading: all three may be called from any thread.
 */
#ifndef TIMEMORY_TIMING_H
#define TIMEMORY_TIMING_H

#include <stdint.h>

#include <timemory/api.h>

#ifdef __cplusplus
extern "C" {
#endif

/* "tsc" or "clock_gettime": what wall_clock and regions read now. Never NULL. */
TM_EXPORT const char *tm_timing_source(void);

/* One line saying why that source was chosen and, for the TSC, its rate and
 * where the rate came from, e.g. "tsc (auto: invariant TSC, kernel
 * clocksource tsc; 2596.152 MHz, from /proc/cpuinfo, refined against
 * CLOCK_MONOTONIC)". Valid until the calling thread calls it again. */
TM_EXPORT const char *tm_timing_source_info(void);

/* The current time of that source: nanoseconds of CLOCK_MONOTONIC. */
TM_EXPORT int64_t tm_now_ns(void);

#ifdef __cplusplus
}
#endif

#endif /* TIMEMORY_TIMING_H */
