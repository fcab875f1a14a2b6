// The flat view of deep graphs: a chain's entries share hierarchy arrays
// (no per-entry copy), parent links, prefixes capped past
// TM_FLAT_PREFIX_DEPTH levels, tm_flat_format_prefix for the full form; the
// tree view at a depth a recursive walk could not reach.
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <timemory/serialize.h>

#include "tests/c/test_util.h"

namespace {

using tmtest::EngineTest;
using tmtest::Flat;

class DeepFlat : public EngineTest {};

std::string full_prefix(int64_t depth, const char *label) {
    int n = tm_flat_format_prefix(depth, label, nullptr, 0);
    std::string s(static_cast<size_t>(n) + 1, '\0');
    tm_flat_format_prefix(depth, label, &s[0], s.size());
    s.resize(static_cast<size_t>(n));
    return s;
}

TEST_F(DeepFlat, ChainSharesOneHierarchyAndLinksParents) {
    const int depth = 20000;
    tm_region_t r = tm_region("rec");
    for (int i = 0; i < depth; ++i) tm_region_begin(r);
    for (int i = 0; i < depth; ++i) tm_region_end(r);
    Flat flat;
    ASSERT_EQ(flat.size(), static_cast<size_t>(depth));
    const uint64_t h = flat[0].hash;
    for (size_t d : {size_t{0}, size_t{1}, size_t{63}, size_t{64}, size_t{65}, size_t{depth - 1}}) {
        const tm_flat_entry_t &e = flat[d];
        EXPECT_EQ(e.depth, static_cast<int64_t>(d));
        ASSERT_EQ(e.hierarchy_len, d + 1);
        for (size_t k = 0; k <= d; ++k) ASSERT_EQ(e.hierarchy[k], h) << d << " " << k;
        EXPECT_EQ(e.parent, d) << "1 + index of the entry above";
    }
    // a chain extends its array in place and moves to one twice the size
    // when it is full: O(log depth) arrays in all, not one per entry
    std::set<const uint64_t *> arrays;
    for (size_t i = 0; i < flat.size(); ++i) arrays.insert(flat[i].hierarchy);
    EXPECT_LE(arrays.size(), 16u);
    EXPECT_STREQ(flat[2].prefix, ">>>   |_rec");
    EXPECT_EQ(std::string(flat[64].prefix), full_prefix(64, "rec"));
    EXPECT_STREQ(flat[65].prefix, ">>> (depth 65) |_rec");
    EXPECT_EQ(full_prefix(65, "rec"), ">>> " + std::string(128, ' ') + "|_rec");
    EXPECT_STREQ(flat[depth - 1].prefix, ">>> (depth 19999) |_rec");
}

// tm_tree_get() and tm_tree_free() walk without recursion: 100,000 levels
// on the default stack (a recursive walk overflowed it near 20,000).
TEST_F(DeepFlat, TreeViewOfAHundredThousandLevels) {
    const int depth = 100000;
    tm_region_t r = tm_region("rec");
    for (int i = 0; i < depth; ++i) tm_region_begin(r);
    for (int i = 0; i < depth; ++i) tm_region_end(r);
    tm_tree_t *tree = nullptr;
    ASSERT_EQ(tm_tree_get(TM_WALL_CLOCK, &tree), TM_OK);
    ASSERT_EQ(tree->n_roots, 1u);
    const tm_tree_node_t *n = &tree->roots[0];
    EXPECT_TRUE(n->is_dummy);
    int levels = 0;
    while (n->n_children == 1) {
        n = &n->children[0];
        ASSERT_EQ(n->depth, levels);
        ASSERT_EQ(n->inclusive.stats.count, 1u);
        ++levels;
    }
    EXPECT_EQ(levels, depth);
    tm_tree_free(tree);
}

TEST_F(DeepFlat, SiblingsGetTheirOwnCorrectPaths) {
    tm_region_t a = tm_region("a"), b = tm_region("b"), c = tm_region("c");
    tm_region_begin(a);
    tm_region_begin(b);
    tm_region_begin(c);
    tm_region_end(c);
    tm_region_end(b);
    tm_region_begin(c);
    tm_region_begin(b);
    tm_region_end(b);
    tm_region_end(c);
    tm_region_end(a);
    Flat flat;
    ASSERT_EQ(flat.size(), 5u);
    std::vector<std::vector<std::string>> paths;
    for (size_t i = 0; i < flat.size(); ++i) {
        std::vector<std::string> p;
        for (size_t k = 0; k < flat[i].hierarchy_len; ++k)
            p.push_back(flat[i].hierarchy[k] == flat[0].hash   ? "a"
                        : flat[i].hierarchy[k] == flat[1].hash ? "b"
                                                               : "c");
        paths.push_back(p);
    }
    using V = std::vector<std::string>;
    EXPECT_EQ(paths, (std::vector<V>{V{"a"}, V{"a", "b"}, V{"a", "b", "c"}, V{"a", "c"}, V{"a", "c", "b"}}));
    EXPECT_EQ(flat[3].parent, 1u);
    EXPECT_EQ(flat[4].parent, 4u);
    EXPECT_STREQ(flat[4].prefix, ">>>   |_b");
}

// A profile's flat layout (tm_profile_flat, what a loaded JSON file gives)
// matches the live one entry by entry, parent links included, and shares
// hierarchy arrays along chains the same way.
TEST_F(DeepFlat, ProfileFlatSharesAndLinksLikeTheLiveView) {
    const int depth = 6000;
    tm_region_t r = tm_region("rec"), side = tm_region("side");
    for (int i = 0; i < depth; ++i) {
        tm_region_begin(r);
        if (i % 1500 == 1499) {  // a branch off the chain now and then
            tm_region_begin(side);
            tm_region_end(side);
        }
    }
    for (int i = 0; i < depth; ++i) tm_region_end(r);
    std::thread([&] {  // a second thread, so threads' records stay apart
        tm_region_begin(side);
        tm_region_end(side);
    }).join();
    tm_profile_t *p = nullptr;
    ASSERT_EQ(tm_profile_capture(TM_WALL_CLOCK, &p), TM_OK);
    tm_flat_t *loaded = nullptr;
    ASSERT_EQ(tm_profile_flat(p, &loaded), TM_OK) << tmtest::last_error();
    Flat live;
    ASSERT_EQ(loaded->size, live.size());
    std::set<const uint64_t *> arrays;
    for (size_t i = 0; i < live.size(); ++i) {
        const tm_flat_entry_t &a = live[i], &b = loaded->entries[i];
        ASSERT_EQ(a.tid, b.tid) << i;
        ASSERT_EQ(a.hash, b.hash) << i;
        ASSERT_EQ(a.parent, b.parent) << i;
        ASSERT_STREQ(a.prefix, b.prefix) << i;
        ASSERT_EQ(std::vector<uint64_t>(a.hierarchy, a.hierarchy + a.hierarchy_len),
                  std::vector<uint64_t>(b.hierarchy, b.hierarchy + b.hierarchy_len))
            << i;
        arrays.insert(b.hierarchy);
    }
    EXPECT_LE(arrays.size(), 64u) << "O(log depth) arrays per branch, not one per entry";
    tm_flat_free(loaded);
    tm_profile_free(p);
}

}  // namespace
