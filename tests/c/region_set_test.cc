// tm_region_begin_set() with a set holding bits past the component table:
// rejected with TM_E_INVALID naming the bits, never used to index the
// samplers; the valid components still record and begin/end stay balanced.
#include <string>

#include "tests/c/test_util.h"

namespace {

using tmtest::advance_sec;
using tmtest::EngineTest;
using tmtest::Flat;

class RegionSet : public EngineTest {};

TEST_F(RegionSet, BitsPastTheTableAreRejectedAndTheRegionStaysBalanced) {
    if (TM_COMPONENT_COUNT >= 64) GTEST_SKIP() << "every bit names a component";
    const tm_component_set_t bogus = static_cast<tm_component_set_t>(1) << 63;
    tm_region_t r = tm_region("r");
    EXPECT_EQ(tm_region_begin_set(r, TM_WALL_CLOCK_BIT | bogus), TM_E_INVALID);
    EXPECT_NE(tmtest::last_error().find("63"), std::string::npos) << tmtest::last_error();
    advance_sec(2);
    EXPECT_EQ(tm_region_end(r), TM_OK) << "the frame was pushed: end is balanced";
    Flat flat;
    const tm_flat_entry_t *e = flat.one("r");
    ASSERT_NE(e, nullptr);
    EXPECT_STATS(e->inclusive.stats, 1, 2.0, 2.0, 2.0, 4.0);
}

TEST_F(RegionSet, OnlyBogusBitsRecordNothingButStayBalanced) {
    if (TM_COMPONENT_COUNT >= 64) GTEST_SKIP() << "every bit names a component";
    tm_region_t r = tm_region("r");
    EXPECT_EQ(tm_region_begin_set(r, ~TM_ALL_COMPONENTS), TM_E_INVALID);
    EXPECT_EQ(tm_region_end(r), TM_OK);
    EXPECT_EQ(Flat().size(), 0u);
}

}  // namespace
