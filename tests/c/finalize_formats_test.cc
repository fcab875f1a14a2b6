// tm_finalize() writes every file format that is switched on:
// <component>.tree.json, .folded and .svg for additive components, and the
// timeline as wall_clock.trace.json when timeline_profile is on; the
// switches turn each off. Its own binary: finalize ends the measurement.
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/c/file_util.h"
#include "tests/c/formats_util.h"

namespace {

using tmtest::slurp;
using tmtest::exists;

TEST(FinalizeFormats, WritesTreeFlameAndTimelineFiles) {
    const char *tmp = std::getenv("TEST_TMPDIR");
    const std::string dir = std::string(tmp ? tmp : "/tmp") + "/finalize_formats";
    ASSERT_EQ(tm_init("finalize_formats_test"), TM_OK);
    ASSERT_EQ(tm_settings_set("output_path", dir.c_str()), TM_OK);
    ASSERT_EQ(tm_settings_set("auto_output", "1"), TM_OK);
    ASSERT_EQ(tm_settings_set("cout_output", "0"), TM_OK);
    ASSERT_EQ(tm_settings_set("text_output", "0"), TM_OK);
    ASSERT_EQ(tm_settings_set("json_output", "0"), TM_OK);
    ASSERT_EQ(tm_settings_set("timeline_profile", "1"), TM_OK);
    ASSERT_EQ(tm_settings_set("components", "wall_clock,cpu_util"), TM_OK);
    ASSERT_EQ(tm_testing_set_sampler(TM_WALL_CLOCK, tmtest::fake_wall_clock), TM_OK);
    tm_storage_reset();

    tmtest::record_solver();
    EXPECT_EQ(tm_finalize(), TM_OK) << tmtest::last_error();

    const std::string folded = slurp(dir + "/wall_clock.folded");
    EXPECT_NE(folded.find("main;solve;assemble 4000000000\n"), std::string::npos) << folded;
    EXPECT_NE(slurp(dir + "/wall_clock.svg").find("</svg>"), std::string::npos);
    const jsonlite::Value tree = tmtest::parse_json(slurp(dir + "/wall_clock.tree.json"));
    EXPECT_EQ(tree["timemory"]["wall_clock"]["type"].str, "wall");
    const jsonlite::Value trace = tmtest::parse_json(slurp(dir + "/wall_clock.trace.json"));
    size_t events = 0;
    for (auto &e : trace["traceEvents"].arr) events += e["ph"].str == "X";
    EXPECT_EQ(events, 5u);
    // a ratio gets its tree, not a flame graph (its values do not add up)
    EXPECT_TRUE(exists(dir + "/cpu_util.tree.json"));
    EXPECT_FALSE(exists(dir + "/cpu_util.folded"));
    EXPECT_FALSE(exists(dir + "/cpu_util.svg"));
    EXPECT_FALSE(exists(dir + "/wall_clock.txt")) << "text_output=0";
    tm_testing_set_sampler(TM_WALL_CLOCK, nullptr);
}

}  // namespace
