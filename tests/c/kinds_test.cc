// How a start/stop pair becomes a sample for each KIND, checked exactly with
// fake samplers: DELTA (may be negative), HWM (growth of a peak), RATIO
// (per-sample ratios; the node's value is the ratio of the sums), LEVEL (the
// reading at stop), STORE (values the user stores), and unit conversion of
// memory values. Also components recorded by a child only.
#include "tests/c/test_util.h"

namespace {

using tmtest::EngineTest;
using tmtest::Flat;

// Fake counters, advanced by the tests (main thread only).
int64_t fake_counter[2] = {0, 0};
void fake_sampler(int64_t out[2]) {
    out[0] = fake_counter[0];
    out[1] = fake_counter[1];
}

class Kinds : public EngineTest {
  protected:
    void TearDown() override {
        for (int id : {TM_CPU_UTIL, TM_PEAK_RSS, TM_PAGE_RSS, TM_CURRENT_PEAK_RSS})
            tm_testing_set_sampler(id, nullptr);
        tm_settings_set("memory_units", "MB");
        EngineTest::TearDown();
    }
    static void use_fake(int id) {
        fake_counter[0] = fake_counter[1] = 0;
        ASSERT_EQ(tm_testing_set_sampler(id, fake_sampler), TM_OK);
    }
};

TEST_F(Kinds, RatioSamplesArePerSampleRatiosAndValueIsRatioOfSums) {
    use_fake(TM_CPU_UTIL);
    tm_region_t r = tm_region("busy");
    // sample 1: 1 s cpu over 2 s wall = 50 %; sample 2: 3 s over 4 s = 75 %.
    const int64_t cpu[2] = {1, 3}, wall[2] = {2, 4};
    for (int i = 0; i < 2; ++i) {
        ASSERT_EQ(tm_region_begin_set(r, TM_CPU_UTIL_BIT), TM_OK);
        fake_counter[0] += cpu[i] * tmtest::kSec;
        fake_counter[1] += wall[i] * tmtest::kSec;
        ASSERT_EQ(tm_region_end(r), TM_OK);
    }
    Flat flat(TM_CPU_UTIL);
    const tm_flat_entry_t *e = flat.one("busy");
    ASSERT_NE(e, nullptr);
    EXPECT_STATS(e->inclusive.stats, 2, 125.0, 50.0, 75.0, 8125.0);
    EXPECT_DOUBLE_EQ(e->inclusive.data, 100.0 * 4.0 / 6.0);
}

TEST_F(Kinds, HighWaterMarkSampleIsTheGrowthOfThePeak) {
    use_fake(TM_PEAK_RSS);
    fake_counter[0] = 100000000;  // 100 MB peak before
    tm_peak_rss_t p;
    ASSERT_EQ(tm_peak_rss_init(&p, "alloc"), TM_OK);
    ASSERT_EQ(tm_peak_rss_push(&p), TM_OK);
    ASSERT_EQ(tm_peak_rss_start(&p), TM_OK);
    fake_counter[0] = 150000000;  // peak grew by 50 MB
    ASSERT_EQ(tm_peak_rss_stop(&p), TM_OK);
    EXPECT_DOUBLE_EQ(tm_peak_rss_get(&p), 50.0);
    ASSERT_EQ(tm_peak_rss_pop(&p), TM_OK);
    Flat flat(TM_PEAK_RSS);
    const tm_flat_entry_t *e = flat.one("alloc");
    ASSERT_NE(e, nullptr);
    EXPECT_STATS(e->inclusive.stats, 1, 50.0, 50.0, 50.0, 2500.0);
}

TEST_F(Kinds, DeltaOfALevelCanBeNegative) {
    use_fake(TM_PAGE_RSS);
    fake_counter[0] = 200000000;
    tm_region_t r = tm_region("shrink");
    ASSERT_EQ(tm_region_begin_set(r, TM_PAGE_RSS_BIT), TM_OK);
    fake_counter[0] = 150000000;  // RSS fell by 50 MB
    ASSERT_EQ(tm_region_end(r), TM_OK);
    Flat flat(TM_PAGE_RSS);
    const tm_flat_entry_t *e = flat.one("shrink");
    ASSERT_NE(e, nullptr);
    EXPECT_DOUBLE_EQ(e->inclusive.data, -50.0);
    EXPECT_STATS(e->inclusive.stats, 1, -50.0, -50.0, -50.0, 2500.0);
}

TEST_F(Kinds, MemoryUnitsSettingConvertsBytes) {
    use_fake(TM_PEAK_RSS);
    ASSERT_EQ(tm_settings_set("memory_units", "MiB"), TM_OK);
    tm_region_t r = tm_region("mib");
    ASSERT_EQ(tm_region_begin_set(r, TM_PEAK_RSS_BIT), TM_OK);
    fake_counter[0] += 3 * 1048576;
    ASSERT_EQ(tm_region_end(r), TM_OK);
    Flat flat(TM_PEAK_RSS);
    const tm_flat_entry_t *e = flat.one("mib");
    ASSERT_NE(e, nullptr);
    EXPECT_DOUBLE_EQ(e->inclusive.data, 3.0);
    EXPECT_STREQ(tm_component_unit(TM_PEAK_RSS), "MiB");
}

TEST_F(Kinds, LayoutOfAComponentKeepsTheAncestorsOfWhereItRecorded) {
    // parent records wall_clock only, its child wall_clock and peak_rss.
    use_fake(TM_PEAK_RSS);
    tm_region_t parent = tm_region("wall_parent");
    tm_region_t child = tm_region("both_child");
    ASSERT_EQ(tm_region_begin_set(parent, TM_WALL_CLOCK_BIT), TM_OK);
    tmtest::advance_sec(1);
    ASSERT_EQ(tm_region_begin_set(child, TM_WALL_CLOCK_BIT | TM_PEAK_RSS_BIT), TM_OK);
    tmtest::advance_sec(2);
    fake_counter[0] += 1000000;
    ASSERT_EQ(tm_region_end(child), TM_OK);
    ASSERT_EQ(tm_region_end(parent), TM_OK);

    Flat wall(TM_WALL_CLOCK);
    const tm_flat_entry_t *wp = wall.one("wall_parent");
    ASSERT_NE(wp, nullptr);
    EXPECT_STATS(wp->exclusive.stats, 1, 1.0, 1.0, 1.0, 1.0);

    Flat peak(TM_PEAK_RSS);
    const tm_flat_entry_t *pc = peak.one("both_child");
    ASSERT_NE(pc, nullptr);
    EXPECT_EQ(pc->depth, 1);
    EXPECT_STREQ(pc->prefix, ">>> |_both_child");
    EXPECT_EQ(pc->rolling_hash, tm_hash_string("wall_parent") + tm_hash_string("both_child"));
    EXPECT_STATS(pc->inclusive.stats, 1, 1.0, 1.0, 1.0, 1.0);
    for (auto *pp : peak.all("wall_parent")) {
        EXPECT_EQ(pp->inclusive.stats.count, 0u) << "no peak_rss sample at the parent";
        EXPECT_EQ(pp->depth, 0);
    }
}

TEST_F(Kinds, LevelSampleIsTheReadingAtStop) {
    use_fake(TM_CURRENT_PEAK_RSS);
    tm_region_t r = tm_region("level");
    fake_counter[0] = 100000000;
    ASSERT_EQ(tm_region_begin_set(r, TM_CURRENT_PEAK_RSS_BIT), TM_OK);
    fake_counter[0] = 120000000;
    ASSERT_EQ(tm_region_end(r), TM_OK);
    ASSERT_EQ(tm_region_begin_set(r, TM_CURRENT_PEAK_RSS_BIT), TM_OK);
    fake_counter[0] = 130000000;
    ASSERT_EQ(tm_region_end(r), TM_OK);
    Flat flat(TM_CURRENT_PEAK_RSS);
    const tm_flat_entry_t *e = flat.one("level");
    ASSERT_NE(e, nullptr);
    EXPECT_STATS(e->inclusive.stats, 2, 250.0, 120.0, 130.0, 120.0 * 120 + 130.0 * 130);
}

TEST_F(Kinds, TripCountValueIsTheNumberOfEntries) {
    // components.def: trip_count is the "Number of times the region was
    // entered (each sample is 1)".
    tm_region_t r = tm_region("tripped");
    for (int i = 0; i < 5; ++i) {
        ASSERT_EQ(tm_region_begin_set(r, TM_TRIP_COUNT_BIT), TM_OK);
        ASSERT_EQ(tm_region_end(r), TM_OK);
    }
    Flat flat(TM_TRIP_COUNT);
    const tm_flat_entry_t *e = flat.one("tripped");
    ASSERT_NE(e, nullptr);
    EXPECT_STATS(e->inclusive.stats, 5, 5.0, 1.0, 1.0, 5.0);
    EXPECT_DOUBLE_EQ(e->inclusive.data, 5.0) << "the value reported for the region";
}

TEST_F(Kinds, StoredValuesAreSamplesOfTheInnermostRegion) {
    tm_component_t c;
    ASSERT_EQ(tm_component_init(&c, TM_DATA_TRACKER_INTEGER, "tracker"), TM_OK);
    ASSERT_EQ(tm_push_region("outer_loop"), TM_OK);
    ASSERT_EQ(tm_push_region("inner_loop"), TM_OK);
    ASSERT_EQ(tm_component_store(&c, 3), TM_OK);
    ASSERT_EQ(tm_component_store(&c, 4), TM_OK);
    ASSERT_EQ(tm_pop_region("inner_loop"), TM_OK);
    ASSERT_EQ(tm_pop_region("outer_loop"), TM_OK);
    EXPECT_DOUBLE_EQ(tm_component_get(&c), 7.0);

    Flat flat(TM_DATA_TRACKER_INTEGER);
    const tm_flat_entry_t *e = flat.one("inner_loop");
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->depth, 1);
    EXPECT_STATS(e->inclusive.stats, 2, 7.0, 3.0, 4.0, 25.0);
    EXPECT_DOUBLE_EQ(e->inclusive.data, 7.0);
}

TEST_F(Kinds, PushedTrackerStoresItsSumAsOneSample) {
    tm_component_t c;
    ASSERT_EQ(tm_component_init(&c, TM_DATA_TRACKER_INTEGER, "pushed_tracker"), TM_OK);
    for (int rep = 0; rep < 2; ++rep) {
        ASSERT_EQ(tm_component_push(&c), TM_OK);
        ASSERT_EQ(tm_component_store(&c, 2), TM_OK);
        ASSERT_EQ(tm_component_store(&c, 5), TM_OK);
        ASSERT_EQ(tm_component_pop(&c), TM_OK);
    }
    Flat flat(TM_DATA_TRACKER_INTEGER);
    const tm_flat_entry_t *e = flat.one("pushed_tracker");
    ASSERT_NE(e, nullptr);
    EXPECT_STATS(e->inclusive.stats, 2, 14.0, 7.0, 7.0, 98.0);
}

TEST_F(Kinds, StoreIsOnlyForTrackersAndChecksTheValueType) {
    tm_component_t wall, integer, unsig;
    ASSERT_EQ(tm_component_init(&wall, TM_WALL_CLOCK, "w"), TM_OK);
    ASSERT_EQ(tm_component_init(&integer, TM_DATA_TRACKER_INTEGER, "i"), TM_OK);
    ASSERT_EQ(tm_component_init(&unsig, TM_DATA_TRACKER_UNSIGNED, "u"), TM_OK);
    EXPECT_EQ(tm_component_store(&wall, 1.0), TM_E_WRONG_KIND);
    EXPECT_EQ(tm_component_store(&integer, 1.5), TM_E_INVALID);
    EXPECT_EQ(tm_component_store(&unsig, -1.0), TM_E_INVALID);
    EXPECT_EQ(tm_component_store(&integer, -1.0), TM_OK);
    EXPECT_DOUBLE_EQ(tm_component_get(&integer), -1.0);
}

TEST_F(Kinds, RatioExclusiveSampleSubtractsTheChildCountersFirst) {
    // parent: 4 s cpu over 8 s wall; its child: 3 s cpu over 4 s wall.
    // Exclusive parent sample = (4 - 3) / (8 - 4) = 25 %.
    use_fake(TM_CPU_UTIL);
    tm_region_t parent = tm_region("ratio_parent");
    tm_region_t child = tm_region("ratio_child");
    ASSERT_EQ(tm_region_begin_set(parent, TM_CPU_UTIL_BIT), TM_OK);
    fake_counter[0] += 1 * tmtest::kSec;
    fake_counter[1] += 4 * tmtest::kSec;
    ASSERT_EQ(tm_region_begin_set(child, TM_CPU_UTIL_BIT), TM_OK);
    fake_counter[0] += 3 * tmtest::kSec;
    fake_counter[1] += 4 * tmtest::kSec;
    ASSERT_EQ(tm_region_end(child), TM_OK);
    ASSERT_EQ(tm_region_end(parent), TM_OK);
    Flat flat(TM_CPU_UTIL);
    const tm_flat_entry_t *p = flat.one("ratio_parent");
    const tm_flat_entry_t *c = flat.one("ratio_child");
    ASSERT_TRUE(p && c);
    EXPECT_STATS(p->inclusive.stats, 1, 50.0, 50.0, 50.0, 2500.0);
    EXPECT_STATS(p->exclusive.stats, 1, 25.0, 25.0, 25.0, 625.0);
    EXPECT_DOUBLE_EQ(p->exclusive.data, 25.0);
    EXPECT_STATS(c->inclusive.stats, 1, 75.0, 75.0, 75.0, 5625.0);
}

}  // namespace
