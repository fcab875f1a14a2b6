/* timem: the reported values of one run. */
#define _GNU_SOURCE
#include "tools/timem/totals.h"

#include <string.h>

static double timeval_sec(struct timeval tv) { return (double)tv.tv_sec + (double)tv.tv_usec * 1e-6; }

void timem_totals_compute(const timem_run_t *run, timem_totals_t *t) {
    memset(t, 0, sizeof *t);
    const struct rusage *ru = &run->rusage;
    double wall = (double)run->wall_ns * 1e-9;
    double user = timeval_sec(ru->ru_utime);
    double sys = timeval_sec(ru->ru_stime);
    double *v = t->value;

    t->wall_sec = wall;
    v[TIMEM_wall_clock] = wall;
    v[TIMEM_user_clock] = user;
    v[TIMEM_system_clock] = sys;
    v[TIMEM_cpu_clock] = user + sys;
    v[TIMEM_cpu_util] = wall > 0 ? 100.0 * (user + sys) / wall : 0.0;
    v[TIMEM_peak_rss] = (double)ru->ru_maxrss * 1024.0; /* Linux: KiB */
    v[TIMEM_page_rss] = (double)run->last.rss_bytes;
    v[TIMEM_virtual_memory] = (double)run->last.vm_bytes;
    v[TIMEM_num_major_page_faults] = (double)ru->ru_majflt;
    v[TIMEM_num_minor_page_faults] = (double)ru->ru_minflt;
    v[TIMEM_priority_context_switch] = (double)ru->ru_nivcsw;
    v[TIMEM_voluntary_context_switch] = (double)ru->ru_nvcsw;
    v[TIMEM_read_char] = (double)run->rchar;
    v[TIMEM_read_bytes] = (double)run->read_bytes;
    v[TIMEM_written_char] = (double)run->wchar;
    v[TIMEM_written_bytes] = (double)run->write_bytes;

    for (int i = 0; i < TIMEM_METRIC_COUNT; ++i) {
        if (timem_metrics[i].kind == TIMEM_IO && wall > 0) t->rate[i] = v[i] / wall;
    }
}
