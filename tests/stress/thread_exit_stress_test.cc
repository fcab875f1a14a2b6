// Threads that exit inside regions, many at once, while another thread keeps
// taking snapshots: returning from the thread function with regions open,
// pthread_exit() three levels deep, and pthread_cancel() at a cancellation
// point inside a region. At exit the engine closes what each thread left open,
// so every region counts exactly once more, under the right parent, and
// what the thread recorded before is kept.
#include <pthread.h>
#include <sched.h>

#include <atomic>
#include <thread>

#include "stress.h"

namespace {

using stress::Counts;
using stress::scaled;

struct Args {
    int how;  // 0 return, 1 pthread_exit, 2 cancelled
    uint32_t loops;
    std::atomic<int> *inside;
};

void *body(void *p) {
    Args *a = static_cast<Args *>(p);
    static tm_region_t outer = tm_region("outer"), loop = tm_region("loop"), open = tm_region("left_open");
    tm_region_begin(outer);
    for (uint32_t i = 0; i < a->loops; ++i) {
        tm_region_begin(loop);
        tm_region_end(loop);
    }
    tm_region_begin(open);
    switch (a->how) {
    case 0: return nullptr;  // outer and left_open still open
    case 1: tm_region_begin(loop); pthread_exit(nullptr);
    default:
        a->inside->fetch_add(1);
        // inside left_open until cancelled. pthread_testcancel(), not a
        // blocking call such as pause(): ThreadSanitizer (GCC 12) drops the
        // synchronization of a thread cancelled inside a call it intercepts,
        // so the exit repair's release stores would be reported as races.
        for (;;) {
            pthread_testcancel();
            sched_yield();
        }
    }
}

class ThreadExitStress : public stress::StressTest {};

TEST_F(ThreadExitStress, ThreadsExitingInsideRegionsKeepTheirData) {
    const int rounds = scaled(50, 4), per_round = 48;
    const uint32_t loops = scaled<uint32_t>(20000, 2000);
    std::atomic<bool> done{false};
    std::thread reader([&] {
        while (!done.load()) stress::flat();
    });
    const uint64_t warnings_before = tm_warning_count();
    std::atomic<int> inside{0};
    std::vector<Args> args(per_round);
    int exits[3] = {0, 0, 0};
    for (int r = 0; r < rounds; ++r) {
        std::vector<pthread_t> ids(per_round);
        int cancelled = 0;
        for (int i = 0; i < per_round; ++i) {
            args[i] = {i % 3, loops, &inside};
            ++exits[i % 3];
            if (i % 3 == 2) ++cancelled;
            ASSERT_EQ(pthread_create(&ids[i], nullptr, body, &args[i]), 0);
        }
        while (inside.load() < cancelled) std::this_thread::yield();
        inside.store(0);
        for (int i = 0; i < per_round; ++i)
            if (i % 3 == 2) pthread_cancel(ids[i]);
        for (int i = 0; i < per_round; ++i) pthread_join(ids[i], nullptr);
    }
    done.store(true);
    reader.join();

    Counts got = stress::counts(stress::flat());
    // every thread: outer 1, loop `loops` (+1 open at pthread_exit), left_open 1
    std::map<std::string, uint64_t> total;
    std::set<uint32_t> tids;
    for (const auto &kv : got) {
        const std::string &parent = std::get<1>(kv.first), &label = std::get<2>(kv.first);
        tids.insert(std::get<0>(kv.first));
        total[parent + "/" + label] += kv.second;
    }
    const uint64_t threads = static_cast<uint64_t>(rounds) * per_round;
    EXPECT_EQ(tids.size(), threads);
    std::map<std::string, uint64_t> want = {{"/outer", threads},
                                            {"outer/loop", threads * loops},
                                            {"outer/left_open", threads},
                                            {"left_open/loop", static_cast<uint64_t>(exits[1])}};
    EXPECT_EQ(total, want);
    // warned once per label left open, not once per thread
    EXPECT_LE(tm_warning_count() - warnings_before, 2u);
}

}  // namespace
