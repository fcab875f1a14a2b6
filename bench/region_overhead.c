/* Cost of one region (begin + end, wall_clock, at depth 2) against a raw
 * baseline of two clock_gettime(CLOCK_MONOTONIC) calls and an add; then the
 * same region under each timing_source, in this process and in copies of it
 * re-run with libstdc++ preloaded and with the heap shifted, so a layout
 * that depends on where the heap puts things shows.
 * Run: tools/bazel run -c opt //bench:region_overhead [-- ITERATIONS] */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <timemory/timemory.h>

#define TM_NAMES 64

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static volatile int64_t sink;

static double baseline_ns(long n) {
    int64_t acc = 0;
    double t0 = now_s();
    for (long i = 0; i < n; ++i) {
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        clock_gettime(CLOCK_MONOTONIC, &b);
        acc += (b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec);
    }
    double t1 = now_s();
    sink = acc;
    return (t1 - t0) * 1e9 / (double)n;
}

static double region_ns(long n) {
    TM_REGION_BEGIN("bench");
    TM_REGION_BEGIN("outer");
    double t0 = now_s();
    for (long i = 0; i < n; ++i) {
        TM_REGION_BEGIN("inner");
        TM_REGION_END("inner");
    }
    double t1 = now_s();
    TM_REGION_END("outer");
    TM_REGION_END("bench");
    return (t1 - t0) * 1e9 / (double)n;
}

static double cycling_ns(long n, tm_region_t names[TM_NAMES]) {
    tm_region_t outer = tm_region("cycling");
    tm_region_begin(outer);
    double t0 = now_s();
    for (long i = 0; i < n; ++i) {
        tm_region_t r = names[i & (TM_NAMES - 1)];
        tm_region_begin(r);
        tm_region_end(r);
    }
    double t1 = now_s();
    tm_region_end(outer);
    return (t1 - t0) * 1e9 / (double)n;
}

void *heap_shift; /* kept: the allocation that shifts the heap */

static const char *const sources[] = {"auto", "tsc", "clock_gettime"};
#define TM_SOURCES 3

/* Region cost under each timing_source, interleaved with the baseline;
 * prints one line naming `layout`. */
static void per_source(const char *layout, long n) {
    const int rounds = 10;
    long per = n / rounds > 0 ? n / rounds : 1;
    double base = 1e30, region[TM_SOURCES];
    const char *chosen[TM_SOURCES];
    for (int s = 0; s < TM_SOURCES; ++s) region[s] = 1e30;
    for (int k = 0; k < rounds; ++k) {
        double b = baseline_ns(per);
        if (b < base) base = b;
        for (int s = 0; s < TM_SOURCES; ++s) {
            tm_settings_set("timing_source", sources[s]);
            chosen[s] = tm_timing_source();
            double r = region_ns(per);
            if (r < region[s]) region[s] = r;
        }
    }
    tm_settings_set("timing_source", "auto");
    printf("%-28s", layout);
    for (int s = 0; s < TM_SOURCES; ++s)
        printf(" %s%s%s %.2f ns (%.3f)", sources[s], s == 0 ? "=" : "", s == 0 ? chosen[s] : "", region[s],
               region[s] / base);
    printf("\n");
}

/* Runs this program again with `env` added ("NAME=VALUE"); it prints its
 * per_source line. */
static void rerun(const char *self, long n, const char *env) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        char iters[32];
        snprintf(iters, sizeof iters, "%ld", n);
        char *eq = strchr(env, '=');
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(eq - env), env);
        setenv(name, eq + 1, 1);
        execl(self, self, iters, (char *)NULL);
        _exit(127);
    }
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        printf("%-28s failed to run\n", env);
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 10000000L;
    if (n <= 0) {
        fprintf(stderr, "region_overhead: ITERATIONS must be a positive integer, got '%s'\n", argv[1]);
        return 2;
    }
    /* a re-run copy (see rerun): shift the heap first, measure, print, exit */
    const char *layout = getenv("TM_BENCH_LAYOUT");
    const char *shift = getenv("TM_BENCH_HEAP_SHIFT");
    if (shift) heap_shift = malloc((size_t)atol(shift));
    tm_settings_set("components", "wall_clock");
    tm_settings_set("auto_output", "0");
    tm_init("region_overhead");

    tm_region_t names[TM_NAMES];
    for (int i = 0; i < TM_NAMES; ++i) {
        char name[32];
        snprintf(name, sizeof name, "region_%02d", i);
        names[i] = tm_region(name);
    }
    region_ns(1000); /* first use: creates nodes outside the timed loop */
    cycling_ns(TM_NAMES, names);
    if (layout) {
        per_source(layout, n / 4);
        return 0;
    }

    /* 20 interleaved rounds of n/20 iterations; the minimum per round is
     * the figure least disturbed by other work on the machine */
    const int rounds = 20;
    long per = n / rounds > 0 ? n / rounds : 1;
    double base = 1e30, region = 1e30, cycle = 1e30;
    for (int k = 0; k < rounds; ++k) {
        double b = baseline_ns(per), r = region_ns(per), c = cycling_ns(per, names);
        if (b < base) base = b;
        if (r < region) region = r;
        if (c < cycle) cycle = c;
    }

    /* the same region under each source, here and in other heap layouts */
    printf("region begin+end, depth 2, per timing_source (ratio to the baseline):\n");
    per_source("this process", n / 4);
    char self[4096];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len > 0) {
        self[len] = '\0';
        /* libstdc++ loaded first changes where the heap puts everything */
        const char *pre = getenv("LD_PRELOAD");
        char *saved = pre ? strdup(pre) : NULL;
        char preload[4200];
        snprintf(preload, sizeof preload, "libstdc++.so.6%s%s", saved ? ":" : "", saved ? saved : "");
        setenv("LD_PRELOAD", preload, 1);
        rerun(self, n, "TM_BENCH_LAYOUT=LD_PRELOAD=libstdc++.so.6");
        if (saved) setenv("LD_PRELOAD", saved, 1);
        else unsetenv("LD_PRELOAD");
        free(saved);
        static const char *const shifts[] = {"16", "32", "48", "4104"};
        for (size_t i = 0; i < sizeof shifts / sizeof *shifts; ++i) {
            char name[64], env[96];
            snprintf(name, sizeof name, "heap shifted by %s B", shifts[i]);
            snprintf(env, sizeof env, "TM_BENCH_LAYOUT=%s", name);
            setenv("TM_BENCH_HEAP_SHIFT", shifts[i], 1);
            rerun(self, n, env);
        }
        unsetenv("TM_BENCH_HEAP_SHIFT");
    }

    tm_flat_t *flat = NULL;
    if (tm_flat_get(TM_WALL_CLOCK, &flat) == TM_OK) {
        for (size_t i = 0; i < flat->size; ++i)
            if (flat->entries[i].depth == 2)
                printf("recorded %-10s count=%llu\n", flat->entries[i].label,
                       (unsigned long long)flat->entries[i].inclusive.stats.count);
        tm_flat_free(flat);
    }
    printf("baseline (2x clock_gettime + add): %.2f ns\n", base);
    printf("region begin+end, depth 2:         %.2f ns (ratio %.3f)\n", region, region / base);
    printf("region cycling %d names:           %.2f ns (ratio %.3f)\n", TM_NAMES, cycle, cycle / base);
    printf("(%d interleaved rounds of %ld iterations, minimum of each)\n", rounds, per);
    printf("region_overhead: region_ns=%.2f baseline_ns=%.2f ratio=%.3f\n", region, base, region / base);
    return 0;
}
