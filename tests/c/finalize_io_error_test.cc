// tm_finalize() with an output path that cannot be created returns TM_E_IO
// instead of crashing or exiting. Its own binary: finalize ends measurement.
#include <cstdlib>
#include <fstream>
#include <string>

#include "tests/c/test_util.h"

namespace {

TEST(Finalize, UnwritableOutputPathIsAnErrorNotACrash) {
    const char *tmp = std::getenv("TEST_TMPDIR");
    const std::string file = std::string(tmp ? tmp : "/tmp") + "/not_a_dir";
    { std::ofstream(file) << "x"; }  // the output path's parent is a file
    ASSERT_EQ(tm_init("finalize_io_error_test"), TM_OK);
    ASSERT_EQ(tm_settings_set("output_path", (file + "/sub").c_str()), TM_OK);
    ASSERT_EQ(tm_settings_set("auto_output", "1"), TM_OK);
    ASSERT_EQ(tm_settings_set("cout_output", "0"), TM_OK);
    ASSERT_EQ(tm_settings_set("text_output", "1"), TM_OK);
    ASSERT_EQ(tm_push_region("unwritable"), TM_OK);
    ASSERT_EQ(tm_pop_region("unwritable"), TM_OK);
    EXPECT_EQ(tm_finalize(), TM_E_IO);
    EXPECT_FALSE(tmtest::last_error().empty());
    tmtest::Flat flat;
    EXPECT_EQ(flat.labels(), (std::vector<std::string>{"unwritable"})) << "data is kept";
}

}  // namespace
