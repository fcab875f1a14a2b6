/* Text and JSON reports of the merged tree, printed and written under
 * settings.output_path by tm_finalize(). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report.h"
#include "run_name.h"
#include "settings_cache.h"
#include "view_common.h"

typedef struct tm_report_row {
    const tm_tree_node_t *node;
    int64_t depth;
} tm_report_row_t;

/* Depth-first rows without dummies (their children take their place). */
static void tm_report_rows(const tm_tree_node_t *n, size_t count, tm_report_row_t *rows, size_t *k) {
    for (size_t i = 0; i < count; ++i) {
        if (!n[i].is_dummy) rows[(*k)++] = (tm_report_row_t){&n[i], n[i].depth};
        tm_report_rows(n[i].children, n[i].n_children, rows, k);
    }
}

static size_t tm_tree_count(const tm_tree_node_t *n, size_t count) {
    size_t total = 0;
    for (size_t i = 0; i < count; ++i) total += 1 + tm_tree_count(n[i].children, n[i].n_children);
    return total;
}

int tm_report_write(int c, void *file) {
    FILE *out = file;
    if (!out) return tm_fail(TM_E_INVALID, "report output is NULL");
    tm_tree_t *tree = NULL;
    int rc = tm_tree_get(c, &tree);
    if (rc) return rc;
    size_t total = tm_tree_count(tree->roots, tree->n_roots), k = 0;
    tm_report_row_t *rows = calloc(total ? total : 1, sizeof *rows);
    if (!rows) {
        tm_tree_free(tree);
        return tm_fail(TM_E_NOMEM, "out of memory writing a report");
    }
    tm_report_rows(tree->roots, tree->n_roots, rows, &k);
    char **labels = calloc(k ? k : 1, sizeof *labels);
    size_t width = strlen("label");
    for (size_t i = 0; labels && i < k; ++i) {
        labels[i] = tm_flat_prefix(rows[i].depth, rows[i].node->label);
        if (labels[i] && strlen(labels[i]) > width) width = strlen(labels[i]);
    }
    const tm_component_desc_t *d = tm_component_desc(c);
    int prec = (int)tm_settings_int("precision");
    const char *unit = tm_component_unit(c);
    char run[256];
    tm_run_name_copy(run, sizeof run);
    fprintf(out, "[%s] %s (%s) of run '%s'\n", d->name, d->description, *unit ? unit : "count", run);
    fprintf(out, "| %-*s | %8s | %12s | %12s | %12s | %12s | %12s | %7s |\n", (int)width, "label", "count", "sum",
            "mean", "min", "max", "stddev", "% self");
    for (size_t i = 0; i < k; ++i) {
        const tm_tree_node_t *n = rows[i].node;
        const tm_stats_t *s = &n->inclusive.stats;
        /* a share of a ratio means nothing: print the share only for sums */
        char self[16] = "n/a";
        if (!tm_traits(c)->ratio)
            snprintf(self, sizeof self, "%.1f",
                     n->inclusive.data != 0 ? 100.0 * n->exclusive.data / n->inclusive.data : 0.0);
        fprintf(out, "| %-*s | %8" PRIu64 " | %12.*f | %12.*f | %12.*f | %12.*f | %12.*f | %7s |\n", (int)width,
                labels && labels[i] ? labels[i] : n->label, s->count, prec, n->inclusive.data, prec,
                tm_stats_mean(s), prec, s->min, prec, s->max, prec, tm_stats_stddev(s), self);
    }
    fputc('\n', out);
    for (size_t i = 0; labels && i < k; ++i) free(labels[i]);
    free(labels);
    free(rows);
    tm_tree_free(tree);
    return ferror(out) ? tm_fail(TM_E_IO, "error writing the %s report", d->name) : TM_OK;
}

static void tm_json_string(FILE *out, const char *s) {
    fputc('"', out);
    for (; *s; ++s) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\') fprintf(out, "\\%c", ch);
        else if (ch < 0x20) fprintf(out, "\\u%04x", ch);
        else fputc(ch, out);
    }
    fputc('"', out);
}

static void tm_json_value(FILE *out, const char *key, const tm_value_t *v) {
    fprintf(out, "\"%s\": {\"data\": %.17g, \"count\": %" PRIu64
                 ", \"sum\": %.17g, \"min\": %.17g, \"max\": %.17g, \"sqr\": %.17g, \"mean\": %.17g, "
                 "\"stddev\": %.17g}",
            key, v->data, v->stats.count, v->stats.sum, v->stats.min, v->stats.max, v->stats.sqr,
            tm_stats_mean(&v->stats), tm_stats_stddev(&v->stats));
}

/* JSON of the flat view: one object per thread and node. */
static int tm_report_json(int c, FILE *out) {
    tm_flat_t *flat = NULL;
    int rc = tm_flat_get(c, &flat);
    if (rc) return rc;
    const tm_component_desc_t *d = tm_component_desc(c);
    char run[256];
    tm_run_name_copy(run, sizeof run);
    fputs("{\"timemory\": {\"name\": ", out);
    tm_json_string(out, run);
    fprintf(out, ", \"component\": \"%s\", \"unit\": \"%s\", \"label\": \"%s\", \"graph\": [", d->name,
            tm_component_unit(c), d->label);
    for (size_t i = 0; i < flat->size; ++i) {
        const tm_flat_entry_t *e = &flat->entries[i];
        fprintf(out, "%s\n  {\"tid\": %u, \"pid\": %" PRId64 ", \"depth\": %" PRId64 ", \"hash\": %" PRIu64
                     ", \"rolling_hash\": %" PRIu64 ", \"prefix\": ",
                i ? "," : "", e->tid, e->pid, e->depth, e->hash, e->rolling_hash);
        tm_json_string(out, e->prefix);
        fputs(", \"hierarchy\": [", out);
        for (size_t h = 0; h < e->hierarchy_len; ++h) fprintf(out, "%s%" PRIu64, h ? ", " : "", e->hierarchy[h]);
        fputs("], ", out);
        tm_json_value(out, "inclusive", &e->inclusive);
        fputs(", ", out);
        tm_json_value(out, "exclusive", &e->exclusive);
        fputc('}', out);
    }
    fputs("\n]}}\n", out);
    tm_flat_free(flat);
    return ferror(out) ? tm_fail(TM_E_IO, "error writing the %s JSON report", d->name) : TM_OK;
}

static int tm_mkdirs(const char *path) {
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; ++p) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    return mkdir(buf, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

static int tm_report_file(int c, const char *dir, const char *ext, int (*write)(int, FILE *)) {
    char path[1200];
    snprintf(path, sizeof path, "%s/%s.%s", dir, tm_component_desc(c)->name, ext);
    FILE *f = fopen(path, "w");
    if (!f) {
        tm_warn("cannot write %s: %s", path, strerror(errno));
        return tm_fail(TM_E_IO, "cannot write %s: %s", path, strerror(errno));
    }
    int rc = write(c, f);
    if (fclose(f) != 0 && rc == TM_OK) rc = tm_fail(TM_E_IO, "cannot write %s", path);
    return rc;
}

static int tm_report_text(int c, FILE *f) { return tm_report_write(c, f); }

/* Components with at least one sample on any thread. */
static tm_component_set_t tm_recorded_components(void) {
    size_t n = 0;
    tm_thread_t **threads = tm_threads_snapshot(&n);
    tm_component_set_t set = 0;
    for (size_t i = 0; threads && i < n; ++i)
        set |= tm_thread_recorded(threads[i]);
    free(threads);
    return set;
}

int tm_reports_write_all(void) {
    tm_component_set_t set = tm_recorded_components();
    const char *dir = tm_settings_get("output_path");
    bool files = tm_settings_flag("text_output") || tm_settings_flag("json_output");
    int rc = TM_OK;
    if (set && files && tm_mkdirs(dir) != 0) {
        tm_warn("cannot create output directory '%s': %s", dir, strerror(errno));
        rc = tm_fail(TM_E_IO, "cannot create output directory '%s'", dir);
        files = false;
    }
    for (tm_component_set_t m = set; m; m &= m - 1) {
        int c = __builtin_ctzll(m);
        int r = TM_OK;
        if (tm_settings_flag("cout_output")) r = tm_report_write(c, stdout);
        if (files && tm_settings_flag("text_output") && r == TM_OK) r = tm_report_file(c, dir, "txt", tm_report_text);
        if (files && tm_settings_flag("json_output") && r == TM_OK) r = tm_report_file(c, dir, "json", tm_report_json);
        if (r != TM_OK) rc = r;
    }
    fflush(stdout);
    return rc;
}
