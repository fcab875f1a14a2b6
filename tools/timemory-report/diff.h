/* timemory-report --diff: per-region change between two profiles. */
#ifndef TIMEMORY_REPORT_DIFF_H
#define TIMEMORY_REPORT_DIFF_H

#include <stdio.h>

#include <timemory/timemory.h>

#include "tools/timemory-report/options.h"

/* Writes the per-region changes from `a` to `b` (inclusive values, matched
 * by path of labels, largest absolute change first) in the options' format.
 * *regressions counts the regions present in both that grew by more than
 * the threshold (each also named on stderr). Returns 0, or 1 with a message
 * on stderr (different components or units, out of memory). */
int tmr_diff(const tm_profile_t *a, const char *name_a, const tm_profile_t *b, const char *name_b,
             const tmr_options_t *o, FILE *out, size_t *regressions);

#endif /* TIMEMORY_REPORT_DIFF_H */
