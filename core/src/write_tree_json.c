/* <component>.tree.json: the reference toolkit's hierarchical layout, the
 * one hatchet's GraphFrame.from_timemory reads (facts and reader quirks in
 * shared/formats/timemory-tree-json.md). One rank: the "graph" layout for a
 * single thread, the "mpi" layout (one rank list, tid sets) otherwise, since
 * the reader fails on tids other than 0 in "graph". */
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include <timemory/formats.h>

#include "internal.h"
#include "label_text.h"
#include "tree_walk.h"

/* True when some node was recorded by more than one thread or process, or
 * by a thread other than 0. */
static bool tm_tree_multi(const tm_tree_t *tree, bool *nomem) {
    tm_tree_walk_t w;
    tm_tree_walk_start(&w, tree->roots, tree->n_roots);
    bool multi = false, enter;
    for (const tm_tree_node_t *n; !multi && (n = tm_tree_walk_next(&w, &enter));)
        multi = enter && !n->is_dummy && (n->n_tids > 1 || (n->n_tids == 1 && n->tids[0] != 0) || n->n_pids > 1);
    *nomem = w.nomem;
    tm_tree_walk_end(&w);
    return multi;
}

static void tm_id_set(FILE *out, const char *key, const int64_t *v, size_t n) {
    fprintf(out, "\"%s\": ", key);
    if (n == 1) {
        fprintf(out, "%" PRId64, v[0]);
        return;
    }
    fputc('[', out);
    for (size_t i = 0; i < n; ++i) fprintf(out, "%s%" PRId64, i ? ", " : "", v[i]);
    fputc(']', out);
}

static void tm_stats_json(FILE *out, const tm_value_t *v) {
    static const char *keys[] = {"sum", "min", "max", "sqr", "mean", "stddev"};
    const tm_stats_t *s = &v->stats;
    const double vals[] = {s->sum, s->count ? s->min : 0.0, s->count ? s->max : 0.0,
                           s->sqr, tm_stats_mean(s),        tm_stats_stddev(s)};
    fputs("{\"entry\": {\"laps\": ", out);
    fprintf(out, "%" PRIu64 ", \"value\": ", s->count);
    tm_json_write_number(out, v->data);
    fputs(", \"accum\": ", out);
    tm_json_write_number(out, v->data);
    fputs(", \"repr_data\": ", out);
    tm_json_write_number(out, v->data);
    fputs("}, \"stats\": {", out);
    for (size_t i = 0; i < 6; ++i) {
        fprintf(out, "%s\"%s\": ", i ? ", " : "", keys[i]);
        tm_json_write_number(out, vals[i]);
    }
    fputs("}}", out);
}

/* A node up to its open children list; the walk closes it. */
static void tm_tree_json_open(FILE *out, const tm_tree_node_t *n, size_t indent) {
    /* indentation stops growing at 32 levels: deep recursions stay O(nodes) */
    fprintf(out, "\n%*s{\"node\": {\"hash\": %" PRIu64 ", \"prefix\": ", indent < 32 ? (int)indent : 32, "",
            n->is_dummy ? (uint64_t)0 : n->hash);
    if (n->is_dummy)
        fputs("\"unknown-hash=0\"", out);
    else
        tm_json_write_string(out, n->label);
    fprintf(out, ", \"depth\": %" PRId64 ", \"is_dummy\": %s, ", n->depth, n->is_dummy ? "true" : "false");
    int64_t tids[64];
    size_t nt = n->n_tids;
    int64_t *t = nt <= 64 ? tids : malloc(nt * sizeof *t);
    if (!t) nt = 0, t = tids;
    for (size_t i = 0; i < nt; ++i) t[i] = n->tids[i];
    if (nt == 0) tids[0] = 0, nt = 1;
    tm_id_set(out, "tid", t, nt);
    if (t != tids) free(t);
    fputs(", ", out);
    int64_t pid0 = (int64_t)getpid();
    tm_id_set(out, "pid", n->n_pids ? n->pids : &pid0, n->n_pids ? n->n_pids : 1);
    fputs(", \"inclusive\": ", out);
    tm_stats_json(out, &n->inclusive);
    fputs(", \"exclusive\": ", out);
    tm_stats_json(out, &n->exclusive);
    fputs("}, \"children\": [", out);
}

/* The subtree of `top` (indented from 1), walked with an explicit stack. */
static bool tm_tree_json_subtree(FILE *out, const tm_tree_node_t *top) {
    tm_tree_walk_t w;
    tm_tree_walk_start(&w, top, 1);
    bool enter;
    for (const tm_tree_node_t *n; (n = tm_tree_walk_next(&w, &enter));) {
        if (!enter) {
            fputs("]}", out);
            continue;
        }
        const size_t level = tm_tree_walk_level(&w, enter);
        if (level > 1 && n != w.stack[w.top - 2].nodes) fputc(',', out); /* not the first sibling */
        tm_tree_json_open(out, n, level);
    }
    bool ok = !w.nomem;
    tm_tree_walk_end(&w);
    return ok;
}

int tm_write_tree_json(int c, const tm_tree_t *tree, void *file) {
    FILE *out = file;
    const tm_component_desc_t *d = tm_component_desc(c);
    if (!out) return tm_fail(TM_E_INVALID, "tree JSON output is NULL");
    if (!tree) return tm_fail(TM_E_INVALID, "tree JSON: tree is NULL");
    if (!d) return tm_fail(TM_E_INVALID, "tree JSON: unknown component %d", c);
    bool nomem = false;
    const bool multi = tm_tree_multi(tree, &nomem);
    if (nomem) return tm_fail(TM_E_NOMEM, "out of memory writing the %s tree JSON", d->name);
    fputs("{\"timemory\": {", out);
    tm_json_write_string(out, d->name);
    fputs(": {\"type\": ", out);
    tm_json_write_string(out, d->label);
    fputs(", \"description\": ", out);
    tm_json_write_string(out, d->description);
    fputs(", \"unit_repr\": ", out);
    tm_json_write_string(out, tm_component_unit(c));
    fputs(", \"unit_value\": 1, \"properties\": {\"id\": ", out);
    tm_json_write_string(out, d->name);
    fprintf(out, ", \"value\": %d}, \"mpi_size\": 1, \"process_count\": 1, \"thread_count\": ", c);
    /* threads: a root holds the tids of everything below it */
    size_t threads = 1;
    for (size_t i = 0; i < tree->n_roots; ++i)
        if (tree->roots[i].n_tids > threads) threads = tree->roots[i].n_tids;
    fprintf(out, "%zu,\n\"%s\": [", threads, multi ? "mpi" : "graph");
    if (multi) fputc('[', out);
    /* one top entry: a dummy root holding the real roots, as the reference
     * toolkit writes it (the reader skips a top entry without children) */
    fputs("\n{\"node\": {\"hash\": 0, \"prefix\": \"unknown-hash=0\", \"depth\": -1, \"is_dummy\": true, "
          "\"tid\": 0, \"pid\": ",
          out);
    fprintf(out, "%" PRId64 "}, \"children\": [", (int64_t)getpid());
    size_t k = 0;
    for (size_t i = 0; i < tree->n_roots; ++i) {
        const tm_tree_node_t *r = &tree->roots[i];
        const tm_tree_node_t *list = r->is_dummy ? r->children : r;
        size_t count = r->is_dummy ? r->n_children : 1;
        for (size_t j = 0; j < count; ++j) {
            if (k++) fputc(',', out);
            if (!tm_tree_json_subtree(out, &list[j]))
                return tm_fail(TM_E_NOMEM, "out of memory writing the %s tree JSON", d->name);
        }
    }
    fputs("]}", out);
    if (multi) fputc(']', out);
    fputs("\n]}}}\n", out);
    return ferror(out) ? tm_fail(TM_E_IO, "error writing the %s tree JSON", d->name) : TM_OK;
}
