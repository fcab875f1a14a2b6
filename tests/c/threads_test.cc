// Threads: per-thread graphs recorded concurrently, joined, then merged by
// rolling hash into one tree with tid sets; the flat view keeps one entry
// per thread and node; tids are sequential in order of first recording.
#include <atomic>
#include <map>
#include <string>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "tests/c/test_util.h"

namespace {

using tmtest::advance_sec;
using tmtest::EngineTest;
using tmtest::Flat;
using tmtest::range_set;
using tmtest::tid_set;
using tmtest::timed_region;
using tmtest::Tree;

constexpr int kThreads = 8;
constexpr int kIters = 50;

class Threads : public EngineTest {};

// Every worker waits here until all have arrived, so they record at once.
class StartLine {
  public:
    explicit StartLine(int n) : n_(n) {}
    void arrive_and_wait() {
        arrived_.fetch_add(1);
        while (arrived_.load() < n_) std::this_thread::yield();
    }

  private:
    const int n_;
    std::atomic<int> arrived_{0};
};

// Worker w (1..8): kIters x (work of w+2 s containing step 2 s), on its own
// fake clock, so merged min/max/sqr combine different threads' samples.
void worker(StartLine *line, int w) {
    tmtest::fake_now_ns = 0;
    line->arrive_and_wait();
    for (int i = 0; i < kIters; ++i) {
        TM_REGION_BEGIN("work");
        advance_sec(w);
        TM_REGION_BEGIN("step");
        advance_sec(2);
        TM_REGION_END("step");
        TM_REGION_END("work");
    }
}

void run_eight_workers_inside_main() {
    ASSERT_EQ(tm_push_region("main"), TM_OK);
    advance_sec(1);
    StartLine line(kThreads);
    std::vector<std::thread> pool;
    for (int w = 1; w <= kThreads; ++w) pool.emplace_back(worker, &line, w);
    for (auto &t : pool) t.join();
    advance_sec(1);
    ASSERT_EQ(tm_pop_region("main"), TM_OK);
}

TEST_F(Threads, EightThreadsMergeIntoOneTreeWithTidSets) {
    run_eight_workers_inside_main();

    Tree tree;
    ASSERT_EQ(tree.rc(), TM_OK);
    ASSERT_EQ(tree.n_roots(), 1u);
    EXPECT_EQ(tid_set(&tree.root()), range_set(0, kThreads + 1));

    const tm_tree_node_t *main_node = tree.one("main");
    const tm_tree_node_t *work = tree.one("work");
    const tm_tree_node_t *step = tree.one("step");
    ASSERT_TRUE(main_node && work && step);
    EXPECT_TRUE(tid_set(main_node).count(0));
    EXPECT_EQ(tid_set(work), range_set(1, kThreads + 1));
    EXPECT_EQ(tid_set(step), range_set(1, kThreads + 1));

    // Samples w+2 (inclusive) and w (exclusive) for w = 1..8, kIters each.
    const int n = kThreads * kIters;
    EXPECT_STATS(work->inclusive.stats, n, 52.0 * kIters, 3.0, 10.0, 380.0 * kIters);
    EXPECT_STATS(work->exclusive.stats, n, 36.0 * kIters, 1.0, 8.0, 204.0 * kIters);
    EXPECT_STATS(step->inclusive.stats, n, 2.0 * n, 2.0, 2.0, 4.0 * n);
    // The main thread's one sample is its own 2 s; other threads' samples
    // are not subtracted from it.
    EXPECT_STATS(main_node->inclusive.stats, 1, 2.0, 2.0, 2.0, 4.0);
    EXPECT_STATS(main_node->exclusive.stats, 1, 2.0, 2.0, 2.0, 4.0);

    // main -> one merged fork bookmark -> work -> step
    auto kids = tmtest::real_children(main_node);
    ASSERT_EQ(kids.size(), 1u);
    EXPECT_EQ(kids[0], work);
    ASSERT_EQ(work->n_children, 1u);
    EXPECT_EQ(&work->children[0], step);
}

TEST_F(Threads, FlatHasOneEntryPerThreadAndNode) {
    run_eight_workers_inside_main();

    Flat flat;
    ASSERT_EQ(flat.rc(), TM_OK);
    for (const char *label : {"work", "step"}) {
        auto entries = flat.all(label);
        ASSERT_EQ(entries.size(), static_cast<size_t>(kThreads)) << label;
        std::set<uint32_t> tids;
        for (auto *e : entries) {
            tids.insert(e->tid);
            EXPECT_EQ(e->inclusive.stats.count, static_cast<uint64_t>(kIters)) << label;
            EXPECT_EQ(e->hash, tm_hash_string(label));
        }
        EXPECT_EQ(tids, range_set(1, kThreads + 1)) << label;
    }
    // Each thread's entry has its own samples: worker w's are w+2 and w.
    std::set<int> per_thread_samples;
    for (auto *e : flat.all("work")) {
        const double w = e->exclusive.stats.min;
        per_thread_samples.insert(static_cast<int>(w));
        EXPECT_STATS(e->inclusive.stats, kIters, (w + 2) * kIters, w + 2, w + 2, (w + 2) * (w + 2) * kIters);
        EXPECT_STATS(e->exclusive.stats, kIters, w * kIters, w, w, w * w * kIters);
    }
    EXPECT_EQ(per_thread_samples, (std::set<int>{1, 2, 3, 4, 5, 6, 7, 8}));
    size_t main_on_tid0 = 0;
    for (auto *e : flat.all("main")) main_on_tid0 += (e->tid == 0);
    EXPECT_EQ(main_on_tid0, 1u);
}

TEST_F(Threads, TidsAreSequentialInOrderOfFirstRecording) {
    // After a reset, a worker records first: it is tid 0, the main thread 1.
    std::thread first([] { timed_region("first_thread", 1); });
    first.join();
    timed_region("main_thread", 1);
    std::thread third([] { timed_region("third_thread", 1); });
    third.join();

    Flat flat;
    const tm_flat_entry_t *a = flat.one("first_thread");
    const tm_flat_entry_t *b = flat.one("main_thread");
    const tm_flat_entry_t *c = flat.one("third_thread");
    ASSERT_TRUE(a && b && c);
    EXPECT_EQ(a->tid, 0u);
    EXPECT_EQ(b->tid, 1u);
    EXPECT_EQ(c->tid, 2u);
}

TEST_F(Threads, SameTopLevelRegionOfEveryThreadMergesIntoOneNode) {
    // The main thread records first (tid 0) and is back at the top level
    // while the workers record: every "solo" has the same rolling hash at
    // the top of its thread, so the merged tree has one "solo" node.
    constexpr int kN = 4;
    timed_region("solo", 2);
    StartLine line(kN - 1);
    std::vector<std::thread> pool;
    for (int t = 1; t < kN; ++t)
        pool.emplace_back([&line] {
            tmtest::fake_now_ns = 0;
            line.arrive_and_wait();
            for (int i = 0; i < 10; ++i) timed_region("solo", 2);
        });
    for (auto &t : pool) t.join();

    EXPECT_EQ(Flat().all("solo").size(), static_cast<size_t>(kN));
    Tree tree;
    auto solos = tree.all("solo");
    ASSERT_EQ(solos.size(), 1u) << "same rolling hash " << tm_hash_string("solo")
                                << " must merge across threads";
    EXPECT_EQ(tid_set(solos[0]), range_set(0, kN));
    const int n = 1 + (kN - 1) * 10;
    EXPECT_STATS(solos[0]->inclusive.stats, n, 2.0 * n, 2.0, 2.0, 4.0 * n);
}

TEST_F(Threads, ThreadExitingInsideARegionKeepsEarlierData) {
    std::thread t([] {
        timed_region("completed", 2);
        ASSERT_EQ(tm_push_region("left_open"), TM_OK);
        advance_sec(1);
        // the thread ends without tm_pop_region("left_open")
    });
    t.join();
    timed_region("after", 1);

    Flat flat;
    ASSERT_EQ(flat.rc(), TM_OK);
    const tm_flat_entry_t *done = flat.one("completed");
    ASSERT_NE(done, nullptr);
    EXPECT_STATS(done->inclusive.stats, 1, 2.0, 2.0, 2.0, 4.0);
    // the region left open was closed at thread exit and recorded: 1 s
    const tm_flat_entry_t *open = flat.one("left_open");
    ASSERT_NE(open, nullptr);
    EXPECT_EQ(open->depth, 0);
    EXPECT_STATS(open->inclusive.stats, 1, 1.0, 1.0, 1.0, 1.0);
    EXPECT_STATS(open->exclusive.stats, 1, 1.0, 1.0, 1.0, 1.0);
    const tm_flat_entry_t *after = flat.one("after");
    ASSERT_NE(after, nullptr);
    // The exited thread's regions were closed: later threads do not fork
    // from inside them.
    EXPECT_EQ(after->depth, 0);
    EXPECT_EQ(after->rolling_hash, tm_hash_string("after"));
    Tree tree;
    ASSERT_EQ(tree.rc(), TM_OK);
    // every node exactly: no region has children, so exclusive = inclusive
    const std::map<std::string, double> seconds{{"completed", 2.0}, {"left_open", 1.0}, {"after", 1.0}};
    size_t regions = 0;
    for (const tm_tree_node_t *n : tree.nodes()) {
        if (n->is_dummy) continue;
        ++regions;
        ASSERT_EQ(seconds.count(n->label), 1u) << n->label;
        EXPECT_DOUBLE_EQ(n->inclusive.data, seconds.at(n->label)) << n->label;
        EXPECT_DOUBLE_EQ(n->exclusive.data, seconds.at(n->label)) << n->label;
    }
    EXPECT_EQ(regions, seconds.size());
}

TEST_F(Threads, ConcurrentInterningGivesOneHandle) {
    constexpr int kN = 8;
    StartLine line(kN);
    std::vector<tm_region_t> got(kN, nullptr);
    std::vector<std::thread> pool;
    for (int t = 0; t < kN; ++t)
        pool.emplace_back([&line, &got, t] {
            line.arrive_and_wait();
            got[t] = tm_region("interned_concurrently");
        });
    for (auto &t : pool) t.join();
    for (int t = 0; t < kN; ++t) EXPECT_EQ(got[t], got[0]);
    EXPECT_NE(got[0], nullptr);
}

TEST_F(Threads, LiveThreadRecordsAgainAfterReset) {
    std::mutex m;
    std::condition_variable cv;
    int phase = 0;  // 1: worker recorded; 2: main reset; 3: worker recorded again
    std::thread t([&] {
        timed_region("before_reset", 1);
        {
            std::unique_lock<std::mutex> lock(m);
            phase = 1;
            cv.notify_all();
            cv.wait(lock, [&] { return phase == 2; });
        }
        timed_region("after_reset", 2);
    });
    {
        std::unique_lock<std::mutex> lock(m);
        cv.wait(lock, [&] { return phase == 1; });
        tm_storage_reset();
        phase = 2;
        cv.notify_all();
    }
    t.join();
    timed_region("main_after", 1);

    Flat flat;
    ASSERT_EQ(flat.labels(), (std::vector<std::string>{"after_reset", "main_after"}));
    EXPECT_EQ(flat[0].tid, 0u) << "first to record after the reset";
    EXPECT_EQ(flat[1].tid, 1u);
    EXPECT_STATS(flat[0].inclusive.stats, 1, 2.0, 2.0, 2.0, 4.0);
}

}  // namespace
