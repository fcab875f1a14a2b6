// The timeline (timeline_profile) as Chrome trace-event JSON
// (tm_write_trace_json): one "X" event per region instance with its real
// start and end, one track per thread; events nest per thread and their
// durations add up to the recorded sums; the per-thread cap drops and counts.
#include <algorithm>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "tests/c/formats_util.h"

namespace {

using jsonlite::Value;
using tmtest::EngineTest;

class Trace : public EngineTest {
  protected:
    void SetUp() override {
        EngineTest::SetUp();
        ASSERT_EQ(tm_settings_set("timeline_profile", "1"), TM_OK);
        ASSERT_EQ(tm_settings_set("timeline_max_events", "1000000"), TM_OK);
    }
    void TearDown() override {
        tm_settings_set("timeline_profile", "0");
        tm_settings_set("timeline_max_events", "1000000");
        EngineTest::TearDown();
    }
};

struct Event {
    std::string name;
    double ts, dur;
    int64_t tid;
};

Value write_trace() {
    int rc = -1;
    const std::string text = tmtest::capture([](FILE *f) { return tm_write_trace_json(f); }, &rc);
    EXPECT_EQ(rc, TM_OK);
    EXPECT_TRUE(jsonlite::valid_utf8(text));
    return tmtest::parse_json(text);
}

std::vector<Event> complete_events(const Value &doc) {
    std::vector<Event> out;
    for (auto &e : doc["traceEvents"].arr) {
        if (e["ph"].str != "X") continue;
        EXPECT_EQ(e["pid"].type, Value::Number);
        out.push_back({e["name"].str, e["ts"].num, e["dur"].num, static_cast<int64_t>(e["tid"].num)});
    }
    return out;
}

// Per thread, every event lies inside the one open around it.
void expect_nested(std::vector<Event> events) {
    std::sort(events.begin(), events.end(), [](const Event &a, const Event &b) {
        return a.tid != b.tid ? a.tid < b.tid : a.ts != b.ts ? a.ts < b.ts : a.dur > b.dur;
    });
    std::vector<const Event *> open;
    int64_t tid = -1;
    for (auto &e : events) {
        if (e.tid != tid) {
            open.clear();
            tid = e.tid;
        }
        while (!open.empty() && e.ts >= open.back()->ts + open.back()->dur) open.pop_back();
        if (!open.empty()) {
            EXPECT_LE(e.ts + e.dur, open.back()->ts + open.back()->dur + 1e-9)
                << e.name << " overlaps " << open.back()->name << " on thread " << e.tid;
        }
        open.push_back(&e);
    }
}

TEST_F(Trace, EventsNestAndAddUpToTheRecordedSumsPerThread) {
    tmtest::record_solver();
    tmtest::record_threads();
    const Value doc = write_trace();
    const auto events = complete_events(doc);
    EXPECT_EQ(events.size(), 5u + 1u + 2u * 2u);
    expect_nested(events);
    std::map<std::pair<int64_t, std::string>, double> dur_us;
    for (auto &e : events) dur_us[{e.tid, e.name}] += e.dur;
    tmtest::Flat flat;
    size_t compared = 0;
    for (size_t i = 0; i < flat.size(); ++i) {
        const tm_flat_entry_t &e = flat[i];
        // main (tid 0) was entered twice: the solver and the threads run
        EXPECT_NEAR(dur_us[std::make_pair(static_cast<int64_t>(e.tid), std::string(e.label))], e.inclusive.stats.sum * 1e6, 1e-6) << e.label << " tid " << e.tid;
        ++compared;
    }
    EXPECT_EQ(compared, dur_us.size()) << "no event without a node, no node without events";
    // one named track per thread
    std::map<int64_t, std::string> names;
    for (auto &e : doc["traceEvents"].arr)
        if (e["ph"].str == "M" && e["name"].str == "thread_name")
            names[static_cast<int64_t>(e["tid"].num)] = e["args"]["name"].str;
    EXPECT_EQ(names, (std::map<int64_t, std::string>{{0, "thread 0"}, {1, "thread 1"}, {2, "thread 2"}}));
    EXPECT_EQ(doc["otherData"]["dropped_events"].raw_number, "0");
}

TEST_F(Trace, TimestampsAreMicrosecondsWithNanosecondFractions) {
    ASSERT_EQ(tm_push_region("outer"), TM_OK);
    tmtest::advance_ns(1500);
    tmtest::timed_region("inner", 0);
    tmtest::advance_ns(1);
    ASSERT_EQ(tm_pop_region("outer"), TM_OK);
    const auto events = complete_events(write_trace());
    ASSERT_EQ(events.size(), 2u);
    std::map<std::string, Event> by;
    for (auto &e : events) by[e.name] = e;
    EXPECT_DOUBLE_EQ(by["outer"].ts, 0.0);
    EXPECT_DOUBLE_EQ(by["outer"].dur, 1.501);
    EXPECT_DOUBLE_EQ(by["inner"].ts, 1.5);
    EXPECT_DOUBLE_EQ(by["inner"].dur, 0.0);
}

TEST_F(Trace, TheCapDropsCountsAndWarnsOnce) {
    ASSERT_EQ(tm_settings_set("timeline_max_events", "5"), TM_OK);
    tm_storage_reset();
    const uint64_t warnings = tm_warning_count();
    for (int i = 0; i < 8; ++i) tmtest::timed_region("tick", 1);
    EXPECT_EQ(tm_warning_count(), warnings + 1) << "one message when the cap is reached";
    EXPECT_EQ(tm_timeline_events(), 5u);
    EXPECT_EQ(tm_timeline_dropped(), 3u);
    const Value doc = write_trace();
    EXPECT_EQ(complete_events(doc).size(), 5u);
    EXPECT_EQ(doc["otherData"]["dropped_events"].raw_number, "3");
    EXPECT_EQ(doc["otherData"]["dropped_per_thread"]["0"].raw_number, "3");
    tmtest::Tree tree;
    EXPECT_EQ(tree.one("tick")->inclusive.stats.count, 8u) << "the statistics keep every instance";
}

TEST_F(Trace, OffKeepsNothing) {
    ASSERT_EQ(tm_settings_set("timeline_profile", "0"), TM_OK);
    tmtest::record_solver();
    EXPECT_EQ(tm_timeline_events(), 0u);
    EXPECT_TRUE(complete_events(write_trace()).empty());
}

TEST_F(Trace, ComponentsWithoutTheWallClockStillGetRealTimes) {
    ASSERT_EQ(tm_settings_set("components", "cpu_clock"), TM_OK);
    ASSERT_EQ(tm_push_region("outer"), TM_OK);
    ASSERT_EQ(tm_push_region("inner"), TM_OK);
    ASSERT_EQ(tm_pop_region("inner"), TM_OK);
    ASSERT_EQ(tm_pop_region("outer"), TM_OK);
    const auto events = complete_events(write_trace());
    ASSERT_EQ(events.size(), 2u);
    expect_nested(events);
    for (auto &e : events) EXPECT_GE(e.dur, 0.0);
}

TEST_F(Trace, AThreadThatExitsInsideARegionKeepsItsEvents) {
    ASSERT_EQ(tm_push_region("main"), TM_OK);
    std::thread([] {
        tmtest::fake_now_ns = 0;
        tmtest::timed_region("done", 1);
        ASSERT_EQ(tm_push_region("left_open"), TM_OK);
        tmtest::advance_sec(2);
    }).join();  // the engine closes "left_open" (and warns) at thread exit
    ASSERT_EQ(tm_pop_region("main"), TM_OK);
    const auto events = complete_events(write_trace());
    std::map<std::string, Event> by;
    for (auto &e : events) by[e.name] = e;
    ASSERT_EQ(by.count("left_open"), 1u);
    EXPECT_EQ(by["left_open"].tid, 1);
    EXPECT_DOUBLE_EQ(by["left_open"].dur, 2e6);
    EXPECT_EQ(by["done"].tid, 1);
    expect_nested(events);
}

TEST_F(Trace, LabelsAreEscapedJsonStrings) {
    tmtest::timed_region("q\"b\\n\nx\x01", 1);
    tmtest::timed_region("bad\xff", 1);
    const auto events = complete_events(write_trace());
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].name, "q\"b\\n\nx\x01");
    EXPECT_EQ(events[1].name, "bad\\xff");
}

}  // namespace
