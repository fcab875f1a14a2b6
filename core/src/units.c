/* Display units of the components: the table's, or for timers and memory
 * the timing_units / memory_units settings. Above both the registry and the
 * settings, so neither depends on the other. */
#include <string.h>

#include <timemory/timemory.h>

/* Timing and memory units follow the settings; others keep the table's. */
static const struct {
    const char *unit;
    double scale;
} tm_time_units[] = {{"sec", 1e9}, {"msec", 1e6}, {"usec", 1e3}, {"nsec", 1.0}, {"min", 60e9}};
static const struct {
    const char *unit;
    double scale;
} tm_memory_units[] = {{"B", 1.0},      {"KB", 1e3},        {"MB", 1e6},          {"GB", 1e9},
                       {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0}};

static int tm_unit_index(int id) {
    const tm_component_desc_t *d = tm_component_desc(id);
    if (!d) return -1;
    if (strcmp(d->unit, "sec") == 0) {
        const char *u = tm_settings_get("timing_units");
        for (size_t i = 0; u && i < sizeof tm_time_units / sizeof *tm_time_units; ++i)
            if (strcmp(u, tm_time_units[i].unit) == 0) return (int)i;
    } else if (strcmp(d->unit, "MB") == 0) {
        const char *u = tm_settings_get("memory_units");
        for (size_t i = 0; u && i < sizeof tm_memory_units / sizeof *tm_memory_units; ++i)
            if (strcmp(u, tm_memory_units[i].unit) == 0) return 100 + (int)i;
    }
    return -1;
}

const char *tm_component_unit(int id) {
    int k = tm_unit_index(id);
    if (k >= 100) return tm_memory_units[k - 100].unit;
    if (k >= 0) return tm_time_units[k].unit;
    const tm_component_desc_t *d = tm_component_desc(id);
    return d ? d->unit : "";
}

double tm_component_scale(int id) {
    int k = tm_unit_index(id);
    if (k >= 100) return tm_memory_units[k - 100].scale;
    if (k >= 0) return tm_time_units[k].scale;
    const tm_component_desc_t *d = tm_component_desc(id);
    return d ? d->scale : 1.0;
}
