// Component objects (tm_wall_clock_t, ...): laps accumulate between start()
// and stop(); only push()/pop() record, one pop() = one sample = the laps
// since the matching push(). Includes the spec's `bar` example.
#include "tests/c/test_util.h"

namespace {

using tmtest::advance_sec;
using tmtest::EngineTest;
using tmtest::Flat;
using tmtest::timed_region;
using tmtest::Tree;

class ComponentObject : public EngineTest {};

TEST_F(ComponentObject, SpecBarExampleOnePopPerTwoLaps) {
    // foo() of the spec: 1 s of its own, then wc = WallClock("bar") with laps
    // of (i+1) s, push() on even i, pop() on odd i.
    ASSERT_EQ(tm_push_region("foo"), TM_OK);
    advance_sec(1);
    tm_wall_clock_t wc;
    ASSERT_EQ(tm_wall_clock_init(&wc, "bar"), TM_OK);
    for (int i = 0; i < 10; ++i) {
        if (i % 2 == 0) {
            ASSERT_EQ(tm_wall_clock_push(&wc), TM_OK);
        }
        ASSERT_EQ(tm_wall_clock_start(&wc), TM_OK);
        advance_sec(i + 1);
        ASSERT_EQ(tm_wall_clock_stop(&wc), TM_OK);
        if (i % 2 == 1) {
            ASSERT_EQ(tm_wall_clock_pop(&wc), TM_OK);
        }
    }
    ASSERT_EQ(tm_pop_region("foo"), TM_OK);

    Flat flat;
    ASSERT_EQ(flat.labels(), (std::vector<std::string>{"foo", "bar"}));
    const tm_flat_entry_t &foo = flat[0];
    const tm_flat_entry_t &bar = flat[1];
    EXPECT_STREQ(bar.prefix, ">>> |_bar");
    EXPECT_EQ(bar.depth, 1);
    EXPECT_EQ(bar.rolling_hash, tm_hash_string("foo") + tm_hash_string("bar"));
    // Samples 1+2, 3+4, 5+6, 7+8, 9+10.
    EXPECT_DOUBLE_EQ(bar.inclusive.data, 55.0);
    EXPECT_STATS(bar.inclusive.stats, 5, 55.0, 3.0, 19.0, 765.0);
    EXPECT_STATS(bar.exclusive.stats, 5, 55.0, 3.0, 19.0, 765.0);
    EXPECT_DOUBLE_EQ(foo.inclusive.data, 56.0);
    EXPECT_STATS(foo.inclusive.stats, 1, 56.0, 56.0, 56.0, 3136.0);
    EXPECT_DOUBLE_EQ(foo.exclusive.data, 1.0);
    EXPECT_STATS(foo.exclusive.stats, 1, 1.0, 1.0, 1.0, 1.0);
}

TEST_F(ComponentObject, GetWithoutPushMeasuresButStoresNothing) {
    tm_wall_clock_t wc;
    ASSERT_EQ(tm_wall_clock_init(&wc, "standalone"), TM_OK);
    ASSERT_EQ(tm_wall_clock_start(&wc), TM_OK);
    advance_sec(2);
    ASSERT_EQ(tm_wall_clock_stop(&wc), TM_OK);
    EXPECT_DOUBLE_EQ(tm_wall_clock_get(&wc), 2.0);
    EXPECT_DOUBLE_EQ(tm_component_get_raw(&wc.base), 2e9);
    Flat flat;
    ASSERT_EQ(flat.rc(), TM_OK);
    EXPECT_EQ(flat.size(), 0u);
    Tree tree;
    EXPECT_TRUE(tree.all("standalone").empty());
}

TEST_F(ComponentObject, LapsAccumulateAndGapsBetweenLapsDoNotCount) {
    tm_wall_clock_t wc;
    ASSERT_EQ(tm_wall_clock_init(&wc, "laps"), TM_OK);
    ASSERT_EQ(tm_wall_clock_start(&wc), TM_OK);
    advance_sec(1);
    EXPECT_DOUBLE_EQ(tm_wall_clock_get(&wc), 1.0) << "get() includes the running lap";
    ASSERT_EQ(tm_wall_clock_stop(&wc), TM_OK);
    advance_sec(50);  // not measured
    ASSERT_EQ(tm_wall_clock_start(&wc), TM_OK);
    advance_sec(2);
    ASSERT_EQ(tm_wall_clock_stop(&wc), TM_OK);
    EXPECT_DOUBLE_EQ(tm_wall_clock_get(&wc), 3.0);
    ASSERT_EQ(tm_wall_clock_reset(&wc), TM_OK);
    EXPECT_DOUBLE_EQ(tm_wall_clock_get(&wc), 0.0);
}

TEST_F(ComponentObject, PushedObjectsNestLikeRegions) {
    tm_wall_clock_t outer, inner;
    ASSERT_EQ(tm_wall_clock_init(&outer, "outer_obj"), TM_OK);
    ASSERT_EQ(tm_wall_clock_init(&inner, "inner_obj"), TM_OK);
    ASSERT_EQ(tm_wall_clock_push(&outer), TM_OK);
    ASSERT_EQ(tm_wall_clock_start(&outer), TM_OK);
    ASSERT_EQ(tm_wall_clock_push(&inner), TM_OK);
    ASSERT_EQ(tm_wall_clock_start(&inner), TM_OK);
    advance_sec(3);
    ASSERT_EQ(tm_wall_clock_stop(&inner), TM_OK);
    ASSERT_EQ(tm_wall_clock_pop(&inner), TM_OK);
    advance_sec(1);
    ASSERT_EQ(tm_wall_clock_stop(&outer), TM_OK);
    ASSERT_EQ(tm_wall_clock_pop(&outer), TM_OK);

    Flat flat;
    ASSERT_EQ(flat.labels(), (std::vector<std::string>{"outer_obj", "inner_obj"}));
    EXPECT_EQ(flat[1].depth, 1);
    EXPECT_STATS(flat[0].inclusive.stats, 1, 4.0, 4.0, 4.0, 16.0);
    EXPECT_STATS(flat[0].exclusive.stats, 1, 1.0, 1.0, 1.0, 1.0);
    EXPECT_STATS(flat[1].inclusive.stats, 1, 3.0, 3.0, 3.0, 9.0);
}

TEST_F(ComponentObject, ObjectRecordsOnlyItsOwnComponent) {
    tm_cpu_clock_t cc;
    ASSERT_EQ(tm_cpu_clock_init(&cc, "cpu_obj"), TM_OK);
    EXPECT_EQ(cc.base.id, TM_CPU_CLOCK);
    ASSERT_EQ(tm_cpu_clock_push(&cc), TM_OK);
    ASSERT_EQ(tm_cpu_clock_start(&cc), TM_OK);
    volatile double x = 0;
    for (int i = 0; i < 100000; ++i) x = x + i;
    ASSERT_EQ(tm_cpu_clock_stop(&cc), TM_OK);
    ASSERT_EQ(tm_cpu_clock_pop(&cc), TM_OK);

    Flat cpu(TM_CPU_CLOCK);
    const tm_flat_entry_t *e = cpu.one("cpu_obj");
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->inclusive.stats.count, 1u);
    EXPECT_GE(e->inclusive.data, 0.0);
    EXPECT_EQ(Flat(TM_WALL_CLOCK).size(), 0u);
}

TEST_F(ComponentObject, InitRejectsAnUnknownId) {
    tm_component_t c;
    EXPECT_LT(tm_component_init(&c, TM_COMPONENT_COUNT, "x"), 0);
    EXPECT_LT(tm_component_init(&c, -1, "x"), 0);
}

TEST_F(ComponentObject, RegionInsidePushedObjectIsItsChild) {
    tm_wall_clock_t wc;
    ASSERT_EQ(tm_wall_clock_init(&wc, "obj_parent"), TM_OK);
    ASSERT_EQ(tm_wall_clock_push(&wc), TM_OK);
    ASSERT_EQ(tm_wall_clock_start(&wc), TM_OK);
    advance_sec(1);
    ASSERT_EQ(tm_push_region("region_child"), TM_OK);
    advance_sec(4);
    ASSERT_EQ(tm_pop_region("region_child"), TM_OK);
    ASSERT_EQ(tm_wall_clock_stop(&wc), TM_OK);
    ASSERT_EQ(tm_wall_clock_pop(&wc), TM_OK);

    Flat flat;
    ASSERT_EQ(flat.labels(), (std::vector<std::string>{"obj_parent", "region_child"}));
    EXPECT_EQ(flat[1].depth, 1);
    EXPECT_STATS(flat[0].inclusive.stats, 1, 5.0, 5.0, 5.0, 25.0);
    EXPECT_STATS(flat[0].exclusive.stats, 1, 1.0, 1.0, 1.0, 1.0);
}

TEST_F(ComponentObject, PopWithARegionStillOpenAboveRepairs) {
    tm_wall_clock_t wc;
    ASSERT_EQ(tm_wall_clock_init(&wc, "obj_outer"), TM_OK);
    ASSERT_EQ(tm_wall_clock_push(&wc), TM_OK);
    ASSERT_EQ(tm_wall_clock_start(&wc), TM_OK);
    ASSERT_EQ(tm_push_region("left_inside"), TM_OK);
    advance_sec(2);
    ASSERT_EQ(tm_wall_clock_stop(&wc), TM_OK);
    const uint64_t w0 = tm_warning_count();
    const int rc = tm_wall_clock_pop(&wc);  // "left_inside" is still open
    EXPECT_TRUE(rc == TM_OK || rc == TM_E_UNBALANCED) << tm_strerror(rc);
    EXPECT_EQ(tm_warning_count(), w0 + 1);
    timed_region("top_again", 1);

    Flat flat;
    ASSERT_EQ(flat.labels(), (std::vector<std::string>{"obj_outer", "left_inside", "top_again"}));
    EXPECT_EQ(flat[1].inclusive.stats.count, 1u);
    EXPECT_EQ(flat[2].depth, 0);
    EXPECT_STATS(flat[0].inclusive.stats, 1, 2.0, 2.0, 2.0, 4.0);
}

}  // namespace
