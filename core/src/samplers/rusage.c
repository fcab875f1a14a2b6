/* getrusage samplers. CPU times and page faults are per process
 * (RUSAGE_SELF); context switches belong to the calling thread
 * (RUSAGE_THREAD), since a switch is something a thread undergoes. */
#define _GNU_SOURCE
#include <stdint.h>
#include <sys/resource.h>
#include <time.h>

#include "core/src/samplers/samplers.h"

static inline int64_t tm_timeval_ns(struct timeval tv) {
    return (int64_t)tv.tv_sec * 1000000000 + (int64_t)tv.tv_usec * 1000;
}

static inline struct rusage tm_rusage(int who) {
    struct rusage ru = {0};
    getrusage(who, &ru);
    return ru;
}

void tm_sample_rusage_cpu(int64_t out[2]) {
    struct rusage ru = tm_rusage(RUSAGE_SELF);
    out[0] = tm_timeval_ns(ru.ru_utime) + tm_timeval_ns(ru.ru_stime);
}

/* cpu_util: process CPU time (user + kernel) over wall-clock time. */
void tm_sample_cpu_over_wall(int64_t out[2]) {
    struct rusage ru = tm_rusage(RUSAGE_SELF);
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    out[0] = tm_timeval_ns(ru.ru_utime) + tm_timeval_ns(ru.ru_stime);
    out[1] = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void tm_sample_thread_user(int64_t out[2]) { out[0] = tm_timeval_ns(tm_rusage(RUSAGE_THREAD).ru_utime); }
void tm_sample_thread_system(int64_t out[2]) { out[0] = tm_timeval_ns(tm_rusage(RUSAGE_THREAD).ru_stime); }
void tm_sample_block_input(int64_t out[2]) { out[0] = tm_rusage(RUSAGE_SELF).ru_inblock; }
void tm_sample_block_output(int64_t out[2]) { out[0] = tm_rusage(RUSAGE_SELF).ru_oublock; }
void tm_sample_rusage_user(int64_t out[2]) { out[0] = tm_timeval_ns(tm_rusage(RUSAGE_SELF).ru_utime); }
void tm_sample_rusage_system(int64_t out[2]) { out[0] = tm_timeval_ns(tm_rusage(RUSAGE_SELF).ru_stime); }
void tm_sample_minor_faults(int64_t out[2]) { out[0] = tm_rusage(RUSAGE_SELF).ru_minflt; }
void tm_sample_major_faults(int64_t out[2]) { out[0] = tm_rusage(RUSAGE_SELF).ru_majflt; }
void tm_sample_voluntary_switches(int64_t out[2]) { out[0] = tm_rusage(RUSAGE_THREAD).ru_nvcsw; }
void tm_sample_involuntary_switches(int64_t out[2]) { out[0] = tm_rusage(RUSAGE_THREAD).ru_nivcsw; }

/* Peak resident set size of the process in bytes (ru_maxrss is in KiB). */
void tm_sample_peak_rss(int64_t out[2]) { out[0] = (int64_t)tm_rusage(RUSAGE_SELF).ru_maxrss * 1024; }
