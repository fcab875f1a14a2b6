/* Records a known call graph on a fake wall clock and writes its flame graph
 * files to argv[1]: wall_clock.svg and wall_clock.folded. Scenario (seconds):
 * main 20 { solve 12 { assemble 4 x2, "a;b <c>" 2 }, output 5 }, so
 * exclusive: main 3, solve 2, assemble 8, "a;b <c>" 2, output 5. */
#include <stdio.h>
#include <stdlib.h>

#include <timemory/testing.h>
#include <timemory/timemory.h>

static int64_t now_ns;
static void fake_clock(int64_t out[2]) {
    out[0] = now_ns;
    out[1] = 0;
}
static void advance(int sec) { now_ns += (int64_t)sec * 1000000000; }
static void region(const char *name, int sec) {
    tm_push_region(name);
    advance(sec);
    tm_pop_region(name);
}

static int write(const char *dir, const char *ext, int (*writer)(int, const tm_tree_t *, void *)) {
    char path[4096];
    snprintf(path, sizeof path, "%s/wall_clock.%s", dir, ext);
    FILE *f = fopen(path, "w");
    if (!f) return perror(path), 1;
    tm_tree_t *tree = NULL;
    int rc = tm_tree_get(TM_WALL_CLOCK, &tree);
    if (rc == TM_OK) rc = writer(TM_WALL_CLOCK, tree, f);
    tm_tree_free(tree);
    fclose(f);
    if (rc != TM_OK) fprintf(stderr, "%s: %s\n", path, tm_last_error());
    return rc != TM_OK;
}

int main(int argc, char **argv) {
    if (argc != 2) return fprintf(stderr, "usage: %s DIR\n", argv[0]), 2;
    tm_init("write_flame");
    tm_settings_set("auto_output", "0");
    tm_testing_set_sampler(TM_WALL_CLOCK, fake_clock);
    tm_push_region("main");
    advance(1);
    tm_push_region("solve");
    advance(2);
    region("assemble", 4);
    region("assemble", 4);
    region("a;b <c>", 2);
    tm_pop_region("solve");
    region("output", 5);
    advance(2);
    tm_pop_region("main");
    return write(argv[1], "svg", tm_write_flamegraph_svg) | write(argv[1], "folded", tm_write_folded);
}
