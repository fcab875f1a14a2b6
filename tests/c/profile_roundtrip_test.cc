// Record -> write JSON -> load gives back every field of the tree and flat
// layouts exactly (the spec's scenario, threads with fork positions, deep
// recursion, labels that need escaping, non-finite values), and the file
// carries the run's metadata.
#include <unistd.h>

#include <cmath>
#include <string>
#include <thread>
#include <vector>

#include "tests/c/profile_test_util.h"

namespace {

using namespace tmtest;

class ProfileRoundTrip : public EngineTest {};

// The spec's foo/bar: foo 1 s then bar pushed 5 times with two laps each.
void spec_scenario() {
    ASSERT_EQ(tm_push_region("foo"), TM_OK);
    advance_sec(1);
    tm_component_t bar;
    ASSERT_EQ(tm_component_init(&bar, TM_WALL_CLOCK, "bar"), TM_OK);
    for (int i = 0; i < 10; ++i) {
        if (i % 2 == 0) {
            ASSERT_EQ(tm_component_push(&bar), TM_OK);
        }
        ASSERT_EQ(tm_component_start(&bar), TM_OK);
        advance_ns(100000000LL * (i + 1));
        ASSERT_EQ(tm_component_stop(&bar), TM_OK);
        if (i % 2 == 1) {
            ASSERT_EQ(tm_component_pop(&bar), TM_OK);
        }
    }
    ASSERT_EQ(tm_pop_region("foo"), TM_OK);
}

TEST_F(ProfileRoundTrip, SpecScenario) {
    spec_scenario();
    Profile live, loaded;
    save_and_load(TM_WALL_CLOCK, "spec.json", live, loaded);
    expect_round_trip(TM_WALL_CLOCK, loaded.p);
    EXPECT_EQ(tm_profile_node_count(loaded.p), 3u) << "root, foo, bar";
    EXPECT_EQ(tm_profile_component(loaded.p), TM_WALL_CLOCK);
}

TEST_F(ProfileRoundTrip, ThreadsForkedInsideARegion) {
    ASSERT_EQ(tm_push_region("main"), TM_OK);
    advance_sec(1);
    std::vector<std::thread> threads;
    for (int t = 0; t < 3; ++t)
        threads.emplace_back([t] {
            for (int i = 0; i <= t; ++i) {
                timed_region("work", t + 1);
                ASSERT_EQ(tm_push_region("outer"), TM_OK);
                timed_region("inner", 2);
                ASSERT_EQ(tm_pop_region("outer"), TM_OK);
            }
        });
    for (auto &th : threads) th.join();
    timed_region("work", 5);
    ASSERT_EQ(tm_pop_region("main"), TM_OK);
    Profile live, loaded;
    save_and_load(TM_WALL_CLOCK, "threads.json", live, loaded);
    expect_round_trip(TM_WALL_CLOCK, loaded.p);
    EXPECT_EQ(tm_profile_info(loaded.p)->thread_count, 4u);
}

// A thread that records siblings in another order than the first thread:
// its flat entries keep its own order (the tree keeps the first thread's).
TEST_F(ProfileRoundTrip, ThreadWithItsOwnSiblingOrder) {
    timed_region("a", 1);
    timed_region("b", 1);
    std::thread([] {
        timed_region("b", 2);
        timed_region("a", 3);
        timed_region("c", 4);
    }).join();
    Profile live, loaded;
    save_and_load(TM_WALL_CLOCK, "order.json", live, loaded);
    expect_round_trip(TM_WALL_CLOCK, loaded.p);
    Flat flat;
    EXPECT_EQ(flat.labels(), (std::vector<std::string>{"a", "b", "b", "a", "c"}));
    // written again from the loaded profile: the order survives a second trip
    ASSERT_EQ(tm_profile_save(loaded.p, tmp_path("order2.json").c_str()), TM_OK);
    EXPECT_EQ(slurp(tmp_path("order.json")), slurp(tmp_path("order2.json")));
}

TEST_F(ProfileRoundTrip, DeepRecursion) {
    const int depth = 400;
    for (int i = 0; i < depth; ++i) {
        ASSERT_EQ(tm_push_region("recurse"), TM_OK);
        advance_ns(1000 + i);
    }
    for (int i = 0; i < depth; ++i) ASSERT_EQ(tm_pop_region("recurse"), TM_OK);
    Profile live, loaded;
    save_and_load(TM_WALL_CLOCK, "recursion.json", live, loaded);
    expect_round_trip(TM_WALL_CLOCK, loaded.p);
    EXPECT_EQ(tm_profile_node_count(loaded.p), size_t(depth) + 1);
    // O(nodes): each node is one line, not its whole hierarchy again
    EXPECT_LT(slurp(tmp_path("recursion.json")).size(), size_t(depth) * 1000);
}

TEST_F(ProfileRoundTrip, LabelsThatNeedEscaping) {
    const std::vector<std::string> labels = {
        "quote\"d", "back\\slash", "new\nline", "semi;colon", "with space", "tab\there",
        "ctrl\x01\x7f", "bad utf8 \xff\xfe", "truncated \xe2\x82", "unicode \xc3\xa9\xe2\x82\xac",
    };
    for (const auto &l : labels) timed_region(l.c_str(), 1);
    Profile live, loaded;
    save_and_load(TM_WALL_CLOCK, "labels.json", live, loaded);
    expect_round_trip(TM_WALL_CLOCK, loaded.p);
    const std::string text = slurp(tmp_path("labels.json"));
    EXPECT_NE(text.find("\"label_hex\": \"626164207574663820fffe\""), std::string::npos)
        << "non-UTF-8 bytes are kept exactly as hex";
    for (unsigned char c : text) EXPECT_TRUE(c >= 0x20 || c == '\n') << "raw control byte in the JSON";
}

TEST_F(ProfileRoundTrip, NonFiniteAndNegativeZeroValues) {
    tm_component_t c;
    ASSERT_EQ(tm_component_init(&c, TM_DATA_TRACKER_FLOATING, "inf"), TM_OK);
    ASSERT_EQ(tm_component_push(&c), TM_OK);
    ASSERT_EQ(tm_component_store(&c, -INFINITY), TM_OK);
    ASSERT_EQ(tm_component_pop(&c), TM_OK);
    ASSERT_EQ(tm_component_init(&c, TM_DATA_TRACKER_FLOATING, "nan"), TM_OK);
    ASSERT_EQ(tm_component_push(&c), TM_OK);
    ASSERT_EQ(tm_component_store(&c, NAN), TM_OK);
    ASSERT_EQ(tm_component_pop(&c), TM_OK);
    ASSERT_EQ(tm_component_init(&c, TM_DATA_TRACKER_FLOATING, "tiny"), TM_OK);
    ASSERT_EQ(tm_component_push(&c), TM_OK);
    ASSERT_EQ(tm_component_store(&c, 0.1), TM_OK);
    ASSERT_EQ(tm_component_store(&c, 4.9406564584124654e-324), TM_OK);
    ASSERT_EQ(tm_component_pop(&c), TM_OK);
    Profile live, loaded;
    save_and_load(TM_DATA_TRACKER_FLOATING, "nonfinite.json", live, loaded);
    expect_round_trip(TM_DATA_TRACKER_FLOATING, loaded.p);
}

TEST_F(ProfileRoundTrip, MetadataDescribesTheRun) {
    timed_region("meta", 1);
    ASSERT_EQ(tm_settings_set("precision", "5"), TM_OK);
    Profile live, loaded;
    save_and_load(TM_WALL_CLOCK, "meta.json", live, loaded);
    const tm_run_info_t *m = tm_profile_info(loaded.p);
    EXPECT_STREQ(m->name, "tests") << "the name given to tm_init";
    EXPECT_STREQ(m->component, "wall_clock");
    EXPECT_STREQ(m->label, "wall");
    EXPECT_STREQ(m->unit, "sec");
    EXPECT_STREQ(m->kind, "DELTA");
    EXPECT_STREQ(m->description, tm_component_desc(TM_WALL_CLOCK)->description);
    EXPECT_EQ(m->format_version, TM_JSON_FORMAT_VERSION);
    EXPECT_STREQ(m->timemory_version, tm_report_version());
    EXPECT_EQ(m->pid, int64_t(getpid()));
    char host[256] = "";
    gethostname(host, sizeof host);
    EXPECT_STREQ(m->hostname, host);
    ASSERT_GE(m->argc, 1u);
    EXPECT_NE(std::string(m->argv[0]).find("profile_roundtrip_test"), std::string::npos) << m->argv[0];
    // ISO 8601 UTC with milliseconds; the run started before it ended
    ASSERT_EQ(std::string(m->start_time).size(), 24u) << m->start_time;
    EXPECT_EQ(m->start_time[10], 'T');
    EXPECT_EQ(m->end_time[23], 'Z');
    EXPECT_LE(std::string(m->start_time), std::string(m->end_time));
    bool found = false;
    for (size_t i = 0; i < m->n_settings; ++i)
        if (std::string(m->setting_names[i]) == "precision") found = std::string(m->setting_values[i]) == "5";
    EXPECT_TRUE(found) << "the settings in force are recorded";
    EXPECT_EQ(m->n_settings, tm_settings_count());
    EXPECT_EQ(m->thread_count, 1u);
    EXPECT_EQ(m->runs, 1u);
}

TEST_F(ProfileRoundTrip, WrittenTwiceIsIdentical) {
    spec_scenario();
    Profile live, loaded;
    save_and_load(TM_WALL_CLOCK, "first.json", live, loaded);
    ASSERT_EQ(tm_profile_save(loaded.p, tmp_path("second.json").c_str()), TM_OK);
    EXPECT_EQ(slurp(tmp_path("first.json")), slurp(tmp_path("second.json")));
}

TEST_F(ProfileRoundTrip, EmptyComponentGivesAnEmptyProfile) {
    Profile live, loaded;
    save_and_load(TM_CPU_CLOCK, "empty.json", live, loaded);
    EXPECT_EQ(tm_profile_node_count(loaded.p), 0u);
    expect_round_trip(TM_CPU_CLOCK, loaded.p);
}

}  // namespace
