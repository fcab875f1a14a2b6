/* Merging profiles by path of labels: the one merge for files of several
 * runs or processes. Statistics combine as if one process had recorded
 * every sample: count, sum and sum of squares add; min of the mins, max of
 * the maxes; variances combine with Chan's formula. */
#include <stdlib.h>
#include <string.h>

#include "chan.h"
#include "profile.h"
#include "rank_table.h"

static void tm_stats_merge(tm_stats_t *into, const tm_stats_t *from) {
    if (!from->count) return;
    if (!into->count || from->min < into->min) into->min = from->min;
    if (!into->count || from->max > into->max) into->max = from->max;
    /* the variance with Chan's formula, from each side's (count, mean, m2) */
    const double na = (double)into->count, nb = (double)from->count;
    double mean = na > 0 ? into->sum / na : 0.0, m2 = into->variance * na;
    tm_chan_combine(na, &mean, &m2, nb, from->sum / nb, from->variance * nb);
    into->variance = m2 / (na + nb);
    into->count += from->count;
    into->sum += from->sum;
    into->sqr += from->sqr;
}

void tm_value_merge(tm_kind_t kind, tm_value_t *into, const tm_value_t *from) {
    uint64_t n_into = into->stats.count, n_from = from->stats.count;
    switch (kind) {
    case TM_KIND_RATIO:
        /* the file keeps the ratio, not its two sums: weight by samples */
        if (n_into + n_from)
            into->data = (into->data * (double)n_into + from->data * (double)n_from) / (double)(n_into + n_from);
        break;
    case TM_KIND_LEVEL:
        /* as the thread merge does: the larger latest reading */
        if (n_from && (!n_into || from->data > into->data)) into->data = from->data;
        break;
    default: into->data += from->data; break;
    }
    tm_stats_merge(&into->stats, &from->stats);
}

static const char *tm_min_str(const char *a, const char *b) { return strcmp(a, b) <= 0 ? a : b; }
static const char *tm_max_str(const char *a, const char *b) { return strcmp(a, b) >= 0 ? a : b; }

int tm_profile_merge(tm_profile_t *into, const tm_profile_t *from) {
    if (!into || !from) return tm_fail(TM_E_INVALID, "cannot merge: a profile is NULL");
    if (into == from) return tm_fail(TM_E_INVALID, "cannot merge a profile into itself");
    const tm_run_info_t *a = &into->info, *b = &from->info;
    if (strcmp(a->component, b->component) != 0)
        return tm_fail(TM_E_INVALID, "cannot merge component '%s' with component '%s'", b->component, a->component);
    if (strcmp(a->unit, b->unit) != 0)
        return tm_fail(TM_E_INVALID, "cannot merge %s values in '%s' with values in '%s': units differ", a->component,
                       b->unit, a->unit);
    /* parents come before children in the table: one pass maps every node */
    uint32_t *map = malloc((from->n_nodes ? from->n_nodes : 1) * sizeof *map);
    if (!map) return tm_fail(TM_E_NOMEM, "out of memory merging profiles");
    for (uint32_t i = 0; i < from->n_nodes; ++i) {
        const tm_pnode_t *n = &from->nodes[i];
        uint32_t parent = n->parent == TM_PNONE ? TM_PNONE : map[n->parent];
        uint32_t at = tm_profile_child(into, parent, n->kind, n->label, n->hash, n->depth);
        bool ok = at != TM_PNONE;
        for (uint32_t r = 0; ok && r < n->n_recs; ++r)
            ok = tm_profile_add_record(into, at, n->recs[r].tid, n->recs[r].pid, &n->recs[r].incl, &n->recs[r].excl) !=
                 NULL;
        /* a merged tree's ids without values stay ids without values */
        if (ok && (n->n_set_tids || n->n_set_pids))
            ok = tm_profile_add_ids(into, at, n->set_tids, n->n_set_tids, n->set_pids, n->n_set_pids);
        if (!ok) {
            free(map);
            return tm_fail(TM_E_NOMEM, "out of memory merging profiles");
        }
        tm_value_merge(into->kind, &into->nodes[at].incl, &n->incl);
        tm_value_merge(into->kind, &into->nodes[at].excl, &n->excl);
        map[i] = at;
    }
    free(map);
    /* two files' orders of the same thread do not combine: tree order */
    for (uint32_t i = 0; i < into->n_nodes; ++i)
        for (uint32_t r = 0; r < into->nodes[i].n_recs; ++r) into->nodes[i].recs[r].seq = TM_PNONE;
    const char *start = tm_min_str(a->start_time, b->start_time);
    const char *end = tm_max_str(a->end_time, b->end_time);
    into->info.start_time = start == a->start_time ? start : tm_profile_strdup(into, start);
    into->info.end_time = end == a->end_time ? end : tm_profile_strdup(into, end);
    into->info.runs += b->runs;
    if (strcmp(from->layout, "tree") == 0) into->layout = "tree";
    if (!tm_rank_table_merge(into, from)) return tm_fail(TM_E_NOMEM, "out of memory merging profiles");
    uint64_t threads = a->thread_count + b->thread_count;
    /* a merged tree has no flat layout: the records left beside it are
     * only memory (what keeps a compact MPI merge O(nodes + id sets)) */
    if ((into->ids_only || from->ids_only) && tm_profile_compact(into) != TM_OK)
        return tm_fail(TM_E_NOMEM, "out of memory merging profiles");
    tm_run_info_count_threads(into);
    /* a merged tree has no (pid, tid) records to count: the inputs' sum */
    if (into->ids_only && into->info.thread_count < threads) into->info.thread_count = threads;
    return TM_OK;
}
