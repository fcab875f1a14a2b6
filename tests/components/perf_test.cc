// perf_event_open components. Software events against independent readings
// (task_clock vs CLOCK_THREAD_CPUTIME_ID, cpu_migrations vs moves the test
// forces with sched_setaffinity and a perf counter of its own, page_faults_sw
// vs getrusage(RUSAGE_THREAD) faults). Hardware events branch on availability:
// where the machine has no PMU they must say why (naming perf_event_open),
// refuse to initialise, and leave the rest of a region recording; where it
// has one, their counts must be positive and plausible.
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <linux/perf_event.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include <dirent.h>

#include <memory>
#include <thread>

#include "tests/components/proof.h"

namespace {

using namespace proof;

class PerfSoftware : public ProofTest {};
class PerfHardware : public ProofTest {};

// An unavailable component explains itself and refuses to initialise.
void expect_clear_unavailable(int id) {
    const std::string name = tm_component_desc(id)->name;
    const char *why = tm_component_unavailable(id);
    ASSERT_NE(why, nullptr) << name;
    const std::string reason = why;
    EXPECT_GE(reason.size(), 20u) << name << ": reason too short to be clear: '" << reason << "'";
    EXPECT_NE(reason.find("perf_event_open"), std::string::npos) << name << ": '" << reason << "'";
    tm_component_t c;
    EXPECT_EQ(tm_component_init(&c, id, "unavailable"), TM_E_UNAVAILABLE) << name;
    const std::string err = tm_last_error();
    EXPECT_NE(err.find(name), std::string::npos) << err;
    EXPECT_NE(err.find(reason), std::string::npos) << err;
}

// This test's own perf counter on the calling thread (-1 when refused).
int own_perf_counter(uint64_t config) {
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.size = sizeof attr;
    attr.type = PERF_TYPE_SOFTWARE;
    attr.config = config;
    return (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
}

int64_t read_counter(int fd) {
    uint64_t v = 0;
    return read(fd, &v, sizeof v) == (ssize_t)sizeof v ? (int64_t)v : -1;
}

// task_clock of a thread spinning 60 ms of CPU agrees with the thread CPU
// clock; while it sleeps it stays near 0.
PROOF_TEST(PerfSoftware, TaskClockIsThreadCpuTime, "task_clock") {
    if (tm_component_unavailable(TM_TASK_CLOCK)) {
        expect_clear_unavailable(TM_TASK_CLOCK);
        GTEST_SKIP() << tm_component_unavailable(TM_TASK_CLOCK);
    }
    Comp busy(TM_TASK_CLOCK), idle(TM_TASK_CLOCK);
    auto w = bracket({&busy}, snap, [] { spin_thread_cpu(60 * kMs); });
    const double inner = (double)(w.i2.tcpu - w.i1.tcpu), outer = (double)(w.o2.tcpu - w.o1.tcpu);
    ASSERT_GE(inner, 60 * kMs);
    // Both account the time this thread ran: allow 2 ms + 5 %, 50 us per
    // context switch (the perf clock stops and starts at slightly different
    // points of a switch) and the time the hypervisor stole (in the perf
    // clock, not in the scheduler's CPU time).
    const double switches = (double)((w.o2.thr.ru_nvcsw + w.o2.thr.ru_nivcsw) - (w.o1.thr.ru_nvcsw + w.o1.thr.ru_nivcsw));
    const double slack = 2 * kMs + 0.05 * outer + 50e3 * switches + steal_slack(w.o1.steal, w.o2.steal);
    EXPECT_TRUE(Bracketed("task_clock vs CLOCK_THREAD_CPUTIME_ID", inner, busy.raw(), outer, slack));
    auto w2 = bracket({&idle}, snap, [] { sleep_ns(50 * kMs); });
    EXPECT_TRUE(Bracketed("task_clock while sleeping", (double)(w2.i2.tcpu - w2.i1.tcpu), idle.raw(),
                          (double)(w2.o2.tcpu - w2.o1.tcpu), 1 * kMs));
    EXPECT_LT(idle.raw(), 5 * kMs);
}

// Moving this thread between two CPUs with sched_setaffinity: every move the
// test observes (sched_getcpu) is a migration.
PROOF_TEST(PerfSoftware, CpuMigrationsCountForcedMoves, "cpu_migrations") {
    if (tm_component_unavailable(TM_CPU_MIGRATIONS)) {
        expect_clear_unavailable(TM_CPU_MIGRATIONS);
        GTEST_SKIP() << tm_component_unavailable(TM_CPU_MIGRATIONS);
    }
    cpu_set_t saved;
    ASSERT_EQ(sched_getaffinity(0, sizeof saved, &saved), 0) << strerror(errno);
    std::vector<int> cpus;
    for (int i = 0; i < CPU_SETSIZE && cpus.size() < 2; ++i)
        if (CPU_ISSET(i, &saved)) cpus.push_back(i);
    int fd = own_perf_counter(PERF_COUNT_SW_CPU_MIGRATIONS);
    ASSERT_GE(fd, 0) << "the component is available but this test cannot open the same event: " << strerror(errno);
    Comp migr(TM_CPU_MIGRATIONS);
    int moves = 0;
    bool affinity_ok = true;
    auto w = bracket({&migr}, [fd] { return read_counter(fd); }, [&] {
        if (cpus.size() < 2) return;
        int prev = sched_getcpu();
        for (int k = 0; k < 8; ++k) {
            cpu_set_t one;
            CPU_ZERO(&one);
            CPU_SET(cpus[k % 2], &one);
            if (sched_setaffinity(0, sizeof one, &one) != 0) {
                affinity_ok = false;
                return;
            }
            int now = sched_getcpu();
            if (now != prev) ++moves;
            prev = now;
        }
    });
    sched_setaffinity(0, sizeof saved, &saved);
    close(fd);
    EXPECT_TRUE(Bracketed("cpu_migrations vs own perf counter", (double)(w.i2 - w.i1), migr.raw(),
                          (double)(w.o2 - w.o1)));
    if (cpus.size() < 2) GTEST_SKIP() << "only one CPU allowed: no migration can be forced";
    if (!affinity_ok) GTEST_SKIP() << "sched_setaffinity refused: " << strerror(errno);
    EXPECT_GE(moves, 7) << "sched_setaffinity to one other CPU moves the thread at once";
    EXPECT_GE(migr.raw(), (double)moves);
}

// Touching 16 MiB of fresh 4 KiB pages: >= 4,096 faults of this thread, as
// getrusage(RUSAGE_THREAD) counts them.
PROOF_TEST(PerfSoftware, PageFaultsSwCountTouchedPages, "page_faults_sw") {
    if (tm_component_unavailable(TM_PAGE_FAULTS_SW)) {
        expect_clear_unavailable(TM_PAGE_FAULTS_SW);
        GTEST_SKIP() << tm_component_unavailable(TM_PAGE_FAULTS_SW);
    }
    const size_t kBytes = 16 * kMiB;
    Comp faults(TM_PAGE_FAULTS_SW);
    void *p = MAP_FAILED;
    auto w = bracket({&faults}, [] { return rusage_of(RUSAGE_THREAD); }, [&] {
        p = mmap(nullptr, kBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) return;
        madvise(p, kBytes, MADV_NOHUGEPAGE);
        for (size_t i = 0; i < kBytes; i += 4096) static_cast<volatile char *>(p)[i] = 1;
    });
    ASSERT_NE(p, MAP_FAILED) << strerror(errno);
    munmap(p, kBytes);
    auto flt = [](const struct rusage &r) { return (double)(r.ru_minflt + r.ru_majflt); };
    // The perf event also counts faults the kernel retries; allow 64 + 5 %.
    EXPECT_TRUE(Bracketed("page_faults_sw vs ru_minflt+ru_majflt (thread)", flt(w.i2) - flt(w.i1), faults.raw(),
                          flt(w.o2) - flt(w.o1), 64 + 0.05 * (flt(w.o2) - flt(w.o1))));
    EXPECT_GE(faults.raw(), (double)(kBytes / 4096));
}

int open_fds() {
    int n = 0;
    if (DIR *d = opendir("/proc/self/fd")) {
        while (readdir(d)) ++n;
        closedir(d);
    }
    return n;
}

// A thread that measures with perf component objects only (no region, so the
// library never sees the thread itself) must not leave its counters open
// when it exits: a program starting many such threads would run out of fds.
PROOF_TEST(PerfSoftware, ThreadExitClosesItsCounters, "task_clock", "page_faults_sw", "cpu_migrations") {
    if (tm_component_unavailable(TM_TASK_CLOCK)) GTEST_SKIP() << tm_component_unavailable(TM_TASK_CLOCK);
    const int before = open_fds();
    for (int i = 0; i < 4; ++i) {
        std::thread t([] {
            Comp task(TM_TASK_CLOCK), faults(TM_PAGE_FAULTS_SW), migr(TM_CPU_MIGRATIONS);
            for (Comp *c : {&task, &faults, &migr}) c->start();
            spin_thread_cpu(1 * kMs);
            for (Comp *c : {&task, &faults, &migr}) c->stop();
            EXPECT_GT(task.raw(), 0.0) << "the thread's counter was opened and read";
        });
        t.join();
    }
    EXPECT_EQ(open_fds(), before) << "perf_event fds left open by 4 exited threads (3 counters each)";
}

const int kHardware[] = {TM_HW_CPU_CYCLES, TM_HW_INSTRUCTIONS, TM_HW_CACHE_MISSES, TM_HW_BRANCH_MISSES};

// Hardware counters: a clear reason where there is no PMU; positive and
// plausible counts where there is one.
PROOF_TEST(PerfHardware, CountOrSayWhyNot, "hw_cpu_cycles", "hw_instructions", "hw_cache_misses",
           "hw_branch_misses") {
    std::vector<int> available;
    for (int id : kHardware) {
        if (tm_component_unavailable(id)) {
            SCOPED_TRACE(tm_component_desc(id)->name);
            expect_clear_unavailable(id);
        } else {
            available.push_back(id);
        }
    }
    if (available.empty()) return;  // proven: each says why (this machine, e.g. a VM without a PMU)

    std::map<int, Comp *> comps;
    std::vector<Comp *> list;
    std::vector<std::unique_ptr<Comp>> owned;
    for (int id : available) {
        owned.emplace_back(new Comp(id));
        comps[id] = owned.back().get();
        list.push_back(owned.back().get());
    }
    const uint64_t kIterations = 5000000;
    auto w = bracket(list, snap, [&] {
        volatile uint64_t sink = 0;
        for (uint64_t i = 0; i < kIterations; ++i) sink = sink + (i ^ (i >> 3));
    });
    const double cpu_ns = (double)(w.o2.tcpu - w.o1.tcpu);
    for (Comp *c : list) EXPECT_GT(c->raw(), 0.0) << c->name();
    if (comps.count(TM_HW_INSTRUCTIONS)) {
        // Each iteration is several user-mode instructions.
        EXPECT_GE(comps[TM_HW_INSTRUCTIONS]->raw(), (double)kIterations);
        EXPECT_LE(comps[TM_HW_INSTRUCTIONS]->raw(), 1000.0 * kIterations);
        if (comps.count(TM_HW_BRANCH_MISSES)) {
            EXPECT_LE(comps[TM_HW_BRANCH_MISSES]->raw(), comps[TM_HW_INSTRUCTIONS]->raw());
        }
        if (comps.count(TM_HW_CACHE_MISSES)) {
            EXPECT_LE(comps[TM_HW_CACHE_MISSES]->raw(), comps[TM_HW_INSTRUCTIONS]->raw());
        }
    }
    if (comps.count(TM_HW_CPU_CYCLES) && cpu_ns > 1 * kMs) {
        // User-mode cycles per ns of thread CPU time: a clock between 0.05 and 10 GHz.
        const double ghz = comps[TM_HW_CPU_CYCLES]->raw() / cpu_ns;
        EXPECT_GT(ghz, 0.05);
        EXPECT_LT(ghz, 10.0);
    }
}

// Asking for an unavailable component next to an available one: the set keeps
// the available one (with one warning naming the reason) and a region recorded
// with it records wall_clock normally. This is the only test that parses
// hw_cpu_cycles, so the once-per-process warning is its own.
PROOF_TEST(PerfHardware, UnavailableComponentLeavesRegionRecording, "hw_cpu_cycles") {
    const char *why = tm_component_unavailable(TM_HW_CPU_CYCLES);
    const uint64_t warnings_before = tm_warning_count();
    tm_component_set_t set = 0;
    ::testing::internal::CaptureStderr();
    const int rc = tm_component_set_parse("wall_clock,hw_cpu_cycles", &set);
    const std::string err = ::testing::internal::GetCapturedStderr();
    ASSERT_EQ(rc, TM_OK) << tm_last_error();
    EXPECT_TRUE(set & TM_WALL_CLOCK_BIT);

    tm_region_t r = tm_region("with_hw");
    int64_t t0 = clock_ns(CLOCK_MONOTONIC);
    ASSERT_EQ(tm_region_begin_set(r, set), TM_OK);
    sleep_ns(5 * kMs);
    ASSERT_EQ(tm_region_end(r), TM_OK);
    int64_t elapsed = clock_ns(CLOCK_MONOTONIC) - t0;

    tm_flat_t *wall = nullptr, *hw = nullptr;
    ASSERT_EQ(tm_flat_get(TM_WALL_CLOCK, &wall), TM_OK);
    ASSERT_EQ(wall->size, 1u);
    EXPECT_STREQ(wall->entries[0].label, "with_hw");
    const double wall_ns = wall->entries[0].inclusive.data * tm_component_scale(TM_WALL_CLOCK);
    EXPECT_TRUE(Bracketed("wall_clock of the region", 5.0 * kMs, wall_ns, (double)elapsed));
    tm_flat_free(wall);
    ASSERT_EQ(tm_flat_get(TM_HW_CPU_CYCLES, &hw), TM_OK);
    const size_t hw_entries = hw->size;
    const double cycles = hw_entries ? hw->entries[0].inclusive.data : 0;
    tm_flat_free(hw);

    if (why) {
        EXPECT_EQ(set, TM_WALL_CLOCK_BIT) << "the unavailable component is left out of the set";
        EXPECT_EQ(tm_warning_count(), warnings_before + 1);
        EXPECT_NE(err.find("hw_cpu_cycles"), std::string::npos) << "warning: " << err;
        EXPECT_NE(err.find("perf_event_open"), std::string::npos) << "warning: " << err;
        EXPECT_EQ(hw_entries, 0u) << "nothing recorded for an unavailable component";
        // Only unavailable components: a clear error, not an empty set.
        tm_component_set_t only = 0;
        EXPECT_EQ(tm_component_set_parse("hw_cpu_cycles", &only), TM_E_UNAVAILABLE);
        EXPECT_NE(std::string(tm_last_error()).find("hw_cpu_cycles"), std::string::npos) << tm_last_error();
    } else {
        EXPECT_EQ(set, TM_WALL_CLOCK_BIT | TM_HW_CPU_CYCLES_BIT);
        ASSERT_EQ(hw_entries, 1u);
        EXPECT_GT(cycles, 0.0);
    }
}

}  // namespace
