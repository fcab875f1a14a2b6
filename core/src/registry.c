/* The component registry (registry.h): lookups by name, component sets, the
 * samplers in use. Display units, which follow the settings, are units.c. */
#include <ctype.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "errors.h"
#include "registry.h"
#include "samplers/wall_clock.h"

void (*tm_samplers[TM_COMPONENT_COUNT])(int64_t out[2]);
static pthread_once_t tm_samplers_once = PTHREAD_ONCE_INIT;

tm_component_set_t tm_g_plain_difference;

static void tm_valid_list_fill(void);

static void tm_samplers_fill(void) {
    for (int i = 0; i < TM_COMPONENT_COUNT; ++i) {
        tm_samplers[i] = tm_component_table[i].sample;
        if (tm_traits(i)->subtracts_children && !tm_traits(i)->ratio)
            tm_g_plain_difference |= (tm_component_set_t)1 << i;
    }
    tm_valid_list_fill();
}

void tm_samplers_init(void) { pthread_once(&tm_samplers_once, tm_samplers_fill); }

int tm_component_count(void) {
    tm_samplers_init();
    return TM_COMPONENT_COUNT;
}

const tm_component_desc_t *tm_component_desc(int id) {
    tm_samplers_init();
    return id >= 0 && id < TM_COMPONENT_COUNT ? &tm_component_table[id] : NULL;
}

int tm_testing_set_sampler(int id, void (*sample)(int64_t out[2])) {
    if (id < 0 || id >= TM_COMPONENT_COUNT) return tm_fail(TM_E_INVALID, "component id %d out of range", id);
    tm_samplers_init();
    if (id == TM_WALL_CLOCK) {
        /* the region path reads the wall clock inline: swap the reading only */
        tm_wall_override = sample;
        return TM_OK;
    }
    tm_samplers[id] = sample ? sample : tm_component_table[id].sample;
    return TM_OK;
}

/* "a, b, c", the names error messages list as valid: the table is fixed,
 * so it is joined once (with the samplers), not at every failed lookup. */
static char tm_valid_list[2048];

static void tm_valid_list_fill(void) {
    tm_join_names(tm_valid_list, sizeof tm_valid_list, &tm_component_table[0].name, TM_COMPONENT_COUNT,
                  sizeof tm_component_table[0]);
}

static int tm_component_find_n(const char *name, size_t len) {
    for (int i = 0; i < TM_COMPONENT_COUNT; ++i) {
        const tm_component_desc_t *d = &tm_component_table[i];
        if ((strlen(d->name) == len && strncmp(d->name, name, len) == 0) ||
            (strlen(d->pyclass) == len && strncmp(d->pyclass, name, len) == 0))
            return i;
    }
    return tm_fail(TM_E_UNKNOWN_COMPONENT, "unknown component '%.*s' (valid: %s)", (int)len, name, tm_valid_list);
}

int tm_component_find(const char *name) {
    tm_samplers_init();
    if (!name) return tm_fail(TM_E_UNKNOWN_COMPONENT, "component name is NULL");
    return tm_component_find_n(name, strlen(name));
}

static _Atomic tm_component_set_t tm_unavailable_warned;

int tm_component_set_available(tm_component_set_t set, tm_component_set_t *out) {
    if (!out) return tm_fail(TM_E_INVALID, "output is NULL");
    tm_component_set_t usable = set;
    char missing[2048] = "";
    for (tm_component_set_t m = set; m; m &= m - 1) {
        int id = __builtin_ctzll(m);
        const char *why = id < TM_COMPONENT_COUNT ? tm_component_unavailable(id) : "no such component";
        if (!why) continue;
        size_t used = strlen(missing);
        snprintf(missing + used, sizeof missing - used, "%s%s (%s)", used ? "; " : "",
                 id < TM_COMPONENT_COUNT ? tm_component_table[id].name : "?", why);
        /* the rest of the region records normally; say why once */
        tm_component_set_t bit = (tm_component_set_t)1 << id;
        usable &= ~bit;
        if (id < TM_COMPONENT_COUNT && !(atomic_fetch_or(&tm_unavailable_warned, bit) & bit))
            tm_warn("component '%s' is not available here and is not recorded: %s", tm_component_table[id].name, why);
    }
    if (set && !usable) return tm_fail(TM_E_UNAVAILABLE, "none of the components named is available here: %s", missing);
    *out = usable;
    return TM_OK;
}

int tm_component_set_parse(const char *names, tm_component_set_t *out) {
    tm_samplers_init();
    if (!names || !out) return tm_fail(TM_E_INVALID, "component list or output is NULL");
    tm_component_set_t set = 0;
    const char *p = names;
    while (*p) {
        while (*p && (*p == ',' || *p == ';' || isspace((unsigned char)*p))) ++p;
        const char *start = p;
        while (*p && *p != ',' && *p != ';' && !isspace((unsigned char)*p)) ++p;
        if (p == start) break;
        int id = tm_component_find_n(start, (size_t)(p - start));
        if (id < 0) return id;
        set |= (tm_component_set_t)1 << id;
    }
    if (!set) return tm_fail(TM_E_UNKNOWN_COMPONENT, "no component named in \"%s\" (valid: %s)", names, tm_valid_list);
    return tm_component_set_available(set, out);
}

const char *tm_component_unavailable(int id) {
    const tm_component_desc_t *d = tm_component_desc(id);
    if (!d) return "no such component";
    return d->available ? d->available() : NULL;
}
