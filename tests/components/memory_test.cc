// Memory components against /proc/self/status (VmHWM, VmRSS, VmSize) and
// getrusage page-fault counts read directly: touching 64 MiB of fresh memory,
// mapping 64 MiB without touching it, and faulting in an evicted file.
#include <sys/mman.h>

#include "tests/components/proof.h"

namespace {

using namespace proof;

class Memory : public ProofTest {};

// ThreadSanitizer maps shadow memory for every application page touched, so
// touching 64 MiB raises RSS by several times that; the components still
// agree with /proc/self/status, but the absolute sizes are lower bounds only.
#if defined(__SANITIZE_THREAD__)
constexpr bool kShadowedMemory = true;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
constexpr bool kShadowedMemory = true;
#else
constexpr bool kShadowedMemory = false;
#endif
#else
constexpr bool kShadowedMemory = false;
#endif

// `v` is `expected` within `tol`, or at least `expected - tol` under TSan.
::testing::AssertionResult SizeIs(const std::string &what, double v, double expected, double tol) {
    if (!kShadowedMemory) return Near(what, v, expected, tol);
    if (expected >= 0 ? v >= expected - tol : v <= expected + tol) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << what << " = " << v << " is not beyond " << expected << " (TSan build)";
}

struct MemSnap {
    Status st;
    struct rusage ru;
};
MemSnap mem_snap() { return {status(), rusage_of(RUSAGE_SELF)}; }

// Resets the peak RSS to the current RSS (Linux >= 4.0), so the 64 MiB that
// follows raises the high-water mark by the full 64 MiB.
bool reset_peak_rss() {
    int fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
    if (fd < 0) return false;
    bool ok = write(fd, "5", 1) == 1;
    close(fd);
    return ok;
}

// Fresh anonymous memory in 4 KiB pages (no transparent huge pages).
char *map_fresh(size_t bytes) {
    void *p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return nullptr;
    madvise(p, bytes, MADV_NOHUGEPAGE);
    return static_cast<char *>(p);
}

// Touching 64 MiB of fresh memory: >= 16,000 minor faults, RSS and its peak
// grow by 64 MiB (67.1 MB), as /proc/self/status says; the peak at the end is
// VmHWM; unmapping it gives the RSS back (a negative DELTA).
PROOF_TEST(Memory, TouchingFreshMemory, "peak_rss", "page_rss", "num_minor_page_faults", "current_peak_rss") {
    const size_t kBytes = 64 * kMiB;
    const bool reset = reset_peak_rss();
    Comp peak(TM_PEAK_RSS), page(TM_PAGE_RSS), minflt(TM_NUM_MINOR_PAGE_FAULTS), cur_peak(TM_CURRENT_PEAK_RSS);
    ASSERT_GE(status().hwm, 0) << "/proc/self/status has no VmHWM";
    char *p = nullptr;
    auto w = bracket({&peak, &page, &minflt, &cur_peak}, mem_snap, [&] {
        p = map_fresh(kBytes);
        if (p) memset(p, 1, kBytes);
    });
    ASSERT_NE(p, nullptr) << "mmap of 64 MiB failed: " << strerror(errno);

    // Independent brackets (2 MiB slack: the kernel's RSS counters are per-CPU
    // approximations, and ru_maxrss also covers the pre-exec image).
    EXPECT_TRUE(Bracketed("num_minor_page_faults", (double)(w.i2.ru.ru_minflt - w.i1.ru.ru_minflt), minflt.raw(),
                          (double)(w.o2.ru.ru_minflt - w.o1.ru.ru_minflt)));
    EXPECT_TRUE(Bracketed("peak_rss", (double)(w.i2.st.hwm - w.i1.st.hwm), peak.raw(),
                          (double)(w.o2.st.hwm - w.o1.st.hwm), 2.0 * kMiB));
    EXPECT_TRUE(Near("page_rss vs VmRSS delta", page.raw(), (double)(w.o2.st.rss - w.o1.st.rss), 2.0 * kMiB));
    // current_peak_rss is VmHWM at the end: between VmHWM just before stop()
    // and just after it.
    EXPECT_TRUE(Bracketed("current_peak_rss", (double)w.i2.st.hwm, cur_peak.raw(), (double)w.o2.st.hwm, 1.0 * kMiB));
    EXPECT_TRUE(Near("current_peak_rss vs final VmHWM", cur_peak.raw(), (double)w.o2.st.hwm, 1.0 * kMiB));

    // What 64 MiB of touched 4 KiB pages must do.
    EXPECT_GE(minflt.raw(), 16000.0);
    EXPECT_TRUE(SizeIs("page_rss", page.raw(), (double)kBytes, 4.0 * kMiB)) << "64 MiB = 67.1 MB";
    // The peak grows by what RSS exceeds the old peak by (all of it when the
    // peak could be reset first).
    const double expected_growth = std::max<double>(0, (double)(w.i1.st.rss + (int64_t)kBytes - w.i1.st.hwm));
    EXPECT_TRUE(SizeIs("peak_rss vs predicted growth", peak.raw(), expected_growth, 4.0 * kMiB));
    if (reset) {
        EXPECT_TRUE(SizeIs("peak_rss", peak.raw(), (double)kBytes, 4.0 * kMiB)) << "64 MiB = 67.1 MB";
    }
    EXPECT_GE(cur_peak.raw(), (double)kBytes);

    // Unmapping lowers the RSS by 64 MiB but not its peak.
    Comp page_down(TM_PAGE_RSS), peak_down(TM_PEAK_RSS);
    auto w2 = bracket({&page_down, &peak_down}, mem_snap, [&] { munmap(p, kBytes); });
    EXPECT_TRUE(Near("page_rss after munmap vs VmRSS delta", page_down.raw(), (double)(w2.o2.st.rss - w2.o1.st.rss),
                     2.0 * kMiB));
    EXPECT_TRUE(SizeIs("page_rss after munmap", page_down.raw(), -(double)kBytes, 4.0 * kMiB));
    EXPECT_TRUE(Near("peak_rss after munmap", peak_down.raw(), 0.0, 1.0 * kMiB));
}

// Mapping 64 MiB without touching it: the virtual size grows by 64 MiB as
// VmSize says, and shrinks by as much at munmap.
PROOF_TEST(Memory, VirtualMemoryFollowsMmap, "virtual_memory") {
    const size_t kBytes = 64 * kMiB;
    Comp up(TM_VIRTUAL_MEMORY), down(TM_VIRTUAL_MEMORY);
    void *p = MAP_FAILED;
    auto w = bracket({&up}, status, [&] {
        p = mmap(nullptr, kBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    });
    ASSERT_NE(p, MAP_FAILED) << strerror(errno);
    auto w2 = bracket({&down}, status, [&] { munmap(p, kBytes); });
    ASSERT_GE(w.o1.size, 0) << "/proc/self/status has no VmSize";
    EXPECT_TRUE(Near("virtual_memory vs VmSize delta (mmap)", up.raw(), (double)(w.o2.size - w.o1.size), 1.0 * kMiB));
    EXPECT_TRUE(Near("virtual_memory vs VmSize delta (munmap)", down.raw(), (double)(w2.o2.size - w2.o1.size),
                     1.0 * kMiB));
    EXPECT_TRUE(Near("virtual_memory (mmap)", up.raw(), (double)kBytes, 2.0 * kMiB));
    EXPECT_TRUE(Near("virtual_memory (munmap)", down.raw(), -(double)kBytes, 2.0 * kMiB));
}

// Faulting in a file whose pages were evicted from the page cache needs I/O:
// a major fault, as getrusage ru_majflt says.
PROOF_TEST(Memory, MajorFaultsNeedIo, "num_major_page_faults") {
    const StorageDir &sd = storage_dir();
    const std::string dir = sd.path.empty() ? scratch_dir() : sd.path;
    const std::string path = dir + "/proof_majflt." + std::to_string(getpid());
    const size_t kBytes = 8 * kMiB;
    int fd = write_file(path, (int64_t)kBytes, true);
    ASSERT_GE(fd, 0) << path << ": " << strerror(errno);
    unlink(path.c_str());
    evict(fd);
    char *m = static_cast<char *>(mmap(nullptr, kBytes, PROT_READ, MAP_SHARED, fd, 0));
    close(fd);
    ASSERT_NE(m, MAP_FAILED) << strerror(errno);
    Comp majflt(TM_NUM_MAJOR_PAGE_FAULTS);
    volatile char sink = 0;
    auto w = bracket({&majflt}, [] { return rusage_of(RUSAGE_SELF); }, [&] {
        for (size_t i = 0; i < kBytes; i += 4096) sink = sink + m[i];
    });
    munmap(m, kBytes);
    EXPECT_TRUE(Bracketed("num_major_page_faults", (double)(w.i2.ru_majflt - w.i1.ru_majflt), majflt.raw(),
                          (double)(w.o2.ru_majflt - w.o1.ru_majflt)));
    if (w.o2.ru_majflt == w.o1.ru_majflt)
        GTEST_SKIP() << "the page cache of " << path << " could not be evicted (posix_fadvise DONTNEED), so no major "
                     << "fault happened; the component agreed (0). " << sd.why_not;
    EXPECT_GE(majflt.raw(), 1.0);
}

}  // namespace
