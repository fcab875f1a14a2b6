/* tm_init / tm_finalize. */
#include <pthread.h>
#include <stdio.h>

#include "clock.h"
#include "internal.h"
#include "multiproc.h"
#include "run_name.h"

static pthread_once_t tm_init_once = PTHREAD_ONCE_INIT;
static char tm_name[256] = "timemory";

/* run_name.h; the engine branch keeps the name in run_name.c, under a lock */
void tm_run_name_copy(char *buf, size_t n) { snprintf(buf, n, "%s", tm_name); }

static void tm_init_process(void) {
    tm_samplers_init();
    tm_settings_load_env();
    tm_clock_select(tm_settings_get("timing_source"));
}

int tm_init(const char *name) {
    pthread_once(&tm_init_once, tm_init_process);
    if (name && *name) snprintf(tm_name, sizeof tm_name, "%s", name);
    return TM_OK;
}

int tm_finalize(void) {
    tm_init(NULL);
    int rc = TM_OK;
    tm_thread_t *t = tm_tls_thread;
    if (t && t->generation == atomic_load(&tm_g_generation) && t->depth > 0) {
        tm_label_t *inner = t->frames[t->depth].node->label;
        if (tm_label_first_warning(inner, TM_WARN_LEFT_OPEN))
            tm_warn("tm_finalize() with %u region(s) still open (innermost '%s'); closed them", t->depth,
                    inner->name);
        tm_frames_close_above(t, 0);
        rc = TM_E_UNBALANCED;
    }
    if (tm_settings_flag("auto_output")) {
        int out = tm_finalize_hook ? tm_finalize_hook() : tm_reports_write_all();
        if (out != TM_OK) rc = out;
    }
    return rc;
}
