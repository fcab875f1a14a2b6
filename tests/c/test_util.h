// Shared helpers for the C engine's GoogleTest suites: a per-thread fake wall
// clock (tm_testing_set_sampler) so statistics can be checked exactly, a
// fixture that resets the storage around every test, and RAII views of the
// flat and tree layouts with small search helpers.
#ifndef TIMEMORY_TESTS_C_TEST_UTIL_H
#define TIMEMORY_TESTS_C_TEST_UTIL_H

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include <timemory/testing.h>
#include <timemory/timemory.h>

namespace tmtest {

constexpr int64_t kSec = 1000000000;  // raw wall_clock units (ns) per second

// Each thread has its own fake clock, so concurrent threads stay exact.
inline thread_local int64_t fake_now_ns = 0;

inline void fake_wall_clock(int64_t out[2]) {
    out[0] = fake_now_ns;
    out[1] = 0;
}

// Moves the calling thread's fake clock forward.
inline void advance_ns(int64_t ns) { fake_now_ns += ns; }
inline void advance_sec(int64_t s) { fake_now_ns += s * kSec; }

// Every test starts from empty storage, default settings that matter, no
// automatic output and the fake wall clock; it ends by restoring all that.
class EngineTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_EQ(tm_init("tests"), TM_OK);
        ASSERT_EQ(tm_settings_set("auto_output", "0"), TM_OK);
        ASSERT_EQ(tm_settings_set("enabled", "1"), TM_OK);
        ASSERT_EQ(tm_settings_set("components", "wall_clock"), TM_OK);
        ASSERT_EQ(tm_settings_set("timing_units", "sec"), TM_OK);
        ASSERT_EQ(tm_settings_set("precision", "3"), TM_OK);
        ASSERT_EQ(tm_settings_set("width", "8"), TM_OK);
        ASSERT_EQ(tm_testing_set_sampler(TM_WALL_CLOCK, fake_wall_clock), TM_OK);
        tm_storage_reset();
        fake_now_ns = 0;
    }
    void TearDown() override {
        tm_storage_reset();
        tm_testing_set_sampler(TM_WALL_CLOCK, nullptr);
        tm_settings_set("components", "wall_clock");
        tm_settings_set("timing_units", "sec");
        tm_settings_set("precision", "3");
        tm_settings_set("width", "8");
        tm_settings_set("enabled", "1");
    }
};

// Owns a tm_flat_t snapshot.
class Flat {
  public:
    explicit Flat(int component = TM_WALL_CLOCK) {
        rc_ = tm_flat_get(component, &flat_);
    }
    ~Flat() {
        if (flat_) tm_flat_free(flat_);
    }
    Flat(const Flat &) = delete;
    Flat &operator=(const Flat &) = delete;

    int rc() const { return rc_; }
    size_t size() const { return flat_ ? flat_->size : 0; }
    const tm_flat_entry_t &operator[](size_t i) const { return flat_->entries[i]; }

    // Entries whose label is `label` (all threads), in layout order.
    std::vector<const tm_flat_entry_t *> all(const std::string &label) const {
        std::vector<const tm_flat_entry_t *> out;
        for (size_t i = 0; i < size(); ++i)
            if (flat_->entries[i].label && label == flat_->entries[i].label)
                out.push_back(&flat_->entries[i]);
        return out;
    }
    // The only entry labelled `label`, or nullptr (and a failure) otherwise.
    const tm_flat_entry_t *one(const std::string &label) const {
        auto v = all(label);
        EXPECT_EQ(v.size(), 1u) << "flat entries labelled '" << label << "'";
        return v.size() == 1 ? v[0] : nullptr;
    }
    std::vector<std::string> labels() const {
        std::vector<std::string> out;
        for (size_t i = 0; i < size(); ++i)
            out.push_back(flat_->entries[i].label ? flat_->entries[i].label : "<null>");
        return out;
    }

  private:
    tm_flat_t *flat_ = nullptr;
    int rc_ = TM_OK;
};

// Owns a tm_tree_t snapshot.
class Tree {
  public:
    explicit Tree(int component = TM_WALL_CLOCK) { rc_ = tm_tree_get(component, &tree_); }
    ~Tree() {
        if (tree_) tm_tree_free(tree_);
    }
    Tree(const Tree &) = delete;
    Tree &operator=(const Tree &) = delete;

    int rc() const { return rc_; }
    size_t n_roots() const { return tree_ ? tree_->n_roots : 0; }
    const tm_tree_node_t &root(size_t i = 0) const { return tree_->roots[i]; }

    // Every node, depth-first.
    std::vector<const tm_tree_node_t *> nodes() const {
        std::vector<const tm_tree_node_t *> out;
        for (size_t i = 0; i < n_roots(); ++i) collect(&tree_->roots[i], out);
        return out;
    }
    // Non-dummy nodes labelled `label`.
    std::vector<const tm_tree_node_t *> all(const std::string &label) const {
        std::vector<const tm_tree_node_t *> out;
        for (auto *n : nodes())
            if (!n->is_dummy && n->label && label == n->label) out.push_back(n);
        return out;
    }
    const tm_tree_node_t *one(const std::string &label) const {
        auto v = all(label);
        EXPECT_EQ(v.size(), 1u) << "tree nodes labelled '" << label << "'";
        return v.size() == 1 ? v[0] : nullptr;
    }

  private:
    static void collect(const tm_tree_node_t *n, std::vector<const tm_tree_node_t *> &out) {
        out.push_back(n);
        for (size_t i = 0; i < n->n_children; ++i) collect(&n->children[i], out);
    }
    tm_tree_t *tree_ = nullptr;
    int rc_ = TM_OK;
};

// Non-dummy children of `n`, looking through dummy children (fork bookmarks).
inline std::vector<const tm_tree_node_t *> real_children(const tm_tree_node_t *n) {
    std::vector<const tm_tree_node_t *> out;
    for (size_t i = 0; i < n->n_children; ++i) {
        const tm_tree_node_t *c = &n->children[i];
        if (c->is_dummy) {
            auto sub = real_children(c);
            out.insert(out.end(), sub.begin(), sub.end());
        } else {
            out.push_back(c);
        }
    }
    return out;
}

inline std::set<uint32_t> tid_set(const tm_tree_node_t *n) {
    return std::set<uint32_t>(n->tids, n->tids + n->n_tids);
}

inline std::set<uint32_t> range_set(uint32_t lo, uint32_t hi_exclusive) {
    std::set<uint32_t> s;
    for (uint32_t i = lo; i < hi_exclusive; ++i) s.insert(i);
    return s;
}

// Records one region `name` that lasts `sec` fake seconds on this thread.
inline void timed_region(const char *name, int64_t sec) {
    ASSERT_EQ(tm_push_region(name), TM_OK);
    advance_sec(sec);
    ASSERT_EQ(tm_pop_region(name), TM_OK);
}

// Checks every statistic of `s` (display units) to the last digit (4 ulps).
// The sum of squares gets 1e-13 relative: squares of nanosecond counts pass
// 2^53 after a few dozen multi-second samples, so their running sum rounds.
#define EXPECT_STATS(s, cnt, sm, mn, mx, sq)                          \
    do {                                                               \
        const tm_stats_t &st_ = (s);                                   \
        const double sq_ = (sq);                                       \
        EXPECT_EQ(st_.count, static_cast<uint64_t>(cnt));              \
        EXPECT_DOUBLE_EQ(st_.sum, (sm));                               \
        EXPECT_DOUBLE_EQ(st_.min, (mn));                               \
        EXPECT_DOUBLE_EQ(st_.max, (mx));                               \
        EXPECT_NEAR(st_.sqr, sq_, 1e-13 * (sq_ < 0 ? -sq_ : sq_)) << "sqr"; \
    } while (0)

// Names of every component (table order) that `text` does not mention.
inline std::string components_missing_from(const std::string &text) {
    std::string missing;
    for (int id = 0; id < tm_component_count(); ++id) {
        const char *name = tm_component_desc(id)->name;
        if (text.find(name) == std::string::npos) missing += std::string(missing.empty() ? "" : ", ") + name;
    }
    return missing;
}

inline std::string last_error() {
    const char *e = tm_last_error();
    return e ? e : "";
}

}  // namespace tmtest

#endif  // TIMEMORY_TESTS_C_TEST_UTIL_H
