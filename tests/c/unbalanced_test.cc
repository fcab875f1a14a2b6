// Unbalanced use never crashes or corrupts storage: end/pop/stop without
// begin/push/start returns TM_E_UNBALANCED, an outer region ended while an
// inner one is open is repaired, each distinct problem warns once, and data
// recorded before stays.
#include <string>

#include "tests/c/test_util.h"

namespace {

using tmtest::advance_sec;
using tmtest::EngineTest;
using tmtest::Flat;
using tmtest::timed_region;

class Unbalanced : public EngineTest {};

TEST_F(Unbalanced, PopWithoutPushFailsWarnsOnceAndKeepsData) {
    timed_region("kept", 2);
    const uint64_t w0 = tm_warning_count();
    EXPECT_EQ(tm_pop_region("never_pushed"), TM_E_UNBALANCED);
    EXPECT_NE(tmtest::last_error().find("never_pushed"), std::string::npos) << tmtest::last_error();
    EXPECT_EQ(tm_warning_count(), w0 + 1);
    EXPECT_EQ(tm_pop_region("never_pushed"), TM_E_UNBALANCED);
    EXPECT_EQ(tm_pop_region("never_pushed"), TM_E_UNBALANCED);
    EXPECT_EQ(tm_warning_count(), w0 + 1) << "the same problem warns once";

    Flat flat;
    ASSERT_EQ(flat.labels(), (std::vector<std::string>{"kept"}));
    EXPECT_STATS(flat[0].inclusive.stats, 1, 2.0, 2.0, 2.0, 4.0);
}

TEST_F(Unbalanced, EndWithHandleWhenNothingIsOpen) {
    tm_region_t r = tm_region("nothing_open");
    const uint64_t w0 = tm_warning_count();
    EXPECT_EQ(tm_region_end(r), TM_E_UNBALANCED);
    EXPECT_EQ(tm_warning_count(), w0 + 1);
    EXPECT_EQ(Flat().size(), 0u);
}

TEST_F(Unbalanced, EndingTheOuterRegionClosesTheInnerOne) {
    const uint64_t w0 = tm_warning_count();
    ASSERT_EQ(tm_push_region("outer"), TM_OK);
    advance_sec(1);
    ASSERT_EQ(tm_push_region("inner"), TM_OK);
    advance_sec(2);
    const int rc = tm_pop_region("outer");  // "inner" still open
    EXPECT_TRUE(rc == TM_OK || rc == TM_E_UNBALANCED) << tm_strerror(rc);
    EXPECT_EQ(tm_warning_count(), w0 + 1);
    // The stack is empty again: the next region is at the top.
    timed_region("next", 4);
    // "inner" was closed by the repair; ending it now is unbalanced.
    EXPECT_EQ(tm_pop_region("inner"), TM_E_UNBALANCED);

    Flat flat;
    ASSERT_EQ(flat.labels(), (std::vector<std::string>{"outer", "inner", "next"}));
    EXPECT_EQ(flat[1].depth, 1);
    EXPECT_EQ(flat[2].depth, 0);
    EXPECT_STATS(flat[0].inclusive.stats, 1, 3.0, 3.0, 3.0, 9.0);
    EXPECT_STATS(flat[0].exclusive.stats, 1, 1.0, 1.0, 1.0, 1.0);
    EXPECT_STATS(flat[1].inclusive.stats, 1, 2.0, 2.0, 2.0, 4.0);
    EXPECT_STATS(flat[2].inclusive.stats, 1, 4.0, 4.0, 4.0, 16.0);
}

TEST_F(Unbalanced, RepeatedSameRepairWarnsOnce) {
    const uint64_t w0 = tm_warning_count();
    for (int i = 0; i < 5; ++i) {
        ASSERT_EQ(tm_push_region("rep_outer"), TM_OK);
        ASSERT_EQ(tm_push_region("rep_inner"), TM_OK);
        advance_sec(1);
        tm_pop_region("rep_outer");
    }
    EXPECT_EQ(tm_warning_count(), w0 + 1);
    Flat flat;
    const tm_flat_entry_t *outer = flat.one("rep_outer");
    const tm_flat_entry_t *inner = flat.one("rep_inner");
    ASSERT_TRUE(outer && inner);
    EXPECT_EQ(outer->inclusive.stats.count, 5u);
    EXPECT_EQ(inner->inclusive.stats.count, 5u);
    EXPECT_EQ(inner->depth, 1);
}

TEST_F(Unbalanced, ComponentPopWithoutPushAndStopWithoutStart) {
    tm_wall_clock_t wc;
    ASSERT_EQ(tm_wall_clock_init(&wc, "lonely"), TM_OK);
    const uint64_t w0 = tm_warning_count();
    EXPECT_EQ(tm_wall_clock_pop(&wc), TM_E_UNBALANCED);
    EXPECT_GE(tm_warning_count(), w0 + 1);
    const uint64_t w1 = tm_warning_count();
    EXPECT_EQ(tm_wall_clock_stop(&wc), TM_E_UNBALANCED);
    EXPECT_DOUBLE_EQ(tm_wall_clock_get(&wc), 0.0);
    EXPECT_LE(tm_warning_count(), w1 + 1);
    EXPECT_EQ(Flat().size(), 0u);
    // The object still works normally afterwards.
    ASSERT_EQ(tm_wall_clock_push(&wc), TM_OK);
    ASSERT_EQ(tm_wall_clock_start(&wc), TM_OK);
    advance_sec(3);
    ASSERT_EQ(tm_wall_clock_stop(&wc), TM_OK);
    ASSERT_EQ(tm_wall_clock_pop(&wc), TM_OK);
    Flat flat;
    const tm_flat_entry_t *e = flat.one("lonely");
    ASSERT_NE(e, nullptr);
    EXPECT_STATS(e->inclusive.stats, 1, 3.0, 3.0, 3.0, 9.0);
}

TEST_F(Unbalanced, RegionOpenAcrossStorageResetIsDropped) {
    ASSERT_EQ(tm_push_region("stale"), TM_OK);
    advance_sec(1);
    tm_storage_reset();
    EXPECT_EQ(tm_pop_region("stale"), TM_E_UNBALANCED);
    EXPECT_EQ(Flat().size(), 0u);
    timed_region("fresh", 1);
    Flat flat;
    ASSERT_EQ(flat.labels(), (std::vector<std::string>{"fresh"}));
    EXPECT_EQ(flat[0].depth, 0);
}

TEST_F(Unbalanced, ObjectPushedBeforeResetPopsHarmlessly) {
    tm_wall_clock_t wc;
    ASSERT_EQ(tm_wall_clock_init(&wc, "pushed_then_reset"), TM_OK);
    ASSERT_EQ(tm_wall_clock_push(&wc), TM_OK);
    ASSERT_EQ(tm_wall_clock_start(&wc), TM_OK);
    advance_sec(1);
    tm_storage_reset();
    ASSERT_EQ(tm_wall_clock_stop(&wc), TM_OK);
    EXPECT_EQ(tm_wall_clock_pop(&wc), TM_E_UNBALANCED);
    EXPECT_EQ(Flat().size(), 0u);
}

TEST_F(Unbalanced, NullArgumentsAreInvalidNotFatal) {
    EXPECT_EQ(tm_push_region(nullptr), TM_E_INVALID);
    EXPECT_EQ(tm_pop_region(nullptr), TM_E_INVALID);
    EXPECT_EQ(tm_region_begin(nullptr), TM_E_INVALID);
    EXPECT_EQ(tm_region_end(nullptr), TM_E_INVALID);
    EXPECT_EQ(tm_flat_get(TM_WALL_CLOCK, nullptr), TM_E_INVALID);
    tm_flat_t *flat = nullptr;
    EXPECT_LT(tm_flat_get(TM_COMPONENT_COUNT, &flat), 0);
    EXPECT_EQ(Flat().size(), 0u);
}

TEST_F(Unbalanced, DeepNestingGrowsTheStack) {
    constexpr int kDepth = 2000;
    for (int i = 0; i < kDepth; ++i) ASSERT_EQ(tm_push_region("deep"), TM_OK);
    advance_sec(1);
    for (int i = 0; i < kDepth; ++i) ASSERT_EQ(tm_pop_region("deep"), TM_OK);
    Flat flat;
    ASSERT_EQ(flat.size(), static_cast<size_t>(kDepth));
    EXPECT_EQ(flat[kDepth - 1].depth, kDepth - 1);
    EXPECT_EQ(flat[kDepth - 1].hierarchy_len, static_cast<size_t>(kDepth));
    EXPECT_EQ(flat[kDepth - 1].rolling_hash, tm_hash_string("deep") * kDepth);
}

}  // namespace
