// Helpers of the file-format tests: run a writer into a string, and a small
// recorded scenario with known values (fake clock).
#ifndef TIMEMORY_TESTS_C_FORMATS_UTIL_H
#define TIMEMORY_TESTS_C_FORMATS_UTIL_H

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "tests/c/json_lite.h"
#include "tests/c/test_util.h"

namespace tmtest {

// What `write(file)` wrote, and its return code.
template <class F>
std::string capture(F write, int *rc = nullptr) {
    char *buf = nullptr;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    const int r = write(f);
    std::fclose(f);
    std::string out(buf, len);
    std::free(buf);
    if (rc) *rc = r;
    return out;
}

// A tree writer's output for the live tree of `component`.
inline std::string write_tree(int (*writer)(int, const tm_tree_t *, void *), int component = TM_WALL_CLOCK,
                              int *rc = nullptr) {
    tm_tree_t *tree = nullptr;
    EXPECT_EQ(tm_tree_get(component, &tree), TM_OK);
    std::string out = capture([&](FILE *f) { return writer(component, tree, f); }, rc);
    tm_tree_free(tree);
    return out;
}

inline jsonlite::Value parse_json(const std::string &text) {
    jsonlite::Value v;
    jsonlite::Parser p(text);
    EXPECT_TRUE(p.parse(&v)) << p.error() << "\n" << text.substr(0, 2000);
    return v;
}

// main 10 s { solve 6 s { assemble 2 s x2 }, output 1 s }: exclusive main 3,
// solve 2, assemble 4 (two laps), output 1; total 10 s.
inline void record_solver() {
    ASSERT_EQ(tm_push_region("main"), TM_OK);
    advance_sec(1);
    ASSERT_EQ(tm_push_region("solve"), TM_OK);
    advance_sec(2);
    timed_region("assemble", 2);
    timed_region("assemble", 2);
    ASSERT_EQ(tm_pop_region("solve"), TM_OK);
    timed_region("output", 1);
    advance_sec(2);
    ASSERT_EQ(tm_pop_region("main"), TM_OK);
}

// Two worker threads (tids 1 and 2), each "work" w+1 s containing "step" 1 s,
// inside "main" on the first thread.
inline void record_threads() {
    ASSERT_EQ(tm_push_region("main"), TM_OK);
    advance_sec(1);
    std::vector<std::thread> pool;
    for (int w = 1; w <= 2; ++w) {
        pool.emplace_back([w] {
            fake_now_ns = 0;
            ASSERT_EQ(tm_push_region("work"), TM_OK);
            advance_sec(w);
            timed_region("step", 1);
            ASSERT_EQ(tm_pop_region("work"), TM_OK);
        });
        pool.back().join();  // in order: tids 1, 2
    }
    ASSERT_EQ(tm_pop_region("main"), TM_OK);
}

}  // namespace tmtest

#endif  // TIMEMORY_TESTS_C_FORMATS_UTIL_H
