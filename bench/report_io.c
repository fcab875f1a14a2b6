/* Writing and loading the JSON profile (serialize.h) of a 100,000-node
 * graph (10 x 100 x 100 regions) and of a 10,000-deep recursion. write_ms is
 * what tm_finalize() pays per component (capture + save); load_ms is
 * tm_profile_load(). Each figure is the minimum of ROUNDS rounds; tree_ms,
 * the engine's own tm_tree_get() of the same graph, is the in-run baseline.
 * Run: tools/bazel run -c opt //bench:report_io [-- ROUNDS] */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <timemory/timemory.h>

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return 1e3 * (double)ts.tv_sec + 1e-6 * (double)ts.tv_nsec;
}

static void wide_graph(void) {
    tm_region_t names[100];
    char name[32];
    for (int i = 0; i < 100; ++i) {
        snprintf(name, sizeof name, "region_%d", i);
        names[i] = tm_region(name);
    }
    for (int a = 0; a < 10; ++a) {
        tm_region_begin(names[a]);
        for (int b = 0; b < 100; ++b) {
            tm_region_begin(names[b]);
            for (int c = 0; c < 100; ++c) {
                tm_region_begin(names[c]);
                tm_region_end(names[c]);
            }
            tm_region_end(names[b]);
        }
        tm_region_end(names[a]);
    }
}

static void recursion(int depth) {
    tm_region_t r = tm_region("recurse");
    for (int i = 0; i < depth; ++i) tm_region_begin(r);
    for (int i = 0; i < depth; ++i) tm_region_end(r);
}

typedef struct figures {
    size_t nodes;
    double write_ms, load_ms, tree_ms, capture_ms;
    long long bytes;
} figures_t;

static int measure(const char *path, int rounds, figures_t *f) {
    f->write_ms = f->load_ms = f->tree_ms = f->capture_ms = 1e300;
    for (int r = 0; r < rounds; ++r) {
        double t0 = now_ms();
        tm_tree_t *tree = NULL;
        if (tm_tree_get(TM_WALL_CLOCK, &tree) != TM_OK) return 1;
        tm_tree_free(tree);
        double t1 = now_ms();
        tm_profile_t *p = NULL;
        int rc = tm_profile_capture(TM_WALL_CLOCK, &p);
        double tc = now_ms();
        if (rc != TM_OK || tm_profile_save(p, path) != TM_OK) {
            fprintf(stderr, "report_io: %s\n", tm_last_error());
            tm_profile_free(p);
            return 1;
        }
        tm_profile_free(p);
        double t2 = now_ms();
        if (tm_profile_load(path, &p) != TM_OK) {
            fprintf(stderr, "report_io: %s\n", tm_last_error());
            return 1;
        }
        double t3 = now_ms();
        f->nodes = tm_profile_node_count(p);
        tm_profile_free(p);
        if (t1 - t0 < f->tree_ms) f->tree_ms = t1 - t0;
        if (t2 - t1 < f->write_ms) f->write_ms = t2 - t1;
        if (tc - t1 < f->capture_ms) f->capture_ms = tc - t1;
        if (t3 - t2 < f->load_ms) f->load_ms = t3 - t2;
    }
    struct stat st;
    f->bytes = stat(path, &st) == 0 ? (long long)st.st_size : -1;
    return 0;
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 3;
    if (rounds < 1) rounds = 1;
    tm_init("report_io");
    tm_settings_set("auto_output", "0");
    tm_settings_set("components", "wall_clock");
    char dir[] = "/tmp/report_io.XXXXXX";
    if (!mkdtemp(dir)) {
        perror("report_io: mkdtemp");
        return 1;
    }
    char path[64];
    snprintf(path, sizeof path, "%s/wall_clock.json", dir);
    figures_t deep, wide;

    recursion(10000);
    if (measure(path, rounds, &deep)) return 1;
    tm_storage_reset();
    wide_graph();
    if (measure(path, rounds, &wide)) return 1;
    unlink(path);
    rmdir(dir);

    printf("report_io_recursion: nodes=%zu write_ms=%.1f load_ms=%.1f bytes=%lld tree_ms=%.1f\n", deep.nodes,
           deep.write_ms, deep.load_ms, deep.bytes, deep.tree_ms);
    printf("report_io_baseline: tm_tree_get of the same graph tree_ms=%.1f (capture_ms=%.1f of write_ms)\n",
           wide.tree_ms, wide.capture_ms);
    printf("report_io: nodes=%zu write_ms=%.1f load_ms=%.1f bytes=%lld\n", wide.nodes, wide.write_ms, wide.load_ms,
           wide.bytes);
    return 0;
}
