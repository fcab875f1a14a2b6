/* timemory-avail: the settings table. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>

#include <timemory/settings.h>

#include "tools/timemory-avail/listing.h"
#include "tools/timemory-avail/names.h"
#include "tools/timemory-avail/table.h"

enum { NCOLS = 6 };

/* "sec|msec|usec" -> "sec, msec, usec" into buf (the table's own columns are
 * separated by '|'). */
static const char *choices_text(const char *choices, char *buf, size_t size) {
    size_t used = 0;
    for (const char *p = choices; *p && used + 3 < size; ++p) {
        if (*p == '|') {
            buf[used++] = ',';
            buf[used++] = ' ';
        } else {
            buf[used++] = *p;
        }
    }
    buf[used] = '\0';
    return buf;
}

int avail_print_settings(FILE *out) {
    static const char *const header[NCOLS] = {"SETTING", "ENVIRONMENT VARIABLE", "VALUE", "TYPE",
                                              "DEFAULT", "DESCRIPTION"};
    avail_table_t t;
    if (avail_table_init(&t, NCOLS, header) != 0) return -1;
    int rc = 0;
    size_t n = tm_settings_count();
    char(*choices)[256] = calloc(n ? n : 1, sizeof *choices);
    if (!choices) {
        avail_table_free(&t);
        return -1;
    }
    for (size_t i = 0; i < n && rc == 0; ++i) {
        const tm_setting_desc_t *d = tm_settings_desc(i);
        if (!d) continue;
        const char *value = tm_settings_get(d->name);
        const char *type = d->type == TM_SETTING_CHOICE && d->choices
                               ? choices_text(d->choices, choices[i], sizeof choices[i])
                               : avail_setting_type_name(d->type);
        const char *row[NCOLS] = {d->name, d->env, value ? value : "", type, d->default_value, d->description};
        rc = avail_table_add(&t, row);
    }
    if (rc == 0) avail_table_print(&t, out);
    avail_table_free(&t);
    free(choices);
    return rc;
}
