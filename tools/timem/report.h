/* timem: the text report. */
#ifndef TIMEM_REPORT_H
#define TIMEM_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "tools/timem/totals.h"

/* Bytes per MB in the report and the JSON (decimal megabytes). */
#define TIMEM_BYTES_PER_MB 1e6

/* Basename of a command path ("/usr/bin/ls" -> "ls"). */
const char *timem_command_name(const char *path);

/* Writes "[NAME]> Measurement totals:" and one line per selected metric
 * (two for IO metrics: the amount and its rate). */
void timem_report_print(FILE *out, const char *name, const timem_totals_t *t, const bool selected[TIMEM_METRIC_COUNT]);

#endif /* TIMEM_REPORT_H */
