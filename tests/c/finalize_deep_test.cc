// tm_finalize() after a recursion 100,000 levels deep, on the main thread
// and its default stack: every report file is written in full. The writers
// and the profile capture walk with explicit stacks (a walk that recursed
// once per level overflowed 8 MB near 15,000 levels). Its own binary:
// finalize ends the measurement.
#include <sys/stat.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <timemory/serialize.h>

#include "tests/c/file_util.h"
#include "tests/c/test_util.h"

namespace {

using tmtest::slurp;

constexpr int kDepth = 100000;
constexpr int64_t kStepNs = 1000;  // fake time before each begin and each end

size_t count_of(const std::string &text, const char *needle) {
    size_t n = 0;
    for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

std::vector<std::string> lines_of(const std::string &text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// Brackets balance outside strings (the labels here hold none): a file cut
// short by a crash or an error does not.
bool json_balanced(const std::string &text) {
    int64_t open = 0;
    bool in_string = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            ++open;
        } else if (c == '}' || c == ']') {
            if (--open < 0) return false;
        }
    }
    return open == 0 && !in_string;
}

TEST(FinalizeDeep, WritesEveryFormatOfAHundredThousandLevels) {
    const char *tmp = std::getenv("TEST_TMPDIR");
    const std::string dir = std::string(tmp ? tmp : "/tmp") + "/finalize_deep";
    ASSERT_EQ(tm_init("finalize_deep_test"), TM_OK);
    ASSERT_EQ(tm_settings_set("output_path", dir.c_str()), TM_OK);
    ASSERT_EQ(tm_settings_set("auto_output", "1"), TM_OK);
    ASSERT_EQ(tm_settings_set("cout_output", "0"), TM_OK);
    for (const char *on : {"text_output", "json_output", "tree_output", "flamegraph_output", "timeline_profile"})
        ASSERT_EQ(tm_settings_set(on, "1"), TM_OK) << on;
    ASSERT_EQ(tm_settings_set("components", "wall_clock"), TM_OK);
    ASSERT_EQ(tm_testing_set_sampler(TM_WALL_CLOCK, tmtest::fake_wall_clock), TM_OK);
    tm_storage_reset();

    tm_region_t r = tm_region("rec");
    for (int i = 0; i < kDepth; ++i) {
        tm_region_begin(r);
        tmtest::advance_ns(kStepNs);
    }
    for (int i = 0; i < kDepth; ++i) {
        tmtest::advance_ns(kStepNs);
        tm_region_end(r);
    }
    ASSERT_EQ(tm_finalize(), TM_OK) << tmtest::last_error();
    tm_testing_set_sampler(TM_WALL_CLOCK, nullptr);

    // text report: a header and one row per level
    const std::vector<std::string> txt = lines_of(slurp(dir + "/wall_clock.txt"));
    size_t rows = 0;
    for (const std::string &line : txt) rows += line.rfind("| >>>", 0) == 0;
    EXPECT_EQ(rows, static_cast<size_t>(kDepth));

    // the profile JSON loads back with every level, as a tree and flat
    tm_profile_t *p = nullptr;
    ASSERT_EQ(tm_profile_load((dir + "/wall_clock.json").c_str(), &p), TM_OK) << tmtest::last_error();
    tm_tree_t *tree = nullptr;
    ASSERT_EQ(tm_profile_tree(p, &tree), TM_OK);
    const tm_tree_node_t *n = &tree->roots[0];
    int levels = 0;
    for (; n->n_children == 1; n = &n->children[0]) levels += !n->children[0].is_dummy;
    EXPECT_EQ(levels, kDepth);
    EXPECT_DOUBLE_EQ(n->exclusive.data, 2.0 * kStepNs / tmtest::kSec);  // seconds
    tm_tree_free(tree);
    tm_flat_t *flat = nullptr;
    ASSERT_EQ(tm_profile_flat(p, &flat), TM_OK);
    ASSERT_EQ(flat->size, static_cast<size_t>(kDepth));
    const tm_flat_entry_t &last = flat->entries[kDepth - 1];
    ASSERT_EQ(last.hierarchy_len, static_cast<size_t>(kDepth));
    EXPECT_EQ(last.hierarchy[0], flat->entries[0].hash);
    EXPECT_EQ(last.hierarchy[kDepth - 1], last.hash);
    tm_flat_free(flat);
    tm_profile_free(p);

    // tree JSON: the top dummy and every level, closed
    const std::string tree_json = slurp(dir + "/wall_clock.tree.json");
    EXPECT_EQ(count_of(tree_json, "{\"node\":"), static_cast<size_t>(kDepth) + 1);
    EXPECT_TRUE(json_balanced(tree_json));

    // folded stacks: levels past flamegraph_max_depth fold into one frame
    // per cut subtree; the weights still add up to the whole run
    const char *cap_text = tm_settings_get("flamegraph_max_depth");
    ASSERT_NE(cap_text, nullptr);
    const long cap = std::atol(cap_text);
    ASSERT_GT(cap, 0);
    ASSERT_LT(cap, kDepth);
    const std::vector<std::string> folded = lines_of(slurp(dir + "/wall_clock.folded"));
    ASSERT_EQ(folded.size(), static_cast<size_t>(cap) + 1);
    uint64_t total = 0;
    size_t most_frames = 0;
    for (const std::string &line : folded) {
        const size_t space = line.rfind(' ');
        ASSERT_NE(space, std::string::npos) << line.substr(0, 200);
        total += std::strtoull(line.c_str() + space + 1, nullptr, 10);
        const size_t frames = count_of(line.substr(0, space), ";") + 1;
        if (frames > most_frames) most_frames = frames;
    }
    EXPECT_EQ(total, static_cast<uint64_t>(2 * kStepNs * kDepth));
    EXPECT_EQ(most_frames, static_cast<size_t>(cap) + 1);
    const std::string &cut = folded.back();
    EXPECT_NE(cut.find(";[" + std::to_string(kDepth - cap) + " more levels] " +
                       std::to_string(2 * kStepNs * (kDepth - cap))),
              std::string::npos)
        << cut.substr(cut.size() > 200 ? cut.size() - 200 : 0);

    // flame graph: the same frames, complete
    const std::string svg = slurp(dir + "/wall_clock.svg");
    EXPECT_EQ(count_of(svg, "<g class=\"f\""), static_cast<size_t>(cap) + 1);
    EXPECT_EQ(svg.compare(svg.size() - 7, 7, "</svg>\n"), 0);

    // timeline: one event per level
    const std::string trace = slurp(dir + "/wall_clock.trace.json");
    EXPECT_EQ(count_of(trace, "\"ph\": \"X\""), static_cast<size_t>(kDepth));
    EXPECT_TRUE(json_balanced(trace));
}

}  // namespace
