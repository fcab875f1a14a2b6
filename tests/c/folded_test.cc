// <component>.folded (tm_write_folded) and the SVG writer's argument checks:
// one line per stack with an integer exclusive weight (ns for timers), the
// lines add up to the total, and no label can split a frame or a line.
#include <cstdint>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/c/formats_util.h"

namespace {

using tmtest::EngineTest;
using tmtest::kSec;

class Folded : public EngineTest {};

// stack -> weight; every line must be "<frames> <digits>".
std::map<std::string, uint64_t> parse_folded(const std::string &text) {
    std::map<std::string, uint64_t> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        const size_t sp = line.rfind(' ');
        EXPECT_NE(sp, std::string::npos) << "line without a weight: " << line;
        if (sp == std::string::npos) continue;
        const std::string w = line.substr(sp + 1);
        EXPECT_FALSE(w.empty());
        EXPECT_EQ(w.find_first_not_of("0123456789"), std::string::npos) << "integer weight: " << line;
        EXPECT_EQ(out.count(line.substr(0, sp)), 0u) << "one line per stack: " << line;
        out[line.substr(0, sp)] = std::stoull(w);
    }
    return out;
}

TEST_F(Folded, ExclusiveNanosecondsPerStackAddUpToTheTotal) {
    tmtest::record_solver();
    int rc = -1;
    const std::string text = tmtest::write_tree(tm_write_folded, TM_WALL_CLOCK, &rc);
    EXPECT_EQ(rc, TM_OK);
    const auto lines = parse_folded(text);
    const std::map<std::string, uint64_t> expected = {{"main", 3 * kSec},
                                                      {"main;solve", 2 * kSec},
                                                      {"main;solve;assemble", 4 * kSec},
                                                      {"main;output", 1 * kSec}};
    EXPECT_EQ(lines, expected) << text;
    uint64_t total = 0;
    for (auto &kv : lines) total += kv.second;
    tmtest::Tree tree;
    EXPECT_EQ(total, static_cast<uint64_t>(tree.one("main")->inclusive.data * kSec + 0.5))
        << "the widest frame (the sum of all lines) is main's inclusive time";
}

TEST_F(Folded, WeightsFollowTheRawUnitNotTheDisplayUnit) {
    ASSERT_EQ(tm_settings_set("timing_units", "msec"), TM_OK);
    tmtest::timed_region("step", 3);
    EXPECT_EQ(tmtest::write_tree(tm_write_folded), "step 3000000000\n");
}

TEST_F(Folded, ThreadsMergeIntoOneLinePerStack) {
    tmtest::record_threads();
    const auto lines = parse_folded(tmtest::write_tree(tm_write_folded));
    // work: (1 + 2) s own on two threads; step: 2 x 1 s
    EXPECT_EQ(lines.at("main;work"), static_cast<uint64_t>(3 * kSec));
    EXPECT_EQ(lines.at("main;work;step"), static_cast<uint64_t>(2 * kSec));
    EXPECT_EQ(lines.at("main"), static_cast<uint64_t>(1 * kSec));
}

TEST_F(Folded, NoLabelSplitsAFrameOrALine) {
    ASSERT_EQ(tm_push_region("outer;part"), TM_OK);
    tmtest::advance_sec(1);
    tmtest::timed_region("two words", 1);
    tmtest::timed_region("new\nline\ttab", 1);
    tmtest::timed_region("iteration 10", 1);
    tmtest::timed_region(std::string("bad\xff").c_str(), 1);
    tmtest::timed_region("\xe6\x97\xa5\xe6\x9c\xac", 1);  // "日本"
    ASSERT_EQ(tm_pop_region("outer;part"), TM_OK);
    const std::string text = tmtest::write_tree(tm_write_folded);
    EXPECT_TRUE(jsonlite::valid_utf8(text)) << "flamegraph.pl reads UTF-8";
    const auto lines = parse_folded(text);
    const std::map<std::string, uint64_t> expected = {
        {"outer\\x3bpart", 1 * kSec},
        {"outer\\x3bpart;two words", 1 * kSec},
        {"outer\\x3bpart;new\\nline\\ttab", 1 * kSec},
        {"outer\\x3bpart;iteration\\x2010", 1 * kSec},  // not read as a second count
        {"outer\\x3bpart;bad\\xff", 1 * kSec},
        {"outer\\x3bpart;\xe6\x97\xa5\xe6\x9c\xac", 1 * kSec}};
    EXPECT_EQ(lines, expected) << text;
}

TEST_F(Folded, RatiosAndLevelsAreRefusedWithAReason) {
    tm_tree_t empty{};
    for (int c : {static_cast<int>(TM_CPU_UTIL), static_cast<int>(TM_CURRENT_PEAK_RSS)}) {
        EXPECT_EQ(tm_write_folded(c, &empty, stdout), TM_E_INVALID);
        EXPECT_NE(tmtest::last_error().find("add up"), std::string::npos) << tmtest::last_error();
        EXPECT_EQ(tm_write_flamegraph_svg(c, &empty, stdout), TM_E_INVALID);
    }
    EXPECT_EQ(tm_write_folded(TM_WALL_CLOCK, &empty, nullptr), TM_E_INVALID);
    EXPECT_EQ(tm_write_flamegraph_svg(TM_WALL_CLOCK, nullptr, stdout), TM_E_INVALID);
}

TEST_F(Folded, SvgHasOneFramePerNodeWithItsShareAndNoExternalReference) {
    tmtest::record_solver();
    int rc = -1;
    const std::string svg = tmtest::write_tree(tm_write_flamegraph_svg, TM_WALL_CLOCK, &rc);
    EXPECT_EQ(rc, TM_OK);
    size_t frames = 0;
    for (size_t p = 0; (p = svg.find("<g class=\"f\"", p)) != std::string::npos; ++p) ++frames;
    EXPECT_EQ(frames, 4u);
    EXPECT_NE(svg.find("<title>main (10 sec, 100.00%)</title>"), std::string::npos) << svg;
    EXPECT_NE(svg.find("<title>solve (6 sec, 60.00%)</title>"), std::string::npos);
    EXPECT_NE(svg.find("<title>assemble (4 sec, 40.00%)</title>"), std::string::npos);
    EXPECT_EQ(svg.find("http://www.w3.org/2000/svg\""), svg.find("http")) << "only the namespace, no URL loaded";
    EXPECT_EQ(svg.find("href"), std::string::npos);
}

TEST_F(Folded, SvgEscapesMarkupInLabels) {
    tmtest::timed_region("a<b & \"c\"", 1);
    const std::string svg = tmtest::write_tree(tm_write_flamegraph_svg);
    EXPECT_NE(svg.find("<title>a&lt;b &amp; &quot;c&quot; (1 sec, 100.00%)</title>"), std::string::npos) << svg;
    EXPECT_EQ(svg.find("a<b"), std::string::npos);
}

TEST_F(Folded, SvgShowsControlCharactersAndInvalidBytesAsEscapes) {
    tmtest::timed_region("new\nline\xff", 1);
    const std::string svg = tmtest::write_tree(tm_write_flamegraph_svg);
    EXPECT_TRUE(jsonlite::valid_utf8(svg)) << "browsers reject an SVG that is not UTF-8";
    EXPECT_NE(svg.find("<title>new\\nline\\xff (1 sec, 100.00%)</title>"), std::string::npos) << svg;
}

}  // namespace
