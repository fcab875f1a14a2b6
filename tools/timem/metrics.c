/* timem: the table of reported measurements, expanded from metrics.def. */
#define _GNU_SOURCE
#include "tools/timem/metrics.h"

#include <string.h>

const timem_metric_t timem_metrics[TIMEM_METRIC_COUNT] = {
#define TIMEM_METRIC(NAME, LABEL, KIND, DESCRIPTION) {#NAME, LABEL, TIMEM_##KIND, DESCRIPTION},
#include "tools/timem/metrics.def"
};

int timem_metric_find(const char *name, size_t len) {
    for (int i = 0; i < TIMEM_METRIC_COUNT; ++i) {
        if (strlen(timem_metrics[i].name) == len && memcmp(timem_metrics[i].name, name, len) == 0) return i;
    }
    return -1;
}
