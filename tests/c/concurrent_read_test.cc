// Reading the storage while other threads record: the flat and tree views
// taken in a loop by a reader thread, while writers keep adding nodes (so the
// node arenas grow) and samples. Run under --config=asan (no out-of-bounds
// read, no use-after-free) and --config=tsan (no data race). Every sample
// lasts exactly one fake second, so a value read while it was being written
// (torn) shows up as sum != count or min/max != 1.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "tests/c/test_util.h"

namespace {

using tmtest::advance_sec;
using tmtest::EngineTest;

constexpr int kWriters = 3;
constexpr int kLabels = 700;  // > 8 chunks of 64 nodes: the arenas grow

class ConcurrentRead : public EngineTest {};

void writer(const std::vector<tm_region_t> *labels, std::atomic<int> *done) {
    tmtest::fake_now_ns = 0;
    tm_region_t outer = tm_region("outer");
    for (int round = 0; round < 3; ++round) {
        tm_region_begin(outer);
        for (tm_region_t r : *labels) {
            tm_region_begin(r);
            advance_sec(1);
            tm_region_end(r);
        }
        tm_region_end(outer);
    }
    done->fetch_add(1);
}

// Checks one value read while writers ran: whole samples of 1 s each.
void expect_untorn(const tm_value_t &v, const char *label) {
    if (v.stats.count == 0) return;
    EXPECT_EQ(v.stats.sum, static_cast<double>(v.stats.count)) << label;
    EXPECT_EQ(v.stats.min, 1.0) << label;
    EXPECT_EQ(v.stats.max, 1.0) << label;
}

void expect_untorn_tree(const tm_tree_node_t *n) {
    if (!n->is_dummy && std::string(n->label) != "outer") expect_untorn(n->inclusive, n->label);
    for (size_t i = 0; i < n->n_children; ++i) expect_untorn_tree(&n->children[i]);
}

TEST_F(ConcurrentRead, ViewsTakenWhileThreadsAddNodesAreSafeAndUntorn) {
    std::vector<tm_region_t> labels;
    for (int i = 0; i < kLabels; ++i) labels.push_back(tm_region(("n" + std::to_string(i)).c_str()));
    std::atomic<int> done{0};
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w) writers.emplace_back(writer, &labels, &done);

    size_t snapshots = 0;
    while (done.load() < kWriters || snapshots < 2) {
        tm_flat_t *flat = nullptr;
        ASSERT_EQ(tm_flat_get(TM_WALL_CLOCK, &flat), TM_OK);
        for (size_t i = 0; i < flat->size; ++i) {
            const tm_flat_entry_t &e = flat->entries[i];
            if (std::string(e.label) != "outer") expect_untorn(e.inclusive, e.label);
            EXPECT_LE(e.depth, 1) << e.label;
        }
        tm_flat_free(flat);
        tm_tree_t *tree = nullptr;
        ASSERT_EQ(tm_tree_get(TM_WALL_CLOCK, &tree), TM_OK);
        for (size_t i = 0; i < tree->n_roots; ++i) expect_untorn_tree(&tree->roots[i]);
        tm_tree_free(tree);
        ++snapshots;
    }
    for (auto &t : writers) t.join();

    // After the writers: everything they recorded, exactly.
    tmtest::Flat flat;
    ASSERT_EQ(flat.rc(), TM_OK);
    EXPECT_EQ(flat.size(), static_cast<size_t>(kWriters * (kLabels + 1)));
    auto n0 = flat.all("n0");
    ASSERT_EQ(n0.size(), static_cast<size_t>(kWriters));
    for (auto *e : n0) EXPECT_EQ(e->inclusive.stats.count, 3u);
}

}  // namespace
