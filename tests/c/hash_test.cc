// Hashes, rolling hashes, hierarchy and prefixes of the flat and tree views.
#include "tests/c/test_util.h"

namespace {

using tmtest::advance_sec;
using tmtest::EngineTest;
using tmtest::Flat;
using tmtest::Tree;

class Hashes : public EngineTest {};

TEST(HashString, IsFnv1a64) {
    // Reference vectors of 64-bit FNV-1a.
    EXPECT_EQ(tm_hash_string(""), 0xcbf29ce484222325ULL);
    EXPECT_EQ(tm_hash_string("a"), 0xaf63dc4c8601ec8cULL);
    EXPECT_EQ(tm_hash_string("foobar"), 0x85944171f73967e8ULL);
}

TEST(RegionHandle, IsInternedAndCarriesNameAndHash) {
    tm_region_t a = tm_region("interned");
    tm_region_t b = tm_region(std::string("interned").c_str());
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a, b) << "the same label gives the same handle";
    EXPECT_STREQ(tm_region_name(a), "interned");
    EXPECT_EQ(tm_region_hash(a), tm_hash_string("interned"));
    EXPECT_NE(tm_region("other"), a);
}

TEST(RegionHandle, NullOrEmptyNameFailsWithMessage) {
    EXPECT_EQ(tm_region(nullptr), nullptr);
    EXPECT_EQ(tm_region(""), nullptr);
    EXPECT_FALSE(tmtest::last_error().empty());
}

TEST_F(Hashes, FlatEntriesCarryHashRollingHashAndHierarchy) {
    ASSERT_EQ(tm_push_region("foo"), TM_OK);
    ASSERT_EQ(tm_push_region("bar"), TM_OK);
    ASSERT_EQ(tm_push_region("baz"), TM_OK);
    advance_sec(1);
    ASSERT_EQ(tm_pop_region("baz"), TM_OK);
    ASSERT_EQ(tm_pop_region("bar"), TM_OK);
    ASSERT_EQ(tm_pop_region("foo"), TM_OK);

    const uint64_t h[3] = {tm_hash_string("foo"), tm_hash_string("bar"), tm_hash_string("baz")};
    Flat flat;
    ASSERT_EQ(flat.size(), 3u);
    uint64_t rolling = 0;
    for (size_t i = 0; i < 3; ++i) {
        const tm_flat_entry_t &e = flat[i];
        rolling += h[i];  // wraps modulo 2^64
        EXPECT_EQ(e.hash, h[i]) << e.label;
        EXPECT_EQ(e.rolling_hash, rolling) << e.label;
        ASSERT_EQ(e.hierarchy_len, i + 1) << e.label;
        for (size_t k = 0; k <= i; ++k) EXPECT_EQ(e.hierarchy[k], h[k]) << e.label << " level " << k;
    }
}

TEST_F(Hashes, RollingHashWrapsModulo2To64) {
    // Two labels whose hashes both have the top bit set: their sum overflows.
    std::vector<std::string> big;
    for (int i = 0; big.size() < 2 && i < 10000; ++i) {
        std::string s = "label" + std::to_string(i);
        if (tm_hash_string(s.c_str()) >> 63) big.push_back(s);
    }
    ASSERT_EQ(big.size(), 2u);
    const uint64_t h1 = tm_hash_string(big[0].c_str());
    const uint64_t h2 = tm_hash_string(big[1].c_str());
    ASSERT_LT(h1 + h2, h1) << "the test needs an overflowing sum";

    ASSERT_EQ(tm_push_region(big[0].c_str()), TM_OK);
    ASSERT_EQ(tm_push_region(big[1].c_str()), TM_OK);
    advance_sec(1);
    ASSERT_EQ(tm_pop_region(big[1].c_str()), TM_OK);
    ASSERT_EQ(tm_pop_region(big[0].c_str()), TM_OK);

    Flat flat;
    const tm_flat_entry_t *inner = flat.one(big[1]);
    ASSERT_NE(inner, nullptr);
    EXPECT_EQ(inner->rolling_hash, h1 + h2);

    Tree tree;
    const tm_tree_node_t *node = tree.one(big[1]);
    ASSERT_NE(node, nullptr);
    EXPECT_EQ(node->rolling_hash, h1 + h2);
    EXPECT_EQ(node->hash, h2);
}

TEST_F(Hashes, FlatPrefixIndentsByDepthAndTreePrefixIsBareLabel) {
    ASSERT_EQ(tm_push_region("foo"), TM_OK);
    ASSERT_EQ(tm_push_region("bar"), TM_OK);
    ASSERT_EQ(tm_push_region("baz"), TM_OK);
    ASSERT_EQ(tm_push_region("qux"), TM_OK);
    advance_sec(1);
    ASSERT_EQ(tm_pop_region("qux"), TM_OK);
    ASSERT_EQ(tm_pop_region("baz"), TM_OK);
    ASSERT_EQ(tm_pop_region("bar"), TM_OK);
    ASSERT_EQ(tm_pop_region("foo"), TM_OK);

    Flat flat;
    ASSERT_EQ(flat.size(), 4u);
    EXPECT_STREQ(flat[0].prefix, ">>> foo");
    EXPECT_STREQ(flat[1].prefix, ">>> |_bar");
    EXPECT_STREQ(flat[2].prefix, ">>>   |_baz");
    EXPECT_STREQ(flat[3].prefix, ">>>     |_qux");

    Tree tree;
    for (const char *label : {"foo", "bar", "baz", "qux"}) {
        const tm_tree_node_t *n = tree.one(label);
        ASSERT_NE(n, nullptr);
        EXPECT_STREQ(n->prefix, label);
        EXPECT_STREQ(n->label, label);
    }
}

TEST_F(Hashes, TreeNodesCarryHashRollingHashAndDepth) {
    ASSERT_EQ(tm_push_region("outer"), TM_OK);
    ASSERT_EQ(tm_push_region("inner"), TM_OK);
    advance_sec(1);
    ASSERT_EQ(tm_pop_region("inner"), TM_OK);
    ASSERT_EQ(tm_pop_region("outer"), TM_OK);

    Tree tree;
    const tm_tree_node_t *outer = tree.one("outer");
    const tm_tree_node_t *inner = tree.one("inner");
    ASSERT_TRUE(outer && inner);
    EXPECT_EQ(outer->depth, 0);
    EXPECT_EQ(inner->depth, 1);
    EXPECT_EQ(outer->hash, tm_hash_string("outer"));
    EXPECT_EQ(outer->rolling_hash, tm_hash_string("outer"));
    EXPECT_EQ(inner->rolling_hash, tm_hash_string("outer") + tm_hash_string("inner"));
    ASSERT_EQ(outer->n_children, 1u);
    EXPECT_EQ(&outer->children[0], inner);
}

}  // namespace
