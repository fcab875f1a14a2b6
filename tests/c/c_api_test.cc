// The public API used from plain C: the caching macros, a typed component,
// and TIMEMORY_DISABLE compiling the macros out.
#include <thread>
#include <vector>

#include "tests/c/c_usage.h"
#include "tests/c/test_util.h"

namespace {

using tmtest::EngineTest;
using tmtest::Flat;

class CApi : public EngineTest {};

TEST_F(CApi, MacrosFromCRecordNestedRegions) {
    ASSERT_EQ(c_usage_nested_regions(7), 0);
    Flat flat;
    ASSERT_EQ(flat.labels(), (std::vector<std::string>{"c_outer", "c_inner"}));
    EXPECT_EQ(flat[0].inclusive.stats.count, 7u);
    EXPECT_EQ(flat[1].inclusive.stats.count, 7u);
    EXPECT_STREQ(flat[1].prefix, ">>> |_c_inner");
}

TEST_F(CApi, MacrosFromCAreSafeOnManyThreads) {
    // The main thread records first (tid 0) and is at the top level while
    // the workers run, so every worker's fork bookmark is at the top.
    tmtest::timed_region("c_main", 1);
    std::vector<std::thread> pool;
    for (int t = 0; t < 8; ++t) pool.emplace_back([] { c_usage_nested_regions(100); });
    for (auto &t : pool) t.join();
    tmtest::Tree tree;
    const tm_tree_node_t *outer = tree.one("c_outer");
    const tm_tree_node_t *inner = tree.one("c_inner");
    ASSERT_TRUE(outer && inner);
    EXPECT_EQ(outer->inclusive.stats.count, 800u);
    EXPECT_EQ(inner->inclusive.stats.count, 800u);
    EXPECT_EQ(tmtest::tid_set(outer), tmtest::range_set(1, 9));
}

TEST_F(CApi, TypedComponentFromC) {
    ASSERT_EQ(c_usage_component("c_obj"), TM_OK);
    Flat flat;
    ASSERT_EQ(flat.labels(), (std::vector<std::string>{"c_obj"}));
    EXPECT_EQ(flat[0].inclusive.stats.count, 1u);
}

TEST_F(CApi, DisabledMacrosRecordNothing) {
    EXPECT_EQ(c_disabled_regions(10), 45);
    EXPECT_EQ(Flat().size(), 0u);
}

}  // namespace
