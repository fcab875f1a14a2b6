/* timem: the text report, in the reference toolkit's timem layout:
 *
 *   [sleep]> Measurement totals:
 *               2.002645 sec wall
 *                      0 major_page_flts
 *               0.004096 MB char read
 *               0.002045 MB/sec char read
 */
#define _GNU_SOURCE
#include "tools/timem/report.h"

#include <string.h>

const char *timem_command_name(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash && slash[1] ? slash + 1 : path;
}

void timem_report_print(FILE *out, const char *name, const timem_totals_t *t, const bool selected[TIMEM_METRIC_COUNT]) {
    fprintf(out, "[%s]> Measurement totals:\n", name);
    for (int i = 0; i < TIMEM_METRIC_COUNT; ++i) {
        if (!selected[i]) continue;
        const timem_metric_t *m = &timem_metrics[i];
        double v = t->value[i];
        switch (m->kind) {
        case TIMEM_SECONDS: fprintf(out, "%20.6f sec %s\n", v, m->label); break;
        case TIMEM_PERCENT: fprintf(out, "%20.6f %% %s\n", v, m->label); break;
        case TIMEM_MEGABYTES: fprintf(out, "%20.6f MB %s\n", v / TIMEM_BYTES_PER_MB, m->label); break;
        case TIMEM_COUNT: fprintf(out, "%20.0f %s\n", v, m->label); break;
        case TIMEM_IO:
            fprintf(out, "%20.6f MB %s\n", v / TIMEM_BYTES_PER_MB, m->label);
            fprintf(out, "%20.6f MB/sec %s\n", t->rate[i] / TIMEM_BYTES_PER_MB, m->label);
            break;
        }
    }
    fflush(out);
}
