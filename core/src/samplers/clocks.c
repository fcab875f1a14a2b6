/* Clock samplers: raw values in nanoseconds. */
#include <stdint.h>
#include <time.h>

#include "../clock.h"

static inline int64_t tm_clock_ns(clockid_t id) {
    struct timespec ts;
    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* CLOCK_MONOTONIC ns, through the TSC when timing_source chose it */
void tm_sample_wall_clock(int64_t out[2]) { out[0] = tm_wall_now_ns(); }
void tm_sample_boottime_clock(int64_t out[2]) { out[0] = tm_clock_ns(CLOCK_BOOTTIME); }
void tm_sample_thread_cpu_clock(int64_t out[2]) { out[0] = tm_clock_ns(CLOCK_THREAD_CPUTIME_ID); }
void tm_sample_process_cpu_clock(int64_t out[2]) { out[0] = tm_clock_ns(CLOCK_PROCESS_CPUTIME_ID); }

void tm_sample_monotonic_raw_clock(int64_t out[2]) { out[0] = tm_clock_ns(CLOCK_MONOTONIC_RAW); }

/* Utilisations: a CPU clock over the wall clock (KIND RATIO). */
void tm_sample_process_cpu_over_wall(int64_t out[2]) {
    out[0] = tm_clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    out[1] = tm_clock_ns(CLOCK_MONOTONIC);
}

void tm_sample_thread_cpu_over_wall(int64_t out[2]) {
    out[0] = tm_clock_ns(CLOCK_THREAD_CPUTIME_ID);
    out[1] = tm_clock_ns(CLOCK_MONOTONIC);
}

/* trip_count: every sample is one entry into the region. */
void tm_sample_one(int64_t out[2]) { out[0] = 1; }
