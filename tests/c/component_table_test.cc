// The generated component table, walked row by row so that a new row in
// components.def is covered without editing this file: descriptors, real
// samplers, name lookup and component-set parsing.
#include <cmath>
#include <cstdio>
#include <string>

#include "tests/c/test_util.h"

namespace {

using tmtest::last_error;

bool contains(const std::string &haystack, const std::string &needle) {
    return haystack.find(needle) != std::string::npos;
}

class ComponentTable : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_EQ(tm_init("component_table_test"), TM_OK);
        ASSERT_EQ(tm_settings_set("auto_output", "0"), TM_OK);
        tm_storage_reset();
    }
    void TearDown() override { tm_storage_reset(); }
};

TEST_F(ComponentTable, DescriptorsAreCompleteAndIndexedById) {
    ASSERT_EQ(tm_component_count(), static_cast<int>(TM_COMPONENT_COUNT));
    ASSERT_LE(tm_component_count(), 64) << "component sets are 64-bit masks";
    EXPECT_EQ(tm_component_desc(-1), nullptr);
    EXPECT_EQ(tm_component_desc(tm_component_count()), nullptr);
    std::set<std::string> names, classes;
    for (int id = 0; id < tm_component_count(); ++id) {
        const tm_component_desc_t *d = tm_component_desc(id);
        ASSERT_NE(d, nullptr) << id;
        EXPECT_EQ(d->id, id);
        ASSERT_TRUE(d->name && *d->name) << id;
        ASSERT_TRUE(d->pyclass && *d->pyclass) << d->name;
        ASSERT_TRUE(d->label && *d->label) << d->name;
        ASSERT_NE(d->unit, nullptr) << d->name;
        ASSERT_TRUE(d->description && *d->description) << d->name;
        EXPECT_GT(d->scale, 0.0) << d->name;
        EXPECT_TRUE(names.insert(d->name).second) << "duplicate " << d->name;
        EXPECT_TRUE(classes.insert(d->pyclass).second) << "duplicate " << d->pyclass;
        // Non-STORE rows sample; STORE rows are fed by the user.
        if (d->kind == TM_KIND_STORE) {
            EXPECT_EQ(d->sample, nullptr) << d->name;
        } else {
            EXPECT_NE(d->sample, nullptr) << d->name;
        }
    }
}

TEST_F(ComponentTable, RequiredComponentsExistWithTheirPythonNames) {
    const struct {
        const char *id, *pyclass, *unit;
    } rows[] = {{"wall_clock", "WallClock", "sec"},
                {"monotonic_clock", "MonotonicClock", "sec"},
                {"cpu_clock", "CpuClock", "sec"},
                {"user_clock", "UserClock", "sec"},
                {"system_clock", "SysClock", "sec"},
                {"thread_cpu_clock", "ThreadCpuClock", "sec"},
                {"process_cpu_clock", "ProcessCpuClock", "sec"},
                {"cpu_util", "CpuUtil", "%"},
                {"peak_rss", "PeakRss", "MB"},
                {"page_rss", "PageRss", "MB"},
                {"num_minor_page_faults", "NumMinorPageFaults", ""},
                {"num_major_page_faults", "NumMajorPageFaults", ""},
                {"voluntary_context_switch", "VoluntaryContextSwitch", ""},
                {"priority_context_switch", "PriorityContextSwitch", ""}};
    for (const auto &r : rows) {
        const int id = tm_component_find(r.id);
        ASSERT_GE(id, 0) << r.id;
        EXPECT_EQ(tm_component_find(r.pyclass), id) << r.pyclass;
        EXPECT_STREQ(tm_component_desc(id)->pyclass, r.pyclass);
        EXPECT_STREQ(tm_component_desc(id)->unit, r.unit) << r.id;
    }
    EXPECT_DOUBLE_EQ(tm_component_desc(TM_PEAK_RSS)->scale, 1e6) << "MB are 10^6 bytes";
}

TEST_F(ComponentTable, EveryRowIsFoundByNameAndByPythonClass) {
    for (int id = 0; id < tm_component_count(); ++id) {
        const tm_component_desc_t *d = tm_component_desc(id);
        EXPECT_EQ(tm_component_find(d->name), id) << d->name;
        EXPECT_EQ(tm_component_find(d->pyclass), id) << d->pyclass;
    }
}

TEST_F(ComponentTable, UnknownNameFailsListingValidNames) {
    EXPECT_EQ(tm_component_find("no_such_clock"), TM_E_UNKNOWN_COMPONENT);
    const std::string msg = last_error();
    EXPECT_TRUE(contains(msg, "no_such_clock")) << msg;
    EXPECT_EQ(tmtest::components_missing_from(msg), "")
        << "every valid name must be listed; message (" << msg.size() << " chars): " << msg;
    EXPECT_LT(tm_component_find(""), 0);
    EXPECT_LT(tm_component_find(nullptr), 0);
}

TEST_F(ComponentTable, SetParseAcceptsSeparatorsAndRejectsUnknownNames) {
    tm_component_set_t set = 0;
    ASSERT_EQ(tm_component_set_parse("wall_clock, cpu_clock;peak_rss", &set), TM_OK);
    EXPECT_EQ(set, TM_WALL_CLOCK_BIT | TM_CPU_CLOCK_BIT | TM_PEAK_RSS_BIT);
    ASSERT_EQ(tm_component_set_parse("WallClock", &set), TM_OK);
    EXPECT_EQ(set, TM_WALL_CLOCK_BIT);

    tm_component_set_t untouched = TM_USER_CLOCK_BIT;
    EXPECT_EQ(tm_component_set_parse("wall_clock,nope_clock", &untouched), TM_E_UNKNOWN_COMPONENT);
    const std::string msg = last_error();
    EXPECT_TRUE(contains(msg, "nope_clock")) << msg;
    EXPECT_EQ(tmtest::components_missing_from(msg), "")
        << "every valid name must be listed; message (" << msg.size() << " chars): " << msg;
    EXPECT_EQ(untouched, TM_USER_CLOCK_BIT) << "*out is left alone on failure";
}

TEST_F(ComponentTable, EveryRealSamplerReadsTwiceAndTimersDoNotGoBackwards) {
    for (int id = 0; id < tm_component_count(); ++id) {
        const tm_component_desc_t *d = tm_component_desc(id);
        if (d->sample == nullptr || tm_component_unavailable(id) != nullptr) continue;
        int64_t a[2] = {-1, -1}, b[2] = {-1, -1};
        d->sample(a);
        volatile double x = 0;
        for (int i = 0; i < 20000; ++i) x = x + i;
        d->sample(b);
        if (d->category == TM_CATEGORY_TIMING) {
            EXPECT_GE(a[0], 0) << d->name;
            EXPECT_GE(b[0], a[0]) << d->name;
            if (d->kind == TM_KIND_RATIO) {
                EXPECT_GE(b[1], a[1]) << d->name;
            }
        }
        if (d->kind == TM_KIND_HWM) {
            EXPECT_GE(b[0], a[0]) << d->name;
        }
    }
}

TEST_F(ComponentTable, EveryAvailableComponentRecordsTwoSamples) {
    int recorded = 0;
    for (int id = 0; id < tm_component_count(); ++id) {
        const tm_component_desc_t *d = tm_component_desc(id);
        if (d->kind == TM_KIND_STORE) continue;
        if (const char *why = tm_component_unavailable(id)) {
            std::printf("skipping %s: %s\n", d->name, why);
            continue;
        }
        const std::string label = std::string("probe_") + d->name;
        tm_component_t c;
        ASSERT_EQ(tm_component_init(&c, id, label.c_str()), TM_OK) << d->name;
        for (int rep = 0; rep < 2; ++rep) {
            ASSERT_EQ(tm_component_push(&c), TM_OK) << d->name;
            ASSERT_EQ(tm_component_start(&c), TM_OK) << d->name;
            volatile double x = 0;
            for (int i = 0; i < 20000; ++i) x = x + i;
            ASSERT_EQ(tm_component_stop(&c), TM_OK) << d->name;
            EXPECT_FALSE(std::isnan(tm_component_get(&c))) << d->name;
            ASSERT_EQ(tm_component_pop(&c), TM_OK) << d->name;
        }
        tmtest::Flat flat(id);
        ASSERT_EQ(flat.rc(), TM_OK) << d->name;
        const tm_flat_entry_t *e = flat.one(label);
        ASSERT_NE(e, nullptr) << d->name;
        EXPECT_EQ(e->inclusive.stats.count, 2u) << d->name;
        EXPECT_FALSE(std::isnan(e->inclusive.data)) << d->name;
        EXPECT_LE(e->inclusive.stats.min, e->inclusive.stats.max) << d->name;
        if (d->category == TM_CATEGORY_TIMING) {
            EXPECT_GE(e->inclusive.stats.min, 0.0) << d->name;
        }
        ++recorded;
    }
    EXPECT_GE(recorded, 1);
    EXPECT_EQ(tm_component_unavailable(TM_WALL_CLOCK), nullptr) << "wall_clock always works";
}

TEST_F(ComponentTable, ScaleAndUnitFollowTheUnitSettings) {
    EXPECT_STREQ(tm_component_unit(TM_WALL_CLOCK), "sec");
    EXPECT_DOUBLE_EQ(tm_component_scale(TM_WALL_CLOCK), 1e9);
    ASSERT_EQ(tm_settings_set("timing_units", "usec"), TM_OK);
    EXPECT_STREQ(tm_component_unit(TM_CPU_CLOCK), "usec");
    EXPECT_DOUBLE_EQ(tm_component_scale(TM_CPU_CLOCK), 1e3);
    ASSERT_EQ(tm_settings_set("timing_units", "sec"), TM_OK);
    EXPECT_STREQ(tm_component_unit(TM_PEAK_RSS), "MB");
    EXPECT_DOUBLE_EQ(tm_component_scale(TM_PEAK_RSS), 1e6);
    ASSERT_EQ(tm_settings_set("memory_units", "KiB"), TM_OK);
    EXPECT_STREQ(tm_component_unit(TM_PEAK_RSS), "KiB");
    EXPECT_DOUBLE_EQ(tm_component_scale(TM_PEAK_RSS), 1024.0);
    ASSERT_EQ(tm_settings_set("memory_units", "MB"), TM_OK);
    EXPECT_STREQ(tm_component_unit(TM_NUM_MINOR_PAGE_FAULTS), "");
}

}  // namespace
