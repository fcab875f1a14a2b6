// <component>.tree.json (tm_write_tree_json): the fields hatchet's
// GraphFrame.from_timemory needs, in the "graph" layout for one thread and
// the "mpi" layout (one rank, tid sets) for several; labels that need
// escaping keep the file valid JSON and valid UTF-8.
#include <set>
#include <string>

#include "tests/c/formats_util.h"

namespace {

using jsonlite::Value;
using tmtest::EngineTest;

class TreeJson : public EngineTest {};

// The node whose "prefix" is `label`, depth-first under `n`, or nullptr.
const Value *find(const Value &n, const std::string &label) {
    if (n["node"]["prefix"].str == label) return &n;
    for (auto &c : n["children"].arr)
        if (const Value *f = find(c, label)) return f;
    return nullptr;
}

void expect_stats(const Value &part, double sum) {
    for (const char *key : {"sum", "min", "max", "sqr", "mean", "stddev"})
        EXPECT_EQ(part["stats"][key].type, Value::Number) << key;
    EXPECT_DOUBLE_EQ(part["stats"]["sum"].num, sum);
}

TEST_F(TreeJson, OneThreadWritesTheGraphLayoutHatchetReads) {
    tmtest::record_solver();
    const Value doc = tmtest::parse_json(tmtest::write_tree(tm_write_tree_json));
    const Value &comp = doc["timemory"]["wall_clock"];
    ASSERT_EQ(comp.type, Value::Object);
    EXPECT_EQ(comp["type"].type, Value::String) << "without a string type hatchet names columns sum.[]";
    EXPECT_EQ(comp["type"].str, "wall");
    EXPECT_EQ(comp["unit_repr"].str, "sec");
    EXPECT_EQ(comp.get("mpi"), nullptr);
    ASSERT_EQ(comp["graph"].size(), 1u);
    const Value &top = comp["graph"][0];
    EXPECT_EQ(top["node"]["hash"].raw_number, "0") << "a dummy top, as the reference toolkit writes";
    ASSERT_GT(top["children"].size(), 0u) << "hatchet skips a top entry without children";

    const Value *main_ = find(top, "main");
    ASSERT_NE(main_, nullptr);
    EXPECT_EQ(main_->operator[]("node")["hash"].raw_number, std::to_string(tm_hash_string("main")));
    EXPECT_EQ(main_->operator[]("node")["tid"].raw_number, "0");
    EXPECT_EQ(main_->operator[]("node")["pid"].type, Value::Number);
    EXPECT_EQ(main_->operator[]("node")["inclusive"]["entry"]["laps"].raw_number, "1");
    expect_stats(main_->operator[]("node")["inclusive"], 10.0);
    expect_stats(main_->operator[]("node")["exclusive"], 3.0);
    const Value *assemble = find(*main_, "assemble");
    ASSERT_NE(assemble, nullptr);
    EXPECT_EQ(assemble->operator[]("node")["inclusive"]["entry"]["laps"].raw_number, "2");
    expect_stats(assemble->operator[]("node")["inclusive"], 4.0);
    EXPECT_DOUBLE_EQ(assemble->operator[]("node")["inclusive"]["stats"]["mean"].num, 2.0);
    EXPECT_EQ(assemble->operator[]("node")["depth"].raw_number, "2");
    // the hierarchy: main > solve > assemble, main > output
    const Value *solve = find(*main_, "solve");
    ASSERT_NE(solve, nullptr);
    EXPECT_NE(find(*solve, "assemble"), nullptr);
    EXPECT_EQ(find(*solve, "output"), nullptr);
}

TEST_F(TreeJson, ThreadsWriteTheMpiLayoutWithTidSets) {
    tmtest::record_threads();
    const Value doc = tmtest::parse_json(tmtest::write_tree(tm_write_tree_json));
    const Value &comp = doc["timemory"]["wall_clock"];
    EXPECT_EQ(comp.get("graph"), nullptr) << "hatchet's graph reader fails on tids other than 0";
    ASSERT_EQ(comp["mpi"].type, Value::Array);
    ASSERT_EQ(comp["mpi"].size(), 1u) << "one rank";
    ASSERT_EQ(comp["mpi"][0].size(), 1u);
    const Value &top = comp["mpi"][0][0];
    const Value *work = find(top, "work");
    ASSERT_NE(work, nullptr);
    const Value &tid = (*work)["node"]["tid"];
    ASSERT_EQ(tid.type, Value::Array);
    std::set<std::string> tids;
    for (auto &t : tid.arr) tids.insert(t.raw_number);
    EXPECT_EQ(tids, (std::set<std::string>{"1", "2"}));
    expect_stats((*work)["node"]["inclusive"], 2.0 + 3.0);
    EXPECT_EQ((*work)["node"]["inclusive"]["entry"]["laps"].raw_number, "2");
    const Value *main_ = find(top, "main");
    ASSERT_NE(main_, nullptr);
    EXPECT_EQ((*main_)["node"]["tid"].raw_number, "0");
    EXPECT_EQ(comp["thread_count"].raw_number, "3");
}

TEST_F(TreeJson, AwkwardLabelsStayValidJsonAndUtf8) {
    const std::string labels[] = {"say \"hi\"", "back\\slash", "new\nline", "semi;colon and space",
                                  std::string("bad\xff\xfe") + "bytes", "caf\xc3\xa9"};
    for (const auto &l : labels) tmtest::timed_region(l.c_str(), 1);
    const std::string text = tmtest::write_tree(tm_write_tree_json);
    EXPECT_TRUE(jsonlite::valid_utf8(text));
    const Value doc = tmtest::parse_json(text);
    const Value &top = doc["timemory"]["wall_clock"]["graph"][0];
    for (const auto &l : {labels[0], labels[1], labels[2], labels[3], labels[5]})
        EXPECT_NE(find(top, l), nullptr) << "label kept exactly: " << l;
    EXPECT_NE(find(top, "bad\\xff\\xfebytes"), nullptr) << "invalid UTF-8 bytes as the text \\xNN";
}

TEST_F(TreeJson, NullArgumentsAreErrorsNotCrashes) {
    tm_tree_t empty{};
    EXPECT_EQ(tm_write_tree_json(TM_WALL_CLOCK, &empty, nullptr), TM_E_INVALID);
    EXPECT_EQ(tm_write_tree_json(TM_WALL_CLOCK, nullptr, stdout), TM_E_INVALID);
    EXPECT_EQ(tm_write_tree_json(-1, &empty, stdout), TM_E_INVALID);
}

}  // namespace
