// 64 threads x 1 M regions each (TM_STRESS_SCALE=full; 20,000 reduced), all
// started at once, while another thread keeps taking snapshots: every count
// is exact afterwards, per thread and merged, every node sits under the
// right parent, no node is lost or duplicated, and no snapshot ever showed a
// count above what had been recorded.
#include <atomic>
#include <thread>

#include "stress.h"

namespace {

using stress::Counts;
using stress::scaled;

constexpr int kThreads = 64;

struct Handles {
    tm_region_t outer = tm_region("outer"), a = tm_region("a"), b = tm_region("b");
};

// Each thread: outer { n x a { every other: b } }, and one label of its own.
void worker(const Handles &h, int index, uint64_t n, std::atomic<int> &ready, std::atomic<bool> &go) {
    tm_region_t mine = tm_region(("thread_" + std::to_string(index)).c_str());
    ready.fetch_add(1);
    while (!go.load()) std::this_thread::yield();
    ASSERT_EQ(tm_region_begin(h.outer), TM_OK);
    for (uint64_t i = 0; i < n; ++i) {
        tm_region_begin(h.a);
        if (i % 2 == 0) {
            tm_region_begin(h.b);
            tm_region_end(h.b);
        }
        tm_region_end(h.a);
    }
    ASSERT_EQ(tm_region_begin(mine), TM_OK);
    ASSERT_EQ(tm_region_end(mine), TM_OK);
    ASSERT_EQ(tm_region_end(h.outer), TM_OK);
}

class ThreadsStress : public stress::StressTest {};

TEST_F(ThreadsStress, SixtyFourThreadsCountExactly) {
    const uint64_t n = scaled<uint64_t>(1000000, 20000);
    Handles h;
    std::atomic<int> ready{0};
    std::atomic<bool> go{false}, done{false};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) threads.emplace_back(worker, std::cref(h), i, n, std::ref(ready), std::ref(go));
    while (ready.load() < kThreads) std::this_thread::yield();

    // a reader: snapshots while they record never exceed the truth
    uint64_t snapshots = 0;
    std::thread reader([&] {
        while (!done.load()) {
            for (const stress::Entry &e : stress::flat()) {
                ASSERT_LE(e.count, e.label == "a" ? n : e.label == "b" ? (n + 1) / 2 : 1u) << e.label;
            }
            ++snapshots;
        }
    });
    go.store(true);
    for (auto &t : threads) t.join();
    done.store(true);
    reader.join();

    Counts got = stress::counts(stress::flat());
    Counts want;
    std::set<uint32_t> tids;
    for (const auto &kv : got) tids.insert(std::get<0>(kv.first));
    ASSERT_EQ(tids.size(), static_cast<size_t>(kThreads));
    // thread_<i> tells which tid each worker got
    for (uint32_t tid : tids) {
        std::string mine;
        for (const auto &kv : got)
            if (std::get<0>(kv.first) == tid && std::get<2>(kv.first).rfind("thread_", 0) == 0) mine = std::get<2>(kv.first);
        ASSERT_FALSE(mine.empty()) << "tid " << tid;
        want[{tid, "", "outer"}] = 1;
        want[{tid, "outer", "a"}] = n;
        want[{tid, "a", "b"}] = (n + 1) / 2;
        want[{tid, "outer", mine}] = 1;
    }
    EXPECT_EQ(got, want);

    // merged: one node per path, counts summed over the 64 threads
    tm_tree_t *tree = nullptr;
    ASSERT_EQ(tm_tree_get(TM_WALL_CLOCK, &tree), TM_OK);
    uint64_t merged_a = 0, merged_b = 0;
    size_t a_nodes = 0;
    std::vector<const tm_tree_node_t *> stack;
    for (size_t i = 0; i < tree->n_roots; ++i) stack.push_back(&tree->roots[i]);
    while (!stack.empty()) {
        const tm_tree_node_t *x = stack.back();
        stack.pop_back();
        if (!x->is_dummy && std::string(x->label) == "a") {
            merged_a += x->inclusive.stats.count;
            ++a_nodes;
            EXPECT_EQ(x->n_tids, static_cast<size_t>(kThreads));
        }
        if (!x->is_dummy && std::string(x->label) == "b") merged_b += x->inclusive.stats.count;
        for (size_t i = 0; i < x->n_children; ++i) stack.push_back(&x->children[i]);
    }
    tm_tree_free(tree);
    EXPECT_EQ(a_nodes, 1u);
    EXPECT_EQ(merged_a, kThreads * n);
    EXPECT_EQ(merged_b, kThreads * ((n + 1) / 2));
    std::printf("threads_stress: threads=%d regions_per_thread=%llu snapshots_while_recording=%llu\n", kThreads,
                static_cast<unsigned long long>(n + (n + 1) / 2 + 2), static_cast<unsigned long long>(snapshots));
}

}  // namespace
