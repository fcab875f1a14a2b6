/* Helper for env_test: applies its arguments NAME=VALUE with
 * tm_settings_set() (before tm_init, as a program or `timemory.settings`
 * does), initialises timemory from the environment it was started with
 * (twice, to show the environment is read once), records one region and
 * prints every setting as name=value, the default component set and the
 * number of warnings issued. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <timemory/timemory.h>

int main(int argc, char **argv) {
    for (int i = 1; i < argc; ++i) {
        char name[64];
        const char *eq = strchr(argv[i], '=');
        if (!eq || (size_t)(eq - argv[i]) >= sizeof name) return 4;
        snprintf(name, sizeof name, "%.*s", (int)(eq - argv[i]), argv[i]);
        if (tm_settings_set(name, eq + 1) != TM_OK) return 5;
    }
    if (tm_init("env_probe") != TM_OK) return 2;
    if (tm_init("env_probe_again") != TM_OK) return 3;
    tm_region_t r = tm_region("probe");
    tm_region_begin(r);
    tm_region_end(r);
    for (size_t i = 0; i < tm_settings_count(); ++i) {
        const tm_setting_desc_t *d = tm_settings_desc(i);
        const char *v = tm_settings_get(d->name);
        printf("%s=%s\n", d->name, v ? v : "(null)");
    }
    printf("default_components=%" PRIu64 "\n", (uint64_t)tm_default_components());
    printf("warnings=%" PRIu64 "\n", tm_warning_count());
    fflush(stdout);
    return 0;
}
