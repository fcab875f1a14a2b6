// fork(): the child starts with empty storage of its own (tid 0, new pid),
// even while another thread of the parent is inside a region and interning
// labels (no lock is inherited held); the parent's data is untouched; a
// child's files carry its pid while the parent keeps the plain names, and
// the two files merge into one tree with both pids.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <thread>

#include <timemory/serialize.h>
#include <timemory/timemory.h>

namespace {

std::string out_dir(const char *name) {
    const char *tmp = std::getenv("TEST_TMPDIR");
    return std::string(tmp ? tmp : "/tmp") + "/" + name;
}

// Flat entries of wall_clock: (label, tid, pid, count).
struct Entry {
    std::string label;
    uint32_t tid;
    int64_t pid;
    uint64_t count;
};

std::vector<Entry> flat_entries() {
    tm_flat_t *flat = nullptr;
    std::vector<Entry> out;
    if (tm_flat_get(TM_WALL_CLOCK, &flat) != TM_OK) return out;
    for (size_t i = 0; i < flat->size; ++i) {
        const tm_flat_entry_t &e = flat->entries[i];
        out.push_back({e.label, e.tid, e.pid, e.inclusive.stats.count});
    }
    tm_flat_free(flat);
    return out;
}

// In the child: 0 when its storage starts empty and records as tid 0 of its
// own pid; a distinct exit code per failed check otherwise.
int child_checks() {
    alarm(20);  // a lock inherited held would hang here: fail, do not hang
    if (tm_settings_set("precision", "5") != TM_OK) return 6;
    if (!flat_entries().empty()) return 2;
    if (tm_push_region("child_region") != TM_OK || tm_pop_region("child_region") != TM_OK) return 3;
    std::vector<Entry> e = flat_entries();
    if (e.size() != 1 || e[0].label != "child_region" || e[0].tid != 0 || e[0].pid != getpid() || e[0].count != 1)
        return 4;
    std::thread t([] { tm_push_region("child_thread"); tm_pop_region("child_thread"); });
    t.join();
    std::set<uint32_t> tids;
    for (const Entry &x : flat_entries()) tids.insert(x.tid);
    return tids == std::set<uint32_t>{0, 1} ? 0 : 5;
}

class ForkTest : public ::testing::Test {
  protected:
    void SetUp() override {
        tm_init("fork_test");
        tm_settings_set("auto_output", "0");
        tm_settings_set("cout_output", "0");
        tm_settings_set("components", "wall_clock");
        tm_storage_reset();
    }
    void TearDown() override { tm_storage_reset(); }
};

TEST_F(ForkTest, ChildStartsEmptyWhileAnotherThreadRecords) {
    for (int i = 0; i < 3; ++i) {
        ASSERT_EQ(tm_push_region("parent_region"), TM_OK);
        ASSERT_EQ(tm_pop_region("parent_region"), TM_OK);
    }
    std::atomic<bool> stop{false}, warm{false};
    ASSERT_EQ(tm_settings_set("timeline_profile", "1"), TM_OK);  // the timeline's lock too
    std::thread busy([&] {
        for (unsigned n = 0; !stop.load(); ++n) {
            tm_settings_set("precision", n % 2 ? "3" : "4");      // the settings lock
            std::string name = "busy_" + std::to_string(n % 64);  // the label lock (interned by name)
            tm_push_region("busy");
            tm_push_region(name.c_str());
            tm_pop_region(name.c_str());
            tm_pop_region("busy");
            if (n == 256) warm = true;
        }
    });
    // Fork once the busy thread's start-up allocations (registration, graph,
    // labels) are done: under ASan the sanitizer's own allocator is not
    // fork-safe (GCC 12's libasan takes no lock around fork()), so a child
    // forked while that thread is inside malloc can hang in its first malloc.
    // glibc's malloc is fork-safe; the engine's locks are still held and
    // taken throughout (settings, labels, timeline growth).
    while (!warm.load()) std::this_thread::yield();
    ASSERT_EQ(tm_push_region("open_at_fork"), TM_OK);
    for (int k = 0; k < 20; ++k) {
        pid_t pid = fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) _exit(child_checks());
        int status = 0;
        ASSERT_EQ(waitpid(pid, &status, 0), pid);
        ASSERT_TRUE(WIFEXITED(status)) << "child " << k << " killed by signal " << WTERMSIG(status);
        ASSERT_EQ(WEXITSTATUS(status), 0) << "child " << k;
    }
    ASSERT_EQ(tm_pop_region("open_at_fork"), TM_OK);
    stop = true;
    busy.join();
    tm_settings_set("timeline_profile", "0");
    tm_settings_set("precision", "3");
    uint64_t parent_count = 0;
    for (const Entry &e : flat_entries()) {
        EXPECT_EQ(e.pid, getpid()) << e.label;
        EXPECT_NE(e.label, "child_region");
        if (e.label == "parent_region") parent_count += e.count;
    }
    EXPECT_EQ(parent_count, 3u);
}

tm_profile_t *load(const std::string &path) {
    tm_profile_t *p = nullptr;
    EXPECT_EQ(tm_profile_load(path.c_str(), &p), TM_OK) << tm_last_error();
    return p;
}

TEST_F(ForkTest, ChildFilesCarryPidAndMergeWithParent) {
    std::string dir = out_dir("fork_files");
    ASSERT_EQ(tm_settings_set("output_path", dir.c_str()), TM_OK);
    ASSERT_EQ(tm_settings_set("auto_output", "1"), TM_OK);
    ASSERT_EQ(tm_push_region("before_fork"), TM_OK);
    ASSERT_EQ(tm_pop_region("before_fork"), TM_OK);
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        tm_push_region("child_region");
        tm_pop_region("child_region");
        _exit(tm_finalize() == TM_OK ? 0 : 1);
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    ASSERT_EQ(tm_push_region("parent_region"), TM_OK);
    ASSERT_EQ(tm_pop_region("parent_region"), TM_OK);
    ASSERT_EQ(tm_finalize(), TM_OK) << tm_last_error();
    tm_settings_set("auto_output", "0");

    std::string child_path = dir + "/wall_clock.pid" + std::to_string(child) + ".json";
    tm_profile_t *mine = load(dir + "/wall_clock.json"), *theirs = load(child_path);
    ASSERT_TRUE(mine && theirs);
    struct stat st;
    EXPECT_EQ(stat((dir + "/wall_clock.pid" + std::to_string(child) + ".txt").c_str(), &st), 0);
    EXPECT_EQ(tm_profile_info(mine)->pid, getpid());
    EXPECT_STREQ(tm_profile_info(mine)->file_suffix, "");
    EXPECT_EQ(tm_profile_info(theirs)->pid, child);
    EXPECT_EQ(std::string(tm_profile_info(theirs)->file_suffix), ".pid" + std::to_string(child));
    ASSERT_EQ(tm_profile_merge(mine, theirs), TM_OK);
    tm_flat_t *flat = nullptr;
    ASSERT_EQ(tm_profile_flat(mine, &flat), TM_OK);
    std::set<std::pair<std::string, int64_t>> seen;
    for (size_t i = 0; i < flat->size; ++i) seen.insert({flat->entries[i].label, flat->entries[i].pid});
    tm_flat_free(flat);
    std::set<std::pair<std::string, int64_t>> want = {
        {"before_fork", getpid()}, {"parent_region", getpid()}, {"child_region", child}};
    EXPECT_EQ(seen, want);  // the child did not copy "before_fork"
    EXPECT_EQ(tm_profile_info(mine)->thread_count, 2u);
    tm_profile_free(mine);
    tm_profile_free(theirs);
}

// "First" is the process holding <output_path>/.timemory-owner: a claim
// left by an exited process is taken over, a live one's is respected.
TEST_F(ForkTest, OwnerClaimOfLiveAndExitedProcesses) {
    std::string dir = out_dir("claims");
    mkdir(dir.c_str(), 0777);
    ASSERT_EQ(tm_settings_set("output_path", dir.c_str()), TM_OK);
    ASSERT_EQ(tm_settings_set("auto_output", "1"), TM_OK);
    char host[256] = "";
    gethostname(host, sizeof host);
    pid_t sleeper = fork();
    ASSERT_GE(sleeper, 0);
    if (sleeper == 0) {
        pause();
        _exit(0);
    }
    FILE *f = std::fopen((dir + "/.timemory-owner").c_str(), "w");
    std::fprintf(f, "%d %s\n", (int)sleeper, host);
    std::fclose(f);
    tm_push_region("r");
    tm_pop_region("r");
    ASSERT_EQ(tm_finalize(), TM_OK);
    struct stat st;
    std::string suffixed = dir + "/wall_clock.pid" + std::to_string(getpid()) + ".json";
    EXPECT_EQ(stat(suffixed.c_str(), &st), 0) << "a live owner keeps the plain names";
    EXPECT_NE(stat((dir + "/wall_clock.json").c_str(), &st), 0);
    kill(sleeper, SIGKILL);
    waitpid(sleeper, nullptr, 0);
    ASSERT_EQ(tm_finalize(), TM_OK);
    EXPECT_EQ(stat((dir + "/wall_clock.json").c_str(), &st), 0) << "an exited owner's claim is taken over";
    tm_settings_set("auto_output", "0");
}

}  // namespace
