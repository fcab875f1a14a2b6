// Exclusive statistics are real per-sample statistics: each sample of a node
// minus the samples its direct children took during that sample.
#include "tests/c/test_util.h"

namespace {

using tmtest::advance_sec;
using tmtest::EngineTest;
using tmtest::Flat;
using tmtest::timed_region;
using tmtest::Tree;

class Exclusive : public EngineTest {};

// parent 10 with child 3, then parent 20 with child 5.
void parent_with_child(int64_t before, int64_t child, int64_t after) {
    ASSERT_EQ(tm_push_region("parent"), TM_OK);
    advance_sec(before);
    timed_region("child", child);
    advance_sec(after);
    ASSERT_EQ(tm_pop_region("parent"), TM_OK);
}

TEST_F(Exclusive, EachSampleMinusItsChildrenSamples) {
    parent_with_child(2, 3, 5);   // 10 inclusive, 7 exclusive
    parent_with_child(10, 5, 5);  // 20 inclusive, 15 exclusive

    Flat flat;
    const tm_flat_entry_t *p = flat.one("parent");
    const tm_flat_entry_t *c = flat.one("child");
    ASSERT_TRUE(p && c);
    EXPECT_DOUBLE_EQ(p->inclusive.data, 30.0);
    EXPECT_STATS(p->inclusive.stats, 2, 30.0, 10.0, 20.0, 500.0);
    EXPECT_DOUBLE_EQ(p->exclusive.data, 22.0);
    EXPECT_STATS(p->exclusive.stats, 2, 22.0, 7.0, 15.0, 274.0);
    // A leaf's exclusive statistics are its inclusive ones.
    EXPECT_STATS(c->inclusive.stats, 2, 8.0, 3.0, 5.0, 34.0);
    EXPECT_STATS(c->exclusive.stats, 2, 8.0, 3.0, 5.0, 34.0);
}

TEST_F(Exclusive, TreeViewHasTheSamePerSampleExclusiveStats) {
    parent_with_child(2, 3, 5);
    parent_with_child(10, 5, 5);
    Tree tree;
    ASSERT_EQ(tree.rc(), TM_OK);
    const tm_tree_node_t *p = tree.one("parent");
    ASSERT_NE(p, nullptr);
    EXPECT_DOUBLE_EQ(p->exclusive.data, 22.0);
    EXPECT_STATS(p->exclusive.stats, 2, 22.0, 7.0, 15.0, 274.0);
    EXPECT_STATS(p->inclusive.stats, 2, 30.0, 10.0, 20.0, 500.0);
}

TEST_F(Exclusive, SeveralChildrenInOneSampleAreAllSubtracted) {
    ASSERT_EQ(tm_push_region("parent"), TM_OK);
    advance_sec(1);
    timed_region("a", 2);
    timed_region("b", 3);
    timed_region("a", 1);
    advance_sec(3);
    ASSERT_EQ(tm_pop_region("parent"), TM_OK);  // 10 inclusive, 4 exclusive

    Flat flat;
    const tm_flat_entry_t *p = flat.one("parent");
    ASSERT_NE(p, nullptr);
    EXPECT_STATS(p->inclusive.stats, 1, 10.0, 10.0, 10.0, 100.0);
    EXPECT_STATS(p->exclusive.stats, 1, 4.0, 4.0, 4.0, 16.0);
    const tm_flat_entry_t *a = flat.one("a");
    ASSERT_NE(a, nullptr);
    EXPECT_STATS(a->exclusive.stats, 2, 3.0, 1.0, 2.0, 5.0);
}

TEST_F(Exclusive, OnlyDirectChildrenAreSubtracted) {
    ASSERT_EQ(tm_push_region("p"), TM_OK);  // 10
    advance_sec(4);
    ASSERT_EQ(tm_push_region("c"), TM_OK);  // 6
    advance_sec(2);
    timed_region("g", 4);                   // 4
    ASSERT_EQ(tm_pop_region("c"), TM_OK);
    ASSERT_EQ(tm_pop_region("p"), TM_OK);

    Flat flat;
    const tm_flat_entry_t *p = flat.one("p");
    const tm_flat_entry_t *c = flat.one("c");
    const tm_flat_entry_t *g = flat.one("g");
    ASSERT_TRUE(p && c && g);
    EXPECT_STATS(p->exclusive.stats, 1, 4.0, 4.0, 4.0, 16.0);
    EXPECT_STATS(c->exclusive.stats, 1, 2.0, 2.0, 2.0, 4.0);
    EXPECT_STATS(g->exclusive.stats, 1, 4.0, 4.0, 4.0, 16.0);
}

TEST_F(Exclusive, ChildSamplesOutsideTheParentSampleDoNotCount) {
    // "child" at the top is a different node from "child" under "parent",
    // and a later parent sample must not subtract an earlier child.
    timed_region("child", 7);
    parent_with_child(1, 1, 1);  // 3 inclusive, 2 exclusive
    ASSERT_EQ(tm_push_region("parent"), TM_OK);
    advance_sec(5);
    ASSERT_EQ(tm_pop_region("parent"), TM_OK);  // 5 inclusive, 5 exclusive (no child)

    Flat flat;
    const tm_flat_entry_t *p = flat.one("parent");
    ASSERT_NE(p, nullptr);
    EXPECT_STATS(p->exclusive.stats, 2, 7.0, 2.0, 5.0, 29.0);
    EXPECT_EQ(flat.all("child").size(), 2u);
}

TEST_F(Exclusive, ExclusiveIsNeverNegative) {
    // Parent and child end at the same fake instant: exclusive 0, not < 0.
    for (int i = 0; i < 3; ++i) {
        ASSERT_EQ(tm_push_region("p"), TM_OK);
        timed_region("c", 2);
        ASSERT_EQ(tm_pop_region("p"), TM_OK);
    }
    Tree tree;
    const tm_tree_node_t *p = tree.one("p");
    const tm_tree_node_t *c = tree.one("c");
    ASSERT_TRUE(p && c);
    EXPECT_STATS(p->exclusive.stats, 3, 0.0, 0.0, 0.0, 0.0);
    EXPECT_STATS(c->exclusive.stats, 3, 6.0, 2.0, 2.0, 12.0);
    for (const tm_tree_node_t *n : tree.nodes())
        if (n->is_dummy) EXPECT_EQ(n->exclusive.stats.count, 0u) << "dummies record nothing";
}

}  // namespace
