// Context-switch components against getrusage(RUSAGE_THREAD) read directly:
// sleeping switches out voluntarily; sharing one CPU with a busy thread gets
// the measuring thread preempted (involuntary switches).
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <pthread.h>
#include <sched.h>

#include <atomic>
#include <thread>

#include "tests/components/proof.h"

namespace {

using namespace proof;

class ContextSwitch : public ProofTest {};

struct rusage thread_rusage() { return rusage_of(RUSAGE_THREAD); }

// 20 sleeps of 1 ms: at least 20 voluntary switches of this thread.
PROOF_TEST(ContextSwitch, SleepsAreVoluntary, "voluntary_context_switch") {
    Comp vol(TM_VOLUNTARY_CONTEXT_SWITCH);
    auto w = bracket({&vol}, thread_rusage, [] {
        for (int i = 0; i < 20; ++i) sleep_ns(1 * kMs);
    });
    EXPECT_TRUE(Bracketed("voluntary_context_switch (ru_nvcsw)", (double)(w.i2.ru_nvcsw - w.i1.ru_nvcsw), vol.raw(),
                          (double)(w.o2.ru_nvcsw - w.o1.ru_nvcsw)));
    EXPECT_GE(vol.raw(), 20.0);
}

// This thread and a busy competitor pinned to the same CPU for 150 ms: the
// scheduler must preempt this thread (time slices are a few ms).
PROOF_TEST(ContextSwitch, SharedCpuForcesInvoluntary, "priority_context_switch") {
    cpu_set_t saved;
    ASSERT_EQ(sched_getaffinity(0, sizeof saved, &saved), 0) << strerror(errno);
    int cpu = sched_getcpu();
    if (cpu < 0 || !CPU_ISSET(cpu, &saved)) {
        for (cpu = 0; cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &saved); ++cpu) {
        }
    }
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    const bool pinned = sched_setaffinity(0, sizeof one, &one) == 0;

    std::atomic<bool> stop{false}, ready{false};
    // Unpinned fallback: enough competitors to oversubscribe every CPU.
    const int competitors = pinned ? 1 : CPU_COUNT(&saved) + 1;
    std::vector<std::thread> threads;
    for (int i = 0; i < competitors; ++i)
        threads.emplace_back([&] {
            if (pinned) sched_setaffinity(0, sizeof one, &one);
            ready.store(true);
            volatile uint64_t sink = 0;
            while (!stop.load(std::memory_order_relaxed))
                for (int k = 0; k < 1000; ++k) sink = sink + (uint64_t)k;
        });
    while (!ready.load()) sched_yield();

    Comp prio(TM_PRIORITY_CONTEXT_SWITCH);
    auto w = bracket({&prio}, thread_rusage, [] { spin_wall(150 * kMs); });
    stop.store(true);
    for (auto &t : threads) t.join();
    sched_setaffinity(0, sizeof saved, &saved);

    EXPECT_TRUE(Bracketed("priority_context_switch (ru_nivcsw)", (double)(w.i2.ru_nivcsw - w.i1.ru_nivcsw),
                          prio.raw(), (double)(w.o2.ru_nivcsw - w.o1.ru_nivcsw)));
    EXPECT_GE(prio.raw(), 1.0) << (pinned ? "pinned with a busy thread on CPU " + std::to_string(cpu)
                                          : "not pinned (sched_setaffinity failed); oversubscribed instead");
}

}  // namespace
