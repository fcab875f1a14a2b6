// tm_profile_merge: files of several runs or processes combine by path of
// labels; tid/pid sets unite and statistics combine as if one process had
// recorded every sample. Mismatched components or units are refused.
#include <string>

#include "tests/c/profile_test_util.h"

namespace {

using namespace tmtest;

class ProfileMerge : public EngineTest {};

// Saves the live wall_clock profile as `name` and loads it.
void capture_as(const std::string &name, Profile &out) {
    Profile live;
    save_and_load(TM_WALL_CLOCK, name, live, out);
}

const tm_tree_node_t *find(const tm_tree_node_t *n, const std::string &label) {
    if (!n->is_dummy && label == n->label) return n;
    for (size_t i = 0; i < n->n_children; ++i)
        if (auto *f = find(&n->children[i], label)) return f;
    return nullptr;
}

// The same file's pid changed, as if another process had written it.
std::string with_pid(const std::string &text, int64_t from, int64_t to) {
    std::string out = text;
    for (const char *fmt : {"\"pid\": ", "\"pids\": ["}) {
        const std::string a = fmt + std::to_string(from), b = fmt + std::to_string(to);
        for (size_t at = 0; (at = out.find(a, at)) != std::string::npos; at += b.size()) out.replace(at, a.size(), b);
    }
    return out;
}

TEST_F(ProfileMerge, TwoProcessesCombineExactly) {
    ASSERT_EQ(tm_push_region("solve"), TM_OK);
    timed_region("step", 1);
    timed_region("step", 3);
    ASSERT_EQ(tm_pop_region("solve"), TM_OK);
    Profile a;
    capture_as("run_a.json", a);

    tm_storage_reset();
    ASSERT_EQ(tm_push_region("solve"), TM_OK);
    timed_region("step", 2);
    timed_region("only_in_b", 7);
    ASSERT_EQ(tm_pop_region("solve"), TM_OK);
    Profile b_same_pid, b;
    capture_as("run_b.json", b_same_pid);
    const int64_t pid = tm_profile_info(b_same_pid.p)->pid;
    spit(tmp_path("run_b2.json"), with_pid(slurp(tmp_path("run_b.json")), pid, 424242));
    ASSERT_EQ(tm_profile_load(tmp_path("run_b2.json").c_str(), &b.p), TM_OK) << last_error();

    ASSERT_EQ(tm_profile_merge(a.p, b.p), TM_OK) << last_error();
    tm_tree_t *tree = nullptr;
    ASSERT_EQ(tm_profile_tree(a.p, &tree), TM_OK);
    ASSERT_EQ(tree->n_roots, 1u);
    const tm_tree_node_t *step = find(&tree->roots[0], "step");
    ASSERT_NE(step, nullptr);
    // samples 1, 3 (run a) and 2 (run b)
    EXPECT_STATS(step->inclusive.stats, 3, 6.0, 1.0, 3.0, 14.0);
    EXPECT_DOUBLE_EQ(step->inclusive.data, 6.0);
    ASSERT_EQ(step->n_pids, 2u);
    EXPECT_EQ(step->pids[0], pid);
    EXPECT_EQ(step->pids[1], 424242);
    EXPECT_EQ(tid_set(step), std::set<uint32_t>{0});
    const tm_tree_node_t *only = find(&tree->roots[0], "only_in_b");
    ASSERT_NE(only, nullptr);
    EXPECT_EQ(only->n_pids, 1u);
    EXPECT_EQ(only->pids[0], 424242);
    const tm_tree_node_t *solve = find(&tree->roots[0], "solve");
    EXPECT_STATS(solve->inclusive.stats, 2, 13.0, 4.0, 9.0, 97.0);
    EXPECT_STATS(solve->exclusive.stats, 2, 0.0, 0.0, 0.0, 0.0);
    tm_tree_free(tree);

    // the flat layout keeps each process's thread apart
    tm_flat_t *flat = nullptr;
    ASSERT_EQ(tm_profile_flat(a.p, &flat), TM_OK);
    size_t steps = 0;
    for (size_t i = 0; i < flat->size; ++i)
        if (std::string(flat->entries[i].label) == "step") {
            ++steps;
            EXPECT_EQ(flat->entries[i].inclusive.stats.count, flat->entries[i].pid == pid ? 2u : 1u);
        }
    EXPECT_EQ(steps, 2u);
    tm_flat_free(flat);
    const tm_run_info_t *m = tm_profile_info(a.p);
    EXPECT_EQ(m->runs, 2u);
    EXPECT_EQ(m->thread_count, 2u) << "thread 0 of each process";

    // merged, written and loaded again: the same
    ASSERT_EQ(tm_profile_save(a.p, tmp_path("merged.json").c_str()), TM_OK);
    Profile again;
    ASSERT_EQ(tm_profile_load(tmp_path("merged.json").c_str(), &again.p), TM_OK) << last_error();
    tm_tree_t *t1 = nullptr, *t2 = nullptr;
    ASSERT_EQ(tm_profile_tree(a.p, &t1), TM_OK);
    ASSERT_EQ(tm_profile_tree(again.p, &t2), TM_OK);
    expect_same_tree(t1, t2);
    tm_tree_free(t1);
    tm_tree_free(t2);
}

TEST_F(ProfileMerge, SameThreadOfTheSameProcessAddsUp) {
    timed_region("twice", 2);
    Profile a, b;
    capture_as("twice_a.json", a);
    capture_as("twice_b.json", b);
    ASSERT_EQ(tm_profile_merge(a.p, b.p), TM_OK);
    tm_flat_t *flat = nullptr;
    ASSERT_EQ(tm_profile_flat(a.p, &flat), TM_OK);
    ASSERT_EQ(flat->size, 1u);
    EXPECT_STATS(flat->entries[0].inclusive.stats, 2, 4.0, 2.0, 2.0, 8.0);
    tm_flat_free(flat);
}

TEST_F(ProfileMerge, DifferentUnitsOrComponentsAreRefused) {
    timed_region("r", 1);
    Profile sec, msec, cpu;
    capture_as("sec.json", sec);
    ASSERT_EQ(tm_settings_set("timing_units", "msec"), TM_OK);
    capture_as("msec.json", msec);
    EXPECT_EQ(tm_profile_merge(sec.p, msec.p), TM_E_INVALID);
    EXPECT_NE(last_error().find("msec"), std::string::npos) << last_error();
    EXPECT_NE(last_error().find("units differ"), std::string::npos) << last_error();
    ASSERT_EQ(tm_profile_capture(TM_CPU_CLOCK, &cpu.p), TM_OK);
    EXPECT_EQ(tm_profile_merge(sec.p, cpu.p), TM_E_INVALID);
    EXPECT_NE(last_error().find("cpu_clock"), std::string::npos) << last_error();
    EXPECT_EQ(tm_profile_node_count(sec.p), 2u) << "a refused merge changes nothing";
}

// A compact (merged-tree) profile keeps node values and id sets without
// records: saved with "layout": "tree", read back, merged with a full one
// (sets united, the result compact), and refused by the flat layout.
TEST_F(ProfileMerge, CompactProfilesKeepIdSets) {
    timed_region("r", 2);
    Profile a, a2, b, back;
    capture_as("full_a.json", a);
    ASSERT_EQ(tm_profile_load(tmp_path("full_a.json").c_str(), &a2.p), TM_OK) << last_error();
    const int64_t pid = tm_profile_info(a.p)->pid;
    spit(tmp_path("full_b.json"), with_pid(slurp(tmp_path("full_a.json")), pid, 424242));
    ASSERT_EQ(tm_profile_load(tmp_path("full_b.json").c_str(), &b.p), TM_OK) << last_error();
    ASSERT_EQ(tm_profile_merge(b.p, a2.p), TM_OK) << last_error(); // two processes at every node
    ASSERT_EQ(tm_profile_compact(b.p), TM_OK);
    EXPECT_STREQ(tm_profile_layout(b.p), "tree");
    ASSERT_EQ(tm_profile_save(b.p, tmp_path("compact_b.json").c_str()), TM_OK);
    EXPECT_EQ(slurp(tmp_path("compact_b.json")).find("\"threads\""), std::string::npos);
    ASSERT_EQ(tm_profile_load(tmp_path("compact_b.json").c_str(), &back.p), TM_OK) << last_error();
    ASSERT_EQ(tm_profile_merge(a.p, back.p), TM_OK) << last_error();
    EXPECT_STREQ(tm_profile_layout(a.p), "tree");
    tm_flat_t *flat = nullptr;
    EXPECT_EQ(tm_profile_flat(a.p, &flat), TM_E_INVALID);
    EXPECT_NE(last_error().find("merged tree"), std::string::npos) << last_error();
    tm_tree_t *tree = nullptr;
    ASSERT_EQ(tm_profile_tree(a.p, &tree), TM_OK);
    const tm_tree_node_t *r = find(&tree->roots[0], "r");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->n_pids, 2u);
    EXPECT_EQ(r->inclusive.stats.count, 3u);
    EXPECT_DOUBLE_EQ(r->inclusive.stats.sum, 6.0);
    tm_tree_free(tree);
    // a node of several processes without "threads" is refused outside a tree file
    Profile merged_text;
    ASSERT_EQ(tm_profile_save(a.p, tmp_path("merged.json").c_str()), TM_OK);
    std::string text = slurp(tmp_path("merged.json"));
    const size_t lay = text.find("\"layout\": \"tree\"");
    ASSERT_NE(lay, std::string::npos);
    text.replace(lay, 16, "\"layout\": \"flat\"");
    EXPECT_EQ(tm_profile_parse(text.data(), text.size(), "edited.json", &merged_text.p), TM_E_INVALID);
    EXPECT_NE(last_error().find("edited.json"), std::string::npos) << last_error();
    EXPECT_NE(last_error().find("threads"), std::string::npos) << last_error();
}

}  // namespace
