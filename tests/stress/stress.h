// Shared by the stress tests: the size switch (TM_STRESS_SCALE), resident
// memory, and a flat snapshot reduced to what the tests check (label, tid,
// pid, count, parent label), so each test asserts exact counts and parents.
#ifndef TIMEMORY_TESTS_STRESS_H
#define TIMEMORY_TESTS_STRESS_H

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include <timemory/timemory.h>

namespace stress {

// TM_STRESS_SCALE=full gives the sizes the issue names; anything else (CI,
// `tools/bazel test //...`) the reduced ones, a few seconds each.
inline bool full_scale() {
    const char *s = std::getenv("TM_STRESS_SCALE");
    return s && std::strcmp(s, "full") == 0;
}
template <typename T> T scaled(T full, T reduced) { return full_scale() ? full : reduced; }

// Resident set size in bytes (/proc/self/statm).
inline long rss_bytes() {
    long pages = 0, resident = 0;
    FILE *f = std::fopen("/proc/self/statm", "r");
    if (!f) return -1;
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = -1;
    std::fclose(f);
    return resident < 0 ? -1 : resident * sysconf(_SC_PAGESIZE);
}

struct Entry {
    std::string label, parent;  // parent: "" at a thread's top
    uint32_t tid;
    int64_t pid;
    int64_t depth;
    uint64_t count;
};

// The wall_clock flat layout (every thread, every node).
inline std::vector<Entry> flat(int component = TM_WALL_CLOCK) {
    std::vector<Entry> out;
    tm_flat_t *f = nullptr;
    EXPECT_EQ(tm_flat_get(component, &f), TM_OK);
    if (!f) return out;
    out.reserve(f->size);
    for (size_t i = 0; i < f->size; ++i) {
        const tm_flat_entry_t &e = f->entries[i];
        const char *parent = e.parent ? f->entries[e.parent - 1].label : "";
        out.push_back({e.label, parent, e.tid, e.pid, e.depth, e.inclusive.stats.count});
    }
    tm_flat_free(f);
    return out;
}

// (tid, parent label, label) -> count; a node seen twice in one thread's
// layout under the same parent is a duplicate and counts as a failure.
using Counts = std::map<std::tuple<uint32_t, std::string, std::string>, uint64_t>;
inline Counts counts(const std::vector<Entry> &entries) {
    Counts out;
    for (const Entry &e : entries) {
        auto key = std::make_tuple(e.tid, e.parent, e.label);
        EXPECT_EQ(out.count(key), 0u) << "duplicate node '" << e.label << "' under '" << e.parent << "' in tid "
                                      << e.tid;
        out[key] += e.count;
    }
    return out;
}

// Empty storage, no report files, wall_clock only, around every test.
class StressTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_EQ(tm_init("stress"), TM_OK);
        ASSERT_EQ(tm_settings_set("auto_output", "0"), TM_OK);
        ASSERT_EQ(tm_settings_set("cout_output", "0"), TM_OK);
        ASSERT_EQ(tm_settings_set("components", "wall_clock"), TM_OK);
        tm_storage_reset();
    }
    void TearDown() override { tm_storage_reset(); }
};

}  // namespace stress

#endif  // TIMEMORY_TESTS_STRESS_H
