// 1 M distinct labels (TM_STRESS_SCALE=full; 50,000 reduced), each a region
// recorded once under one parent: every label comes back exactly once with
// count 1 under that parent, and the test prints the memory each node cost
// (resident-set growth / nodes: the interned label, the node, its wall_clock
// statistics and its share of the child table), the figure in the README.
#include <chrono>
#include <set>

#include "stress.h"

namespace {

using stress::scaled;

class LabelsStress : public stress::StressTest {};

std::string label_of(uint32_t i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "label_%07u", i);
    return buf;
}

TEST_F(LabelsStress, OneMillionDistinctLabels) {
    const uint32_t n = scaled<uint32_t>(1000000, 50000);
    tm_region_t parent = tm_region("labels_parent");
    ASSERT_EQ(tm_region_begin(parent), TM_OK);  // the thread's graph exists before the baseline
    const long rss_before = stress::rss_bytes();
    auto t0 = std::chrono::steady_clock::now();
    for (uint32_t i = 0; i < n; ++i) {
        tm_region_t r = tm_region(label_of(i).c_str());
        ASSERT_NE(r, nullptr) << tm_last_error();
        ASSERT_EQ(tm_region_begin(r), TM_OK);
        ASSERT_EQ(tm_region_end(r), TM_OK);
    }
    const double record_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const long rss_after = stress::rss_bytes();
    ASSERT_EQ(tm_region_end(parent), TM_OK);

    // a second pass finds every node again: nothing new is created
    for (uint32_t i = 0; i < n; i += 7) {
        tm_region_t r = tm_region(label_of(i).c_str());
        tm_region_begin(parent);
        tm_region_begin(r);
        tm_region_end(r);
        tm_region_end(parent);
    }

    t0 = std::chrono::steady_clock::now();
    std::vector<stress::Entry> entries = stress::flat();
    const double view_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ASSERT_EQ(entries.size(), static_cast<size_t>(n) + 1);
    EXPECT_EQ(entries[0].label, "labels_parent");
    EXPECT_EQ(entries[0].count, 1u + (n + 6) / 7);
    std::set<std::string> seen;
    for (size_t k = 1; k < entries.size(); ++k) {
        const stress::Entry &e = entries[k];
        ASSERT_EQ(e.parent, "labels_parent") << e.label;
        ASSERT_EQ(e.depth, 1) << e.label;
        ASSERT_TRUE(seen.insert(e.label).second) << "duplicate " << e.label;
        const uint32_t i = static_cast<uint32_t>(std::strtoul(e.label.c_str() + 6, nullptr, 10));
        ASSERT_EQ(e.label, label_of(i));
        ASSERT_EQ(e.count, i % 7 == 0 ? 2u : 1u) << e.label;
    }
    EXPECT_EQ(seen.size(), static_cast<size_t>(n));

    const double per_node = static_cast<double>(rss_after - rss_before) / n;
    std::printf("labels_stress: nodes=%u record_s=%.2f flat_view_s=%.2f rss_delta_mb=%.1f bytes_per_node=%.0f\n", n,
                record_s, view_s, (rss_after - rss_before) / 1e6, per_node);
    // a node (label, graph node, wall_clock slot, table share) stays near 1 KB
    if (stress::full_scale()) {
        EXPECT_LT(per_node, 2048.0);
    }
}

}  // namespace
