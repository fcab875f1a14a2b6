// Timing components against clock_gettime and getrusage read directly:
// busy loop (cpu ~ wall, cpu_util ~ 100 %), sleep (cpu ~ 0), a second thread
// (thread clocks count only their own thread, process clocks count all) and a
// syscall-heavy loop (kernel time).
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <iostream>
#include <thread>

#include "tests/components/proof.h"

namespace {

using namespace proof;

class Timing : public ProofTest {};

int64_t self_cpu(const Snap &s) { return tv_ns(s.self.ru_utime) + tv_ns(s.self.ru_stime); }

// Components whose raw value is the difference of one independent clock.
struct ClockCase {
    Comp *comp;
    int64_t (*read)(const Snap &);
};

void expect_clocks_bracketed(const std::vector<ClockCase> &cases, const Window<Snap> &w) {
    for (const ClockCase &c : cases)
        EXPECT_TRUE(Bracketed(c.comp->name(), (double)(c.read(w.i2) - c.read(w.i1)), c.comp->raw(),
                              (double)(c.read(w.o2) - c.read(w.o1))));
}

// A RATIO component num/den: num and den are each bracketed, so the ratio is
// in [num_inner / den_outer, num_outer / den_inner].
void expect_ratio_bracketed(Comp &c, int64_t (*num)(const Snap &), int64_t (*den)(const Snap &),
                            const Window<Snap> &w) {
    double num_in = (double)(num(w.i2) - num(w.i1)), num_out = (double)(num(w.o2) - num(w.o1));
    double den_in = (double)(den(w.i2) - den(w.i1)), den_out = (double)(den(w.o2) - den(w.o1));
    EXPECT_TRUE(Bracketed(c.name() + " (fraction)", num_in / den_out, c.raw(), num_out / den_in, 1e-9));
    EXPECT_NEAR(c.get(), 100.0 * c.raw(), 1e-9) << c.name() << ": get() is the percentage of get_raw()";
}

int64_t rd_mono(const Snap &s) { return s.mono; }
int64_t rd_boot(const Snap &s) { return s.boot; }
int64_t rd_raw(const Snap &s) { return s.raw; }
int64_t rd_pcpu(const Snap &s) { return s.pcpu; }
int64_t rd_tcpu(const Snap &s) { return s.tcpu; }
int64_t rd_self_cpu(const Snap &s) { return self_cpu(s); }
int64_t rd_self_user(const Snap &s) { return tv_ns(s.self.ru_utime); }
int64_t rd_self_sys(const Snap &s) { return tv_ns(s.self.ru_stime); }
int64_t rd_thr_user(const Snap &s) { return tv_ns(s.thr.ru_utime); }
int64_t rd_thr_sys(const Snap &s) { return tv_ns(s.thr.ru_stime); }

// A busy loop: every clock agrees with its independent reading, and the loop
// is on a CPU whenever it is not waiting for one: CPU time = wall time minus
// the run-queue wait (/proc/thread-self/schedstat), cpu_util = 100 % minus the
// share of waiting. A loaded 2-core machine makes the loop wait, so up to 8
// windows of 100 ms are tried for one where cpu_util > 70 %; if the machine is
// too busy for that, the wait-corrected checks (made on every window) are the
// proof, and only a kernel without schedstat fails the test.
PROOF_TEST(Timing, BusyLoopCpuTracksWall, "wall_clock", "monotonic_clock", "monotonic_raw_clock", "cpu_clock",
           "user_clock", "system_clock", "process_cpu_clock", "thread_cpu_clock", "cpu_util", "process_cpu_util",
           "thread_cpu_util", "user_mode_time") {
    double best_util = 0;
    const bool have_wait = run_queue_wait_ns() >= 0;
    for (int attempt = 0; attempt < 8; ++attempt) {
        SCOPED_TRACE("attempt " + std::to_string(attempt));
        Comp wall(TM_WALL_CLOCK), mono(TM_MONOTONIC_CLOCK), raw(TM_MONOTONIC_RAW_CLOCK), cpu(TM_CPU_CLOCK),
            user(TM_USER_CLOCK), sys(TM_SYSTEM_CLOCK), pcpu(TM_PROCESS_CPU_CLOCK), tcpu(TM_THREAD_CPU_CLOCK),
            util(TM_CPU_UTIL), putil(TM_PROCESS_CPU_UTIL), tutil(TM_THREAD_CPU_UTIL), umode(TM_USER_MODE_TIME);
        auto w = bracket({&wall, &mono, &raw, &cpu, &user, &sys, &pcpu, &tcpu, &util, &putil, &tutil, &umode}, snap,
                         [] { spin_wall(100 * kMs); });
        expect_clocks_bracketed({{&wall, rd_mono},
                                 {&mono, rd_boot},
                                 {&raw, rd_raw},
                                 {&cpu, rd_self_cpu},
                                 {&user, rd_self_user},
                                 {&sys, rd_self_sys},
                                 {&pcpu, rd_pcpu},
                                 {&tcpu, rd_tcpu},
                                 {&umode, rd_thr_user}},
                                w);
        expect_ratio_bracketed(util, rd_self_cpu, rd_mono, w);
        expect_ratio_bracketed(putil, rd_pcpu, rd_mono, w);
        expect_ratio_bracketed(tutil, rd_tcpu, rd_mono, w);

        // Same elapsed time on the three elapsed-time clocks (NTP slews the
        // monotonic clock by at most 500 ppm; nothing suspends in 100 ms).
        EXPECT_GE(wall.raw(), 100 * kMs);
        EXPECT_TRUE(Near("monotonic_raw_clock vs wall", raw.raw(), wall.raw(), 0.2 * kMs, 0.002));
        EXPECT_TRUE(Near("monotonic_clock vs wall", mono.raw(), wall.raw(), 0.2 * kMs, 0.002));
        // All of a busy loop's CPU time is user time (the kernel's split is
        // sampled at ticks: meaningful when the loop was on a CPU at least
        // half the time).
        if (!have_wait || (double)(w.o2.wait - w.o1.wait) < 0.5 * wall.raw()) {
            EXPECT_GT(user.raw(), 0.6 * cpu.raw()) << "a busy loop runs in user mode";
            EXPECT_LT(sys.raw(), 0.4 * cpu.raw()) << "a busy loop runs in user mode";
            EXPECT_GT(umode.raw(), 0.6 * tcpu.raw()) << "a busy loop runs in user mode";
        }
        if (have_wait) {
            // On a CPU whenever not waiting for one (2 ms + 5 % for the
            // readings around the window).
            // Time stolen by the hypervisor is neither CPU time nor waiting.
            const double waited = (double)(w.o2.wait - w.o1.wait);
            const double on_cpu = wall.raw() - waited;
            const double stolen = steal_slack(w.o1.steal, w.o2.steal);
            const double tol = 2 * kMs + stolen;
            EXPECT_TRUE(Near("thread_cpu_clock vs wall - run-queue wait", tcpu.raw(), on_cpu, tol, 0.05));
            EXPECT_TRUE(Near("cpu_clock vs wall - run-queue wait", cpu.raw(), on_cpu, tol, 0.05));
            EXPECT_TRUE(Near("process_cpu_clock vs wall - run-queue wait", pcpu.raw(), on_cpu, tol, 0.05));
            const double pct_tol = 5 + 100.0 * stolen / wall.raw();
            EXPECT_TRUE(Near("thread_cpu_util vs 100 % - waiting share", tutil.get(), 100.0 * on_cpu / wall.raw(),
                             pct_tol));
            EXPECT_TRUE(Near("cpu_util vs 100 % - waiting share", util.get(), 100.0 * on_cpu / wall.raw(), pct_tol));
        }
        if (HasFailure()) return;

        best_util = std::max(best_util, util.get());
        if (util.get() < 70.0 || tutil.get() < 70.0) continue;  // mostly waiting: try again
        // This window ran on a CPU: cpu ~ wall.
        EXPECT_GT(util.get(), 70.0);
        EXPECT_LT(util.get(), 105.0) << "one busy thread cannot use more than one CPU";
        EXPECT_GT(putil.get(), 70.0);
        EXPECT_GT(cpu.raw(), 0.7 * wall.raw());
        EXPECT_GT(pcpu.raw(), 0.7 * wall.raw());
        EXPECT_GT(tcpu.raw(), 0.7 * wall.raw());
        return;
    }
    if (have_wait) {
        std::cout << "[ NOTE     ] the machine is saturated: a busy loop reached at most " << best_util
                  << " % cpu_util in 8 windows; proven instead by cpu = wall - run-queue wait on every window\n";
        RecordProperty("busy_loop_best_cpu_util", std::to_string(best_util));
        return;
    }
    ADD_FAILURE() << "a busy loop never reached 70 % cpu_util in 8 windows of 100 ms (best " << best_util
                  << " %) and /proc/thread-self/schedstat is missing, so the run-queue wait cannot be accounted; "
                     "the independent brackets held, so the machine is saturated rather than the component wrong";
}

// A sleep: elapsed time passes, CPU time does not.
PROOF_TEST(Timing, SleepUsesNoCpu, "wall_clock", "cpu_clock", "process_cpu_clock", "thread_cpu_clock", "cpu_util",
           "process_cpu_util", "thread_cpu_util") {
    Comp wall(TM_WALL_CLOCK), cpu(TM_CPU_CLOCK), pcpu(TM_PROCESS_CPU_CLOCK), tcpu(TM_THREAD_CPU_CLOCK),
        util(TM_CPU_UTIL), putil(TM_PROCESS_CPU_UTIL), tutil(TM_THREAD_CPU_UTIL);
    auto w = bracket({&wall, &cpu, &pcpu, &tcpu, &util, &putil, &tutil}, snap, [] { sleep_ns(100 * kMs); });
    expect_clocks_bracketed({{&wall, rd_mono}, {&cpu, rd_self_cpu}, {&pcpu, rd_pcpu}, {&tcpu, rd_tcpu}}, w);
    expect_ratio_bracketed(util, rd_self_cpu, rd_mono, w);
    expect_ratio_bracketed(putil, rd_pcpu, rd_mono, w);
    expect_ratio_bracketed(tutil, rd_tcpu, rd_mono, w);

    EXPECT_GE(wall.raw(), 100 * kMs);
    // Process-wide clocks also see sanitizer runtime threads: allow 20 ms.
    EXPECT_LT(cpu.raw(), 20 * kMs);
    EXPECT_LT(pcpu.raw(), 20 * kMs);
    EXPECT_LT(tcpu.raw(), 5 * kMs);
    EXPECT_LT(util.get(), 20.0);
    EXPECT_LT(putil.get(), 20.0);
    EXPECT_LT(tutil.get(), 5.0);
}

struct WorkerResult {
    double thread_cpu = 0, user_mode = 0, kernel_mode = 0, util = 0;
    int64_t own_cpu = 0;  // independent: the worker's CLOCK_THREAD_CPUTIME_ID over its work
    double wait_share = 0;  // share of its time the worker waited for a CPU (schedstat)
};

// A second thread spins 100 ms of CPU while the measuring thread waits in
// join(): thread clocks of the waiting thread stay near 0, process clocks
// include the worker's CPU time, and the worker's own thread clocks see it.
PROOF_TEST(Timing, ThreadClocksCountOnlyTheirThread, "thread_cpu_clock", "process_cpu_clock", "thread_cpu_util",
           "process_cpu_util", "user_mode_time", "kernel_mode_time") {
    Comp tcpu(TM_THREAD_CPU_CLOCK), pcpu(TM_PROCESS_CPU_CLOCK), tutil(TM_THREAD_CPU_UTIL),
        putil(TM_PROCESS_CPU_UTIL), umode(TM_USER_MODE_TIME), kmode(TM_KERNEL_MODE_TIME);
    WorkerResult r;
    auto w = bracket({&tcpu, &pcpu, &tutil, &putil, &umode, &kmode}, snap, [&r] {
        std::thread t([&r] {
            Comp wt(TM_THREAD_CPU_CLOCK), wu(TM_USER_MODE_TIME), wk(TM_KERNEL_MODE_TIME), wutil(TM_THREAD_CPU_UTIL);
            auto ww = bracket({&wt, &wu, &wk, &wutil}, snap, [] { spin_thread_cpu(100 * kMs); });
            expect_clocks_bracketed({{&wt, rd_tcpu}, {&wu, rd_thr_user}, {&wk, rd_thr_sys}}, ww);
            expect_ratio_bracketed(wutil, rd_tcpu, rd_mono, ww);
            r.thread_cpu = wt.raw();
            r.user_mode = wu.raw();
            r.kernel_mode = wk.raw();
            r.util = wutil.get();
            r.own_cpu = ww.i2.tcpu - ww.i1.tcpu;
            r.wait_share = (double)(ww.o2.wait - ww.o1.wait) / (double)(ww.o2.mono - ww.o1.mono);
        });
        t.join();
    });
    expect_clocks_bracketed({{&tcpu, rd_tcpu}, {&pcpu, rd_pcpu}, {&umode, rd_thr_user}, {&kmode, rd_thr_sys}}, w);
    expect_ratio_bracketed(tutil, rd_tcpu, rd_mono, w);
    expect_ratio_bracketed(putil, rd_pcpu, rd_mono, w);

    ASSERT_GE(r.own_cpu, 100 * kMs);
    // The worker's thread clocks saw its own work, mostly in user mode.
    EXPECT_GE(r.thread_cpu, (double)r.own_cpu);
    if (r.wait_share < 0.5) {  // tick-sampled split: see BusyLoopCpuTracksWall
        EXPECT_GT(r.user_mode, 0.6 * r.own_cpu);
        EXPECT_LT(r.kernel_mode, 0.4 * r.own_cpu);
    }
    // The waiting thread's clocks did not see the worker...
    EXPECT_LT(tcpu.raw(), 20 * kMs);
    EXPECT_LT(tcpu.raw(), 0.2 * r.own_cpu);
    EXPECT_LT(umode.raw(), 20 * kMs);
    EXPECT_LT(kmode.raw(), 20 * kMs);
    EXPECT_LT(tutil.get(), 20.0);
    // ...the process clock did (the worker's CPU time lies inside the window).
    EXPECT_GE(pcpu.raw(), (double)r.own_cpu - 1 * kMs);
    EXPECT_GT(pcpu.raw(), 5 * tcpu.raw());
    EXPECT_GT(putil.get(), 5 * tutil.get());
}

// Reading /dev/zero in large blocks spends its CPU time in the kernel
// (clearing the user buffer): system time rises, user time stays small.
//
// The kernel splits CPU time into user and system by sampling at each timer
// tick and scaling to the thread's whole history, so (1) the loop runs in a
// fresh thread, whose history is only this loop, and (2) the split is only
// meaningful when the loop was on a CPU for its ticks: a window where it
// waited on the run queue for more than 20 % of the time (a saturated
// machine) is retried, up to 4 times (not when it waited more than half the
// time: the machine is saturated). The independent brackets are checked on
// every window; if no window ran uncontended, they are the proof.
PROOF_TEST(Timing, SyscallLoopIsKernelTime, "system_clock", "kernel_mode_time", "user_clock", "user_mode_time",
           "cpu_clock") {
    int fd = open("/dev/zero", O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0) << strerror(errno);
    const bool have_wait = run_queue_wait_ns() >= 0;
    double least_wait = 1;
    for (int attempt = 0; attempt < 4; ++attempt) {
        SCOPED_TRACE("attempt " + std::to_string(attempt));
        Comp sys(TM_SYSTEM_CLOCK), user(TM_USER_CLOCK), cpu(TM_CPU_CLOCK);
        double kmode = 0, umode = 0, used = 0, wait_share = 1;
        auto w = bracket({&sys, &user, &cpu}, snap, [&] {
            std::thread t([&] {
                std::vector<char> buf(1 << 20);
                Comp k(TM_KERNEL_MODE_TIME), u(TM_USER_MODE_TIME);
                auto tw = bracket({&k, &u}, snap, [&] {
                    const int64_t end = clock_ns(CLOCK_THREAD_CPUTIME_ID) + 50 * kMs;
                    while (clock_ns(CLOCK_THREAD_CPUTIME_ID) < end)
                        for (int i = 0; i < 16; ++i)  // raw syscall: no sanitizer interceptor in user mode
                            ASSERT_EQ(syscall(SYS_read, fd, buf.data(), buf.size()), (long)buf.size());
                });
                expect_clocks_bracketed({{&k, rd_thr_sys}, {&u, rd_thr_user}}, tw);
                kmode = k.raw();
                umode = u.raw();
                used = (double)(tw.i2.tcpu - tw.i1.tcpu);
                wait_share = (double)(tw.o2.wait - tw.o1.wait + (tw.o2.steal - tw.o1.steal)) / (double)(tw.o2.mono - tw.o1.mono);
            });
            t.join();
        });
        expect_clocks_bracketed({{&sys, rd_self_sys}, {&user, rd_self_user}, {&cpu, rd_self_cpu}}, w);
        ASSERT_GE(used, 50 * kMs);
        if (HasFailure()) break;
        if (have_wait && wait_share > 0.2) {  // contended: the tick samples are not this loop's
            least_wait = std::min(least_wait, wait_share);
            if (wait_share > 0.5) break;  // saturated: more windows would only take long
            continue;
        }
        EXPECT_GT(kmode, 0.5 * used) << "reads of /dev/zero run in the kernel";
        EXPECT_GT(kmode, umode);
        EXPECT_GT(sys.raw(), 0.5 * cpu.raw());
        EXPECT_GT(sys.raw(), user.raw());
        close(fd);
        return;
    }
    close(fd);
    if (!HasFailure())
        std::cout << "[ NOTE     ] the machine is saturated: the syscall loop waited for a CPU " << 100 * least_wait
                  << " % of the time or more, too often for the kernel's tick-sampled user/system "
                     "split; proven by the independent getrusage brackets only\n";
}

}  // namespace
