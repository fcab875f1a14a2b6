/* Text and JSON reports of the merged tree, printed and written under
 * settings.output_path by tm_finalize(). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <timemory/formats.h>

#include "multiproc.h"
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

int tm_report_write_tree(int c, const tm_tree_t *tree, void *file) {
    FILE *out = file;
    if (!out) return tm_fail(TM_E_INVALID, "report output is NULL");
    if (!tree) return tm_fail(TM_E_INVALID, "report tree is NULL");
    const tm_component_desc_t *d = tm_component_desc(c);
    if (!d) return tm_fail(TM_E_INVALID, "unknown component %d", c);
    size_t total = tm_tree_count(tree->roots, tree->n_roots), k = 0;
    tm_report_row_t *rows = calloc(total ? total : 1, sizeof *rows);
    if (!rows) return tm_fail(TM_E_NOMEM, "out of memory writing a report");
    tm_report_rows(tree->roots, tree->n_roots, rows, &k);
    char **labels = calloc(k ? k : 1, sizeof *labels);
    size_t width = strlen("label");
    for (size_t i = 0; labels && i < k; ++i) {
        labels[i] = tm_flat_prefix(rows[i].depth, rows[i].node->label);
        if (labels[i] && strlen(labels[i]) > width) width = strlen(labels[i]);
    }
    int prec = (int)tm_settings_int("precision");
    const char *unit = tm_component_unit(c);
    fprintf(out, "[%s] %s (%s)\n", d->name, d->description, *unit ? unit : "count");
    fprintf(out, "| %-*s | %8s | %12s | %12s | %12s | %12s | %12s | %7s |\n", (int)width, "label", "count", "sum",
            "mean", "min", "max", "stddev", "% self");
    for (size_t i = 0; i < k; ++i) {
        const tm_tree_node_t *n = rows[i].node;
        const tm_stats_t *s = &n->inclusive.stats;
        /* a share of a ratio means nothing: print the share only for sums */
        char self[16] = "n/a";
        if (d->kind != TM_KIND_RATIO)
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
    return ferror(out) ? tm_fail(TM_E_IO, "error writing the %s report", d->name) : TM_OK;
}

int tm_report_write(int c, void *file) {
    if (!file) return tm_fail(TM_E_INVALID, "report output is NULL");
    tm_tree_t *tree = NULL;
    int rc = tm_tree_get(c, &tree);
    if (rc) return rc;
    rc = tm_report_write_tree(c, tree, file);
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
    for (size_t i = 0; threads && i < n; ++i)
        for (uint32_t k = 0; k < threads[i]->nodes.count; ++k) set |= tm_thread_node(threads[i], k)->recorded;
    free(threads);
    return set;
}

int tm_reports_write_all(void) {
    tm_component_set_t set = tm_recorded_components();
    const char *dir = tm_settings_get("output_path");
    bool files = tm_settings_flag("text_output") || tm_settings_flag("json_output");
    int rc = TM_OK;
    if (set && files && tm_mkdirs(dir) != 0) {
        rc = tm_fail(TM_E_IO, "cannot create output directory '%s': %s", dir, strerror(errno));
        tm_warn("%s", tm_last_error());
        files = false;
    }
    if (set && files) tm_output_suffix_decide(dir);
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
