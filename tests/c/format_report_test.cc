// Text output: tm_format_value ("   6.534 sec wall"), tm_format_stats
// ("[sum: ...] ... [count: N]", %g style) and the text report.
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

#include "tests/c/test_util.h"

namespace {

using tmtest::advance_sec;
using tmtest::EngineTest;
using tmtest::timed_region;

std::string format_value(int component, double v) {
    char buf[128];
    const int n = tm_format_value(component, v, buf, sizeof buf);
    EXPECT_EQ(n, static_cast<int>(std::strlen(buf)));
    return buf;
}

std::string format_stats(uint64_t count, double sum, double min, double max, double sqr) {
    tm_stats_t s{};
    s.count = count;
    s.sum = sum;
    s.min = min;
    s.max = max;
    s.sqr = sqr;
    char buf[256];
    const int n = tm_format_stats(&s, buf, sizeof buf);
    EXPECT_EQ(n, static_cast<int>(std::strlen(buf)));
    return buf;
}

std::string lower(std::string s) {
    for (char &c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

class Format : public EngineTest {};

TEST_F(Format, ValueUsesWidthPrecisionUnitAndLabel) {
    EXPECT_EQ(format_value(TM_WALL_CLOCK, 6.534), "   6.534 sec wall");
    EXPECT_EQ(format_value(TM_WALL_CLOCK, 6.53361), "   6.534 sec wall");
    EXPECT_EQ(format_value(TM_WALL_CLOCK, 5.53115), "   5.531 sec wall");
    EXPECT_EQ(format_value(TM_WALL_CLOCK, 0.0), "   0.000 sec wall");
    EXPECT_EQ(format_value(TM_PEAK_RSS, 12.5), "  12.500 MB peak_rss");
}

TEST_F(Format, ValueFollowsPrecisionWidthAndUnitSettings) {
    ASSERT_EQ(tm_settings_set("precision", "5"), TM_OK);
    EXPECT_EQ(format_value(TM_WALL_CLOCK, 6.53361), " 6.53361 sec wall");
    ASSERT_EQ(tm_settings_set("precision", "3"), TM_OK);
    ASSERT_EQ(tm_settings_set("width", "12"), TM_OK);
    EXPECT_EQ(format_value(TM_WALL_CLOCK, 6.534), "       6.534 sec wall");
    ASSERT_EQ(tm_settings_set("width", "8"), TM_OK);
    ASSERT_EQ(tm_settings_set("timing_units", "msec"), TM_OK);
    EXPECT_EQ(format_value(TM_WALL_CLOCK, 6534.0), "6534.000 msec wall");
}

TEST_F(Format, ValueTruncatesLikeSnprintf) {
    char buf[6];
    std::memset(buf, 'x', sizeof buf);
    const int n = tm_format_value(TM_WALL_CLOCK, 6.534, buf, sizeof buf);
    EXPECT_EQ(n, 17) << "returns the length it needed";
    EXPECT_STREQ(buf, "   6.");
}

TEST(FormatStats, MatchesTheSpecLine) {
    EXPECT_EQ(format_stats(1, 6.53361, 6.53361, 6.53361, 42.6881),
              "[sum: 6.53361] [min: 6.53361] [max: 6.53361] [sqr: 42.6881] [count: 1]");
    EXPECT_EQ(format_stats(0, 0, 0, 0, 0), "[sum: 0] [min: 0] [max: 0] [sqr: 0] [count: 0]");
    EXPECT_EQ(format_stats(5, 5.53115, 0.307581, 1.90312, 7.71154),
              "[sum: 5.53115] [min: 0.307581] [max: 1.90312] [sqr: 7.71154] [count: 5]");
}

TEST(FormatStats, CountIsAnIntegerEvenWhenLarge) {
    const std::string s = format_stats(12345678, 1, 1, 1, 1);
    EXPECT_NE(s.find("[count: 12345678]"), std::string::npos) << s;
}

class Report : public EngineTest {};

TEST_F(Report, TextReportIndentsLabelsByDepthAndHasTheColumns) {
    ASSERT_EQ(tm_push_region("outer_fn"), TM_OK);
    advance_sec(1);
    timed_region("inner_fn", 5);
    ASSERT_EQ(tm_pop_region("outer_fn"), TM_OK);

    char *text = nullptr;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    ASSERT_NE(mem, nullptr);
    EXPECT_EQ(tm_report_write(TM_WALL_CLOCK, mem), TM_OK);
    std::fclose(mem);
    const std::string report(text, len);
    std::free(text);

    std::string outer_line, inner_line;
    std::istringstream in(report);
    for (std::string line; std::getline(in, line);) {
        if (line.find("outer_fn") != std::string::npos) outer_line = line;
        if (line.find("inner_fn") != std::string::npos) inner_line = line;
    }
    ASSERT_FALSE(outer_line.empty()) << report;
    ASSERT_FALSE(inner_line.empty()) << report;
    EXPECT_GT(inner_line.find("inner_fn"), outer_line.find("outer_fn"))
        << "a child is indented deeper than its parent\n" << report;
    EXPECT_NE(outer_line.find("6.000"), std::string::npos) << outer_line;
    EXPECT_NE(inner_line.find("5.000"), std::string::npos) << inner_line;
    const std::string l = lower(report);
    for (const char *col : {"count", "sum", "mean", "min", "max", "stddev", "self"})
        EXPECT_NE(l.find(col), std::string::npos) << col << " column missing:\n" << report;
}

TEST_F(Report, NullFileIsInvalid) {
    timed_region("r", 1);
    EXPECT_EQ(tm_report_write(TM_WALL_CLOCK, nullptr), TM_E_INVALID);
}

}  // namespace
