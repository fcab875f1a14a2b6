/* timemory-avail: the component and settings tables, from the descriptors
 * the library publishes (tm_component_desc, tm_settings_desc). */
#ifndef TM_AVAIL_LISTING_H
#define TM_AVAIL_LISTING_H

#include <stdio.h>

/* One row per component: id, name, Python class, label, unit (after the
 * timing_units/memory_units settings), category, description, "yes" or why
 * it is unavailable here. Returns 0 or -1 (no memory). */
int avail_print_components(FILE *out);

/* One row per setting: name, environment variable, current value, type
 * (the valid values of a choice), default, description. Returns 0 or -1. */
int avail_print_settings(FILE *out);

/* {"components": [...], "settings": [...]} with every descriptor field.
 * Returns 0 or -1 when writing failed. */
int avail_print_json(FILE *out);

#endif /* TM_AVAIL_LISTING_H */
