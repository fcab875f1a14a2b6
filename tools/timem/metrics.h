/* timem: the table of reported measurements (metrics.def) and name lookup. */
#ifndef TIMEM_METRICS_H
#define TIMEM_METRICS_H

#include <stddef.h>

typedef enum timem_metric_kind {
    TIMEM_SECONDS,
    TIMEM_PERCENT,
    TIMEM_MEGABYTES,
    TIMEM_COUNT,
    TIMEM_IO
} timem_metric_kind_t;

typedef enum timem_metric_id {
#define TIMEM_METRIC(NAME, LABEL, KIND, DESCRIPTION) TIMEM_##NAME,
#include "tools/timem/metrics.def"
    TIMEM_METRIC_COUNT
} timem_metric_id_t;

typedef struct timem_metric {
    const char *name;  /* "wall_clock" */
    const char *label; /* "wall" */
    timem_metric_kind_t kind;
    const char *description;
} timem_metric_t;

extern const timem_metric_t timem_metrics[TIMEM_METRIC_COUNT];

/* Index of `name` (length `len`), or -1 when it is not a metric name. */
int timem_metric_find(const char *name, size_t len);

#endif /* TIMEM_METRICS_H */
