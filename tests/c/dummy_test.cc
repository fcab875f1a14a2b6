// Dummy nodes: the tree's root bookmark and the fork bookmark of a thread.
// Depth -1, hash 0, is_dummy, zero inclusive AND exclusive values; kept in
// the tree, omitted from the flat view.
#include <unistd.h>

#include <map>
#include <string>
#include <thread>

#include "tests/c/test_util.h"

namespace {

using tmtest::advance_sec;
using tmtest::EngineTest;
using tmtest::Flat;
using tmtest::timed_region;
using tmtest::Tree;

class Dummy : public EngineTest {};

void expect_zero_dummy(const tm_tree_node_t &d) {
    EXPECT_TRUE(d.is_dummy);
    EXPECT_EQ(d.depth, -1);
    EXPECT_EQ(d.hash, 0u);
    EXPECT_EQ(d.inclusive.data, 0.0);
    EXPECT_EQ(d.exclusive.data, 0.0) << "never negative: not minus the children";
    EXPECT_STATS(d.inclusive.stats, 0, 0.0, 0.0, 0.0, 0.0);
    EXPECT_STATS(d.exclusive.stats, 0, 0.0, 0.0, 0.0, 0.0);
}

TEST_F(Dummy, TreeHasOneDummyRootWithZeroValues) {
    ASSERT_EQ(tm_push_region("foo"), TM_OK);
    advance_sec(1);
    timed_region("bar", 5);
    ASSERT_EQ(tm_pop_region("foo"), TM_OK);

    Tree tree;
    ASSERT_EQ(tree.rc(), TM_OK);
    ASSERT_EQ(tree.n_roots(), 1u);
    const tm_tree_node_t &root = tree.root();
    expect_zero_dummy(root);
    EXPECT_EQ(tmtest::tid_set(&root), (std::set<uint32_t>{0}));
    ASSERT_EQ(root.n_pids, 1u);
    EXPECT_EQ(root.pids[0], static_cast<int64_t>(getpid()));
    ASSERT_EQ(root.n_children, 1u);
    const tm_tree_node_t &foo = root.children[0];
    EXPECT_FALSE(foo.is_dummy);
    EXPECT_STREQ(foo.label, "foo");
    EXPECT_EQ(foo.depth, 0);
    EXPECT_DOUBLE_EQ(foo.inclusive.data, 6.0);
    EXPECT_DOUBLE_EQ(foo.exclusive.data, 1.0);
}

TEST_F(Dummy, FlatViewOmitsDummies) {
    ASSERT_EQ(tm_push_region("foo"), TM_OK);
    timed_region("bar", 1);
    ASSERT_EQ(tm_pop_region("foo"), TM_OK);
    std::thread t([] { timed_region("worker", 1); });
    t.join();

    Flat flat;
    ASSERT_EQ(flat.size(), 3u) << "foo, bar and worker; no bookmarks";
    for (size_t i = 0; i < flat.size(); ++i) {
        EXPECT_GE(flat[i].depth, 0);
        EXPECT_NE(flat[i].hash, 0u);
        ASSERT_NE(flat[i].label, nullptr);
        EXPECT_STRNE(flat[i].label, "");
        EXPECT_EQ(flat[i].pid, static_cast<int64_t>(getpid()));
    }
}

TEST_F(Dummy, ForkBookmarkSitsWhereTheParentThreadWas) {
    ASSERT_EQ(tm_push_region("main"), TM_OK);
    ASSERT_EQ(tm_push_region("spawn"), TM_OK);
    advance_sec(1);
    std::thread t([] { timed_region("child_work", 4); });
    t.join();
    ASSERT_EQ(tm_pop_region("spawn"), TM_OK);
    ASSERT_EQ(tm_pop_region("main"), TM_OK);

    Tree tree;
    const tm_tree_node_t *spawn = tree.one("spawn");
    ASSERT_NE(spawn, nullptr);
    // spawn -> [fork bookmark] (a leaf) and child_work: the child thread's
    // regions merge by rolling hash at the position the main thread was in
    ASSERT_EQ(spawn->n_children, 2u);
    const tm_tree_node_t &fork = spawn->children[0].is_dummy ? spawn->children[0] : spawn->children[1];
    const tm_tree_node_t &work = spawn->children[0].is_dummy ? spawn->children[1] : spawn->children[0];
    ASSERT_TRUE(fork.is_dummy);
    expect_zero_dummy(fork);
    EXPECT_EQ(tmtest::tid_set(&fork), (std::set<uint32_t>{1}));
    EXPECT_EQ(fork.n_children, 0u);
    EXPECT_STREQ(work.label, "child_work");
    EXPECT_EQ(work.depth, 2);
    EXPECT_EQ(work.rolling_hash, spawn->rolling_hash + tm_hash_string("child_work"));
    EXPECT_EQ(tmtest::tid_set(&work), (std::set<uint32_t>{1}));
    EXPECT_STATS(work.inclusive.stats, 1, 4.0, 4.0, 4.0, 16.0);
    // The other thread's samples are not the parent's children.
    EXPECT_DOUBLE_EQ(spawn->inclusive.data, 1.0);
    EXPECT_DOUBLE_EQ(spawn->exclusive.data, 1.0);

    EXPECT_EQ(tmtest::tid_set(&tree.root()), (std::set<uint32_t>{0, 1}));
}

TEST_F(Dummy, EveryDummyInAThreadedTreeIsZero) {
    ASSERT_EQ(tm_push_region("main"), TM_OK);
    std::thread a([] { timed_region("a", 2); });
    a.join();
    timed_region("between", 1);
    std::thread b([] {
        ASSERT_EQ(tm_push_region("b"), TM_OK);
        timed_region("b_inner", 3);
        ASSERT_EQ(tm_pop_region("b"), TM_OK);
    });
    b.join();
    ASSERT_EQ(tm_pop_region("main"), TM_OK);

    Tree tree;
    size_t dummies = 0;
    // exact, per node: threads have their own fake clocks, so main (1 s) has
    // only `between` as a child; b (3 s) only b_inner
    struct Want {
        int64_t depth;
        double incl, excl;
    };
    const std::map<std::string, Want> want{{"main", {0, 1.0, 0.0}}, {"a", {1, 2.0, 2.0}},
                                           {"between", {1, 1.0, 1.0}}, {"b", {1, 3.0, 0.0}},
                                           {"b_inner", {2, 3.0, 3.0}}};
    for (const tm_tree_node_t *n : tree.nodes()) {
        if (n->is_dummy) {
            ++dummies;
            expect_zero_dummy(*n);
        } else {
            ASSERT_EQ(want.count(n->label), 1u) << n->label;
            const Want &w = want.at(n->label);
            EXPECT_EQ(n->depth, w.depth) << n->label;
            EXPECT_DOUBLE_EQ(n->inclusive.data, w.incl) << n->label;
            EXPECT_DOUBLE_EQ(n->exclusive.data, w.excl) << n->label;
            EXPECT_EQ(n->hash, tm_hash_string(n->label));
        }
    }
    EXPECT_GE(dummies, 2u) << "the root and at least one fork bookmark";
}

}  // namespace
