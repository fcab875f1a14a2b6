/*
 * timemory-c: result file formats. Every writer takes a tree (a live one from
 * tm_tree_get() or one loaded back from a file; values in display units) and
 * a FILE*, so the same code serves tm_finalize() and offline tools.
 *
 * Each returns TM_OK, or TM_E_INVALID (NULL file or tree, unknown component,
 * a format that does not fit the component), TM_E_NOMEM or TM_E_IO (the
 * stream reported an error); tm_last_error() says which. They only read the
 * tree, so several may run at once on one tree. tm_write_trace_json reads the
 * live timeline: call it while no other thread records.
 */
#ifndef TIMEMORY_FORMATS_H
#define TIMEMORY_FORMATS_H

#include <stdint.h>

#include <timemory/api.h>
#include <timemory/query.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Text report of `tree` for `component` (label indented by depth: count, sum,
 * mean, min, max, stddev, % self) to `file`. */
TM_EXPORT int tm_report_write_tree(int component, const tm_tree_t *tree, void *file /* FILE* */);

/* <component>.tree.json: the reference toolkit's hierarchical layout, read by
 * hatchet's GraphFrame.from_timemory ("graph" for one thread, "mpi" with tid
 * sets when several threads or processes recorded). */
TM_EXPORT int tm_write_tree_json(int component, const tm_tree_t *tree, void *file /* FILE* */);

/* <component>.folded: "main;solve;assemble 7000" per stack, for flamegraph.pl,
 * inferno and speedscope. Weights: exclusive values as integers of the raw
 * unit (ns for timers, bytes for memory, else counts). In frame names ';'
 * is written \x3b, control characters and invalid UTF-8 bytes \xNN.
 * TM_E_INVALID for ratios and levels (their values do not add up). */
TM_EXPORT int tm_write_folded(int component, const tm_tree_t *tree, void *file /* FILE* */);

/* <component>.svg: a self-contained flame graph of the same weights (hover:
 * name, value, % of total; click: zoom). TM_E_INVALID for ratios and levels. */
TM_EXPORT int tm_write_flamegraph_svg(int component, const tm_tree_t *tree, void *file /* FILE* */);

/* The timeline (setting timeline_profile) as Chrome trace-event JSON for
 * Perfetto and chrome://tracing: one "X" event per region instance, one
 * track per thread. tm_finalize writes it as wall_clock.trace.json. */
TM_EXPORT int tm_write_trace_json(void *file /* FILE* */);
/* Region instances kept in the timeline, and left out at the
 * timeline_max_events cap, over all threads of the current storage. */
TM_EXPORT uint64_t tm_timeline_events(void);
TM_EXPORT uint64_t tm_timeline_dropped(void);

#ifdef __cplusplus
}
#endif

#endif /* TIMEMORY_FORMATS_H */
