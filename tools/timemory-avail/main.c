/* timemory-avail: lists the components (from components.def) and settings
 * of timemory-c, as the library describes them.
 *
 *   timemory-avail [-c] [-s] [--json] [-h] [--version]
 *
 * Exit status: 0; 2 for a usage error; 1 when output failed.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <timemory/api.h>
#include <timemory/timing.h>

#include "tools/timemory-avail/listing.h"

static const char usage[] = "usage: timemory-avail [-c] [-s] [--json] [-h] [--version]\n"
                            "\n"
                            "Lists what timemory-c offers on this machine.\n"
                            "\n"
                            "options:\n"
                            "  -c, --components  the components: id, name, Python class, label, unit,\n"
                            "                    category, description, available here (\"yes\" or\n"
                            "                    why not) (the default)\n"
                            "  -s, --settings    the settings: name, environment variable, current\n"
                            "                    value, type or valid values, default, description\n"
                            "  --json            components and settings as one JSON object\n"
                            "  -h, --help        show this help\n"
                            "  --version         print the version\n";

int main(int argc, char **argv) {
    bool components = false, settings = false, json = false;
    for (int i = 1; i < argc; ++i) {
        const char *a = argv[i];
        if (strcmp(a, "-c") == 0 || strcmp(a, "--components") == 0) {
            components = true;
        } else if (strcmp(a, "-s") == 0 || strcmp(a, "--settings") == 0) {
            settings = true;
        } else if (strcmp(a, "--json") == 0) {
            json = true;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (strcmp(a, "--version") == 0) {
            printf("timemory-avail %s\n", tm_version());
            return 0;
        } else {
            fprintf(stderr,
                    "timemory-avail: unknown option '%s'; valid options: "
                    "-c/--components, -s/--settings, --json, -h/--help, --version\n",
                    a);
            return 2;
        }
    }
    if (!components && !settings) components = true;

    /* Current values include the TIMEMORY_* environment variables. */
    int rc = tm_init("timemory-avail");
    if (rc < 0) fprintf(stderr, "timemory-avail: tm_init: %s\n", tm_strerror(rc));

    int failed = 0;
    if (json) {
        failed |= avail_print_json(stdout);
    } else {
        if (components) {
            failed |= avail_print_components(stdout);
            printf("\ntiming source of wall_clock and regions: %s\n", tm_timing_source_info());
        }
        if (components && settings) fputc('\n', stdout);
        if (settings) failed |= avail_print_settings(stdout);
    }
    if (fflush(stdout) != 0) failed = -1;
    if (failed) {
        fprintf(stderr, "timemory-avail: writing the listing failed\n");
        return 1;
    }
    return 0;
}
