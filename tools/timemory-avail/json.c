/* timemory-avail: --json, every descriptor field of every component and
 * setting. */
#define _GNU_SOURCE
#include <stdio.h>

#include <timemory/component.h>
#include <timemory/settings.h>
#include <timemory/timing.h>

#include "tools/timemory-avail/listing.h"
#include "tools/timemory-avail/names.h"

/* Writes `s` as a JSON string, or null when `s` is NULL. */
static void json_string(FILE *out, const char *s) {
    if (!s) {
        fputs("null", out);
        return;
    }
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; ++p) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

static void json_field(FILE *out, const char *key, const char *value, int last) {
    fprintf(out, "\"%s\": ", key);
    json_string(out, value);
    fputs(last ? "" : ", ", out);
}

static void component_json(FILE *out, int id) {
    const tm_component_desc_t *d = tm_component_desc(id);
    const char *why = tm_component_unavailable(id);
    fprintf(out, "    {\"id\": %d, ", d->id);
    json_field(out, "name", d->name, 0);
    json_field(out, "pyclass", d->pyclass, 0);
    json_field(out, "label", d->label, 0);
    json_field(out, "unit", tm_component_unit(id), 0);
    fprintf(out, "\"scale\": %.17g, ", tm_component_scale(id));
    json_field(out, "table_unit", d->unit, 0);
    fprintf(out, "\"table_scale\": %.17g, ", d->scale);
    json_field(out, "type", avail_type_name(d->type), 0);
    json_field(out, "kind", avail_kind_name(d->kind), 0);
    json_field(out, "category", avail_category_name(d->category), 0);
    fprintf(out, "\"available\": %s, ", why ? "false" : "true");
    json_field(out, "unavailable_reason", why, 0);
    json_field(out, "description", d->description, 1);
    fputc('}', out);
}

static void setting_json(FILE *out, const tm_setting_desc_t *d) {
    fputs("    {", out);
    json_field(out, "name", d->name, 0);
    json_field(out, "env", d->env, 0);
    json_field(out, "value", tm_settings_get(d->name), 0);
    json_field(out, "type", avail_setting_type_name(d->type), 0);
    json_field(out, "default", d->default_value, 0);
    fputs("\"choices\": ", out);
    if (d->choices) {
        /* "sec|msec" -> ["sec", "msec"] */
        fputc('[', out);
        const char *p = d->choices;
        for (int first = 1;; first = 0) {
            const char *bar = p;
            while (*bar && *bar != '|') ++bar;
            fprintf(out, "%s\"%.*s\"", first ? "" : ", ", (int)(bar - p), p);
            if (!*bar) break;
            p = bar + 1;
        }
        fputs("], ", out);
    } else {
        fputs("null, ", out);
    }
    json_field(out, "description", d->description, 1);
    fputc('}', out);
}

int avail_print_json(FILE *out) {
    fputs("{\n  \"timing_source\": ", out);
    json_string(out, tm_timing_source());
    fputs(",\n  \"timing_source_info\": ", out);
    json_string(out, tm_timing_source_info());
    fputs(",\n  \"components\": [\n", out);
    int n = tm_component_count();
    int first = 1;
    for (int id = 0; id < n; ++id) {
        if (!tm_component_desc(id)) continue;
        fputs(first ? "" : ",\n", out);
        first = 0;
        component_json(out, id);
    }
    fputs("\n  ],\n  \"settings\": [\n", out);
    size_t ns = tm_settings_count();
    first = 1;
    for (size_t i = 0; i < ns; ++i) {
        const tm_setting_desc_t *d = tm_settings_desc(i);
        if (!d) continue;
        fputs(first ? "" : ",\n", out);
        first = 0;
        setting_json(out, d);
    }
    fputs("\n  ]\n}\n", out);
    return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}
