/* timem: command-line parsing. */
#define _GNU_SOURCE
#include "tools/timem/options.h"

#include <string.h>

static void list_metric_names(FILE *out) {
    for (int i = 0; i < TIMEM_METRIC_COUNT; ++i) fprintf(out, "%s%s", i ? ", " : "", timem_metrics[i].name);
    fputc('\n', out);
}

void timem_options_usage(FILE *out) {
    fprintf(out, "usage: timem [-o FILE] [-e NAME[,NAME...]] [--] CMD [ARGS...]\n"
                 "\n"
                 "Runs CMD, then prints its measurement totals to standard error.\n"
                 "Exits with CMD's exit status (128+N if CMD was killed by signal N,\n"
                 "127 if CMD was not found, 126 if it could not be executed).\n"
                 "SIGINT, SIGTERM and SIGHUP sent to timem are forwarded to CMD.\n"
                 "\n"
                 "options:\n"
                 "  -o FILE   also write the measurements as JSON to FILE\n"
                 "  -e LIST   report only these measurements (comma-separated; may repeat)\n"
                 "  -h        show this help\n"
                 "  --version print timem's version\n"
                 "  --        end of options\n"
                 "\n"
                 "measurements (-e names):\n");
    for (int i = 0; i < TIMEM_METRIC_COUNT; ++i)
        fprintf(out, "  %-26s %s\n", timem_metrics[i].name, timem_metrics[i].description);
}

/* Adds the comma-separated names in `list` to the selection. */
static int select_metrics(const char *list, timem_options_t *opts, FILE *err) {
    const char *p = list;
    int names = 0;
    for (;;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > 0) {
            int id = timem_metric_find(p, len);
            if (id < 0) {
                fprintf(err, "timem: -e: unknown measurement '%.*s'; valid names: ", (int)len, p);
                list_metric_names(err);
                return TIMEM_EXIT_USAGE;
            }
            opts->selected[id] = true;
            ++names;
        }
        if (!end) break;
        p = end + 1;
    }
    if (names == 0) {
        fprintf(err, "timem: -e: no measurement named in '%s'; valid names: ", list);
        list_metric_names(err);
        return TIMEM_EXIT_USAGE;
    }
    return 0;
}

/* Value of an option that takes one: the rest of `argv[*i]` after the option
 * letter ("-oFILE"), else the next argument. NULL when missing. */
static const char *option_value(int argc, char **argv, int *i) {
    if (argv[*i][2] != '\0') return argv[*i] + 2;
    if (*i + 1 < argc) return argv[++*i];
    return NULL;
}

int timem_options_parse(int argc, char **argv, timem_options_t *opts, FILE *err) {
    memset(opts, 0, sizeof *opts);
    bool any_selected = false;
    int i = 1;
    for (; i < argc; ++i) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            ++i;
            break;
        }
        if (a[0] != '-' || a[1] == '\0') break; /* first non-option: the command */
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            opts->help = true;
            return 0;
        }
        if (strcmp(a, "--version") == 0) {
            opts->version = true;
            return 0;
        }
        if (a[1] == 'o' || a[1] == 'e') {
            const char *v = option_value(argc, argv, &i);
            if (!v || v[0] == '\0') {
                fprintf(err, "timem: option -%c needs a value\n", a[1]);
                fprintf(err, "usage: timem [-o FILE] [-e NAME[,NAME...]] [--] CMD [ARGS...]\n");
                return TIMEM_EXIT_USAGE;
            }
            if (a[1] == 'o') {
                opts->output = v;
            } else {
                int rc = select_metrics(v, opts, err);
                if (rc) return rc;
                any_selected = true;
            }
            continue;
        }
        fprintf(err, "timem: unknown option '%s'; valid options: -o FILE, -e LIST, -h, --version, --\n", a);
        fprintf(err, "usage: timem [-o FILE] [-e NAME[,NAME...]] [--] CMD [ARGS...]\n");
        return TIMEM_EXIT_USAGE;
    }
    if (i >= argc) {
        fprintf(err, "timem: no command given\n");
        fprintf(err, "usage: timem [-o FILE] [-e NAME[,NAME...]] [--] CMD [ARGS...]\n");
        return TIMEM_EXIT_USAGE;
    }
    opts->command = argv + i;
    if (!any_selected) {
        for (int m = 0; m < TIMEM_METRIC_COUNT; ++m) opts->selected[m] = true;
    }
    return 0;
}
