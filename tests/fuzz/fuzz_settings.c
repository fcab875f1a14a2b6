/* libFuzzer target: the settings layer, both its TIMEMORY_* environment
 * parser and tm_settings_set(). The input is lines "NAME=VALUE": a NAME that
 * is a setting's variable (TIMEMORY_...) is put in the environment, which is
 * then read as at start-up; any other NAME goes to tm_settings_set(). After
 * that every setting must have a value that is itself valid. settings.c is
 * included so its once-per-process load can run once per input, and its
 * interned values are freed between inputs (they otherwise live forever). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/src/settings.c"

/* The variables this input put in the environment. putenv() with our own
 * copies, as setenv() keeps every distinct value for the life of the process. */
static char *fuzz_env[4096];
static size_t fuzz_env_n;

/* Back to the state before the first use: no values, no variables. */
static void fuzz_settings_reset(void) {
    for (size_t i = 0; i < TM_N_SETTINGS; ++i) unsetenv(tm_setting_rows[i].env);
    for (size_t k = 0; k < fuzz_env_n; ++k) free(fuzz_env[k]);
    fuzz_env_n = 0;
    for (size_t i = 0; i < TM_N_SETTINGS; ++i) {
        tm_setting_current[i] = tm_setting_rows[i].default_value;
        tm_setting_text_t *t = tm_setting_texts[i];
        while (t) {
            tm_setting_text_t *next = t->next;
            free(t);
            t = next;
        }
        tm_setting_texts[i] = NULL;
    }
}

static void fuzz_apply(char *line, bool env_pass) {
    char *eq = strchr(line, '=');
    if (!eq) return;
    *eq = '\0';
    const char *name = line, *value = eq + 1;
    /* every variable is TIMEMORY_<NAME>: most lines need no table scan */
    bool is_env = false;
    if (strncmp(name, "TIMEMORY_", 9) == 0)
        for (size_t i = 0; i < TM_N_SETTINGS && !is_env; ++i) is_env = strcmp(tm_setting_rows[i].env, name) == 0;
    if (is_env && env_pass && fuzz_env_n < sizeof fuzz_env / sizeof *fuzz_env) {
        *eq = '=';
        char *var = strdup(line);
        if (var && putenv(var) == 0)
            fuzz_env[fuzz_env_n++] = var;
        else
            free(var);
    }
    if (!is_env && !env_pass) {
        int rc = tm_settings_set(name, value);
        if (rc != TM_OK && rc != TM_E_BAD_SETTING) abort();
        if (rc == TM_OK && !tm_settings_get(name)) abort(); /* a set name is a known setting */
    }
    *eq = '=';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    tm_settings_init(); /* the real once-per-process load, so the pthread_once is spent */
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    /* pass 1: the environment, then the start-up read of it; pass 2: sets */
    for (int pass = 0; pass < 2; ++pass) {
        for (char *line = text; line;) {
            char *nl = strchr(line, '\n');
            if (nl) *nl = '\0';
            fuzz_apply(line, pass == 0);
            if (nl) *nl = '\n';
            line = nl ? nl + 1 : NULL;
        }
        if (pass == 0) tm_settings_load();
    }
    /* every current value is valid text for its setting */
    for (size_t i = 0; i < TM_N_SETTINGS; ++i) {
        const char *v = tm_settings_get(tm_setting_rows[i].name);
        if (!v) abort();
        char canon[1024];
        tm_component_set_t set = 0;
        if (tm_setting_validate(i, tm_setting_rows[i].name, v, canon, sizeof canon, &set) != TM_OK) {
            fprintf(stderr, "setting '%s' holds an invalid value \"%s\": %s\n", tm_setting_rows[i].name, v,
                    tm_last_error());
            abort();
        }
        /* the set the hot path records with is the one the text names */
        if (strcmp(tm_setting_rows[i].name, "components") == 0 && atomic_load(&tm_g_settings.components) != set) {
            fprintf(stderr, "components holds \"%s\" but records another set\n", v);
            abort();
        }
    }
    free(text);
    fuzz_settings_reset();
    return 0;
}
