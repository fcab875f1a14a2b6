// Inclusive statistics checked to the last digit with the fake wall clock:
// count, sum, min, max, sum of squares, mean and (population) stddev, unit
// conversion, and the stats helpers themselves.
#include <cmath>
#include <thread>

#include "tests/c/test_util.h"

namespace {

using tmtest::advance_ns;
using tmtest::advance_sec;
using tmtest::EngineTest;
using tmtest::Flat;
using tmtest::kSec;
using tmtest::timed_region;
using tmtest::Tree;

class Stats : public EngineTest {};

TEST_F(Stats, EverySampleCountsOnceWithExactSumMinMaxSqr) {
    for (int s : {3, 1, 4, 2}) timed_region("r", s);
    Flat flat;
    const tm_flat_entry_t *r = flat.one("r");
    ASSERT_NE(r, nullptr);
    EXPECT_DOUBLE_EQ(r->inclusive.data, 10.0);
    EXPECT_STATS(r->inclusive.stats, 4, 10.0, 1.0, 4.0, 30.0);
    EXPECT_DOUBLE_EQ(tm_stats_mean(&r->inclusive.stats), 2.5);
    EXPECT_DOUBLE_EQ(tm_stats_stddev(&r->inclusive.stats), std::sqrt(1.25));
}

TEST_F(Stats, SubSecondSamplesAreConvertedToSeconds) {
    ASSERT_EQ(tm_push_region("r"), TM_OK);
    advance_ns(kSec / 2);
    ASSERT_EQ(tm_pop_region("r"), TM_OK);
    ASSERT_EQ(tm_push_region("r"), TM_OK);
    advance_ns(kSec / 4);
    ASSERT_EQ(tm_pop_region("r"), TM_OK);
    ASSERT_EQ(tm_push_region("r"), TM_OK);
    advance_ns(1);
    ASSERT_EQ(tm_pop_region("r"), TM_OK);

    Flat flat;
    const tm_flat_entry_t *r = flat.one("r");
    ASSERT_NE(r, nullptr);
    EXPECT_STATS(r->inclusive.stats, 3, 0.750000001, 1e-9, 0.5, 0.3125 + 1e-18);
    EXPECT_DOUBLE_EQ(r->inclusive.data, 0.750000001);
}

TEST_F(Stats, TimeOutsideTheRegionIsNotCounted) {
    advance_sec(100);
    timed_region("r", 2);
    advance_sec(100);
    timed_region("r", 3);
    advance_sec(100);
    Flat flat;
    const tm_flat_entry_t *r = flat.one("r");
    ASSERT_NE(r, nullptr);
    EXPECT_STATS(r->inclusive.stats, 2, 5.0, 2.0, 3.0, 13.0);
}

TEST_F(Stats, ZeroLengthSampleIsStillASample) {
    timed_region("r", 0);
    timed_region("r", 6);
    Flat flat;
    const tm_flat_entry_t *r = flat.one("r");
    ASSERT_NE(r, nullptr);
    EXPECT_STATS(r->inclusive.stats, 2, 6.0, 0.0, 6.0, 36.0);
}

TEST_F(Stats, TimingUnitsSettingRescalesValuesAndStats) {
    ASSERT_EQ(tm_settings_set("timing_units", "msec"), TM_OK);
    EXPECT_STREQ(tm_component_unit(TM_WALL_CLOCK), "msec");
    EXPECT_DOUBLE_EQ(tm_component_scale(TM_WALL_CLOCK), 1e6);
    timed_region("r", 2);
    timed_region("r", 1);
    Flat flat;
    const tm_flat_entry_t *r = flat.one("r");
    ASSERT_NE(r, nullptr);
    EXPECT_DOUBLE_EQ(r->inclusive.data, 3000.0);
    EXPECT_STATS(r->inclusive.stats, 2, 3000.0, 1000.0, 2000.0, 5e6);

    ASSERT_EQ(tm_settings_set("timing_units", "sec"), TM_OK);
    EXPECT_STREQ(tm_component_unit(TM_WALL_CLOCK), "sec");
    EXPECT_DOUBLE_EQ(tm_component_scale(TM_WALL_CLOCK), 1e9);
    Flat again;
    ASSERT_NE(again.one("r"), nullptr);
    EXPECT_DOUBLE_EQ(again.one("r")->inclusive.data, 3.0) << "stored raw, converted when read";
}

TEST(StatsHelpers, MeanAndPopulationStddev) {
    tm_stats_t s{};
    s.count = 4;
    s.sum = 10;
    s.min = 1;
    s.max = 4;
    s.sqr = 30;
    s.variance = 1.25;
    EXPECT_DOUBLE_EQ(tm_stats_mean(&s), 2.5);
    EXPECT_DOUBLE_EQ(tm_stats_stddev(&s), std::sqrt(1.25));
}

TEST(StatsHelpers, EmptyStatsGiveZeroNotNan) {
    tm_stats_t s{};
    EXPECT_EQ(tm_stats_mean(&s), 0.0);
    EXPECT_EQ(tm_stats_stddev(&s), 0.0);
}

TEST_F(Stats, IdenticalSamplesHaveZeroStddevNeverNan) {
    // 0.3 s is not exact in binary: sqr/n - mean^2 can round below zero.
    for (int i = 0; i < 3; ++i) {
        ASSERT_EQ(tm_push_region("r"), TM_OK);
        advance_ns(300000000);
        ASSERT_EQ(tm_pop_region("r"), TM_OK);
    }
    Flat flat;
    const tm_flat_entry_t *r = flat.one("r");
    ASSERT_NE(r, nullptr);
    const double sd = tm_stats_stddev(&r->inclusive.stats);
    EXPECT_FALSE(std::isnan(sd));
    EXPECT_GE(sd, 0.0);
    // sum-of-squares statistics cancel: allow rounding noise, relative to the mean.
    EXPECT_LE(sd, 1e-7 * tm_stats_mean(&r->inclusive.stats));
    EXPECT_DOUBLE_EQ(r->inclusive.stats.min, 0.3);
    EXPECT_DOUBLE_EQ(r->inclusive.stats.max, 0.3);
}

TEST_F(Stats, TreeOfOneThreadHasTheFlatValues) {
    ASSERT_EQ(tm_push_region("p"), TM_OK);
    advance_sec(1);
    timed_region("c", 2);
    timed_region("c", 4);
    ASSERT_EQ(tm_pop_region("p"), TM_OK);

    Flat flat;
    Tree tree;
    for (const char *label : {"p", "c"}) {
        const tm_flat_entry_t *f = flat.one(label);
        const tm_tree_node_t *t = tree.one(label);
        ASSERT_TRUE(f && t) << label;
        EXPECT_DOUBLE_EQ(t->inclusive.data, f->inclusive.data) << label;
        EXPECT_DOUBLE_EQ(t->exclusive.data, f->exclusive.data) << label;
        EXPECT_STATS(t->inclusive.stats, f->inclusive.stats.count, f->inclusive.stats.sum,
                     f->inclusive.stats.min, f->inclusive.stats.max, f->inclusive.stats.sqr);
        EXPECT_STATS(t->exclusive.stats, f->exclusive.stats.count, f->exclusive.stats.sum,
                     f->exclusive.stats.min, f->exclusive.stats.max, f->exclusive.stats.sqr);
    }
    const tm_tree_node_t *c = tree.one("c");
    ASSERT_NE(c, nullptr);
    EXPECT_STATS(c->inclusive.stats, 2, 6.0, 2.0, 4.0, 20.0);
}

// Large, tightly clustered samples: 1000 s plus 0, 1, 2 or 3 ns. Their
// squares (1e24 ns^2) leave no digits for the spread, so sqr/n - mean^2
// cancels to noise; Welford's update keeps the deviations themselves.
constexpr int64_t kBig = 1000 * kSec;

void clustered_region(int64_t extra_ns) {
    ASSERT_EQ(tm_push_region("r"), TM_OK);
    advance_ns(kBig + extra_ns);
    ASSERT_EQ(tm_pop_region("r"), TM_OK);
}

TEST_F(Stats, LargeTightlyClusteredSamplesKeepTheirStddev) {
    for (int64_t ns : {0, 1, 2, 3}) clustered_region(ns);
    Flat flat;
    const tm_flat_entry_t *r = flat.one("r");
    ASSERT_NE(r, nullptr);
    const double expected = std::sqrt(1.25) / kSec;  // population stddev of {0,1,2,3} ns, in s
    EXPECT_NEAR(tm_stats_stddev(&r->inclusive.stats), expected, 1e-6 * expected);
    EXPECT_NEAR(tm_stats_stddev(&r->exclusive.stats), expected, 1e-6 * expected);
    // sqr is still the plain sum of squares: 4 * 1000^2 + 2 * 1000 * (0+1+2+3) ns
    EXPECT_NEAR(r->inclusive.stats.sqr, 4e6 + 1.2e-5, 1e-9);
}

// Threads merged in the tree combine their statistics with Chan's formula:
// {0, 1} ns on one thread and {2, 3} ns on another give the spread of all four.
TEST_F(Stats, MergedThreadsCombineTheirSpreadExactly) {
    auto two = [](int64_t first) {
        tmtest::fake_now_ns = 0;
        clustered_region(first);
        clustered_region(first + 1);
    };
    std::thread a(two, 0);
    a.join();
    std::thread b(two, 2);
    b.join();
    Tree tree;
    const tm_tree_node_t *r = tree.one("r");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->inclusive.stats.count, 4u);
    const double expected = std::sqrt(1.25) / kSec;
    EXPECT_NEAR(tm_stats_stddev(&r->inclusive.stats), expected, 1e-6 * expected);
}

}  // namespace
