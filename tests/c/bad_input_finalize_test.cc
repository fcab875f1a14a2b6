// Output paths and tm_finalize() called in unusual ways (docs/bad-input.md):
// a path that is a file, a path whose directories do not exist yet, finalize
// twice, regions recorded after finalize. Each case writes into its own
// directory under TEST_TMPDIR, so the cases do not see each other's files.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/c/file_util.h"
#include "tests/c/test_util.h"

namespace {

using tmtest::slurp;
using tmtest::exists;

class FinalizeBadInput : public tmtest::EngineTest {
  protected:
    void SetUp() override {
        EngineTest::SetUp();
        ASSERT_EQ(tm_settings_set("cout_output", "0"), TM_OK);
        ASSERT_EQ(tm_settings_set("text_output", "1"), TM_OK);
        ASSERT_EQ(tm_settings_set("json_output", "1"), TM_OK);
    }
    void TearDown() override {
        tm_settings_set("auto_output", "0");
        tm_settings_set("output_path", "timemory-output");
        EngineTest::TearDown();
    }
    static void region(const char *name) {
        ASSERT_EQ(tm_push_region(name), TM_OK);
        tmtest::advance_sec(1);
        ASSERT_EQ(tm_pop_region(name), TM_OK);
    }
};

TEST_F(FinalizeBadInput, OutputPathThatIsAFileIsAnIoErrorAndKeepsTheData) {
    const std::string file = tmtest::tmp_path("output_is_a_file");
    { std::ofstream(file) << "not a directory"; }
    ASSERT_EQ(tm_settings_set("output_path", file.c_str()), TM_OK) << "checked when writing, not when set";
    ASSERT_EQ(tm_settings_set("auto_output", "1"), TM_OK);
    region("kept");
    const uint64_t warnings = tm_warning_count();
    EXPECT_EQ(tm_finalize(), TM_E_IO);
    // The first file that cannot be opened stops that component's files.
    const std::string err = tm_last_error();
    EXPECT_EQ(err.rfind("cannot write " + file + "/wall_clock", 0), 0u) << err;
    EXPECT_NE(err.find(": Not a directory"), std::string::npos) << err;
    EXPECT_EQ(tm_warning_count(), warnings + 1) << "one warning line per component";
    EXPECT_EQ(slurp(file), "not a directory") << "the file is left alone";
    tmtest::Flat flat;
    EXPECT_EQ(flat.labels(), std::vector<std::string>{"kept"});
}

TEST_F(FinalizeBadInput, MissingDirectoriesAreCreated) {
    const std::string dir = tmtest::tmp_path("new/nested/dirs");
    ASSERT_EQ(tm_settings_set("output_path", dir.c_str()), TM_OK);
    ASSERT_EQ(tm_settings_set("auto_output", "1"), TM_OK);
    region("made");
    EXPECT_EQ(tm_finalize(), TM_OK) << tm_last_error();
    EXPECT_TRUE(exists(dir + "/wall_clock.json"));
    EXPECT_NE(slurp(dir + "/wall_clock.txt").find("made"), std::string::npos);
}

TEST_F(FinalizeBadInput, FinalizeTwiceRewritesTheFilesWithEverythingRecorded) {
    const std::string dir = tmtest::tmp_path("twice");
    ASSERT_EQ(tm_settings_set("output_path", dir.c_str()), TM_OK);
    ASSERT_EQ(tm_settings_set("auto_output", "1"), TM_OK);
    region("before");
    ASSERT_EQ(tm_finalize(), TM_OK);
    EXPECT_EQ(slurp(dir + "/wall_clock.txt").find("after"), std::string::npos);
    region("after");  // recording goes on after tm_finalize()
    ASSERT_EQ(tm_finalize(), TM_OK);
    const std::string text = slurp(dir + "/wall_clock.txt");
    EXPECT_NE(text.find("before"), std::string::npos) << text;
    EXPECT_NE(text.find("after"), std::string::npos) << text;
    EXPECT_FALSE(exists(dir + "/wall_clock.pid" + std::to_string(getpid()) + ".txt"))
        << "the same process keeps its plain file names";
}

TEST_F(FinalizeBadInput, FinalizeWithoutAutoOutputWritesNothing) {
    const std::string dir = tmtest::tmp_path("no_auto_output");
    ASSERT_EQ(tm_settings_set("output_path", dir.c_str()), TM_OK);
    region("quiet");
    EXPECT_EQ(tm_finalize(), TM_OK);
    EXPECT_FALSE(exists(dir));
    tmtest::Flat flat;
    EXPECT_EQ(flat.labels(), std::vector<std::string>{"quiet"});
}

TEST_F(FinalizeBadInput, NothingRecordedCreatesNoDirectory) {
    const std::string dir = tmtest::tmp_path("nothing_recorded");
    ASSERT_EQ(tm_settings_set("output_path", dir.c_str()), TM_OK);
    ASSERT_EQ(tm_settings_set("auto_output", "1"), TM_OK);
    EXPECT_EQ(tm_finalize(), TM_OK);
    EXPECT_FALSE(exists(dir));
}

}  // namespace
