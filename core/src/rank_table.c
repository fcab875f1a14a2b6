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

static int tm_i64_order(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* The ranks whose pid recorded the node: the node's pids sorted, each
 * rank's pid looked up, O(ranks log pids) per node (a merge of thousands
 * of ranks has thousands of pids on a shared node). */
void tm_json_write_node_ranks(FILE *out, const tm_run_info_t *m, const tm_pnode_t *n) {
    if (!m->n_ranks) return;
    uint32_t *tids = NULL;
    int64_t *pids = NULL, *ranks = malloc(m->n_ranks * sizeof *ranks);
    size_t nt = 0, np = 0, k = 0;
    bool ok = ranks && tm_pnode_ids(n, &tids, &nt, &pids, &np);
    free(tids);
    if (ok) {
        qsort(pids, np, sizeof *pids, tm_i64_order);
        for (size_t i = 0; i < m->n_ranks; ++i)
            if (bsearch(&m->rank_pids[2 * i + 1], pids, np, sizeof *pids, tm_i64_order))
                ranks[k++] = m->rank_pids[2 * i];
        qsort(ranks, k, sizeof *ranks, tm_i64_order);
    }
    fputs(", \"ranks\": [", out);
    for (size_t i = 0, w = 0; i < k; ++i)
        if (!i || ranks[i] != ranks[i - 1]) fprintf(out, "%s%" PRId64, w++ ? ", " : "", ranks[i]);
    fputc(']', out);
    free(pids);
    free(ranks);
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
