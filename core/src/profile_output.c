/* The report files of a profile that is not this process's live storage: a
 * merged MPI profile on rank 0 (//:timemory_mpi, the Python package under
 * mpi4py). Same names and settings as tm_finalize(): <output_path>/
 * <component><suffix>.json/.txt (and .tree.json/.folded/.svg by their settings)
 * and the text on stdout when cout_output. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <timemory/formats.h>

#include "flame.h"
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

/* <dir>/<component><suffix>.<ext> by `write` (a formats.h tree writer, or
 * the JSON one with tree NULL); one warning naming the path on failure. */
static int tm_output_file(const tm_profile_t *p, const tm_tree_t *tree, const char *dir, const char *ext,
                          int (*write)(int, const tm_tree_t *, void *)) {
    char path[1200];
    snprintf(path, sizeof path, "%s/%s%s.%s", dir, p->info.component, tm_output_suffix(), ext);
    FILE *f = fopen(path, "w");
    int r = !f ? TM_E_IO : write ? write(p->component, tree, f) : tm_profile_write_json(p, f);
    int err = errno;
    if (f && fclose(f) != 0 && r == TM_OK) r = TM_E_IO, err = errno;
    if (r == TM_OK) return TM_OK;
    r = tm_fail(TM_E_IO, "cannot write %s: %s", path, strerror(err));
    tm_warn("%s", tm_last_error());
    return r;
}

int tm_profile_write_reports(const tm_profile_t *p) {
    int c = p->component;
    if (c < 0) return tm_fail(TM_E_INVALID, "profile of component '%s' unknown to this build", p->info.component);
    const char *dir = tm_settings_get("output_path");
    bool text = tm_settings_flag("text_output"), json = tm_settings_flag("json_output");
    bool tree_json = tm_settings_flag("tree_output");
    bool flame = tm_settings_flag("flamegraph_output") && tm_flame_additive(c);
    bool cout = tm_settings_flag("cout_output");
    int rc = TM_OK;
    tm_tree_t *tree = NULL;
    if ((text || cout || tree_json || flame) && (rc = tm_profile_tree(p, &tree)) != TM_OK)
        text = cout = tree_json = flame = false;
    if (cout) tm_report_write_tree(c, tree, stdout);
    if ((text || json || tree_json || flame) && tm_output_mkdirs(dir) != 0) {
        rc = tm_fail(TM_E_IO, "cannot create output directory '%s': %s", dir, strerror(errno));
        tm_warn("%s", tm_last_error());
        text = json = tree_json = flame = false;
    }
    int r = TM_OK;
    if (text && (r = tm_output_file(p, tree, dir, "txt", tm_report_write_tree)) != TM_OK) rc = r;
    if (json && (r = tm_output_file(p, NULL, dir, "json", NULL)) != TM_OK) rc = r;
    if (tree_json && (r = tm_output_file(p, tree, dir, "tree.json", tm_write_tree_json)) != TM_OK) rc = r;
    if (flame && (r = tm_output_file(p, tree, dir, "folded", tm_write_folded)) != TM_OK) rc = r;
    if (flame && (r = tm_output_file(p, tree, dir, "svg", tm_write_flamegraph_svg)) != TM_OK) rc = r;
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
