// Helpers of the profile tests: exact comparison of trees and flat layouts
// (every field, doubles bit for bit) and a temporary file per test.
#ifndef TIMEMORY_TESTS_C_PROFILE_TEST_UTIL_H
#define TIMEMORY_TESTS_C_PROFILE_TEST_UTIL_H

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/c/file_util.h"
#include "tests/c/test_util.h"

namespace tmtest {

// Bit-for-bit: == would call -0 and 0 equal and NaN unequal to itself.
inline bool same_double(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

inline void expect_same_value(const tm_value_t &a, const tm_value_t &b, const std::string &where) {
    EXPECT_TRUE(same_double(a.data, b.data)) << where << " data " << a.data << " vs " << b.data;
    EXPECT_EQ(a.stats.count, b.stats.count) << where;
    EXPECT_TRUE(same_double(a.stats.sum, b.stats.sum)) << where << " sum";
    EXPECT_TRUE(same_double(a.stats.min, b.stats.min)) << where << " min";
    EXPECT_TRUE(same_double(a.stats.max, b.stats.max)) << where << " max";
    EXPECT_TRUE(same_double(a.stats.sqr, b.stats.sqr)) << where << " sqr";
}

inline void expect_same_node(const tm_tree_node_t &a, const tm_tree_node_t &b, const std::string &path) {
    const std::string where = path + "/" + (a.label ? a.label : "<null>");
    EXPECT_EQ(a.is_dummy, b.is_dummy) << where;
    EXPECT_EQ(a.depth, b.depth) << where;
    EXPECT_EQ(a.hash, b.hash) << where;
    EXPECT_EQ(a.rolling_hash, b.rolling_hash) << where;
    EXPECT_STREQ(a.label, b.label) << where;
    EXPECT_STREQ(a.prefix, b.prefix) << where;
    ASSERT_EQ(a.n_tids, b.n_tids) << where;
    for (size_t i = 0; i < a.n_tids; ++i) EXPECT_EQ(a.tids[i], b.tids[i]) << where;
    ASSERT_EQ(a.n_pids, b.n_pids) << where;
    for (size_t i = 0; i < a.n_pids; ++i) EXPECT_EQ(a.pids[i], b.pids[i]) << where;
    expect_same_value(a.inclusive, b.inclusive, where + " inclusive");
    expect_same_value(a.exclusive, b.exclusive, where + " exclusive");
    ASSERT_EQ(a.n_children, b.n_children) << where;
    for (size_t i = 0; i < a.n_children; ++i) expect_same_node(a.children[i], b.children[i], where);
}

inline void expect_same_tree(const tm_tree_t *a, const tm_tree_t *b) {
    ASSERT_TRUE(a && b);
    ASSERT_EQ(a->n_roots, b->n_roots);
    for (size_t i = 0; i < a->n_roots; ++i) expect_same_node(a->roots[i], b->roots[i], "");
}

inline void expect_same_flat(const tm_flat_t *a, const tm_flat_t *b) {
    ASSERT_TRUE(a && b);
    ASSERT_EQ(a->size, b->size);
    for (size_t i = 0; i < a->size; ++i) {
        const tm_flat_entry_t &x = a->entries[i], &y = b->entries[i];
        const std::string where = "flat[" + std::to_string(i) + "] " + (x.prefix ? x.prefix : "");
        EXPECT_EQ(x.tid, y.tid) << where;
        EXPECT_EQ(x.pid, y.pid) << where;
        EXPECT_EQ(x.depth, y.depth) << where;
        EXPECT_EQ(x.hash, y.hash) << where;
        EXPECT_EQ(x.rolling_hash, y.rolling_hash) << where;
        EXPECT_STREQ(x.label, y.label) << where;
        EXPECT_STREQ(x.prefix, y.prefix) << where;
        ASSERT_EQ(x.hierarchy_len, y.hierarchy_len) << where;
        for (size_t h = 0; h < x.hierarchy_len; ++h) EXPECT_EQ(x.hierarchy[h], y.hierarchy[h]) << where;
        expect_same_value(x.inclusive, y.inclusive, where + " inclusive");
        expect_same_value(x.exclusive, y.exclusive, where + " exclusive");
    }
}

// Owns a profile.
struct Profile {
    tm_profile_t *p = nullptr;
    Profile() = default;
    Profile(const Profile &) = delete;
    Profile &operator=(const Profile &) = delete;
    ~Profile() { tm_profile_free(p); }
};

// Captures, saves to `name` in the test's temp directory and loads back.
inline void save_and_load(int component, const std::string &name, Profile &live, Profile &loaded) {
    ASSERT_EQ(tm_profile_capture(component, &live.p), TM_OK) << last_error();
    const std::string path = tmp_path(name);
    ASSERT_EQ(tm_profile_save(live.p, path.c_str()), TM_OK) << last_error();
    ASSERT_EQ(tm_profile_load(path.c_str(), &loaded.p), TM_OK) << last_error();
}

// The live views of `component` equal the views of `loaded`, field by field.
inline void expect_round_trip(int component, const tm_profile_t *loaded) {
    tm_tree_t *live_tree = nullptr, *tree = nullptr;
    ASSERT_EQ(tm_tree_get(component, &live_tree), TM_OK);
    ASSERT_EQ(tm_profile_tree(loaded, &tree), TM_OK);
    expect_same_tree(live_tree, tree);
    tm_tree_free(live_tree);
    tm_tree_free(tree);
    tm_flat_t *live_flat = nullptr, *flat = nullptr;
    ASSERT_EQ(tm_flat_get(component, &live_flat), TM_OK);
    ASSERT_EQ(tm_profile_flat(loaded, &flat), TM_OK);
    expect_same_flat(live_flat, flat);
    tm_flat_free(live_flat);
    tm_flat_free(flat);
}

}  // namespace tmtest

#endif  // TIMEMORY_TESTS_C_PROFILE_TEST_UTIL_H
