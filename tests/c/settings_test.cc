// Settings: the table, get/set round trips, and bad values rejected with
// TM_E_BAD_SETTING and a message naming the setting, the value and the
// valid choices. (Bad environment values: env_test.cc.)
#include <atomic>
#include <cctype>
#include <string>
#include <thread>

#include "tests/c/test_util.h"

namespace {

using tmtest::last_error;

bool contains(const std::string &haystack, const std::string &needle) {
    return haystack.find(needle) != std::string::npos;
}

// Restores the settings a test touches.
class Settings : public ::testing::Test {
  protected:
    void SetUp() override { ASSERT_EQ(tm_init("settings_test"), TM_OK); }
    void TearDown() override {
        for (size_t i = 0; i < tm_settings_count(); ++i) {
            const tm_setting_desc_t *d = tm_settings_desc(i);
            tm_settings_set(d->name, d->default_value);
        }
    }
};

const tm_setting_desc_t *find_desc(const std::string &name) {
    for (size_t i = 0; i < tm_settings_count(); ++i)
        if (name == tm_settings_desc(i)->name) return tm_settings_desc(i);
    return nullptr;
}

std::string normalised_default(const tm_setting_desc_t *d) {
    return d->default_value;
}

TEST_F(Settings, TableDescribesEverySettingAndItsVariable) {
    ASSERT_GT(tm_settings_count(), 0u);
    EXPECT_EQ(tm_settings_desc(tm_settings_count()), nullptr);
    for (const char *required : {"enabled", "components", "auto_output", "output_path", "precision",
                                 "width", "timing_units", "memory_units"})
        EXPECT_NE(find_desc(required), nullptr) << required;
    for (size_t i = 0; i < tm_settings_count(); ++i) {
        const tm_setting_desc_t *d = tm_settings_desc(i);
        ASSERT_NE(d, nullptr);
        std::string env = "TIMEMORY_";
        for (const char *p = d->name; *p; ++p) env += static_cast<char>(std::toupper(*p));
        EXPECT_STREQ(d->env, env.c_str());
        EXPECT_EQ(d->choices != nullptr, d->type == TM_SETTING_CHOICE) << d->name;
        EXPECT_NE(d->description, nullptr);
        EXPECT_NE(d->default_value, nullptr);
    }
}

TEST_F(Settings, DefaultsAreInEffectWithoutEnvironment) {
    // Bazel runs tests without TIMEMORY_* variables.
    for (size_t i = 0; i < tm_settings_count(); ++i) {
        const tm_setting_desc_t *d = tm_settings_desc(i);
        ASSERT_NE(tm_settings_get(d->name), nullptr) << d->name;
        EXPECT_EQ(tm_settings_get(d->name), normalised_default(d)) << d->name;
    }
    EXPECT_EQ(tm_default_components(), TM_WALL_CLOCK_BIT);
}

TEST_F(Settings, SetThenGetRoundTrips) {
    EXPECT_EQ(tm_settings_set("precision", "5"), TM_OK);
    EXPECT_STREQ(tm_settings_get("precision"), "5");
    EXPECT_EQ(tm_settings_set("output_path", "/tmp/some where"), TM_OK);
    EXPECT_STREQ(tm_settings_get("output_path"), "/tmp/some where");
    EXPECT_EQ(tm_settings_set("timing_units", "usec"), TM_OK);
    EXPECT_STREQ(tm_settings_get("timing_units"), "usec");
    EXPECT_EQ(tm_settings_set("memory_units", "KiB"), TM_OK);
    EXPECT_STREQ(tm_settings_get("memory_units"), "KiB");
    EXPECT_EQ(tm_settings_set("components", "cpu_clock,wall_clock"), TM_OK);
    EXPECT_EQ(tm_default_components(), TM_WALL_CLOCK_BIT | TM_CPU_CLOCK_BIT);
}

TEST_F(Settings, BooleansAcceptCommonSpellingsAndReadBackAsOneOrZero) {
    const struct {
        const char *in, *out;
    } cases[] = {{"false", "0"}, {"true", "1"}, {"off", "0"}, {"on", "1"},
                 {"no", "0"},    {"yes", "1"},  {"0", "0"},   {"1", "1"}};
    for (const auto &c : cases) {
        EXPECT_EQ(tm_settings_set("auto_output", c.in), TM_OK) << c.in;
        EXPECT_STREQ(tm_settings_get("auto_output"), c.out) << c.in;
    }
}

TEST_F(Settings, BadIntegerIsRejectedAndValueKept) {
    ASSERT_EQ(tm_settings_set("precision", "4"), TM_OK);
    for (const char *bad : {"abc", "-1", "", "3x"}) {
        EXPECT_EQ(tm_settings_set("precision", bad), TM_E_BAD_SETTING) << "'" << bad << "'";
        EXPECT_STREQ(tm_settings_get("precision"), "4") << "'" << bad << "'";
    }
    EXPECT_EQ(tm_settings_set("precision", "abc"), TM_E_BAD_SETTING);
    EXPECT_TRUE(contains(last_error(), "precision")) << last_error();
    EXPECT_TRUE(contains(last_error(), "abc")) << last_error();
}

TEST_F(Settings, BadChoiceListsTheValidChoices) {
    EXPECT_EQ(tm_settings_set("timing_units", "hours"), TM_E_BAD_SETTING);
    const std::string msg = last_error();
    EXPECT_TRUE(contains(msg, "timing_units")) << msg;
    EXPECT_TRUE(contains(msg, "hours")) << msg;
    for (const char *choice : {"sec", "msec", "usec", "nsec", "min"})
        EXPECT_TRUE(contains(msg, choice)) << choice << " missing from: " << msg;
    EXPECT_STREQ(tm_settings_get("timing_units"), "sec");
}

TEST_F(Settings, BadBooleanIsRejected) {
    EXPECT_EQ(tm_settings_set("enabled", "maybe"), TM_E_BAD_SETTING);
    EXPECT_TRUE(contains(last_error(), "maybe")) << last_error();
    EXPECT_STREQ(tm_settings_get("enabled"), "1");
}

TEST_F(Settings, UnknownComponentNameListsValidNames) {
    EXPECT_EQ(tm_settings_set("components", "wall_clock,bogus_clock"), TM_E_BAD_SETTING);
    const std::string msg = last_error();
    EXPECT_TRUE(contains(msg, "bogus_clock")) << msg;
    EXPECT_EQ(tmtest::components_missing_from(msg), "")
        << "every valid name must be listed; message (" << msg.size() << " chars): " << msg;
    EXPECT_STREQ(tm_settings_get("components"), "wall_clock");
    EXPECT_EQ(tm_default_components(), TM_WALL_CLOCK_BIT);
}

// A component list too long to keep whole is rejected: it was once cut to
// 1023 characters, so the text read back named other components than the set
// recorded (tests/fuzz/regressions/settings/components_cut_mid_name).
TEST_F(Settings, ComponentListTooLongToKeepIsRejected) {
    std::string list;
    for (int i = 0; i < 102; ++i) list += "cpu_clock,";
    list += "wall_clock"; /* 1030 characters: the cut fell inside "wall_clock" */
    EXPECT_EQ(tm_settings_set("components", list.c_str()), TM_E_BAD_SETTING);
    EXPECT_TRUE(contains(last_error(), "too long")) << last_error();
    EXPECT_STREQ(tm_settings_get("components"), "wall_clock");
    EXPECT_EQ(tm_default_components(), TM_WALL_CLOCK_BIT);
}

// profiler_components is a component list of its own: setting it checks the
// names and leaves what regions record (components) alone.
TEST_F(Settings, ProfilerComponentsAreNotTheRegionComponents) {
    ASSERT_EQ(tm_settings_set("profiler_components", "cpu_clock,peak_rss"), TM_OK) << last_error();
    EXPECT_STREQ(tm_settings_get("profiler_components"), "cpu_clock,peak_rss");
    EXPECT_STREQ(tm_settings_get("components"), "wall_clock");
    EXPECT_EQ(tm_default_components(), TM_WALL_CLOCK_BIT);
    EXPECT_EQ(tm_settings_set("profiler_components", "cpu_clock,bogus_clock"), TM_E_BAD_SETTING);
    EXPECT_TRUE(contains(last_error(), "bogus_clock")) << last_error();
    EXPECT_STREQ(tm_settings_get("profiler_components"), "cpu_clock,peak_rss");
}

TEST_F(Settings, UnknownSettingIsRejected) {
    EXPECT_EQ(tm_settings_set("no_such_setting", "1"), TM_E_BAD_SETTING);
    EXPECT_TRUE(contains(last_error(), "no_such_setting")) << last_error();
    EXPECT_EQ(tm_settings_get("no_such_setting"), nullptr);
    EXPECT_LT(tm_settings_set(nullptr, "1"), 0);
}

TEST(Errors, EveryCodeHasADistinctDescription) {
    const int codes[] = {TM_OK,         TM_E_INVALID,     TM_E_UNKNOWN_COMPONENT,
                         TM_E_UNBALANCED, TM_E_NOMEM,     TM_E_IO,
                         TM_E_UNAVAILABLE, TM_E_BAD_SETTING, TM_E_WRONG_KIND,
                         TM_E_BUSY};
    std::set<std::string> seen;
    for (int c : codes) {
        const char *s = tm_strerror(c);
        ASSERT_NE(s, nullptr) << c;
        EXPECT_STRNE(s, "") << c;
        seen.insert(s);
    }
    EXPECT_EQ(seen.size(), sizeof(codes) / sizeof(codes[0]));
    EXPECT_NE(tm_strerror(-12345), nullptr);
}

// A value read while another thread sets the same setting is one of the
// values set, whole: tm_settings_get() never returns text being rewritten.
TEST_F(Settings, GetWhileAnotherThreadSetsSeesWholeValues) {
    const std::string a(900, 'a'), b(900, 'b');
    ASSERT_EQ(tm_settings_set("output_path", a.c_str()), TM_OK);
    std::atomic<bool> stop{false};
    std::thread writer([&] {
        for (int i = 0; i < 20000; ++i) tm_settings_set("output_path", (i & 1 ? a : b).c_str());
        stop = true;
    });
    long torn = 0, reads = 0;
    while (!stop.load()) {
        const char *v = tm_settings_get("output_path");
        ASSERT_NE(v, nullptr);
        std::string copy(v);
        if (copy != a && copy != b) ++torn;
        ++reads;
    }
    writer.join();
    EXPECT_EQ(torn, 0) << "of " << reads << " reads";
}

}  // namespace
