/* A recursion DEPTH deep (default 100,000) recorded by the engine, then its
 * flat and tree views and every report file tm_finalize() writes (text,
 * JSON, tree JSON, folded stacks, SVG flame graph, timeline trace), all on
 * the main thread's default stack. Prints the engine's own graph size (peak
 * RSS growth while recording), the views' and files' times and sizes, and
 * the peak RSS growth of the whole run. Folded stacks repeat each stack on
 * its line: flamegraph_max_depth (default 1000) bounds them.
 * Part of //bench:deep_graph; run alone:
 *   bazel-bin/bench/deep_graph_c [DEPTH] [OUTPUT_DIR] */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include <timemory/timemory.h>

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return 1e3 * (double)ts.tv_sec + 1e-6 * (double)ts.tv_nsec;
}

static double maxrss_mb(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0; /* kB on Linux */
}

static int fail(const char *what) {
    fprintf(stderr, "deep_graph_c: %s failed: %s\n", what, tm_last_error());
    return 1;
}

static int run(int argc, char **argv) {
    long depth = argc > 1 ? strtol(argv[1], NULL, 10) : 100000;
    char tmpl[] = "/tmp/deep_graph_XXXXXX";
    const char *dir = argc > 2 ? argv[2] : mkdtemp(tmpl);
    if (depth < 1 || !dir) {
        fprintf(stderr, "usage: deep_graph_c [DEPTH >= 1] [OUTPUT_DIR]\n");
        return 2;
    }
    if (tm_settings_set("output_path", dir) != TM_OK || tm_settings_set("auto_output", "1") != TM_OK ||
        tm_settings_set("cout_output", "0") != TM_OK || tm_settings_set("text_output", "1") != TM_OK ||
        tm_settings_set("json_output", "1") != TM_OK || tm_settings_set("tree_output", "1") != TM_OK ||
        tm_settings_set("flamegraph_output", "1") != TM_OK || tm_settings_set("timeline_profile", "1") != TM_OK)
        return fail("settings");
    if (tm_init("deep_graph") != TM_OK) return fail("tm_init");
    double rss0 = maxrss_mb(), t0 = now_ms();
    tm_region_t r = tm_region("recurse");
    for (long i = 0; i < depth; ++i) tm_region_begin(r);
    for (long i = 0; i < depth; ++i) tm_region_end(r);
    double record_ms = now_ms() - t0, graph_mb = maxrss_mb() - rss0;

    t0 = now_ms();
    tm_flat_t *flat = NULL;
    if (tm_flat_get(TM_WALL_CLOCK, &flat) != TM_OK) return fail("tm_flat_get");
    double flat_ms = now_ms() - t0;
    const tm_flat_entry_t *last = &flat->entries[flat->size - 1];
    if (flat->size != (size_t)depth || last->hierarchy_len != (size_t)depth || last->depth != depth - 1) {
        fprintf(stderr, "deep_graph_c: flat view has %zu entries, the last %zu deep\n", flat->size,
                last->hierarchy_len);
        return 1;
    }
    tm_flat_free(flat);
    t0 = now_ms();
    tm_tree_t *tree = NULL;
    if (tm_tree_get(TM_WALL_CLOCK, &tree) != TM_OK) return fail("tm_tree_get");
    double tree_ms = now_ms() - t0;
    tm_tree_free(tree);
    t0 = now_ms();
    if (tm_finalize() != TM_OK) return fail("tm_finalize");
    double files_ms = now_ms() - t0;
    double peak_mb = maxrss_mb() - rss0;

    long long total = 0;
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (e->d_name[0] == '.' || stat(path, &st) != 0 || !S_ISREG(st.st_mode)) continue;
        printf("  file %-28s %12lld bytes\n", e->d_name, (long long)st.st_size);
        total += st.st_size;
        if (argc <= 2) remove(path);
    }
    if (d) closedir(d);
    if (argc <= 2) remove(dir);
    printf("deep_graph_c: depth=%ld record_ms=%.1f graph_mb=%.1f flat_ms=%.1f tree_ms=%.1f files_ms=%.1f "
           "files_mb=%.1f peak_mb=%.1f peak/graph=%.2f\n",
           depth, record_ms, graph_mb, flat_ms, tree_ms, files_ms, (double)total / 1048576.0, peak_mb,
           graph_mb > 0 ? peak_mb / graph_mb : 0.0);
    return 0;
}

int main(int argc, char **argv) { return run(argc, argv); }
