// The text report's polish (tm_report_write_tree): counts as integers,
// control characters in labels escaped (one line per row), columns aligned by
// display width for non-ASCII labels, tiny values not printed as 0.000.
#include <sstream>
#include <string>
#include <vector>

#include "tests/c/formats_util.h"

namespace {

using tmtest::EngineTest;

class ReportText : public EngineTest {};

std::string report(int component = TM_WALL_CLOCK) {
    tm_tree_t *tree = nullptr;
    EXPECT_EQ(tm_tree_get(component, &tree), TM_OK);
    int rc = -1;
    std::string out = tmtest::capture([&](FILE *f) { return tm_report_write_tree(component, tree, f); }, &rc);
    EXPECT_EQ(rc, TM_OK);
    tm_tree_free(tree);
    return out;
}

std::vector<std::string> table_lines(const std::string &text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
        if (!line.empty() && line[0] == '|') out.push_back(line);
    return out;
}

// Display columns before each '|' (CJK ideographs take two, é one).
std::vector<size_t> bar_columns(const std::string &line) {
    std::vector<size_t> cols;
    size_t col = 0;
    for (size_t i = 0; i < line.size();) {
        unsigned char c = static_cast<unsigned char>(line[i]);
        size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
        if (c == '|' && line.compare(i, 2, "|_") != 0) cols.push_back(col);  // not the tree's "|_"
        col += (n == 3 && c >= 0xE3) ? 2 : 1;
        i += n;
    }
    return cols;
}

TEST_F(ReportText, ControlCharactersInLabelsAreEscaped) {
    tmtest::timed_region("two\nlines\tand\x01", 1);
    const std::string text = report();
    EXPECT_NE(text.find(">>> two\\nlines\\tand\\x01"), std::string::npos) << text;
    EXPECT_EQ(table_lines(text).size(), 2u) << "header and one row:\n" << text;
}

TEST_F(ReportText, ColumnsAlignByDisplayWidth) {
    ASSERT_EQ(tm_push_region("caf\xc3\xa9"), TM_OK);                // café: 4 columns, 5 bytes
    tmtest::timed_region("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 1);  // 日本語: 6 columns, 9 bytes
    tmtest::timed_region("ascii_label", 1);
    ASSERT_EQ(tm_pop_region("caf\xc3\xa9"), TM_OK);
    const auto lines = table_lines(report());
    ASSERT_EQ(lines.size(), 4u);
    const auto header = bar_columns(lines[0]);
    for (auto &l : lines) EXPECT_EQ(bar_columns(l), header) << l;
}

TEST_F(ReportText, TinyValuesAreNotPrintedAsZero) {
    tmtest::advance_ns(5);
    ASSERT_EQ(tm_push_region("blink"), TM_OK);
    tmtest::advance_ns(2);
    ASSERT_EQ(tm_pop_region("blink"), TM_OK);
    const std::string text = report();
    const auto lines = table_lines(text);
    ASSERT_EQ(lines.size(), 2u) << text;
    // sum, mean, min and max are 2 ns in seconds; stddev is a true 0
    size_t tiny = 0;
    for (size_t p = 0; (p = lines[1].find(" 2.000e-09 |", p)) != std::string::npos; ++p) ++tiny;
    EXPECT_EQ(tiny, 4u) << text;
}

int64_t fake_faults = 0;
void fake_fault_counter(int64_t out[2]) {
    out[0] = fake_faults;
    out[1] = 0;
}

TEST_F(ReportText, CountsPrintAsIntegers) {
    ASSERT_EQ(tm_testing_set_sampler(TM_NUM_MINOR_PAGE_FAULTS, fake_fault_counter), TM_OK);
    ASSERT_EQ(tm_settings_set("components", "num_minor_page_faults"), TM_OK);
    for (int lap : {3, 4}) {
        ASSERT_EQ(tm_push_region("faulty"), TM_OK);
        fake_faults += lap;
        ASSERT_EQ(tm_pop_region("faulty"), TM_OK);
    }
    const std::string text = report(TM_NUM_MINOR_PAGE_FAULTS);
    tm_testing_set_sampler(TM_NUM_MINOR_PAGE_FAULTS, nullptr);
    const auto lines = table_lines(text);
    ASSERT_EQ(lines.size(), 2u) << text;
    // count 2, sum 7, mean 3.500, min 3, max 4
    EXPECT_NE(lines[1].find("|        2 |            7 |        3.500 |            3 |            4 |"),
              std::string::npos)
        << text;
}

}  // namespace
