/* The wall clock, read on the region hot path. Everything that reads
 * wall_clock (the inline region path, tm_sample_wall_clock, component
 * objects) goes through tm_wall_now_ns() (clock.h: clock_gettime, or the
 * TSC when timing_source chose it). */
#ifndef TIMEMORY_SAMPLERS_WALL_CLOCK_H
#define TIMEMORY_SAMPLERS_WALL_CLOCK_H

#include <stdint.h>

#include "clock.h"

/* Test hook (tm_testing_set_sampler(TM_WALL_CLOCK, f)): when set, replaces
 * only the clock reading, so exact tests run the production region path. */
extern void (*tm_wall_override)(int64_t out[2]);

/* wall_clock's reading into out[0]. */
static inline void tm_wall_read(int64_t out[2]) {
    if (__builtin_expect(tm_wall_override != 0, 0)) {
        tm_wall_override(out);
        return;
    }
    out[0] = tm_wall_now_ns();
}

#endif /* TIMEMORY_SAMPLERS_WALL_CLOCK_H */
