// tm_finalize() while other threads still record: threads keep recording
// (with a region open across every finalize), new threads start and exit,
// and the main thread finalizes again and again, writing every report file.
// Nothing crashes; each report written is a valid profile holding a
// consistent snapshot (no count above what had been recorded); recording
// goes on after finalize and nothing is lost: the final counts are exact and
// a last tm_finalize() writes all of them. Regions other threads have open
// are theirs: finalize does not close them (it closes only the calling
// thread's): a report shows such a region with no sample of its own (its
// children's samples are there) until it ends.
#include <atomic>
#include <thread>

#include <timemory/serialize.h>

#include "stress.h"

namespace {

using stress::scaled;

std::string out_dir() {
    const char *tmp = std::getenv("TEST_TMPDIR");
    return std::string(tmp ? tmp : "/tmp") + "/finalize_stress";
}

// label -> count summed over threads and parents, from a written profile.
std::map<std::string, uint64_t> file_counts(const std::string &path) {
    std::map<std::string, uint64_t> out;
    tm_profile_t *p = nullptr;
    EXPECT_EQ(tm_profile_load(path.c_str(), &p), TM_OK) << tm_last_error();
    if (!p) return out;
    tm_flat_t *f = nullptr;
    EXPECT_EQ(tm_profile_flat(p, &f), TM_OK);
    for (size_t i = 0; f && i < f->size; ++i) out[f->entries[i].label] += f->entries[i].inclusive.stats.count;
    if (f) tm_flat_free(f);
    tm_profile_free(p);
    return out;
}

class FinalizeStress : public stress::StressTest {};

TEST_F(FinalizeStress, FinalizeWhileOtherThreadsRecord) {
    const int finalizes = scaled(200, 12);
    const int workers = 4;
    ASSERT_EQ(tm_settings_set("output_path", out_dir().c_str()), TM_OK);
    ASSERT_EQ(tm_settings_set("auto_output", "1"), TM_OK);
    ASSERT_EQ(tm_settings_set("flamegraph_output", "1"), TM_OK);
    ASSERT_EQ(tm_settings_set("tree_output", "1"), TM_OK);

    std::atomic<bool> stop{false};
    std::atomic<uint64_t> step_total{0}, short_lived{0};
    std::atomic<int> started{0};
    std::vector<std::thread> threads;
    for (int k = 0; k < workers; ++k) {
        threads.emplace_back([&] {
            tm_region_t open = tm_region("worker_open"), step = tm_region("step"), leaf = tm_region("leaf");
            tm_region_begin(open);  // open across every finalize
            started.fetch_add(1);
            uint64_t n = 0;
            for (; !stop.load(std::memory_order_relaxed); ++n) {
                tm_region_begin(step);
                tm_region_begin(leaf);
                tm_region_end(leaf);
                tm_region_end(step);
            }
            EXPECT_EQ(tm_region_end(open), TM_OK);
            step_total.fetch_add(n);
        });
    }
    // threads that start, record and exit while finalize runs
    const uint64_t max_short_lived = scaled<uint64_t>(2000, 200);  // each is a tid of its own
    std::thread spawner([&] {
        while (!stop.load() && short_lived.load() < max_short_lived) {
            std::thread t([] {
                tm_push_region("short_lived");
                tm_pop_region("short_lived");
            });
            t.join();
            short_lived.fetch_add(1);
        }
    });
    while (started.load() < workers) std::this_thread::yield();

    const std::string json = out_dir() + "/wall_clock.json";
    uint64_t last_steps = 0;
    for (int f = 0; f < finalizes; ++f) {
        ASSERT_EQ(tm_push_region("main_step"), TM_OK);
        ASSERT_EQ(tm_pop_region("main_step"), TM_OK);
        ASSERT_EQ(tm_finalize(), TM_OK) << tm_last_error();
        std::map<std::string, uint64_t> c = file_counts(json);
        EXPECT_EQ(c["main_step"], static_cast<uint64_t>(f + 1));
        EXPECT_EQ(c["worker_open"], 0u) << "open on its thread: no sample in the report yet";
        EXPECT_GE(c["step"], last_steps) << "a later report lost samples";
        EXPECT_GE(c["leaf"] + 1, c["step"] > 0 ? 1u : 0u);
        last_steps = c["step"];
    }
    stop.store(true);
    for (auto &t : threads) t.join();
    spawner.join();

    std::map<std::string, uint64_t> live;
    for (const stress::Entry &e : stress::flat()) live[e.label] += e.count;
    std::map<std::string, uint64_t> want = {{"main_step", static_cast<uint64_t>(finalizes)},
                                            {"worker_open", static_cast<uint64_t>(workers)},
                                            {"step", step_total.load()},
                                            {"leaf", step_total.load()},
                                            {"short_lived", short_lived.load()}};
    EXPECT_EQ(live, want);
    EXPECT_GE(step_total.load(), last_steps);
    ASSERT_EQ(tm_finalize(), TM_OK) << tm_last_error();  // recorded after finalize: written by the next one
    EXPECT_EQ(file_counts(json), want);
    tm_settings_set("auto_output", "0");
}

}  // namespace
