/* The run's name (run_name.h): set by tm_init from any thread, read by the
 * reports, so it is copied under a lock rather than handed out. */
#include <pthread.h>
#include <stdio.h>

#include "run_name.h"

static pthread_mutex_t tm_run_name_lock = PTHREAD_MUTEX_INITIALIZER;
static char tm_run_name[256] = "timemory";

void tm_run_name_set(const char *name) {
    if (!name || !*name) return;
    pthread_mutex_lock(&tm_run_name_lock);
    snprintf(tm_run_name, sizeof tm_run_name, "%s", name);
    pthread_mutex_unlock(&tm_run_name_lock);
}

void tm_run_name_copy(char *buf, size_t n) {
    pthread_mutex_lock(&tm_run_name_lock);
    snprintf(buf, n, "%s", tm_run_name);
    pthread_mutex_unlock(&tm_run_name_lock);
}
