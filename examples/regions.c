/* A small nested workload recorded with timemory-c regions; prints the
 * report at the end. Run: tools/bazel run //examples:regions */
#include <math.h>
#include <stdio.h>
#include <time.h>

#include <timemory/timemory.h>

static double burn(long n) {
    double x = 0.0;
    for (long i = 1; i <= n; ++i) x += sqrt((double)i);
    return x;
}

static void nap(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static double solve(int step) {
    TM_REGION_BEGIN("solve");
    TM_REGION_BEGIN("assemble");
    double x = burn(200000L * (step + 1));
    TM_REGION_END("assemble");
    TM_REGION_BEGIN("exchange");
    nap(10);
    TM_REGION_END("exchange");
    TM_REGION_END("solve");
    return x;
}

int main(void) {
    /* record CPU time and page faults next to wall time unless the user chose */
    tm_settings_set("components", "wall_clock,cpu_clock,cpu_util,num_minor_page_faults");
    tm_settings_set("text_output", "0");
    tm_settings_set("json_output", "0");
    tm_init("regions");

    double total = 0.0;
    tm_push_region("main");
    for (int step = 0; step < 5; ++step) total += solve(step);
    tm_wall_clock_t io;
    tm_wall_clock_init(&io, "checkpoint");
    tm_wall_clock_push(&io);
    for (int i = 0; i < 3; ++i) {
        tm_wall_clock_start(&io);
        nap(5);
        tm_wall_clock_stop(&io);
    }
    tm_wall_clock_pop(&io);
    tm_pop_region("main");

    printf("workload result: %.3e\n\n", total);
    return tm_finalize() == TM_OK ? 0 : 1;
}
