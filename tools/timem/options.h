/* timem: command-line parsing. */
#ifndef TIMEM_OPTIONS_H
#define TIMEM_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>

#include "tools/timem/metrics.h"

typedef struct timem_options {
    const char *output;                /* -o FILE, or NULL */
    bool selected[TIMEM_METRIC_COUNT]; /* -e a,b (all when no -e) */
    bool help;                         /* -h / --help */
    bool version;                      /* --version */
    char **command;                    /* NULL-terminated argv of CMD */
} timem_options_t;

/* Exit status for usage errors (bad option, bad -e name, no command). */
#define TIMEM_EXIT_USAGE 2

/* Parses argv. Options end at `--` or at the first argument that is not an
 * option, so `timem ls -l` runs `ls -l`. Returns 0, or TIMEM_EXIT_USAGE after
 * printing to `err` a message naming the bad input and the valid choices. */
int timem_options_parse(int argc, char **argv, timem_options_t *opts, FILE *err);

void timem_options_usage(FILE *out);

#endif /* TIMEM_OPTIONS_H */
