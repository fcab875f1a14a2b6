/*
 * timemory-c: result file formats. Every writer takes a tree (a live one from
 * tm_tree_get() or one loaded back from a file; values in display units) and
 * a FILE*, so the same code serves tm_finalize() and offline tools.
 */
#ifndef TIMEMORY_FORMATS_H
#define TIMEMORY_FORMATS_H

#include <timemory/api.h>
#include <timemory/query.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Text report of `tree` for `component` (label indented by depth: count, sum,
 * mean, min, max, stddev, % self) to `file`. */
TM_EXPORT int tm_report_write_tree(int component, const tm_tree_t *tree, void *file /* FILE* */);

#ifdef __cplusplus
}
#endif

#endif /* TIMEMORY_FORMATS_H */
