/* libFuzzer target: timem's option parser. The input is split at NUL bytes
 * into the arguments after "timem". A parse that succeeds must leave a
 * command inside argv (or ask for help/version) and at least one metric
 * selected; a failure must return TIMEM_EXIT_USAGE. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/timem/options.h"

static FILE *devnull;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!devnull) devnull = fopen("/dev/null", "w");
    if (size > 4096) return 0;
    /* each argument its own allocation, so ASan sees reads past its end */
    char *argv[4098];
    int argc = 0;
    argv[argc++] = strdup("timem");
    size_t start = 0;
    for (size_t i = 0; i <= size; ++i) {
        if (i == size || data[i] == '\0') {
            if (i == size && i == start && argc > 1) break; /* trailing NUL: no empty last argument */
            char *a = malloc(i - start + 1);
            memcpy(a, data + start, i - start);
            a[i - start] = '\0';
            argv[argc++] = a;
            start = i + 1;
        }
    }
    argv[argc] = NULL;
    timem_options_t opts;
    int rc = timem_options_parse(argc, argv, &opts, devnull);
    if (rc == 0 && !opts.help && !opts.version) {
        if (!opts.command || opts.command < argv + 1 || opts.command >= argv + argc || !*opts.command) abort();
        int any = 0;
        for (int m = 0; m < TIMEM_METRIC_COUNT; ++m) any |= opts.selected[m];
        if (!any) abort();
        if (opts.output && !opts.output[0]) abort(); /* -o needs a value */
    } else if (rc != 0 && rc != TIMEM_EXIT_USAGE) {
        abort();
    }
    for (int i = 0; i < argc; ++i) free(argv[i]);
    return 0;
}
