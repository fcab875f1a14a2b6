// fork() inside regions, repeatedly, while other threads record (creating
// nodes and interning labels). The child: starts with empty storage (it
// copies nothing the parent recorded), records its own regions as tid 0 of
// its pid with exact counts, and leaves the regions it was forked inside as
// the parent's code would (ending them, as a `with` block or a scope does):
// those ends are accepted silently -- the regions belong to the parent, the
// child records nothing for them and warns about nothing. The parent's
// counts are exact and its open regions still close normally.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "stress.h"

namespace {

using stress::scaled;

// In the child; returns 0 or the number of the failed check.
int child(uint32_t work) {
    alarm(60);  // a lock inherited held would hang: fail instead
    const uint64_t warnings = tm_warning_count();
    if (!stress::flat().empty()) return 2;
    tm_region_t w = tm_region("child_work");
    for (uint32_t i = 0; i < work; ++i) {
        if (tm_region_begin(w) != TM_OK || tm_region_end(w) != TM_OK) return 3;
    }
    std::thread t([] {
        tm_push_region("child_thread");
        tm_pop_region("child_thread");
    });
    t.join();
    // the parent's code goes on in the child: it leaves `mid` and `outer`
    if (tm_pop_region("mid") != TM_OK) return 4;
    if (tm_pop_region("outer") != TM_OK) return 5;
    if (tm_warning_count() != warnings) return 6;
    std::vector<stress::Entry> e = stress::flat();
    if (e.size() != 2) return 7;
    for (const stress::Entry &x : e) {
        if (x.pid != getpid() || !x.parent.empty()) return 8;
        if (x.label == "child_work" && (x.tid != 0 || x.count != work)) return 9;
        if (x.label == "child_thread" && (x.tid != 1 || x.count != 1)) return 10;
    }
    return 0;
}

class ForkStress : public stress::StressTest {};

TEST_F(ForkStress, ForkInsideRegionsWhileThreadsRecord) {
    const int forks = scaled(400, 25);
    const uint32_t work = 1000;
    std::atomic<bool> stop{false};
    std::atomic<int> warm{0};
    std::vector<std::thread> threads;
    std::vector<uint64_t> loops(3, 0);
    // names made up front: after warm-up the threads allocate nothing (see below)
    std::vector<std::string> names;
    for (int i = 0; i < 512; ++i) names.push_back("busy_" + std::to_string(i));
    for (int k = 0; k < 3; ++k) {
        threads.emplace_back([&, k] {
            tm_region_t a = tm_region("busy");
            uint64_t n = 0;
            for (; !stop.load(); ++n) {
                tm_region_begin(a);
                const char *name = names[n % 512].c_str();  // interned by name: the label table's lock
                tm_push_region(name);
                tm_pop_region(name);
                tm_region_end(a);
                if (n == 1024) warm.fetch_add(1);
            }
            loops[k] = n;
        });
    }
    while (warm.load() < 3) std::this_thread::yield();  // see fork_test: ASan's allocator is not fork-safe

    ASSERT_EQ(tm_push_region("outer"), TM_OK);
    for (int f = 0; f < forks; ++f) {
        ASSERT_EQ(tm_push_region("mid"), TM_OK);
        pid_t pid = fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) _exit(child(work));
        int status = 0;
        ASSERT_EQ(waitpid(pid, &status, 0), pid);
        ASSERT_TRUE(WIFEXITED(status)) << "fork " << f << ": child killed by signal " << WTERMSIG(status);
        ASSERT_EQ(WEXITSTATUS(status), 0) << "fork " << f << ": failed check";
        ASSERT_EQ(tm_pop_region("mid"), TM_OK);
    }
    ASSERT_EQ(tm_pop_region("outer"), TM_OK);
    stop.store(true);
    for (auto &t : threads) t.join();

    uint64_t busy = 0;
    for (const stress::Entry &e : stress::flat()) {
        EXPECT_EQ(e.pid, getpid());
        EXPECT_NE(e.label, "child_work");
        if (e.label == "outer") {
            EXPECT_EQ(e.count, 1u);
        }
        if (e.label == "mid") {
            EXPECT_EQ(e.parent, "outer");
            EXPECT_EQ(e.count, static_cast<uint64_t>(forks));
        }
        if (e.label == "busy") busy += e.count;
    }
    EXPECT_EQ(busy, loops[0] + loops[1] + loops[2]);
}

}  // namespace
