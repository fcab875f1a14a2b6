/* The report files of a profile that is not this process's live storage: a
 * merged MPI profile on rank 0 (//:timemory_mpi, the Python package under
 * mpi4py). Same names and settings as tm_finalize(): <output_path>/
 * <component><suffix>.json/.txt and the text on stdout when cout_output. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <timemory/formats.h>

#include "multiproc.h"
#include "profile.h"

static int tm_output_mkdirs(const char *path) {
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *s = buf + 1; *s; ++s) {
        if (*s != '/') continue;
        *s = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
        *s = '/';
    }
    return mkdir(buf, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

int tm_profile_write_reports(const tm_profile_t *p) {
    int c = p->component;
    if (c < 0) return tm_fail(TM_E_INVALID, "profile of component '%s' unknown to this build", p->info.component);
    const char *dir = tm_settings_get("output_path");
    bool text = tm_settings_flag("text_output"), json = tm_settings_flag("json_output");
    bool cout = tm_settings_flag("cout_output");
    int rc = TM_OK;
    tm_tree_t *tree = NULL;
    if ((text || cout) && (rc = tm_profile_tree(p, &tree)) != TM_OK) text = cout = false;
    if (cout) tm_report_write_tree(c, tree, stdout);
    if ((text || json) && tm_output_mkdirs(dir) != 0) {
        rc = tm_fail(TM_E_IO, "cannot create output directory '%s': %s", dir, strerror(errno));
        tm_warn("%s", tm_last_error());
        text = json = false;
    }
    for (int k = 0; k < 2; ++k) {
        if (!(k ? json : text)) continue;
        char path[1200];
        snprintf(path, sizeof path, "%s/%s%s.%s", dir, p->info.component, tm_output_suffix(), k ? "json" : "txt");
        FILE *f = fopen(path, "w");
        int r = !f ? TM_E_IO : k ? tm_profile_write_json(p, f) : tm_report_write_tree(c, tree, f);
        int err = errno;
        if (f && fclose(f) != 0 && r == TM_OK) r = TM_E_IO, err = errno;
        if (r != TM_OK) {
            rc = tm_fail(TM_E_IO, "cannot write %s: %s", path, strerror(err));
            tm_warn("%s", tm_last_error());
        }
    }
    tm_tree_free(tree);
    fflush(stdout);
    return rc;
}

int tm_profile_to_json(const tm_profile_t *p, char **text, size_t *len) {
    *text = NULL;
    *len = 0;
    FILE *f = open_memstream(text, len);
    if (!f) return tm_fail(TM_E_NOMEM, "out of memory serializing a profile");
    int rc = tm_profile_write_json(p, f);
    if (fclose(f) != 0 && rc == TM_OK) rc = tm_fail(TM_E_NOMEM, "out of memory serializing a profile");
    return rc;
}
