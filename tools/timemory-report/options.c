/* timemory-report: parsing and checking the command line. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/timemory-report/options.h"

const char tmr_usage[] = "usage: timemory-report [options] FILE.json...\n"
                         "\n"
                         "Reads the <component>.json files timemory-c writes (docs/json-format.md,\n"
                         "format_version 1).\n"
                         "\n"
                         "  timemory-report FILE...            the text report of each file\n"
                         "  timemory-report --merge FILE...    the files of several runs or processes\n"
                         "                                     merged into one tree\n"
                         "  timemory-report --diff A B         per-region change from A to B, largest first\n"
                         "\n"
                         "options:\n"
                         "  --merge            merge every FILE (same component and unit) into one\n"
                         "  --diff             compare two files: absolute and % change per region\n"
                         "  --threshold PCT    with --diff: exit with status 3 when a region present in\n"
                         "                     both files grew by more than PCT percent (a regression)\n"
                         "  --format FORMAT    text (the default) or json: the profile (one file or\n"
                         "                     --merge) in the same JSON format, or the diff as JSON\n"
                         "  -o FILE            write to FILE instead of standard output\n"
                         "  --version          print the timemory-c version\n"
                         "  -h, --help         show this help\n"
                         "\n"
                         "exit status: 0 success, 1 a file could not be read or written, 2 bad\n"
                         "arguments, 3 --threshold exceeded.\n";

static const char tmr_valid[] = "--merge, --diff, --threshold PCT, --format text|json, -o FILE, --version, --help";

static bool tmr_usage_error(const char *fmt, const char *arg) {
    fputs("timemory-report: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs(" (see timemory-report --help)\n", stderr);
    return false;
}

/* The value of an option given as "--opt VALUE" or "--opt=VALUE". */
static const char *tmr_value(int argc, char **argv, int *i, const char *name) {
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (a[n] == '=') return a + n + 1;
    if (*i + 1 >= argc) return NULL;
    return argv[++*i];
}

static bool tmr_is(const char *arg, const char *name) {
    size_t n = strlen(name);
    return strncmp(arg, name, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

bool tmr_parse_options(int argc, char **argv, tmr_options_t *o) {
    memset(o, 0, sizeof *o);
    o->files = calloc((size_t)(argc > 0 ? argc : 1), sizeof *o->files);
    if (!o->files) return tmr_usage_error("%s", "out of memory");
    bool merge = false, diff = false, positional_only = false;
    for (int i = 1; i < argc; ++i) {
        const char *a = argv[i];
        if (positional_only || a[0] != '-' || strcmp(a, "-") == 0) {
            o->files[o->n_files++] = a;
        } else if (strcmp(a, "--") == 0) {
            positional_only = true;
        } else if (strcmp(a, "--merge") == 0) {
            merge = true;
        } else if (strcmp(a, "--diff") == 0) {
            diff = true;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            o->help = true;
        } else if (strcmp(a, "--version") == 0) {
            o->version = true;
        } else if (tmr_is(a, "--format")) {
            const char *v = tmr_value(argc, argv, &i, "--format");
            if (!v) return tmr_usage_error("%s needs a value (valid: text, json)", "--format");
            if (strcmp(v, "text") == 0)
                o->format = TMR_TEXT;
            else if (strcmp(v, "json") == 0)
                o->format = TMR_JSON;
            else
                return tmr_usage_error("--format '%s' is not valid (valid: text, json)", v);
        } else if (tmr_is(a, "--threshold")) {
            const char *v = tmr_value(argc, argv, &i, "--threshold");
            if (!v) return tmr_usage_error("%s needs a value: a percentage such as 5 or 2.5", "--threshold");
            char *end = NULL;
            double pct = strtod(v, &end);
            if (!*v || *end || !isfinite(pct) || pct < 0)
                return tmr_usage_error("--threshold '%s' is not valid (valid: a percentage >= 0, such as 5 or 2.5)", v);
            o->has_threshold = true;
            o->threshold = pct;
        } else if (strcmp(a, "-o") == 0 || tmr_is(a, "--output")) {
            const char *v =
                strcmp(a, "-o") == 0 ? (i + 1 < argc ? argv[++i] : NULL) : tmr_value(argc, argv, &i, "--output");
            if (!v || !*v) return tmr_usage_error("%s needs a file name", a);
            o->output = v;
        } else {
            fprintf(stderr, "timemory-report: unknown option '%s' (valid: %s)\n", a, tmr_valid);
            return false;
        }
    }
    if (o->help || o->version) return true;
    if (merge && diff) return tmr_usage_error("%s: choose one", "--merge and --diff cannot be combined");
    o->mode = diff ? TMR_DIFF : merge ? TMR_MERGE : TMR_PRINT;
    if (o->has_threshold && o->mode != TMR_DIFF) return tmr_usage_error("%s only applies to --diff A B", "--threshold");
    if (o->n_files == 0) return tmr_usage_error("%s", "no FILE.json given");
    if (o->mode == TMR_DIFF && o->n_files != 2) {
        char n[32];
        snprintf(n, sizeof n, "%zu", o->n_files);
        return tmr_usage_error("--diff compares exactly two files (A B), not %s", n);
    }
    if (o->mode == TMR_PRINT && o->format == TMR_JSON && o->n_files > 1)
        return tmr_usage_error("%s", "--format json writes one profile: give one file, or --merge the files");
    return true;
}
