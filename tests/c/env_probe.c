/* Helper for env_test: initialises timemory from the environment it was
 * started with (twice, to show the environment is read once) and prints
 * every setting as name=value, the default component set and the number of
 * warnings issued. Records nothing. */
#include <inttypes.h>
#include <stdio.h>

#include <timemory/timemory.h>

int main(void) {
    if (tm_init("env_probe") != TM_OK) return 2;
    if (tm_init("env_probe_again") != TM_OK) return 3;
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
