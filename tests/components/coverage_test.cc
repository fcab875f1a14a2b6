// Walks the component table (tm_component_count / tm_component_desc) and fails
// on any row that no PROOF_TEST of this binary proves: a new row of
// components.def needs a proof test comparing it with an independent reading
// before this suite passes again.
#include <set>
#include <string>

#include "tests/components/proof.h"

namespace {

using proof::registry;

// "Suite.Name" of every test case linked into this binary.
std::set<std::string> linked_tests() {
    std::set<std::string> out;
    const ::testing::UnitTest *u = ::testing::UnitTest::GetInstance();
    for (int i = 0; i < u->total_test_suite_count(); ++i) {
        const ::testing::TestSuite *s = u->GetTestSuite(i);
        for (int j = 0; j < s->total_test_count(); ++j)
            out.insert(std::string(s->name()) + "." + s->GetTestInfo(j)->name());
    }
    return out;
}

TEST(Coverage, EveryTableRowHasAProofTest) {
    const int n = tm_component_count();
    ASSERT_EQ(n, TM_COMPONENT_COUNT);
    std::string missing;
    for (int id = 0; id < n; ++id) {
        const tm_component_desc_t *d = tm_component_desc(id);
        ASSERT_NE(d, nullptr) << "row " << id;
        auto it = registry().find(d->name);
        if (it == registry().end() || it->second.empty()) missing += std::string(" ") + d->name;
    }
    EXPECT_TRUE(missing.empty()) << "components.def rows without a proof test in tests/components:" << missing
                                 << "\n(add a PROOF_TEST(Suite, Name, \"<id>\") comparing the component with an "
                                    "independent reading of the same quantity)";
}

TEST(Coverage, EveryClaimNamesARowAndARealTest) {
    const std::set<std::string> tests = linked_tests();
    for (const auto &entry : registry()) {
        EXPECT_GE(tm_component_find(entry.first.c_str()), 0)
            << "a proof test claims '" << entry.first << "', which is not a row of components.def";
        for (const std::string &t : entry.second) {
            EXPECT_TRUE(tests.count(t)) << t << " (claimed proof of " << entry.first << ") is not a linked test";
            EXPECT_EQ(t.find("DISABLED_"), std::string::npos) << t << " proves " << entry.first << " but is disabled";
        }
    }
}

}  // namespace
