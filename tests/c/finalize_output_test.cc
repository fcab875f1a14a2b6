// tm_finalize() with auto_output prints the report of every recorded
// component and writes <output_path>/<component>.txt and .json. Its own
// binary: finalize ends the process's measurement.
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/c/file_util.h"
#include "tests/c/test_util.h"

namespace {

using tmtest::slurp;

using tmtest::advance_sec;

TEST(Finalize, AutoOutputPrintsAndWritesReports) {
    const char *tmp = std::getenv("TEST_TMPDIR");
    const std::string dir = std::string(tmp ? tmp : "/tmp") + "/finalize_out";
    ASSERT_EQ(tm_init("finalize_output_test"), TM_OK);
    ASSERT_EQ(tm_settings_set("output_path", dir.c_str()), TM_OK);
    ASSERT_EQ(tm_settings_set("auto_output", "1"), TM_OK);
    ASSERT_EQ(tm_settings_set("cout_output", "1"), TM_OK);
    ASSERT_EQ(tm_settings_set("text_output", "1"), TM_OK);
    ASSERT_EQ(tm_settings_set("json_output", "1"), TM_OK);
    ASSERT_EQ(tm_settings_set("components", "wall_clock,cpu_clock"), TM_OK);
    ASSERT_EQ(tm_testing_set_sampler(TM_WALL_CLOCK, tmtest::fake_wall_clock), TM_OK);
    tm_storage_reset();

    ASSERT_EQ(tm_push_region("reported_region"), TM_OK);
    advance_sec(2);
    ASSERT_EQ(tm_pop_region("reported_region"), TM_OK);

    testing::internal::CaptureStdout();
    const int rc = tm_finalize();
    const std::string printed = testing::internal::GetCapturedStdout();
    EXPECT_EQ(rc, TM_OK);
    EXPECT_NE(printed.find("reported_region"), std::string::npos) << printed;

    for (const char *component : {"wall_clock", "cpu_clock"}) {
        const std::string txt = slurp(dir + "/" + component + ".txt");
        EXPECT_NE(txt.find("reported_region"), std::string::npos)
            << dir << "/" << component << ".txt:\n" << txt;
        // the name given to tm_init labels the reports
        EXPECT_NE(txt.substr(0, txt.find('\n')).find("'finalize_output_test'"), std::string::npos) << txt;
        const std::string json = slurp(dir + "/" + component + ".json");
        EXPECT_NE(json.find("reported_region"), std::string::npos)
            << dir << "/" << component << ".json:\n" << json;
        // ... and is the run's metadata.name in the JSON (docs/json-format.md)
        EXPECT_NE(json.find("\"metadata\": {\n    \"name\": \"finalize_output_test\","), std::string::npos) << json;
    }
    struct stat st;
    EXPECT_NE(stat((dir + "/peak_rss.txt").c_str(), &st), 0)
        << "only recorded components are reported";
    tm_testing_set_sampler(TM_WALL_CLOCK, nullptr);
}

}  // namespace
