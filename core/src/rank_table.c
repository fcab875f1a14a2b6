/* The MPI ranks in a profile: (rank, pid) pairs in the metadata ("ranks"),
 * united by merges, and each node's rank set derived from its pids. Also the
 * "file_suffix" the writer gave its files (output_name.c). One file so the
 * profile's reader, writer and merge each need one call. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"
#include "rank_table.h"

bool tm_rank_table_add(tm_profile_t *p, int64_t rank, int64_t pid) {
    tm_run_info_t *m = &p->info;
    for (size_t i = 0; i < m->n_ranks; ++i)
        if (m->rank_pids[2 * i] == rank && m->rank_pids[2 * i + 1] == pid) return true;
    int64_t *a = realloc((void *)m->rank_pids, 2 * (m->n_ranks + 1) * sizeof *a);
    if (!a) return false;
    a[2 * m->n_ranks] = rank;
    a[2 * m->n_ranks + 1] = pid;
    m->rank_pids = a;
    ++m->n_ranks;
    return true;
}

bool tm_rank_table_merge(tm_profile_t *into, const tm_profile_t *from) {
    for (size_t i = 0; i < from->info.n_ranks; ++i)
        if (!tm_rank_table_add(into, from->info.rank_pids[2 * i], from->info.rank_pids[2 * i + 1])) return false;
    return true;
}

void tm_json_write_rank_meta(FILE *out, const tm_run_info_t *m) {
    fputs(",\n    \"file_suffix\": \"", out);
    for (const char *s = m->file_suffix ? m->file_suffix : ""; *s; ++s)
        if (*s != '"' && *s != '\\' && (unsigned char)*s >= 0x20) fputc(*s, out);
    fputc('"', out);
    if (!m->n_ranks) return;
    fputs(",\n    \"ranks\": [", out);
    for (size_t i = 0; i < m->n_ranks; ++i)
        fprintf(out, "%s{\"rank\": %" PRId64 ", \"pid\": %" PRId64 "}", i ? ", " : "", m->rank_pids[2 * i],
                m->rank_pids[2 * i + 1]);
    fputc(']', out);
}

/* Ranks are few next to nodes' records: a linear look-up per record. */
void tm_json_write_node_ranks(FILE *out, const tm_run_info_t *m, const tm_pnode_t *n) {
    if (!m->n_ranks) return;
    fputs(", \"ranks\": [", out);
    size_t k = 0;
    for (size_t i = 0; i < m->n_ranks; ++i) {
        bool has = false;
        for (uint32_t r = 0; r < n->n_recs && !has; ++r) has = n->recs[r].pid == m->rank_pids[2 * i + 1];
        for (uint32_t r = 0; r < n->n_set_pids && !has; ++r) has = n->set_pids[r] == m->rank_pids[2 * i + 1];
        bool dup = false;
        for (size_t j = 0; j < i && has && !dup; ++j) dup = m->rank_pids[2 * j] == m->rank_pids[2 * i];
        if (has && !dup) fprintf(out, "%s%" PRId64, k++ ? ", " : "", m->rank_pids[2 * i]);
    }
    fputc(']', out);
}

const char *tm_json_read_rank_meta(tm_profile_t *p, const cJSON *m) {
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(m, "file_suffix");
    if (s) {
        if (!cJSON_IsString(s)) return "file_suffix: expected a string";
        if (!(p->info.file_suffix = tm_profile_strdup(p, s->valuestring))) return "file_suffix: out of memory";
    }
    const cJSON *ranks = cJSON_GetObjectItemCaseSensitive(m, "ranks");
    if (!ranks) return NULL;
    if (!cJSON_IsArray(ranks)) return "ranks: expected an array of {\"rank\", \"pid\"} objects";
    for (const cJSON *e = ranks->child; e; e = e->next) {
        const cJSON *r = cJSON_GetObjectItemCaseSensitive(e, "rank"), *q = cJSON_GetObjectItemCaseSensitive(e, "pid");
        if (!cJSON_IsNumber(r) || !cJSON_IsNumber(q) || r->valuedouble < 0)
            return "ranks: expected {\"rank\": <integer >= 0>, \"pid\": <integer>} objects";
        if (!tm_rank_table_add(p, (int64_t)r->valuedouble, (int64_t)q->valuedouble)) return "ranks: out of memory";
    }
    return NULL;
}
