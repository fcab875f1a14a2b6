// Walks the component table (tm_component_count / tm_component_desc) and fails
// on any row that no PROOF_TEST of this binary proves: a new row of
// components.def needs a proof test comparing it with an independent reading
// before this suite passes again.
#include <map>
#include <set>
#include <string>
#include <vector>

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

// Rows of the table that no test in `reg` claims, in table order.
std::vector<std::string> rows_without_proof(const std::map<std::string, std::set<std::string>> &reg) {
    std::vector<std::string> missing;
    for (int id = 0; id < tm_component_count(); ++id) {
        const tm_component_desc_t *d = tm_component_desc(id);
        auto it = d ? reg.find(d->name) : reg.end();
        if (d && (it == reg.end() || it->second.empty())) missing.push_back(d->name);
    }
    return missing;
}

TEST(Coverage, EveryTableRowHasAProofTest) {
    const int n = tm_component_count();
    ASSERT_EQ(n, TM_COMPONENT_COUNT);
    for (int id = 0; id < n; ++id) ASSERT_NE(tm_component_desc(id), nullptr) << "row " << id;
    std::string missing;
    for (const std::string &name : rows_without_proof(registry())) missing += " " + name;
    EXPECT_TRUE(missing.empty()) << "components.def rows without a proof test in tests/components:" << missing
                                 << "\n(add a PROOF_TEST(Suite, Name, \"<id>\") comparing the component with an "
                                    "independent reading of the same quantity)";
}

// The walk catches a row nobody proves: drop one row's proofs from a copy of
// the registry and it is reported, alone.
TEST(Coverage, AnUnprovenRowIsReported) {
    const std::string row = tm_component_desc(tm_component_count() - 1)->name;  // the newest row
    auto reg = registry();
    reg.erase(row);
    EXPECT_EQ(rows_without_proof(reg), std::vector<std::string>{row});
    reg = registry();
    reg[row].clear();
    EXPECT_EQ(rows_without_proof(reg), std::vector<std::string>{row});
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
