/*
 * timemory-c: settings. Each setting (core/settings.def) has a default and an
 * environment variable TIMEMORY_<NAME>. Layers, lowest first: the default;
 * the variable, read once per process at the first use of any setting (or
 * tm_init()), where an invalid value warns once, naming the variable, the
 * value and the valid choices, and keeps the default; tm_settings_set(),
 * which always wins, also when called before tm_init(). All values are read
 * and written as strings; any thread may get or set them.
 */
#ifndef TIMEMORY_SETTINGS_H
#define TIMEMORY_SETTINGS_H

#include <stddef.h>

#include <timemory/api.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum tm_setting_type {
    TM_SETTING_BOOL,
    TM_SETTING_INT,
    TM_SETTING_STRING,
    TM_SETTING_CHOICE,    /* one of `choices` */
    TM_SETTING_COMPONENTS /* comma-separated component names */
} tm_setting_type_t;

typedef struct tm_setting_desc {
    const char *name; /* "auto_output" */
    const char *env;  /* "TIMEMORY_AUTO_OUTPUT" */
    tm_setting_type_t type;
    const char *default_value;
    const char *choices; /* "sec|msec|usec|nsec" for CHOICE, else NULL */
    const char *description;
} tm_setting_desc_t;

TM_EXPORT size_t tm_settings_count(void);
TM_EXPORT const tm_setting_desc_t *tm_settings_desc(size_t i);

/* Current value of `name` as text ("1"/"0" for booleans); NULL if unknown.
 * The text stays valid and unchanged for the life of the process (a later
 * set installs new text; each distinct value is kept once). */
TM_EXPORT const char *tm_settings_get(const char *name);

/* Validates and sets `name`. TM_E_BAD_SETTING on an unknown name or invalid
 * value, with tm_last_error() naming the setting, value and valid choices. */
TM_EXPORT int tm_settings_set(const char *name, const char *value);

#ifdef __cplusplus
}
#endif

#endif /* TIMEMORY_SETTINGS_H */
