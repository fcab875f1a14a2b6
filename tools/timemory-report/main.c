/* timemory-report: the text report of saved <component>.json files, their
 * merge (several runs or processes into one tree) and the per-region diff
 * of two runs with a regression threshold for CI. See tmr_usage. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <timemory/formats.h>
#include <timemory/timemory.h>

#include "tools/timemory-report/diff.h"
#include "tools/timemory-report/options.h"

static tm_profile_t *tmr_load(const char *path) {
    tm_profile_t *p = NULL;
    if (tm_profile_load(path, &p) != TM_OK) {
        fprintf(stderr, "timemory-report: %s\n", tm_last_error());
        return NULL;
    }
    return p;
}

/* The text report writer prints in the units of the settings: use the
 * profile's, so its values are labelled with the unit they are in. */
static int tmr_use_units(const tm_profile_t *p, int id, const char *path) {
    const tm_run_info_t *m = tm_profile_info(p);
    const char *table_unit = tm_component_desc(id)->unit;
    int rc = TM_OK;
    if (strcmp(table_unit, "sec") == 0)
        rc = tm_settings_set("timing_units", m->unit);
    else if (strcmp(table_unit, "MB") == 0)
        rc = tm_settings_set("memory_units", m->unit);
    else if (strcmp(table_unit, m->unit) != 0)
        rc = TM_E_INVALID;
    if (rc != TM_OK)
        fprintf(stderr, "timemory-report: %s: unit '%s' is not one %s can be shown in\n", path, m->unit, m->component);
    return rc;
}

static int tmr_print_text(const tm_profile_t *p, const char *path, FILE *out) {
    int id = tm_profile_component(p);
    if (id < 0) {
        fprintf(stderr, "timemory-report: %s: component '%s' is not in this build's table (use --format json)\n", path,
                tm_profile_info(p)->component);
        return TMR_EXIT_FAILED;
    }
    if (tmr_use_units(p, id, path) != TM_OK) return TMR_EXIT_FAILED;
    tm_tree_t *tree = NULL;
    int rc = tm_profile_tree(p, &tree);
    if (rc == TM_OK) rc = tm_report_write_tree(id, tree, out);
    tm_tree_free(tree);
    if (rc != TM_OK) {
        fprintf(stderr, "timemory-report: %s: %s\n", path, tm_last_error());
        return TMR_EXIT_FAILED;
    }
    return TMR_EXIT_OK;
}

static int tmr_print(const tm_profile_t *p, const char *path, const tmr_options_t *o, FILE *out) {
    if (o->format == TMR_JSON) {
        if (tm_profile_write_json(p, out) != TM_OK) {
            fprintf(stderr, "timemory-report: %s\n", tm_last_error());
            return TMR_EXIT_FAILED;
        }
        return TMR_EXIT_OK;
    }
    return tmr_print_text(p, path, out);
}

static int tmr_run(const tmr_options_t *o, FILE *out) {
    if (o->mode == TMR_DIFF) {
        tm_profile_t *a = tmr_load(o->files[0]), *b = a ? tmr_load(o->files[1]) : NULL;
        size_t regressions = 0;
        int rc = a && b ? tmr_diff(a, o->files[0], b, o->files[1], o, out, &regressions) : TMR_EXIT_FAILED;
        tm_profile_free(a);
        tm_profile_free(b);
        return rc == TMR_EXIT_OK && regressions ? TMR_EXIT_REGRESSION : rc;
    }
    if (o->mode == TMR_MERGE) {
        tm_profile_t *merged = tmr_load(o->files[0]);
        for (size_t i = 1; merged && i < o->n_files; ++i) {
            tm_profile_t *p = tmr_load(o->files[i]);
            if (!p || tm_profile_merge(merged, p) != TM_OK) {
                if (p) fprintf(stderr, "timemory-report: %s: %s\n", o->files[i], tm_last_error());
                tm_profile_free(merged);
                merged = NULL;
            }
            tm_profile_free(p);
        }
        int rc = merged ? tmr_print(merged, o->files[0], o, out) : TMR_EXIT_FAILED;
        tm_profile_free(merged);
        return rc;
    }
    int rc = TMR_EXIT_OK;
    for (size_t i = 0; i < o->n_files; ++i) {
        tm_profile_t *p = tmr_load(o->files[i]);
        int r = p ? tmr_print(p, o->files[i], o, out) : TMR_EXIT_FAILED;
        tm_profile_free(p);
        if (r != TMR_EXIT_OK) rc = r;
    }
    return rc;
}

int main(int argc, char **argv) {
    tmr_options_t o;
    if (!tmr_parse_options(argc, argv, &o)) {
        free(o.files);
        return TMR_EXIT_USAGE;
    }
    if (o.help || o.version) {
        if (o.help)
            fputs(tmr_usage, stdout);
        else
            printf("timemory-report %s\n", tm_version());
        free(o.files);
        return TMR_EXIT_OK;
    }
    /* the report's look (precision, width) follows TIMEMORY_* as elsewhere */
    tm_init("timemory-report");
    tm_settings_set("auto_output", "0");
    FILE *out = stdout;
    if (o.output && !(out = fopen(o.output, "w"))) {
        fprintf(stderr, "timemory-report: cannot write %s: %s\n", o.output, strerror(errno));
        free(o.files);
        return TMR_EXIT_FAILED;
    }
    int rc = tmr_run(&o, out);
    if ((out != stdout ? fclose(out) : fflush(out)) != 0 && rc != TMR_EXIT_FAILED) {
        fprintf(stderr, "timemory-report: cannot write %s: %s\n", o.output ? o.output : "standard output",
                strerror(errno));
        rc = TMR_EXIT_FAILED;
    }
    free(o.files);
    return rc;
}
