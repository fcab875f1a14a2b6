/* Settings: the rows of core/settings.def in three layers, lowest first:
 * the row's default, its TIMEMORY_* environment variable (read once, with
 * the defaults, at the first use of any setting), and tm_settings_set(),
 * which always wins because the environment was applied before it. Values
 * are kept as interned text that is never freed, so tm_settings_get() hands
 * out a pointer no later set can rewrite; the two settings read on the hot
 * path (enabled, components) are also cached in atomics. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "samplers/clock.h"
#include "settings_cache.h"
#include "core/src/settings_table.h"

#define TM_N_SETTINGS ((size_t)TM_SETTING_COUNT)

/* Every distinct value a setting has had; never freed, so the current one
 * (an atomic pointer into this list or at the row's default) stays valid. */
typedef struct tm_setting_text {
    struct tm_setting_text *next;
    char text[];
} tm_setting_text_t;
static tm_setting_text_t *tm_setting_texts[TM_N_SETTINGS];
static const char *tm_setting_current[TM_N_SETTINGS];

static pthread_once_t tm_settings_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t tm_settings_lock = PTHREAD_MUTEX_INITIALIZER;

/* Filled from the rows by tm_settings_init() before any thread records. */
tm_settings_cache_t tm_g_settings;

static void tm_settings_load(void);
void tm_settings_init(void) { pthread_once(&tm_settings_once, tm_settings_load); }
static void tm_settings_ensure(void) { tm_settings_init(); }

size_t tm_settings_count(void) { return TM_N_SETTINGS; }

const tm_setting_desc_t *tm_settings_desc(size_t i) {
    tm_settings_ensure();
    return i < TM_N_SETTINGS ? &tm_setting_rows[i] : NULL;
}

static int tm_setting_index(const char *name) {
    /* the first byte first: a strcmp call per row only where it can match */
    for (size_t i = 0; name && i < TM_N_SETTINGS; ++i)
        if (tm_setting_rows[i].name[0] == name[0] && strcmp(tm_setting_rows[i].name, name) == 0) return (int)i;
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
            return tm_fail(TM_E_BAD_SETTING, "%s=\"%s\" is not a number (valid: an integer from 0 to 1000000)", what,
                           value);
        snprintf(canon, n, "%ld", v);
        return TM_OK;
    }
    case TM_SETTING_CHOICE:
        if (!tm_choice_valid(row->choices, value))
            return tm_fail(TM_E_BAD_SETTING, "%s=\"%s\" is not a valid choice (valid: %s)", what, value, row->choices);
        snprintf(canon, n, "%s", value);
        return TM_OK;
    case TM_SETTING_COMPONENTS: {
        /* kept as given: longer text would be cut, naming fewer components than the set */
        if (strlen(value) >= n)
            return tm_fail(TM_E_BAD_SETTING, "%s: value is too long (%zu characters, at most %zu)", what, strlen(value),
                           n - 1);
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
        /* output_path: "" names no directory (mkdir("") fails only at tm_finalize) */
        if (!*value) return tm_fail(TM_E_BAD_SETTING, "%s=\"\" is empty (valid: a non-empty path)", what);
        if (strlen(value) >= n)
            return tm_fail(TM_E_BAD_SETTING, "%s: value is too long (%zu characters, at most %zu)", what, strlen(value),
                           n - 1);
        snprintf(canon, n, "%s", value);
        return TM_OK;
    }
}

/* The interned copy of `canon` for row i; caller holds the lock. */
static const char *tm_setting_intern(size_t i, const char *canon) {
    if (strcmp(canon, tm_setting_rows[i].default_value) == 0) return tm_setting_rows[i].default_value;
    for (tm_setting_text_t *t = tm_setting_texts[i]; t; t = t->next)
        if (strcmp(t->text, canon) == 0) return t->text;
    size_t len = strlen(canon);
    tm_setting_text_t *t = malloc(sizeof *t + len + 1);
    if (!t) return NULL;
    memcpy(t->text, canon, len + 1);
    t->next = tm_setting_texts[i];
    tm_setting_texts[i] = t;
    return t->text;
}

/* Makes `canon` the value of row i; caller holds the lock. */
static int tm_setting_store(size_t i, const char *canon, tm_component_set_t set) {
    const char *text = tm_setting_intern(i, canon);
    if (!text) return tm_fail(TM_E_NOMEM, "out of memory setting '%s'", tm_setting_rows[i].name);
    __atomic_store_n(&tm_setting_current[i], text, __ATOMIC_RELEASE);
    if (strcmp(tm_setting_rows[i].name, "enabled") == 0)
        atomic_store(&tm_g_settings.enabled, canon[0] == '1');
    else if (strcmp(tm_setting_rows[i].name, "components") == 0) /* not any COMPONENTS row */
        atomic_store(&tm_g_settings.components, set);
    else if (strcmp(tm_setting_rows[i].name, "timeline_profile") == 0)
        atomic_store(&tm_g_settings.timeline, canon[0] == '1');
    else if (strcmp(tm_setting_rows[i].name, "timing_source") == 0)
        tm_clock_select(canon);
    return TM_OK;
}

int tm_settings_set(const char *name, const char *value) {
    tm_settings_ensure();
    int i = tm_setting_index(name);
    if (i < 0) {
        char names[1024];
        tm_join_names(names, sizeof names, &tm_setting_rows[0].name, TM_N_SETTINGS, sizeof tm_setting_rows[0]);
        return tm_fail(TM_E_BAD_SETTING, "unknown setting '%s' (valid: %s)", name ? name : "(null)", names);
    }
    char canon[1024];
    tm_component_set_t set = 0;
    pthread_mutex_lock(&tm_settings_lock);
    int rc = tm_setting_validate((size_t)i, name, value, canon, sizeof canon, &set);
    if (rc == TM_OK) rc = tm_setting_store((size_t)i, canon, set);
    pthread_mutex_unlock(&tm_settings_lock);
    return rc;
}

const char *tm_settings_get(const char *name) {
    tm_settings_ensure();
    int i = tm_setting_index(name);
    return i < 0 ? NULL : __atomic_load_n(&tm_setting_current[i], __ATOMIC_ACQUIRE);
}

bool tm_settings_flag(const char *name) {
    const char *v = tm_settings_get(name);
    return v && v[0] == '1';
}

long tm_settings_int(const char *name) {
    const char *v = tm_settings_get(name);
    return v ? strtol(v, NULL, 10) : 0;
}

/* Edit distance of a[0..n) and b (insert, delete, substitute), capped at 3. */
static size_t tm_edit_distance(const char *a, size_t n, const char *b) {
    size_t m = strlen(b), row[65];
    if (n > 64 || m > 64) return 3;
    for (size_t j = 0; j <= m; ++j) row[j] = j;
    for (size_t i = 1; i <= n; ++i) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= m; ++j) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    return row[m] < 3 ? row[m] : 3;
}

/* A TIMEMORY_* variable one or two letters away from a setting's variable
 * is almost surely a typo that would otherwise be ignored without a word:
 * warn, naming the setting meant. Other TIMEMORY_* variables (a script's
 * own, the reference toolkit's) are left alone. */
extern char **environ;
static void tm_settings_warn_misspelt_env(void) {
    for (char **e = environ; e && *e; ++e) {
        if (strncmp(*e, "TIMEMORY_", 9) != 0) continue;
        const char *eq = strchr(*e, '=');
        const size_t len = eq ? (size_t)(eq - *e) : strlen(*e);
        const char *meant = NULL;
        size_t best = 3;
        for (size_t i = 0; i < TM_N_SETTINGS; ++i) {
            size_t d = tm_edit_distance(*e, len, tm_setting_rows[i].env);
            if (d < best) best = d, meant = tm_setting_rows[i].env;
        }
        if (meant && best > 0)
            tm_warn("%.*s is not a timemory-c setting; ignored (did you mean %s?)", (int)len, *e, meant);
    }
}

/* Once per process, at the first use of any setting: the defaults, then the
 * environment over them. A bad variable warns and keeps the default. */
static void tm_settings_load(void) {
    bool from_env[TM_SETTING_COUNT] = {false};
    for (size_t i = 0; i < TM_N_SETTINGS; ++i) {
        const char *env = tm_setting_rows[i].env;
        char canon[1024];
        tm_component_set_t set = 0;
        const char *v = getenv(env);
        int rc = v ? tm_setting_validate(i, env, v, canon, sizeof canon, &set) : TM_E_BAD_SETTING;
        if (v && rc != TM_OK)
            tm_warn("%s; using the default \"%s\"", tm_last_error(), tm_setting_rows[i].default_value);
        if (rc != TM_OK) /* the default (settings.def), validated like any value */
            rc = tm_setting_validate(i, tm_setting_rows[i].name, tm_setting_rows[i].default_value, canon, sizeof canon,
                                     &set);
        pthread_mutex_lock(&tm_settings_lock);
        if (rc == TM_OK) rc = tm_setting_store(i, canon, set);
        pthread_mutex_unlock(&tm_settings_lock);
        if (rc != TM_OK) tm_warn("setting '%s': %s", tm_setting_rows[i].name, tm_last_error());
        from_env[i] = v && rc == TM_OK;
    }
    tm_settings_warn_misspelt_env();
    /* verbose: say which settings the environment changed */
    const int vi = tm_setting_index("verbose");
    const char *verbose = vi >= 0 ? tm_setting_current[vi] : NULL;
    if (verbose && strtol(verbose, NULL, 10) > 0)
        for (size_t i = 0; i < TM_N_SETTINGS; ++i)
            if (from_env[i]) tm_info("%s=%s (from the environment)", tm_setting_rows[i].env, tm_setting_current[i]);
}

/* fork() (fork.c): taken first, as a setting change may take other locks. */
void tm_settings_fork_prepare(void) { pthread_mutex_lock(&tm_settings_lock); }
void tm_settings_fork_parent(void) { pthread_mutex_unlock(&tm_settings_lock); }
void tm_settings_fork_child(void) { pthread_mutex_init(&tm_settings_lock, NULL); }
