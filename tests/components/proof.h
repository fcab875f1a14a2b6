// Shared helpers of the component proof tests (tests/components/*_test.cc).
//
// Every test here proves that a component of components.def measures what it
// claims by comparing it with an INDEPENDENT reading of the same quantity,
// taken by this file's own code (clock_gettime, getrusage, its own parsers of
// /proc/self/status, /proc/self/io and /proc/self/net/dev), never through the
// library's samplers.
//
// The main tool is the bracket: for a monotonic counter read independently
//   o1 = read(); start(components); i1 = read(); WORK; i2 = read(); stop(); o2 = read();
// the component's delta must lie in [i2 - i1, o2 - o1]. That holds exactly,
// whatever the load of the machine, and the work gives the lower bound a
// meaning (">= 16,000 faults", ">= 8 MiB written").
//
// Coverage: PROOF_TEST(Suite, Name, "component", ...) defines a GoogleTest
// case and registers the components it proves; coverage_test.cc walks the
// table and fails on a row that no registered test proves.
#ifndef TIMEMORY_TESTS_COMPONENTS_PROOF_H
#define TIMEMORY_TESTS_COMPONENTS_PROOF_H

#include <gtest/gtest.h>

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <timemory/timemory.h>

namespace proof {

// ---------------------------------------------------------------- registry

// component name -> "Suite.Name" of the tests that prove it.
inline std::map<std::string, std::set<std::string>> &registry() {
    static std::map<std::string, std::set<std::string>> r;
    return r;
}

struct Register {
    Register(const char *suite, const char *name, std::initializer_list<const char *> components) {
        for (const char *c : components) registry()[c].insert(std::string(suite) + "." + name);
    }
};

#define PROOF_REG_(suite, name) proof_registration_##suite##_##name

// A GoogleTest case with a fixture that proves the listed components.
#define PROOF_TEST(suite, name, ...)                                                   \
    static const ::proof::Register PROOF_REG_(suite, name)(#suite, #name, {__VA_ARGS__}); \
    TEST_F(suite, name)

// ---------------------------------------------------------------- fixture

// Library initialised, no automatic output, recording on, empty storage.
class ProofTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_EQ(tm_init("component_proofs"), TM_OK);
        ASSERT_EQ(tm_settings_set("auto_output", "0"), TM_OK);
        ASSERT_EQ(tm_settings_set("enabled", "1"), TM_OK);
        tm_storage_reset();
    }
    void TearDown() override { tm_storage_reset(); }
};

// ---------------------------------------------------------------- independent readings

constexpr int64_t kMs = 1000000;  // ns
constexpr int64_t kMiB = 1 << 20;

inline int64_t clock_ns(clockid_t id) {
    struct timespec ts;
    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

inline int64_t tv_ns(const struct timeval &tv) { return (int64_t)tv.tv_sec * 1000000000 + (int64_t)tv.tv_usec * 1000; }

inline struct rusage rusage_of(int who) {
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    getrusage(who, &ru);
    return ru;
}

// Time the calling thread spent runnable but waiting for a CPU (ns), from
// /proc/thread-self/schedstat ("on-cpu-ns run-queue-wait-ns timeslices"),
// or -1 where the kernel does not provide it.
inline int64_t run_queue_wait_ns() {
    char buf[128];
    int fd = open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return -1;
    buf[n] = '\0';
    unsigned long long run = 0, wait = 0;
    return sscanf(buf, "%llu %llu", &run, &wait) == 2 ? (int64_t)wait : -1;
}

// Time stolen from this virtual machine by its hypervisor, all CPUs together
// (/proc/stat "steal", in USER_HZ ticks), in ns; 0 where not reported. The
// scheduler's CPU clocks exclude it (paravirt time accounting) while elapsed
// time and the perf task clock include it.
inline int64_t steal_ns() {
    char buf[256];
    int fd = open("/proc/stat", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return 0;
    buf[n] = '\0';
    unsigned long long v[8] = {0};
    if (sscanf(buf, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
               &v[7]) != 8)
        return 0;
    return (int64_t)v[7] * (1000000000 / sysconf(_SC_CLK_TCK));
}

// Steal observed between two readings plus one tick of the counter's
// granularity (a steal shorter than a tick may not show), on a machine that
// reports steal at all: a slack for comparisons of CPU time with elapsed time
// on a virtual machine. 0 on bare metal.
inline double steal_slack(int64_t before, int64_t after) {
    if (after <= 0) return 0.0;
    return (double)(after - before) + 1e9 / (double)sysconf(_SC_CLK_TCK);
}

// Clocks, rusage, run-queue wait and steal, read together.
struct Snap {
    int64_t mono, boot, raw, pcpu, tcpu, wait, steal;
    struct rusage self, thr;
};

inline Snap snap() {
    Snap s;
    s.mono = clock_ns(CLOCK_MONOTONIC);
    s.boot = clock_ns(CLOCK_BOOTTIME);
    s.raw = clock_ns(CLOCK_MONOTONIC_RAW);
    s.pcpu = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    s.tcpu = clock_ns(CLOCK_THREAD_CPUTIME_ID);
    s.self = rusage_of(RUSAGE_SELF);
    s.thr = rusage_of(RUSAGE_THREAD);
    s.wait = run_queue_wait_ns();
    s.steal = steal_ns();
    return s;
}

// "key: value" lines of a /proc file (value = first number after the colon);
// an empty map when the file is unreadable.
inline std::map<std::string, int64_t> proc_keyed(const char *path) {
    std::map<std::string, int64_t> out;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        size_t colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::istringstream rest(line.substr(colon + 1));
        int64_t v;
        if (rest >> v) out[line.substr(0, colon)] = v;
    }
    return out;
}

// /proc/self/status VmHWM, VmRSS, VmSize in bytes (the file says kB = KiB).
struct Status {
    int64_t hwm = -1, rss = -1, size = -1;
};
inline Status status() {
    auto m = proc_keyed("/proc/self/status");
    Status s;
    if (m.count("VmHWM")) s.hwm = m["VmHWM"] * 1024;
    if (m.count("VmRSS")) s.rss = m["VmRSS"] * 1024;
    if (m.count("VmSize")) s.size = m["VmSize"] * 1024;
    return s;
}

// /proc/self/io (rchar, wchar, read_bytes, write_bytes, ...).
inline std::map<std::string, int64_t> proc_io() { return proc_keyed("/proc/self/io"); }

// /proc/self/net/dev: bytes received plus sent, per interface and in total.
struct NetDev {
    bool ok = false;
    int64_t total = 0;
    std::map<std::string, int64_t> per_iface;
};
inline NetDev net_dev() {
    NetDev n;
    std::ifstream in("/proc/self/net/dev");
    std::string line;
    while (std::getline(in, line)) {
        size_t colon = line.find(':');
        if (colon == std::string::npos) continue;  // the two header lines
        std::string iface = line.substr(0, colon);
        iface.erase(0, iface.find_first_not_of(' '));
        std::istringstream f(line.substr(colon + 1));
        std::vector<int64_t> v;
        int64_t x;
        while (f >> x) v.push_back(x);
        if (v.size() < 9) continue;
        n.per_iface[iface] = v[0] + v[8];  // rx bytes (1st field) + tx bytes (9th)
        n.total += v[0] + v[8];
        n.ok = true;
    }
    return n;
}

// ---------------------------------------------------------------- work

// Busy user-mode loop for `ns` of wall time (CLOCK_MONOTONIC is in the vDSO,
// so the loop stays out of the kernel).
inline void spin_wall(int64_t ns) {
    volatile uint64_t sink = 0;
    const int64_t end = clock_ns(CLOCK_MONOTONIC) + ns;
    while (clock_ns(CLOCK_MONOTONIC) < end)
        for (int i = 0; i < 20000; ++i) sink = sink + (uint64_t)i;
}

// Busy loop until this thread has used `ns` of CPU time (load-independent).
inline void spin_thread_cpu(int64_t ns) {
    volatile uint64_t sink = 0;
    const int64_t end = clock_ns(CLOCK_THREAD_CPUTIME_ID) + ns;
    while (clock_ns(CLOCK_THREAD_CPUTIME_ID) < end)
        for (int i = 0; i < 200000; ++i) sink = sink + (uint64_t)i;
}

inline void sleep_ns(int64_t ns) {
    struct timespec ts = {(time_t)(ns / 1000000000), (long)(ns % 1000000000)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

// ---------------------------------------------------------------- component objects

// A component object owned by a test; init failures are test failures.
class Comp {
  public:
    explicit Comp(int id) : id_(id) {
        const tm_component_desc_t *d = tm_component_desc(id);
        name_ = d ? d->name : "?";
        rc_ = tm_component_init(&c_, id, ("proof/" + name_).c_str());
        EXPECT_EQ(rc_, TM_OK) << name_ << ": " << tm_last_error();
    }
    void start() { EXPECT_EQ(tm_component_start(&c_), TM_OK) << name_ << ": " << tm_last_error(); }
    void stop() { EXPECT_EQ(tm_component_stop(&c_), TM_OK) << name_ << ": " << tm_last_error(); }
    double raw() const { return tm_component_get_raw(&c_); }
    double get() const { return tm_component_get(&c_); }
    int id() const { return id_; }
    int rc() const { return rc_; }
    const std::string &name() const { return name_; }
    tm_component_t *obj() { return &c_; }

  private:
    tm_component_t c_;
    int id_;
    int rc_;
    std::string name_;
};

// Independent readings around a measured piece of work (see the header).
template <class S>
struct Window {
    S o1, i1, i2, o2;
};

template <class Read, class Work>
auto bracket(std::vector<Comp *> comps, Read read, Work work) -> Window<decltype(read())> {
    Window<decltype(read())> w;
    w.o1 = read();
    for (Comp *c : comps) c->start();
    w.i1 = read();
    work();
    w.i2 = read();
    for (auto it = comps.rbegin(); it != comps.rend(); ++it) (*it)->stop();
    w.o2 = read();
    return w;
}

// inner <= value <= outer, each side widened by `slack`.
inline ::testing::AssertionResult Bracketed(const std::string &what, double inner, double value, double outer,
                                            double slack = 0) {
    if (value >= inner - slack && value <= outer + slack) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << what << " = " << value << " is outside the independent bracket ["
                                         << inner << ", " << outer << "] (slack " << slack << ")";
}

// |a - b| <= abs_tol + rel_tol * |b|.
inline ::testing::AssertionResult Near(const std::string &what, double a, double b, double abs_tol,
                                       double rel_tol = 0) {
    double tol = abs_tol + rel_tol * (b < 0 ? -b : b);
    double d = a - b;
    if ((d < 0 ? -d : d) <= tol) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << what << " = " << a << " differs from the independent " << b << " by "
                                         << d << " (tolerance " << tol << ")";
}

// ---------------------------------------------------------------- files

// Writes `bytes` of a pattern to `path` (created/truncated); fsyncs when asked.
// Returns the fd (open, O_RDWR) or -1.
inline int write_file(const std::string &path, int64_t bytes, bool do_fsync) {
    int fd = open(path.c_str(), O_CREAT | O_RDWR | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return -1;
    std::vector<char> buf(kMiB, 'x');
    for (int64_t done = 0; done < bytes;) {
        size_t n = (size_t)std::min<int64_t>(bytes - done, kMiB);
        ssize_t w = write(fd, buf.data(), n);
        if (w <= 0) {
            close(fd);
            return -1;
        }
        done += w;
    }
    if (do_fsync && fsync(fd) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

// Reads the whole of fd from offset 0; returns the bytes read.
inline int64_t read_all(int fd) {
    std::vector<char> buf(kMiB);
    int64_t total = 0;
    ssize_t n;
    lseek(fd, 0, SEEK_SET);
    while ((n = pread(fd, buf.data(), buf.size(), total)) > 0) total += n;
    return total;
}

inline std::string scratch_dir() {
    const char *t = getenv("TEST_TMPDIR");
    return t && *t ? t : "/tmp";
}

// A directory where an fsync'd write raises /proc/self/io write_bytes (not
// tmpfs, not an overlay that hides it). `why_not` says why none was found.
struct StorageDir {
    std::string path;
    std::string why_not;
};

inline const StorageDir &storage_dir() {
    static const StorageDir found = [] {
        StorageDir r;
        std::vector<std::string> candidates;
        if (const char *t = getenv("TEST_TMPDIR")) candidates.push_back(t);
        candidates.push_back("/var/tmp");
        candidates.push_back("/tmp");
        if (const char *h = getenv("HOME")) candidates.push_back(h);
        candidates.push_back(".");
        if (proc_io().count("write_bytes") == 0) {
            r.why_not = "/proc/self/io has no write_bytes (kernel without task I/O accounting)";
            return r;
        }
        std::string tried;
        for (const std::string &dir : candidates) {
            std::string path = dir + "/proof_storage_probe." + std::to_string(getpid());
            int64_t before = proc_io()["write_bytes"];
            int fd = write_file(path, kMiB, true);
            int64_t after = proc_io()["write_bytes"];
            struct statfs sf;
            long fs = statfs(dir.c_str(), &sf) == 0 ? (long)sf.f_type : -1;
            if (fd >= 0) close(fd);
            unlink(path.c_str());
            if (fd >= 0 && after - before >= kMiB) {
                r.path = dir;
                return r;
            }
            std::ostringstream m;
            m << dir << " (filesystem magic 0x" << std::hex << fs << std::dec << ": "
              << (fd < 0 ? std::string("cannot write: ") + strerror(errno)
                         : "write_bytes rose by " + std::to_string(after - before) + " after a 1 MiB fsync'd write")
              << "); ";
            tried += m.str();
        }
        r.why_not = "no directory where fsync'd writes reach storage accounting (tmpfs/overlay?): tried " + tried;
        return r;
    }();
    return found;
}

// Drops the clean page cache of `fd` (after fsync) so reads go to storage.
inline void evict(int fd) {
    fdatasync(fd);
    posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
}

}  // namespace proof

#endif  // TIMEMORY_TESTS_COMPONENTS_PROOF_H
