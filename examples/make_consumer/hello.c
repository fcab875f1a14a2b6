/* hello: records a few regions with an installed timemory-c and prints what
 * the call graph holds (built by the Makefile beside it, via pkg-config). */
#include <stdio.h>
#include <time.h>

#include <timemory/timemory.h>

static void nap(long ns)
{
    struct timespec ts = {0, ns};
    nanosleep(&ts, NULL);
}

int main(void)
{
    tm_init("hello");
    tm_settings_set("auto_output", "0"); /* print our own summary instead */

    TM_REGION_BEGIN("hello");
    for (int i = 0; i < 3; ++i) {
        TM_REGION_BEGIN("nap");
        nap(10 * 1000 * 1000); /* 10 ms */
        TM_REGION_END("nap");
    }
    TM_REGION_END("hello");

    tm_flat_t *flat = NULL;
    int rc = tm_flat_get(TM_WALL_CLOCK, &flat);
    if (rc < 0) {
        fprintf(stderr, "hello: tm_flat_get: %s\n", tm_last_error());
        return 1;
    }
    printf("timemory %s\n", tm_version());
    for (size_t i = 0; i < flat->size; ++i) {
        const tm_flat_entry_t *e = &flat->entries[i];
        printf("%s count=%llu wall=%.6f\n", e->prefix,
               (unsigned long long)e->inclusive.stats.count, e->inclusive.data);
    }
    tm_flat_free(flat);
    return tm_finalize() < 0;
}
