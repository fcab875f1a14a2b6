/* Many processes: fork state (fork.c), output file names (output_name.c),
 * the hooks an MPI layer (mpi/) or the Python bindings set, and the report
 * files of a merged profile (profile_output.c). Not installed. The top of
 * the engine (report.c, run_meta.c, lifecycle.c) and the code outside core
 * (mpi/, bindings/python, tests, bench) include it; it includes no engine
 * header, so any layer may use it without a cycle. Each layer's own fork
 * handlers are declared in that layer's header (labels.h, settings_cache.h,
 * thread.h, timeline.h, samplers/clock.h); fork.c, at the top, calls them. */
#ifndef TIMEMORY_MULTIPROC_H
#define TIMEMORY_MULTIPROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* True in a process created by fork() from a process that had loaded
 * timemory (its files never take the plain names). */
bool tm_is_fork_child(void);

/* The suffix this process adds to its report files in `dir`, decided once
 * per tm_reports_write_all(): "" (plain names), ".pid<pid>" or
 * ".rank<r>". See output_name.c. */
const char *tm_output_suffix(void);
void tm_output_suffix_decide(const char *dir);
/* Forces the suffix (the MPI layer: "" on rank 0's merged files, ".rank<r>"
 * for per-rank files); NULL goes back to deciding. */
void tm_output_suffix_force(const char *suffix);

/* Set by //:timemory_mpi at load: replaces the report writing of
 * tm_finalize() (it is collective there), and tells the metadata the rank. */
extern int (*tm_finalize_hook)(void);
extern int64_t (*tm_rank_hook)(void); /* this process's MPI rank, or -1 */

/* report.c: writes every report of this process (tm_finalize without MPI);
 * also in report.h, repeated here for the code outside core. */
int tm_reports_write_all(void);

/* profile_output.c: the report files of a profile (a merged one) under
 * output_path with the current suffix; the JSON text of a profile in a
 * malloc'd buffer (what ranks send each other). */
struct tm_profile;
int tm_profile_write_reports(const struct tm_profile *p);
int tm_profile_to_json(const struct tm_profile *p, char **text, size_t *len);

/* run_meta.c: a profile of `component` with this process's metadata
 * and no nodes (what Python's <Class>Storage.dumps() writes results under). */
int tm_profile_capture_info(int component, struct tm_profile **out);

#ifdef __cplusplus
}
#endif

#endif /* TIMEMORY_MULTIPROC_H */
