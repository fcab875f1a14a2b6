/* timemory-avail: the component table. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>

#include <timemory/component.h>

#include "tools/timemory-avail/listing.h"
#include "tools/timemory-avail/names.h"
#include "tools/timemory-avail/table.h"

enum { NCOLS = 8 };

int avail_print_components(FILE *out) {
    static const char *const header[NCOLS] = {"ID",   "COMPONENT", "PYTHON CLASS", "LABEL",
                                              "UNIT", "CATEGORY",  "DESCRIPTION",  "AVAILABLE"};
    int n = tm_component_count();
    avail_table_t t;
    char(*ids)[16] = calloc((size_t)(n > 0 ? n : 1), sizeof *ids);
    if (!ids || avail_table_init(&t, NCOLS, header) != 0) {
        free(ids);
        return -1;
    }
    int rc = 0;
    for (int id = 0; id < n && rc == 0; ++id) {
        const tm_component_desc_t *d = tm_component_desc(id);
        if (!d) continue;
        const char *why = tm_component_unavailable(id);
        const char *unit = tm_component_unit(id);
        snprintf(ids[id], sizeof ids[id], "%d", d->id);
        const char *row[NCOLS] = {ids[id],
                                  d->name,
                                  d->pyclass,
                                  d->label,
                                  unit && *unit ? unit : "-",
                                  avail_category_name(d->category),
                                  d->description,
                                  why ? why : "yes"};
        rc = avail_table_add(&t, row);
    }
    if (rc == 0) avail_table_print(&t, out);
    avail_table_free(&t);
    free(ids);
    return rc;
}
