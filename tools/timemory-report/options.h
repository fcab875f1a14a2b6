/* timemory-report: command-line options. */
#ifndef TIMEMORY_REPORT_OPTIONS_H
#define TIMEMORY_REPORT_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

typedef enum tmr_mode { TMR_PRINT, TMR_MERGE, TMR_DIFF } tmr_mode_t;
typedef enum tmr_format { TMR_TEXT, TMR_JSON } tmr_format_t;

typedef struct tmr_options {
    tmr_mode_t mode;
    tmr_format_t format;
    bool has_threshold;
    double threshold;   /* percent */
    const char *output; /* -o FILE, or NULL for stdout */
    const char **files;
    size_t n_files;
    bool help, version;
} tmr_options_t;

/* Exit statuses. */
enum { TMR_EXIT_OK = 0, TMR_EXIT_FAILED = 1, TMR_EXIT_USAGE = 2, TMR_EXIT_REGRESSION = 3 };

extern const char tmr_usage[];

/* Parses argv; on a usage error prints one line naming the argument and
 * the valid choices to stderr and returns false. */
bool tmr_parse_options(int argc, char **argv, tmr_options_t *out);

#endif /* TIMEMORY_REPORT_OPTIONS_H */
