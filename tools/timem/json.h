/* timem: the JSON report (-o FILE). */
#ifndef TIMEM_JSON_H
#define TIMEM_JSON_H

#include <stdbool.h>
#include <stdio.h>

#include "tools/timem/run.h"
#include "tools/timem/totals.h"

/* Writes one JSON object:
 *   {"timem": {"command": [...], "pid": N, "exit_status": N,
 *              "signal": N (only when killed by a signal),
 *              "sample_interval_ms": N, "samples": N,
 *              "measurements": {NAME: {"label": L, "value": V, "unit": U,
 *                                      ["rate": R, "rate_unit": "MB/sec"],
 *                                      ["max_sampled": M]}, ...}}}
 * with the selected metrics, values in the text report's units (sec, %, MB
 * or "" for counts). "max_sampled" (page_rss, virtual_memory) is the
 * largest of the samples, the value the last one. Returns 0 or -1 (errno
 * set) when writing failed. */
int timem_json_write(FILE *out, char **command, int exit_status, const timem_run_t *run, const timem_totals_t *t,
                     const bool selected[TIMEM_METRIC_COUNT]);

#endif /* TIMEM_JSON_H */
