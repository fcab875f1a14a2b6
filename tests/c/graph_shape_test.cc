// Call-graph shape: nesting, siblings, repeated regions reusing their node,
// the region entry points (by name, by handle, cached macro, explicit set)
// all landing on the same nodes, and tm_storage_reset.
#include "tests/c/test_util.h"

namespace {

using tmtest::advance_sec;
using tmtest::EngineTest;
using tmtest::Flat;
using tmtest::timed_region;

class GraphShape : public EngineTest {};

TEST_F(GraphShape, NestedRegionsGetIncreasingDepthInDepthFirstOrder) {
    ASSERT_EQ(tm_push_region("foo"), TM_OK);
    ASSERT_EQ(tm_push_region("bar"), TM_OK);
    ASSERT_EQ(tm_push_region("baz"), TM_OK);
    advance_sec(1);
    ASSERT_EQ(tm_pop_region("baz"), TM_OK);
    ASSERT_EQ(tm_pop_region("bar"), TM_OK);
    ASSERT_EQ(tm_pop_region("foo"), TM_OK);

    Flat flat;
    ASSERT_EQ(flat.rc(), TM_OK);
    ASSERT_EQ(flat.labels(), (std::vector<std::string>{"foo", "bar", "baz"}));
    for (size_t i = 0; i < flat.size(); ++i) {
        EXPECT_EQ(flat[i].depth, static_cast<int64_t>(i)) << flat[i].label;
        EXPECT_EQ(flat[i].tid, 0u) << "a single thread that records is tid 0";
        EXPECT_EQ(flat[i].inclusive.stats.count, 1u);
    }
}

TEST_F(GraphShape, SiblingsAreDistinctNodesAtTheSameDepthInFirstSeenOrder) {
    ASSERT_EQ(tm_push_region("main"), TM_OK);
    timed_region("first", 1);
    timed_region("second", 2);
    timed_region("first", 3);  // back to an existing sibling
    ASSERT_EQ(tm_pop_region("main"), TM_OK);

    Flat flat;
    ASSERT_EQ(flat.labels(), (std::vector<std::string>{"main", "first", "second"}));
    const tm_flat_entry_t *first = flat.one("first");
    const tm_flat_entry_t *second = flat.one("second");
    ASSERT_TRUE(first && second);
    EXPECT_EQ(first->depth, 1);
    EXPECT_EQ(second->depth, 1);
    EXPECT_EQ(first->inclusive.stats.count, 2u);
    EXPECT_DOUBLE_EQ(first->inclusive.data, 4.0);
    EXPECT_EQ(second->inclusive.stats.count, 1u);
    EXPECT_DOUBLE_EQ(second->inclusive.data, 2.0);
}

TEST_F(GraphShape, RepeatedRegionReusesItsNode) {
    for (int i = 0; i < 1000; ++i) timed_region("loop", 1);
    Flat flat;
    ASSERT_EQ(flat.size(), 1u);
    EXPECT_EQ(flat[0].inclusive.stats.count, 1000u);
    EXPECT_DOUBLE_EQ(flat[0].inclusive.data, 1000.0);
}

TEST_F(GraphShape, SameLabelUnderDifferentParentsIsTwoNodes) {
    ASSERT_EQ(tm_push_region("a"), TM_OK);
    timed_region("x", 1);
    ASSERT_EQ(tm_pop_region("a"), TM_OK);
    ASSERT_EQ(tm_push_region("b"), TM_OK);
    timed_region("x", 2);
    ASSERT_EQ(tm_pop_region("b"), TM_OK);

    Flat flat;
    auto xs = flat.all("x");
    ASSERT_EQ(xs.size(), 2u);
    EXPECT_NE(xs[0]->rolling_hash, xs[1]->rolling_hash);
    EXPECT_DOUBLE_EQ(xs[0]->inclusive.data + xs[1]->inclusive.data, 3.0);
    EXPECT_EQ(xs[0]->inclusive.stats.count, 1u);
    EXPECT_EQ(xs[1]->inclusive.stats.count, 1u);
}

TEST_F(GraphShape, RecursiveRegionNestsUnderItself) {
    ASSERT_EQ(tm_push_region("r"), TM_OK);
    ASSERT_EQ(tm_push_region("r"), TM_OK);
    advance_sec(1);
    ASSERT_EQ(tm_pop_region("r"), TM_OK);
    ASSERT_EQ(tm_pop_region("r"), TM_OK);

    Flat flat;
    auto rs = flat.all("r");
    ASSERT_EQ(rs.size(), 2u);
    EXPECT_EQ(rs[0]->depth, 0);
    EXPECT_EQ(rs[1]->depth, 1);
}

TEST_F(GraphShape, NameHandleAndMacroEntryPointsShareNodes) {
    tm_region_t h = tm_region("work");
    ASSERT_NE(h, nullptr);
    ASSERT_EQ(tm_push_region("work"), TM_OK);
    advance_sec(1);
    ASSERT_EQ(tm_pop_region("work"), TM_OK);
    ASSERT_EQ(tm_region_begin(h), TM_OK);
    advance_sec(1);
    ASSERT_EQ(tm_region_end(h), TM_OK);
    for (int i = 0; i < 3; ++i) {
        TM_REGION_BEGIN("work");
        advance_sec(1);
        TM_REGION_END("work");
    }
    Flat flat;
    ASSERT_EQ(flat.size(), 1u);
    EXPECT_EQ(flat[0].inclusive.stats.count, 5u);
    EXPECT_DOUBLE_EQ(flat[0].inclusive.data, 5.0);
}

TEST_F(GraphShape, BeginSetRecordsExactlyTheGivenComponents) {
    tm_region_t wall_only = tm_region("wall_only");
    tm_region_t both = tm_region("both");
    ASSERT_EQ(tm_region_begin_set(wall_only, TM_WALL_CLOCK_BIT), TM_OK);
    advance_sec(1);
    ASSERT_EQ(tm_region_end(wall_only), TM_OK);
    ASSERT_EQ(tm_region_begin_set(both, TM_WALL_CLOCK_BIT | TM_CPU_CLOCK_BIT), TM_OK);
    advance_sec(1);
    ASSERT_EQ(tm_region_end(both), TM_OK);

    Flat wall(TM_WALL_CLOCK);
    EXPECT_EQ(wall.labels(), (std::vector<std::string>{"wall_only", "both"}));
    Flat cpu(TM_CPU_CLOCK);
    ASSERT_EQ(cpu.rc(), TM_OK);
    EXPECT_EQ(cpu.labels(), (std::vector<std::string>{"both"}));
    Flat peak(TM_PEAK_RSS);
    EXPECT_EQ(peak.size(), 0u) << "a component never recorded has an empty layout";
}

TEST_F(GraphShape, ComponentsSettingChoosesWhatRegionsRecord) {
    ASSERT_EQ(tm_settings_set("components", "wall_clock,cpu_clock"), TM_OK);
    EXPECT_EQ(tm_default_components(), TM_WALL_CLOCK_BIT | TM_CPU_CLOCK_BIT);
    timed_region("r", 1);
    EXPECT_EQ(Flat(TM_WALL_CLOCK).size(), 1u);
    EXPECT_EQ(Flat(TM_CPU_CLOCK).size(), 1u);
    EXPECT_EQ(Flat(TM_USER_CLOCK).size(), 0u);
}

TEST_F(GraphShape, DisabledRecordsNothing) {
    ASSERT_EQ(tm_settings_set("enabled", "0"), TM_OK);
    tm_push_region("off");
    advance_sec(1);
    tm_pop_region("off");
    ASSERT_EQ(tm_settings_set("enabled", "1"), TM_OK);
    EXPECT_EQ(Flat().size(), 0u);
    timed_region("on", 1);
    EXPECT_EQ(Flat().labels(), (std::vector<std::string>{"on"}));
}

TEST_F(GraphShape, StorageResetDiscardsEverything) {
    timed_region("before", 1);
    ASSERT_EQ(Flat().size(), 1u);
    tm_storage_reset();
    EXPECT_EQ(Flat().size(), 0u);
    tmtest::Tree tree;
    ASSERT_EQ(tree.rc(), TM_OK);
    EXPECT_TRUE(tree.all("before").empty());
    timed_region("after", 2);
    Flat flat;
    ASSERT_EQ(flat.labels(), (std::vector<std::string>{"after"}));
    EXPECT_EQ(flat[0].inclusive.stats.count, 1u);
    EXPECT_DOUBLE_EQ(flat[0].inclusive.data, 2.0);
}

TEST_F(GraphShape, DisablingWhileARegionIsOpenDoesNotLeaveItOpen) {
    ASSERT_EQ(tm_push_region("open_when_disabled"), TM_OK);
    advance_sec(1);
    ASSERT_EQ(tm_settings_set("enabled", "0"), TM_OK);
    tm_pop_region("open_when_disabled");
    ASSERT_EQ(tm_settings_set("enabled", "1"), TM_OK);
    timed_region("later", 1);
    Flat flat;
    const tm_flat_entry_t *later = flat.one("later");
    ASSERT_NE(later, nullptr);
    EXPECT_EQ(later->depth, 0) << "the region ended while disabled must not stay open";
}

TEST_F(GraphShape, EnablingWhileARegionIsOpenIsNotUnbalanced) {
    // The user's code is balanced; only the setting changed in between.
    ASSERT_EQ(tm_settings_set("enabled", "0"), TM_OK);
    ASSERT_EQ(tm_push_region("begun_when_disabled"), TM_OK);
    ASSERT_EQ(tm_settings_set("enabled", "1"), TM_OK);
    const uint64_t w0 = tm_warning_count();
    EXPECT_EQ(tm_pop_region("begun_when_disabled"), TM_OK);
    EXPECT_EQ(tm_warning_count(), w0) << "no warning for balanced code";
    EXPECT_EQ(Flat().size(), 0u);
}

TEST_F(GraphShape, ManyDistinctSiblingsEachGetTheirOwnNode) {
    constexpr int kN = 5000;
    std::vector<tm_region_t> regions;
    for (int i = 0; i < kN; ++i) regions.push_back(tm_region(("sibling_" + std::to_string(i)).c_str()));
    ASSERT_EQ(tm_push_region("parent_of_many"), TM_OK);
    for (int rep = 0; rep < 2; ++rep)
        for (int i = 0; i < kN; ++i) {
            ASSERT_EQ(tm_region_begin(regions[i]), TM_OK);
            advance_sec(1);
            ASSERT_EQ(tm_region_end(regions[i]), TM_OK);
        }
    ASSERT_EQ(tm_pop_region("parent_of_many"), TM_OK);
    Flat flat;
    ASSERT_EQ(flat.size(), static_cast<size_t>(kN + 1));
    for (size_t i = 1; i < flat.size(); ++i) {
        EXPECT_EQ(flat[i].inclusive.stats.count, 2u) << flat[i].label;
        EXPECT_EQ(flat[i].depth, 1) << flat[i].label;
        EXPECT_EQ(flat[i].label, "sibling_" + std::to_string(i - 1));
    }
    EXPECT_EQ(flat[0].inclusive.stats.count, 1u);
    EXPECT_DOUBLE_EQ(flat[0].exclusive.data, 0.0);
}

TEST_F(GraphShape, LongAndUnusualLabelsAreKeptExactly) {
    const std::string long_label(4000, 'x');
    const std::string odd = "with spaces, commas; \"quotes\" and \xc3\xa9";
    timed_region(long_label.c_str(), 1);
    ASSERT_EQ(tm_push_region(odd.c_str()), TM_OK);
    timed_region(long_label.c_str(), 1);
    ASSERT_EQ(tm_pop_region(odd.c_str()), TM_OK);
    Flat flat;
    ASSERT_EQ(flat.size(), 3u);
    EXPECT_EQ(std::string(flat[0].prefix), ">>> " + long_label);
    EXPECT_EQ(std::string(flat[1].label), odd);
    EXPECT_EQ(std::string(flat[2].prefix), ">>> |_" + long_label);
    EXPECT_EQ(flat[2].hash, tm_hash_string(long_label.c_str()));
}

TEST_F(GraphShape, SnapshotsStayValidAfterResetAndMoreRecording) {
    ASSERT_EQ(tm_push_region("snap_outer"), TM_OK);
    timed_region("snap_inner", 2);
    ASSERT_EQ(tm_pop_region("snap_outer"), TM_OK);
    Flat flat;
    tmtest::Tree tree;
    tm_storage_reset();
    for (int i = 0; i < 100; ++i) timed_region(("other_" + std::to_string(i)).c_str(), 1);
    // The snapshots are the caller's: still the old data, still readable.
    ASSERT_EQ(flat.size(), 2u);
    EXPECT_STREQ(flat[1].label, "snap_inner");
    EXPECT_STREQ(flat[1].prefix, ">>> |_snap_inner");
    ASSERT_EQ(flat[1].hierarchy_len, 2u);
    EXPECT_EQ(flat[1].hierarchy[1], tm_hash_string("snap_inner"));
    EXPECT_DOUBLE_EQ(flat[1].inclusive.data, 2.0);
    const tm_tree_node_t *inner = tree.one("snap_inner");
    ASSERT_NE(inner, nullptr);
    EXPECT_DOUBLE_EQ(inner->inclusive.data, 2.0);
}

}  // namespace
