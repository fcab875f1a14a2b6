/* MPI rank table and file suffix of a profile (rank_table.c). */
#ifndef TIMEMORY_RANK_TABLE_H
#define TIMEMORY_RANK_TABLE_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "profile.h"

/* Adds (rank, pid) once; false on OOM. */
bool tm_rank_table_add(tm_profile_t *p, int64_t rank, int64_t pid);
bool tm_rank_table_merge(tm_profile_t *into, const tm_profile_t *from);
/* Metadata members ",\n "file_suffix": ..., "ranks": [...]" (ranks only with MPI). */
void tm_json_write_rank_meta(FILE *out, const tm_run_info_t *m);
/* ", "ranks": [...]" of a node (only with MPI). */
void tm_json_write_node_ranks(FILE *out, const tm_run_info_t *m, const tm_pnode_t *n);
/* NULL, or what is wrong with the metadata's "file_suffix" / "ranks". */
const char *tm_json_read_rank_meta(tm_profile_t *p, const cJSON *m);

#endif /* TIMEMORY_RANK_TABLE_H */
