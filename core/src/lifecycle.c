/* tm_init / tm_finalize. */
#include <pthread.h>
#include <stdio.h>

#include "frame.h"
#include "labels.h"
#include "multiproc.h"
#include "registry.h"
#include "report.h"
#include "run_name.h"
#include "samplers/clock.h"
#include "settings_cache.h"

static pthread_once_t tm_init_once = PTHREAD_ONCE_INIT;

static void tm_init_process(void) {
    tm_samplers_init();
    tm_settings_init();
    tm_clock_select(tm_settings_get("timing_source"));
}

int tm_init(const char *name) {
    pthread_once(&tm_init_once, tm_init_process);
    tm_run_name_set(name);
    return TM_OK;
}

int tm_finalize(void) {
    tm_init(NULL);
    int rc = TM_OK;
    tm_thread_t *t = tm_tls_thread;
    if (t && t->generation == atomic_load(&tm_g_generation) && t->depth > 0 && tm_thread_enter(t)) {
        tm_label_t *inner = t->frames[t->depth].node->label;
        if (tm_label_first_warning(inner, TM_WARN_LEFT_OPEN))
            tm_warn("tm_finalize() with %u region(s) still open (innermost '%s'); closed them", t->depth, inner->name);
        rc = tm_fail(TM_E_UNBALANCED, "tm_finalize() with %u region(s) still open (innermost '%s'); closed them",
                     t->depth, inner->name);
        tm_frames_close_above(t, 0);
        tm_thread_leave(t);
    }
    if (tm_settings_flag("auto_output")) {
        int out = tm_finalize_hook ? tm_finalize_hook() : tm_reports_write_all();
        if (out != TM_OK) rc = out;
        if (tm_settings_int("verbose") > 0)
            tm_info("tm_finalize: reports %s under '%s'", out == TM_OK ? "written" : "failed",
                    tm_settings_get("output_path"));
    } else if (tm_settings_int("verbose") > 0) {
        tm_info("tm_finalize: auto_output is off, no reports written");
    }
    return rc;
}
