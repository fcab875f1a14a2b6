/* Every internal layer of the engine, for code at the top (reports and
 * other writers). The layers, lowest first, each including only those
 * below it (tests/c/include_graph_test.py checks the include graph is a
 * DAG):
 *   base.h errors.h arena.h kinds.h run_name.h samplers/ (no engine state)
 *   labels.h       interned region labels
 *   registry.h     the component table, samplers in use, kind traits
 *   settings_cache.h  settings as the engine reads them
 *   graph.h        a thread's call graph and statistics
 *   thread.h       per-thread state and frames' storage
 *   values.h       display values
 *   frame.h        push/commit/close: the recording layer
 *   region.c component.c units.c view_*.c report.c lifecycle.c: the API
 *   fork.c         calls each layer's fork handlers (declared in its header)
 * No file of the engine's lower layers includes this header. */
#ifndef TIMEMORY_INTERNAL_H
#define TIMEMORY_INTERNAL_H

#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <timemory/timemory.h>

#include "arena.h"
#include "base.h"
#include "errors.h"
#include "frame.h"
#include "graph.h"
#include "kinds.h"
#include "labels.h"
#include "registry.h"
#include "settings_cache.h"
#include "thread.h"
#include "values.h"

#endif /* TIMEMORY_INTERNAL_H */
