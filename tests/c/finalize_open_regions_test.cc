// tm_finalize() closes regions left open with one warning and keeps the data
// queryable. Its own binary: finalize ends the process's measurement.
#include "tests/c/test_util.h"

namespace {

using tmtest::advance_sec;

TEST(Finalize, ClosesOpenRegionsWithOneWarningAndKeepsData) {
    ASSERT_EQ(tm_init("finalize_open_regions_test"), TM_OK);
    ASSERT_EQ(tm_settings_set("auto_output", "0"), TM_OK);
    ASSERT_EQ(tm_testing_set_sampler(TM_WALL_CLOCK, tmtest::fake_wall_clock), TM_OK);
    tm_storage_reset();

    ASSERT_EQ(tm_push_region("left_open"), TM_OK);
    advance_sec(1);
    ASSERT_EQ(tm_push_region("also_open"), TM_OK);
    advance_sec(2);
    const uint64_t w0 = tm_warning_count();
    const int rc = tm_finalize();
    EXPECT_TRUE(rc == TM_OK || rc == TM_E_UNBALANCED) << tm_strerror(rc);
    EXPECT_EQ(tm_warning_count(), w0 + 1);

    tmtest::Flat flat;
    ASSERT_EQ(flat.labels(), (std::vector<std::string>{"left_open", "also_open"}));
    EXPECT_STATS(flat[0].inclusive.stats, 1, 3.0, 3.0, 3.0, 9.0);
    EXPECT_STATS(flat[0].exclusive.stats, 1, 1.0, 1.0, 1.0, 1.0);
    EXPECT_STATS(flat[1].inclusive.stats, 1, 2.0, 2.0, 2.0, 4.0);
    tm_testing_set_sampler(TM_WALL_CLOCK, nullptr);
}

}  // namespace
