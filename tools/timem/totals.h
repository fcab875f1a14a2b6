/* timem: the reported values of one run. */
#ifndef TIMEM_TOTALS_H
#define TIMEM_TOTALS_H

#include "tools/timem/metrics.h"
#include "tools/timem/run.h"

typedef struct timem_totals {
    /* Per metric, in base units: seconds, percent, bytes or a count. */
    double value[TIMEM_METRIC_COUNT];
    /* IO metrics: bytes per second of wall-clock time (0 otherwise). */
    double rate[TIMEM_METRIC_COUNT];
    double wall_sec;
} timem_totals_t;

/* Computes the totals of a finished run. */
void timem_totals_compute(const timem_run_t *run, timem_totals_t *t);

#endif /* TIMEM_TOTALS_H */
