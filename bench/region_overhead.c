/* Cost of one region (begin + end, wall_clock, at depth 2) against a raw
 * baseline of two clock_gettime(CLOCK_MONOTONIC) calls and an add.
 * Run: tools/bazel run -c opt //bench:region_overhead [-- ITERATIONS] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

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

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 10000000L;
    if (n <= 0) {
        fprintf(stderr, "region_overhead: ITERATIONS must be a positive integer, got '%s'\n", argv[1]);
        return 2;
    }
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
