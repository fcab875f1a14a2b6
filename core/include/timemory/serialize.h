/*
 * timemory-c: results that leave the process.
 *
 * A *profile* is what one `<output_path>/<component>.json` file holds: one
 * component's merged call-graph tree, the values of every thread at every
 * node, and the run's metadata. It is captured from the live storage, written
 * as the documented JSON (docs/json-format.md), loaded back, and merged with
 * the profiles of other runs or processes (by path of labels: tid/pid sets
 * united, statistics combined). The same tm_tree_t / tm_flat_t views the live
 * storage gives are derived from it, so every consumer reads one thing.
 *
 * Threading: a profile is a plain object; use one from one thread at a time.
 * Capture takes a snapshot of the storage (read it while no thread records).
 * Errors are tm_error_t codes; tm_last_error() names the file, the position
 * and the reason. Nothing here aborts or exits.
 */
#ifndef TIMEMORY_SERIALIZE_H
#define TIMEMORY_SERIALIZE_H

#include <stddef.h>
#include <stdint.h>

#include <timemory/api.h>
#include <timemory/query.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Version of the JSON layout written in every file ("format_version"). */
#define TM_JSON_FORMAT_VERSION 1

/* The timemory-c version written in the files ("0.1.0"). */
TM_EXPORT const char *tm_report_version(void);

/* Metadata of a profile. Strings are owned by the profile. */
typedef struct tm_run_info {
    const char *name;      /* the run's name, given to tm_init() */
    const char *component; /* "wall_clock" */
    const char *label;     /* "wall" */
    const char *unit;      /* display unit of every value: "sec", "MB", "" */
    const char *kind;      /* "DELTA", "HWM", "LEVEL", "TALLY", "RATIO", "STORE" */
    const char *description;
    int64_t format_version;       /* TM_JSON_FORMAT_VERSION when written */
    const char *timemory_version; /* of the writer */
    int64_t pid;                  /* the recording process */
    const char *hostname;
    const char *const *argv; /* command line */
    size_t argc;
    const char *start_time; /* ISO 8601, UTC: "2026-11-29T23:07:47.120Z" */
    const char *end_time;
    const char *const *setting_names; /* the settings in force, by name */
    const char *const *setting_values;
    size_t n_settings;
    uint64_t thread_count;    /* distinct (pid, tid) that recorded */
    uint64_t runs;            /* runs merged into this profile (1 for one run) */
    const char *file_suffix;  /* what the writer added to its file names: "", ".pid<pid>", ".rank<r>" */
    const int64_t *rank_pids; /* MPI: (rank, pid) pairs of the ranks in it, 2 * n_ranks values */
    size_t n_ranks;           /* 0 without MPI */
} tm_run_info_t;

/* Opaque; freed by tm_profile_free(). */
typedef struct tm_profile tm_profile_t;

/* Snapshot of `component` from the live storage, with this process's
 * metadata. A component with no samples gives an empty profile. */
TM_EXPORT int tm_profile_capture(int component, tm_profile_t **out);

/* Reads `path` (written by tm_profile_save()). TM_E_IO when it cannot be
 * read (message: path and OS reason), TM_E_INVALID when it is not a valid
 * file (message: path, line:column or the node index, and the reason). */
TM_EXPORT int tm_profile_load(const char *path, tm_profile_t **out);

/* Same, from `len` bytes of text; `name` is used in error messages. */
TM_EXPORT int tm_profile_parse(const char *text, size_t len, const char *name, tm_profile_t **out);

/* Writes the documented JSON to `file` (a FILE*); streams, O(nodes). */
TM_EXPORT int tm_profile_write_json(const tm_profile_t *p, void *file /* FILE* */);

/* Writes the JSON to `path`; TM_E_IO naming the path and the OS reason. */
TM_EXPORT int tm_profile_save(const tm_profile_t *p, const char *path);

/* Merges `from` into `into` by path of labels: tid/pid sets united, count,
 * sum and sum of squares added, min of the mins, max of the maxes (a RATIO's
 * value becomes the count-weighted mean, a LEVEL's the larger one). Fails
 * with TM_E_INVALID, changing nothing, when the components or units differ. */
TM_EXPORT int tm_profile_merge(tm_profile_t *into, const tm_profile_t *from);

/* Drops every node's per-thread values, keeping the node's merged values
 * and its tid/pid sets (a merged tree: layout "tree", no flat layout).
 * What a compact MPI merge does to each rank's profile: memory O(nodes +
 * id sets) instead of O(nodes x threads). TM_E_NOMEM changes nothing
 * already compacted back. */
TM_EXPORT int tm_profile_compact(tm_profile_t *p);

TM_EXPORT const tm_run_info_t *tm_profile_info(const tm_profile_t *p);

/* Id of the profile's component in this build's table, or -1 when the file
 * names a component this build does not have. */
TM_EXPORT int tm_profile_component(const tm_profile_t *p);

/* The file's "layout" ("flat" or "tree": what Python's Storage.dumps()
 * wrote, the layout Storage.load() gives back), "" when it has none. A
 * "tree" profile may hold nodes that list their threads without each
 * thread's values (a merged tree): tm_profile_flat() refuses those. */
TM_EXPORT const char *tm_profile_layout(const tm_profile_t *p);

/* Number of tree nodes, dummies included. */
TM_EXPORT size_t tm_profile_node_count(const tm_profile_t *p);

/* The merged tree (as tm_tree_get()) and the flat layout (as tm_flat_get():
 * one entry per thread and node; threads in (pid, tid) order, each thread's
 * nodes depth-first in the order it recorded them; after a merge, in tree
 * order). Free them with tm_tree_free() / tm_flat_free() before the
 * profile: their labels belong to it. */
TM_EXPORT int tm_profile_tree(const tm_profile_t *p, tm_tree_t **out);
TM_EXPORT int tm_profile_flat(const tm_profile_t *p, tm_flat_t **out);

TM_EXPORT void tm_profile_free(tm_profile_t *p);

#ifdef __cplusplus
}
#endif

#endif /* TIMEMORY_SERIALIZE_H */
