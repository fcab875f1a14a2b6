/* Text and JSON reports of the merged tree, printed and written under
 * settings.output_path by tm_finalize(). */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <timemory/formats.h>

#include "flame.h"
#include "label_text.h"
#include "multiproc.h"
#include "report.h"
#include "run_name.h"
#include "settings_cache.h"
#include "tree_walk.h"
#include "view_common.h"

typedef struct tm_report_row {
    const tm_tree_node_t *node;
    int64_t depth;
} tm_report_row_t;

/* Depth-first rows without dummies (their children take their place), in
 * a malloc'd array (*k rows); NULL on OOM. */
static tm_report_row_t *tm_report_rows(const tm_tree_t *tree, size_t *k) {
    tm_tree_walk_t w;
    tm_tree_walk_start(&w, tree->roots, tree->n_roots);
    size_t cap = 256;
    tm_report_row_t *rows = malloc(cap * sizeof *rows);
    bool enter;
    *k = 0;
    for (const tm_tree_node_t *n; rows && (n = tm_tree_walk_next(&w, &enter));) {
        if (!enter || n->is_dummy) continue;
        if (*k == cap) {
            tm_report_row_t *grown = realloc(rows, 2 * cap * sizeof *rows);
            if (!grown) {
                free(rows);
                rows = NULL;
                break;
            }
            rows = grown, cap *= 2;
        }
        rows[(*k)++] = (tm_report_row_t){n, n->depth};
    }
    if (w.nomem) free(rows), rows = NULL;
    tm_tree_walk_end(&w);
    return rows;
}

/* One value cell: integers as integers for counting components, values
 * that would print as 0.000 in scientific notation, else fixed. */
static void tm_report_cell(char *buf, size_t n, double v, int prec, bool counts) {
    if (counts && fabs(v) < 9e15 && v == floor(v))
        snprintf(buf, n, "%.0f", v);
    else if (v != 0.0 && fabs(v) < 0.5 * pow(10.0, -prec))
        snprintf(buf, n, "%.*e", prec, v);
    else
        snprintf(buf, n, "%.*f", prec, v);
}

/* `s` then spaces up to `width` display columns (`shown` columns taken). */
static void tm_report_pad(FILE *out, const char *s, size_t shown, size_t width) {
    fputs(s, out);
    for (size_t i = shown; i < width; ++i) fputc(' ', out);
}

/* The text report of `tree`; `run` (the run's name, or NULL when the tree
 * was not recorded by this process) goes on the first line. */
static int tm_report_text_of(int c, const tm_tree_t *tree, void *file, const char *run) {
    FILE *out = file;
    if (!out) return tm_fail(TM_E_INVALID, "report output is NULL");
    if (!tree) return tm_fail(TM_E_INVALID, "report tree is NULL");
    const tm_component_desc_t *d = tm_component_desc(c);
    if (!d) return tm_fail(TM_E_INVALID, "unknown component %d", c);
    size_t k = 0;
    tm_report_row_t *rows = tm_report_rows(tree, &k);
    if (!rows) return tm_fail(TM_E_NOMEM, "out of memory writing a report");
    /* labels indented by depth, control characters and invalid UTF-8
     * escaped (one row per node), measured in display columns */
    char **labels = calloc(k ? k : 1, sizeof *labels);
    size_t *cols = calloc(k ? k : 1, sizeof *cols);
    size_t width = strlen("label");
    for (size_t i = 0; labels && cols && i < k; ++i) {
        char *prefix = tm_flat_prefix(rows[i].depth, rows[i].node->label);
        labels[i] = prefix ? tm_label_display(prefix, 0, &cols[i]) : NULL;
        free(prefix);
        if (labels[i] && cols[i] > width) width = cols[i];
    }
    int prec = (int)tm_settings_int("precision");
    const char *unit = tm_component_unit(c);
    const bool counts = !*unit;
    fprintf(out, "[%s] %s (%s)", d->name, d->description, *unit ? unit : "count");
    if (run) fprintf(out, " of run '%s'", run);
    fputc('\n', out);
    fputs("| ", out);
    tm_report_pad(out, "label", strlen("label"), width);
    fprintf(out, " | %8s | %12s | %12s | %12s | %12s | %12s | %7s |\n", "count", "sum", "mean", "min", "max", "stddev",
            "% self");
    for (size_t i = 0; i < k; ++i) {
        const tm_tree_node_t *n = rows[i].node;
        const tm_stats_t *s = &n->inclusive.stats;
        /* a share of a ratio means nothing: print the share only for sums */
        char self[16] = "n/a";
        if (!tm_traits(c)->ratio)
            snprintf(self, sizeof self, "%.1f",
                     n->inclusive.data != 0 ? 100.0 * n->exclusive.data / n->inclusive.data : 0.0);
        char cell[5][48];
        tm_report_cell(cell[0], sizeof cell[0], n->inclusive.data, prec, counts);
        tm_report_cell(cell[1], sizeof cell[1], tm_stats_mean(s), prec, false);
        tm_report_cell(cell[2], sizeof cell[2], s->min, prec, counts);
        tm_report_cell(cell[3], sizeof cell[3], s->max, prec, counts);
        tm_report_cell(cell[4], sizeof cell[4], tm_stats_stddev(s), prec, false);
        fputs("| ", out);
        if (labels && labels[i])
            tm_report_pad(out, labels[i], cols[i], width);
        else
            tm_report_pad(out, "?", 1, width);
        fprintf(out, " | %8" PRIu64 " | %12s | %12s | %12s | %12s | %12s | %7s |\n", s->count, cell[0], cell[1],
                cell[2], cell[3], cell[4], self);
    }
    fputc('\n', out);
    for (size_t i = 0; labels && i < k; ++i) free(labels[i]);
    free(labels);
    free(cols);
    free(rows);
    return ferror(out) ? tm_fail(TM_E_IO, "error writing the %s report", d->name) : TM_OK;
}

int tm_report_write_tree(int c, const tm_tree_t *tree, void *file) { return tm_report_text_of(c, tree, file, NULL); }

int tm_report_write(int c, void *file) {
    if (!file) return tm_fail(TM_E_INVALID, "report output is NULL");
    tm_tree_t *tree = NULL;
    int rc = tm_tree_get(c, &tree);
    if (rc) return rc;
    char run[256];
    tm_run_name_copy(run, sizeof run);
    rc = tm_report_text_of(c, tree, file, run);
    tm_tree_free(tree);
    return rc;
}

/* <component>.json: the profile format of serialize.h (json_write.c). */
static int tm_report_json(int c, FILE *out) {
    tm_profile_t *p = NULL;
    int rc = tm_profile_capture(c, &p);
    if (rc == TM_OK) rc = tm_profile_write_json(p, out);
    tm_profile_free(p);
    return rc;
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

/* One warning line naming the path and the OS reason on any failure. */
static int tm_report_file(int c, const char *dir, const char *ext, int (*write)(int, FILE *)) {
    char path[1200];
    snprintf(path, sizeof path, "%s/%s%s.%s", dir, tm_component_desc(c)->name, tm_output_suffix(), ext);
    FILE *f = fopen(path, "w");
    int rc = f ? write(c, f) : TM_E_IO, err = errno;
    if (f && fclose(f) != 0 && rc == TM_OK) rc = TM_E_IO, err = errno;
    if (rc == TM_E_IO) {
        rc = tm_fail(TM_E_IO, "cannot write %s: %s", path, strerror(err));
        tm_warn("%s", tm_last_error());
    }
    return rc;
}

static int tm_report_text(int c, FILE *f) { return tm_report_write(c, f); }

/* Components with at least one sample on any thread. */
static tm_component_set_t tm_recorded_components(void) {
    size_t n = 0;
    tm_thread_t **threads = tm_threads_snapshot(&n);
    tm_component_set_t set = 0;
    for (size_t i = 0; threads && i < n; ++i) set |= tm_thread_recorded(threads[i]);
    free(threads);
    return set;
}

/* Writes <dir>/<name>.<ext> with a tree writer. */
static int tm_tree_file(int c, const tm_tree_t *tree, const char *dir, const char *ext,
                        int (*write)(int, const tm_tree_t *, void *)) {
    char path[1200];
    snprintf(path, sizeof path, "%s/%s%s.%s", dir, tm_component_desc(c)->name, tm_output_suffix(), ext);
    FILE *f = fopen(path, "w");
    if (!f) {
        tm_warn("cannot write %s: %s", path, strerror(errno));
        return tm_fail(TM_E_IO, "cannot write %s: %s", path, strerror(errno));
    }
    int rc = write(c, tree, f);
    if (fclose(f) != 0 && rc == TM_OK) rc = tm_fail(TM_E_IO, "cannot write %s", path);
    return rc;
}

/* The tree layouts and flame graphs of component c. */
static int tm_reports_tree_files(int c, const char *dir) {
    bool tree_json = tm_settings_flag("tree_output");
    bool flame = tm_settings_flag("flamegraph_output") && tm_flame_additive(c);
    if (!tree_json && !flame) return TM_OK;
    tm_tree_t *tree = NULL;
    int rc = tm_tree_get(c, &tree);
    if (rc) return rc;
    if (tree_json) rc = tm_tree_file(c, tree, dir, "tree.json", tm_write_tree_json);
    if (flame && rc == TM_OK) rc = tm_tree_file(c, tree, dir, "folded", tm_write_folded);
    if (flame && rc == TM_OK) rc = tm_tree_file(c, tree, dir, "svg", tm_write_flamegraph_svg);
    tm_tree_free(tree);
    return rc;
}

/* <dir>/wall_clock.trace.json: the timeline (the wall clock times it). */
static int tm_reports_timeline(const char *dir) {
    char path[1200];
    snprintf(path, sizeof path, "%s/%s%s.trace.json", dir, tm_component_desc(TM_WALL_CLOCK)->name, tm_output_suffix());
    FILE *f = fopen(path, "w");
    if (!f) {
        tm_warn("cannot write %s: %s", path, strerror(errno));
        return tm_fail(TM_E_IO, "cannot write %s: %s", path, strerror(errno));
    }
    int rc = tm_write_trace_json(f);
    if (fclose(f) != 0 && rc == TM_OK) rc = tm_fail(TM_E_IO, "cannot write %s", path);
    uint64_t dropped = tm_timeline_dropped();
    if (rc == TM_OK && dropped)
        tm_warn("timeline: %s holds %" PRIu64 " region instances; %" PRIu64
                " more were dropped at timeline_max_events=%ld per thread",
                path, tm_timeline_events(), dropped, tm_settings_int("timeline_max_events"));
    return rc;
}

int tm_reports_write_all(void) {
    tm_component_set_t set = tm_recorded_components();
    const char *dir = tm_settings_get("output_path");
    const bool timeline = tm_settings_flag("timeline_profile") && tm_timeline_events() + tm_timeline_dropped() > 0;
    bool files = tm_settings_flag("text_output") || tm_settings_flag("json_output") ||
                 tm_settings_flag("tree_output") || tm_settings_flag("flamegraph_output") || timeline;
    int rc = TM_OK;
    if ((set || timeline) && files && tm_mkdirs(dir) != 0) {
        rc = tm_fail(TM_E_IO, "cannot create output directory '%s': %s", dir, strerror(errno));
        tm_warn("%s", tm_last_error());
        files = false;
    }
    if ((set || timeline) && files) tm_output_suffix_decide(dir);
    for (tm_component_set_t m = set; m; m &= m - 1) {
        int c = __builtin_ctzll(m);
        int r = TM_OK;
        if (tm_settings_flag("cout_output")) r = tm_report_write(c, stdout);
        if (files && tm_settings_flag("text_output") && r == TM_OK) r = tm_report_file(c, dir, "txt", tm_report_text);
        if (files && tm_settings_flag("json_output") && r == TM_OK) r = tm_report_file(c, dir, "json", tm_report_json);
        if (files && r == TM_OK) r = tm_reports_tree_files(c, dir);
        if (r != TM_OK) rc = r;
    }
    if (files && timeline) {
        int r = tm_reports_timeline(dir);
        if (r != TM_OK) rc = r;
    }
    fflush(stdout);
    return rc;
}
