/* Settings: the rows of core/settings.def, their TIMEMORY_* environment
 * variables and validation. Values are kept as text; the two read on the hot
 * path (enabled, components) are cached in atomics. */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "internal.h"
#include "timeline.h"

#define TM_SETTING(NAME, TYPE, DEFAULT, CHOICES, DESCRIPTION) \
    {#NAME, "TIMEMORY_" #NAME, TM_SETTING_##TYPE, DEFAULT, CHOICES, DESCRIPTION},
static tm_setting_desc_t tm_setting_rows[] = {
#include "../settings.def"
};
#define TM_N_SETTINGS (sizeof tm_setting_rows / sizeof tm_setting_rows[0])

/* Environment names are upper case: fill them in once. */
static char tm_setting_env[TM_N_SETTINGS][64];
static char tm_setting_value[TM_N_SETTINGS][1024];
static pthread_once_t tm_settings_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t tm_settings_lock = PTHREAD_MUTEX_INITIALIZER;

tm_settings_cache_t tm_g_settings = {1, TM_WALL_CLOCK_BIT};

static void tm_settings_defaults(void) {
    for (size_t i = 0; i < TM_N_SETTINGS; ++i) {
        const char *name = tm_setting_rows[i].name;
        snprintf(tm_setting_env[i], sizeof tm_setting_env[i], "TIMEMORY_%s", name);
        for (char *p = tm_setting_env[i]; *p; ++p) *p = (char)toupper((unsigned char)*p);
        tm_setting_rows[i].env = tm_setting_env[i];
        snprintf(tm_setting_value[i], sizeof tm_setting_value[i], "%s", tm_setting_rows[i].default_value);
    }
}

static void tm_settings_ensure(void) { pthread_once(&tm_settings_once, tm_settings_defaults); }

size_t tm_settings_count(void) { return TM_N_SETTINGS; }

const tm_setting_desc_t *tm_settings_desc(size_t i) {
    tm_settings_ensure();
    return i < TM_N_SETTINGS ? &tm_setting_rows[i] : NULL;
}

static int tm_setting_index(const char *name) {
    for (size_t i = 0; name && i < TM_N_SETTINGS; ++i)
        if (strcmp(tm_setting_rows[i].name, name) == 0) return (int)i;
    return -1;
}

static int tm_parse_bool(const char *v) {
    static const char *yes[] = {"1", "true", "on", "yes", "TRUE", "ON", "YES", "True", "On", "Yes"};
    static const char *no[] = {"0", "false", "off", "no", "FALSE", "OFF", "NO", "False", "Off", "No"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; ++i) {
        if (strcmp(v, yes[i]) == 0) return 1;
        if (strcmp(v, no[i]) == 0) return 0;
    }
    return -1;
}

static bool tm_choice_valid(const char *choices, const char *v) {
    size_t len = strlen(v);
    for (const char *p = choices; *p;) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (n == len && strncmp(p, v, n) == 0) return true;
        if (!bar) break;
        p = bar + 1;
    }
    return false;
}

/* Validates `value` for row i into canonical text; TM_OK or TM_E_BAD_SETTING
 * with a message naming `what` (the setting or its variable). */
static int tm_setting_validate(size_t i, const char *what, const char *value, char *canon, size_t n,
                               tm_component_set_t *set) {
    const tm_setting_desc_t *row = &tm_setting_rows[i];
    if (!value) return tm_fail(TM_E_BAD_SETTING, "%s: value is NULL", what);
    switch (row->type) {
    case TM_SETTING_BOOL: {
        int b = tm_parse_bool(value);
        if (b < 0)
            return tm_fail(TM_E_BAD_SETTING, "%s=\"%s\" is not a boolean (valid: 1, 0, true, false, on, off, yes, no)",
                           what, value);
        snprintf(canon, n, "%d", b);
        return TM_OK;
    }
    case TM_SETTING_INT: {
        char *end = NULL;
        errno = 0;
        long v = strtol(value, &end, 10);
        if (!*value || *end || errno || v < 0 || v > 1000000)
            return tm_fail(TM_E_BAD_SETTING, "%s=\"%s\" is not a number (valid: an integer from 0 to 1000000)",
                           what, value);
        snprintf(canon, n, "%ld", v);
        return TM_OK;
    }
    case TM_SETTING_CHOICE:
        if (!tm_choice_valid(row->choices, value))
            return tm_fail(TM_E_BAD_SETTING, "%s=\"%s\" is not a valid choice (valid: %s)", what, value,
                           row->choices);
        snprintf(canon, n, "%s", value);
        return TM_OK;
    case TM_SETTING_COMPONENTS: {
        int rc = tm_component_set_parse(value, set);
        if (rc != TM_OK) {
            char detail[4096];
            snprintf(detail, sizeof detail, "%s", tm_last_error());
            return tm_fail(TM_E_BAD_SETTING, "%s=\"%s\": %s", what, value, detail);
        }
        snprintf(canon, n, "%s", value);
        return TM_OK;
    }
    case TM_SETTING_STRING:
    default:
        if (strlen(value) >= n) return tm_fail(TM_E_BAD_SETTING, "%s: value is too long", what);
        snprintf(canon, n, "%s", value);
        return TM_OK;
    }
}

static void tm_setting_store(size_t i, const char *canon, tm_component_set_t set) {
    snprintf(tm_setting_value[i], sizeof tm_setting_value[i], "%s", canon);
    if (strcmp(tm_setting_rows[i].name, "enabled") == 0)
        atomic_store(&tm_g_settings.enabled, canon[0] == '1');
    else if (tm_setting_rows[i].type == TM_SETTING_COMPONENTS)
        atomic_store(&tm_g_settings.components, set);
    else if (strcmp(tm_setting_rows[i].name, "timeline_profile") == 0)
        atomic_store(&tm_timeline_on, canon[0] == '1');
    else if (strcmp(tm_setting_rows[i].name, "timing_source") == 0)
        tm_clock_select(canon);
}

int tm_settings_set(const char *name, const char *value) {
    tm_settings_ensure();
    int i = tm_setting_index(name);
    if (i < 0) {
        char names[1024] = "";
        for (size_t k = 0; k < TM_N_SETTINGS; ++k) {
            if (k) strncat(names, ", ", sizeof names - strlen(names) - 1);
            strncat(names, tm_setting_rows[k].name, sizeof names - strlen(names) - 1);
        }
        return tm_fail(TM_E_BAD_SETTING, "unknown setting '%s' (valid: %s)", name ? name : "(null)", names);
    }
    char canon[1024];
    tm_component_set_t set = 0;
    pthread_mutex_lock(&tm_settings_lock);
    int rc = tm_setting_validate((size_t)i, name, value, canon, sizeof canon, &set);
    if (rc == TM_OK) tm_setting_store((size_t)i, canon, set);
    pthread_mutex_unlock(&tm_settings_lock);
    return rc;
}

const char *tm_settings_get(const char *name) {
    tm_settings_ensure();
    int i = tm_setting_index(name);
    return i < 0 ? NULL : tm_setting_value[i];
}

bool tm_settings_flag(const char *name) {
    const char *v = tm_settings_get(name);
    return v && v[0] == '1';
}

long tm_settings_int(const char *name) {
    const char *v = tm_settings_get(name);
    return v ? strtol(v, NULL, 10) : 0;
}

/* Called once per process by tm_init(). */
void tm_settings_load_env(void) {
    tm_settings_ensure();
    for (size_t i = 0; i < TM_N_SETTINGS; ++i) {
        const char *v = getenv(tm_setting_env[i]);
        if (!v) continue;
        char canon[1024];
        tm_component_set_t set = 0;
        pthread_mutex_lock(&tm_settings_lock);
        int rc = tm_setting_validate(i, tm_setting_env[i], v, canon, sizeof canon, &set);
        if (rc == TM_OK) tm_setting_store(i, canon, set);
        pthread_mutex_unlock(&tm_settings_lock);
        if (rc != TM_OK)
            tm_warn("%s; using the default \"%s\"", tm_last_error(), tm_setting_rows[i].default_value);
    }
}

/* fork() (fork.c): taken first, as a setting change may take other locks. */
void tm_settings_fork_prepare(void) { pthread_mutex_lock(&tm_settings_lock); }
void tm_settings_fork_parent(void) { pthread_mutex_unlock(&tm_settings_lock); }
void tm_settings_fork_child(void) { pthread_mutex_init(&tm_settings_lock, NULL); }
