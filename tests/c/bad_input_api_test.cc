// Bad input to the public C API (docs/bad-input.md): NULL pointers, unknown
// names and ids, values out of range and calls in the wrong order. Each case
// checks the return code, that tm_last_error() names the input (and the
// valid choices where there are any), and that what was recorded is kept.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "tests/c/test_util.h"

namespace {

using tmtest::EngineTest;
using tmtest::Flat;

std::string last_error() { return tm_last_error(); }
bool mentions(const std::string &text, const std::string &what) { return text.find(what) != std::string::npos; }

// One region "kept" with one 1-second sample: the data every case must keep.
void record_kept() {
    ASSERT_EQ(tm_push_region("kept"), TM_OK);
    tmtest::advance_sec(1);
    ASSERT_EQ(tm_pop_region("kept"), TM_OK);
}

void expect_kept() {
    Flat flat;
    const tm_flat_entry_t *e = flat.one("kept");
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->inclusive.stats.count, 1u);
    EXPECT_DOUBLE_EQ(e->inclusive.data, 1.0);
}

class BadInput : public EngineTest {};

TEST_F(BadInput, SettingNameOrValueNullIsRejected) {
    EXPECT_EQ(tm_settings_set(nullptr, "1"), TM_E_BAD_SETTING);
    EXPECT_TRUE(mentions(last_error(), "unknown setting '(null)'")) << last_error();
    EXPECT_TRUE(mentions(last_error(), "auto_output")) << "lists the valid names: " << last_error();
    EXPECT_EQ(tm_settings_set("precision", nullptr), TM_E_BAD_SETTING);
    EXPECT_EQ(last_error(), "precision: value is NULL");
    EXPECT_EQ(tm_settings_get(nullptr), nullptr);
    EXPECT_EQ(tm_settings_get("no_such_setting"), nullptr);
    EXPECT_STREQ(tm_settings_get("precision"), "3") << "the value is unchanged";
    EXPECT_EQ(tm_settings_desc(tm_settings_count()), nullptr);
}

TEST_F(BadInput, IntegerSettingTextMustBeADecimalInRange) {
    for (const char *bad : {"", "1 ", "0x10", "1e3", "-1", "1000001", "99999999999999999999", "three"}) {
        EXPECT_EQ(tm_settings_set("width", bad), TM_E_BAD_SETTING) << bad;
        EXPECT_EQ(last_error(), std::string("width=\"") + bad +
                                    "\" is not a number (valid: an integer from 0 to 1000000)");
        EXPECT_STREQ(tm_settings_get("width"), "8") << "a rejected value changes nothing";
    }
    // strtol's leading blanks are accepted and the value is stored canonically.
    EXPECT_EQ(tm_settings_set("width", " 12"), TM_OK);
    EXPECT_STREQ(tm_settings_get("width"), "12");
    EXPECT_EQ(tm_settings_set("width", "0"), TM_OK);
    EXPECT_EQ(tm_settings_set("width", "1000000"), TM_OK) << "the upper end is valid";
}

TEST_F(BadInput, HugeWidthOrPrecisionFormatsInFullWithoutTruncatingTheCaller) {
    ASSERT_EQ(tm_settings_set("width", "100000"), TM_OK);
    char small[32];
    const int n = tm_format_value(TM_WALL_CLOCK, 1.5, small, sizeof small);
    EXPECT_GE(n, 100000) << "returns the full length, as snprintf";
    EXPECT_EQ(std::strlen(small), sizeof small - 1) << "and writes only what fits";
    ASSERT_EQ(tm_settings_set("precision", "1000000"), TM_OK);
    EXPECT_GT(tm_format_value(TM_WALL_CLOCK, 1.5, small, sizeof small), 1000000);
}

TEST_F(BadInput, ChoiceAndBooleanSettingsAreCaseSensitiveListsOfValidWords) {
    EXPECT_EQ(tm_settings_set("timing_units", "SEC"), TM_E_BAD_SETTING);
    EXPECT_EQ(last_error(), "timing_units=\"SEC\" is not a valid choice (valid: sec|msec|usec|nsec|min)");
    EXPECT_EQ(tm_settings_set("memory_units", "mb"), TM_E_BAD_SETTING);
    EXPECT_TRUE(mentions(last_error(), "B|KB|MB|GB|KiB|MiB|GiB")) << last_error();
    EXPECT_EQ(tm_settings_set("timing_source", "rdtsc"), TM_E_BAD_SETTING);
    EXPECT_TRUE(mentions(last_error(), "auto|tsc|clock_gettime")) << last_error();
    EXPECT_EQ(tm_settings_set("enabled", ""), TM_E_BAD_SETTING);
    EXPECT_TRUE(mentions(last_error(), "is not a boolean (valid: 1, 0, true, false, on, off, yes, no)"));
    EXPECT_EQ(tm_settings_set("enabled", "2"), TM_E_BAD_SETTING);
    EXPECT_STREQ(tm_settings_get("enabled"), "1");
}

TEST_F(BadInput, EmptyOutputPathIsRejectedWhenSet) {
    const std::string before = tm_settings_get("output_path");
    EXPECT_EQ(tm_settings_set("output_path", ""), TM_E_BAD_SETTING);
    EXPECT_EQ(last_error(), "output_path=\"\" is empty (valid: a non-empty path)");
    EXPECT_EQ(tm_settings_get("output_path"), before);
    const std::string too_long(1024, 'd');
    EXPECT_EQ(tm_settings_set("output_path", too_long.c_str()), TM_E_BAD_SETTING);
    EXPECT_TRUE(mentions(last_error(), "output_path: value is too long (1024 characters, at most 1023)"))
        << last_error();
    EXPECT_EQ(tm_settings_get("output_path"), before);
}

TEST_F(BadInput, ComponentNamesAreExactAndNullOrEmptyIsUnknown) {
    EXPECT_EQ(tm_component_find(nullptr), TM_E_UNKNOWN_COMPONENT);
    EXPECT_EQ(last_error(), "component name is NULL");
    for (const char *bad : {"", "WALL_CLOCK", "wall clock", "wall_clock ", "wallclock"}) {
        EXPECT_EQ(tm_component_find(bad), TM_E_UNKNOWN_COMPONENT) << bad;
        EXPECT_TRUE(mentions(last_error(), std::string("unknown component '") + bad + "' (valid: wall_clock,"))
            << last_error();
    }
    EXPECT_EQ(tm_component_find("WallClock"), TM_WALL_CLOCK) << "the Python class name is accepted";
}

TEST_F(BadInput, ComponentListsOfOnlySeparatorsOrNullAreErrors) {
    tm_component_set_t set = 123;
    EXPECT_EQ(tm_component_set_parse(" , ;", &set), TM_E_UNKNOWN_COMPONENT);
    EXPECT_TRUE(mentions(last_error(), "no component named in \" , ;\" (valid: wall_clock,")) << last_error();
    EXPECT_EQ(tm_component_set_parse(nullptr, &set), TM_E_INVALID);
    EXPECT_EQ(tm_component_set_parse("wall_clock", nullptr), TM_E_INVALID);
    EXPECT_EQ(tm_component_set_available(TM_WALL_CLOCK_BIT, nullptr), TM_E_INVALID);
    EXPECT_EQ(tm_component_set_parse("wall_clock,,;cpu_clock", &set), TM_OK) << "empty items are skipped";
    EXPECT_EQ(set, TM_WALL_CLOCK_BIT | TM_CPU_CLOCK_BIT);
    EXPECT_EQ(tm_component_set_available((tm_component_set_t)1 << 63, &set), TM_E_UNAVAILABLE);
    EXPECT_TRUE(mentions(last_error(), "no such component")) << last_error();
}

// hw_cpu_cycles needs a PMU: on a machine without one (CI, most VMs) it is
// left out of a list with one warning; alone it is an error naming why.
TEST_F(BadInput, UnavailableComponentIsLeftOutOfAListOrRefusedAlone) {
    const char *why = tm_component_unavailable(TM_HW_CPU_CYCLES);
    tm_component_set_t set = 0;
    if (!why) {
        EXPECT_EQ(tm_component_set_parse("hw_cpu_cycles,wall_clock", &set), TM_OK);
        EXPECT_EQ(set, TM_HW_CPU_CYCLES_BIT | TM_WALL_CLOCK_BIT) << "available here: kept";
        return;
    }
    const uint64_t warnings = tm_warning_count();
    ASSERT_EQ(tm_component_set_parse("hw_cpu_cycles,wall_clock", &set), TM_OK);
    EXPECT_EQ(set, TM_WALL_CLOCK_BIT);
    ASSERT_EQ(tm_component_set_parse("hw_cpu_cycles,wall_clock", &set), TM_OK);
    EXPECT_LE(tm_warning_count(), warnings + 1) << "one warning per component and process";
    EXPECT_EQ(tm_component_set_parse("hw_cpu_cycles", &set), TM_E_UNAVAILABLE);
    EXPECT_TRUE(mentions(last_error(), "hw_cpu_cycles (")) << last_error();
    EXPECT_TRUE(mentions(last_error(), why)) << last_error();
    EXPECT_EQ(tm_settings_set("components", "hw_cpu_cycles"), TM_E_BAD_SETTING);
    EXPECT_STREQ(tm_settings_get("components"), "wall_clock");
    tm_component_t c;
    EXPECT_EQ(tm_component_init(&c, TM_HW_CPU_CYCLES, "x"), TM_E_UNAVAILABLE);
    EXPECT_TRUE(mentions(last_error(), "component 'hw_cpu_cycles' is not available here: ")) << last_error();
}

TEST_F(BadInput, UnknownComponentIdsInQueriesAndWriters) {
    record_kept();
    tm_flat_t *flat = nullptr;
    tm_tree_t *tree = nullptr;
    tm_profile_t *p = nullptr;
    for (int id : {-1, (int)TM_COMPONENT_COUNT, 999}) {
        EXPECT_EQ(tm_flat_get(id, &flat), TM_E_UNKNOWN_COMPONENT) << id;
        EXPECT_EQ(last_error(), "component id " + std::to_string(id) + " is out of range");
        EXPECT_EQ(tm_tree_get(id, &tree), TM_E_UNKNOWN_COMPONENT) << id;
        EXPECT_EQ(tm_report_write(id, stdout), TM_E_UNKNOWN_COMPONENT) << id;
        EXPECT_EQ(tm_profile_capture(id, &p), TM_E_UNKNOWN_COMPONENT) << id;
        char buf[16];
        EXPECT_LT(tm_format_value(id, 1.0, buf, sizeof buf), 0) << id;
        EXPECT_EQ(tm_component_desc(id), nullptr);
        EXPECT_STREQ(tm_component_unavailable(id), "no such component");
    }
    EXPECT_EQ(flat, nullptr);
    EXPECT_EQ(tree, nullptr);
    EXPECT_EQ(p, nullptr);
    EXPECT_STREQ(tm_strerror(12345), "unknown error code");
    expect_kept();
}

TEST_F(BadInput, NullOutputPointersAndNullObjectsAreInvalid) {
    record_kept();
    EXPECT_EQ(tm_flat_get(TM_WALL_CLOCK, nullptr), TM_E_INVALID);
    EXPECT_EQ(last_error(), "output pointer is NULL");
    EXPECT_EQ(tm_tree_get(TM_WALL_CLOCK, nullptr), TM_E_INVALID);
    EXPECT_EQ(tm_profile_capture(TM_WALL_CLOCK, nullptr), TM_E_INVALID);
    EXPECT_EQ(tm_report_write(TM_WALL_CLOCK, nullptr), TM_E_INVALID);
    EXPECT_EQ(tm_write_trace_json(nullptr), TM_E_INVALID);
    EXPECT_EQ(tm_write_tree_json(TM_WALL_CLOCK, nullptr, stdout), TM_E_INVALID);
    EXPECT_EQ(tm_write_folded(TM_WALL_CLOCK, nullptr, stdout), TM_E_INVALID);
    EXPECT_EQ(tm_write_flamegraph_svg(TM_WALL_CLOCK, nullptr, stdout), TM_E_INVALID);
    EXPECT_LT(tm_format_value(TM_WALL_CLOCK, 1.0, nullptr, 8), 0);
    EXPECT_LT(tm_format_stats(nullptr, nullptr, 0), 0);
    EXPECT_DOUBLE_EQ(tm_stats_mean(nullptr), 0.0);
    char buf[32];
    EXPECT_EQ(tm_flat_format_prefix(2, nullptr, buf, sizeof buf), 8);
    EXPECT_STREQ(buf, ">>>   |_") << "a NULL label is an empty one";
    tm_flat_free(nullptr);  // no-ops
    tm_tree_free(nullptr);
    tm_profile_free(nullptr);
    EXPECT_EQ(tm_region_name(nullptr), nullptr);
    EXPECT_EQ(tm_region_hash(nullptr), 0u);
    expect_kept();
}

TEST_F(BadInput, ProfileFunctionsRejectNull) {
    tm_profile_t *p = nullptr;
    tm_tree_t *tree = nullptr;
    tm_flat_t *flat = nullptr;
    EXPECT_EQ(tm_profile_load(nullptr, &p), TM_E_INVALID);
    EXPECT_EQ(last_error(), "path is NULL");
    EXPECT_EQ(tm_profile_parse(nullptr, 0, nullptr, &p), TM_E_INVALID);
    EXPECT_EQ(last_error(), "<text>: no text");
    EXPECT_EQ(tm_profile_parse("", 0, "empty", &p), TM_E_INVALID);
    EXPECT_TRUE(mentions(last_error(), "empty:1:1: ")) << last_error();
    EXPECT_EQ(tm_profile_write_json(nullptr, stdout), TM_E_INVALID);
    EXPECT_EQ(tm_profile_save(nullptr, "x.json"), TM_E_INVALID);
    EXPECT_EQ(tm_profile_merge(nullptr, nullptr), TM_E_INVALID);
    EXPECT_EQ(tm_profile_compact(nullptr), TM_E_INVALID);
    EXPECT_EQ(tm_profile_tree(nullptr, &tree), TM_E_INVALID);
    EXPECT_EQ(tm_profile_flat(nullptr, &flat), TM_E_INVALID);
    EXPECT_EQ(tm_profile_info(nullptr), nullptr);
    EXPECT_EQ(tm_profile_component(nullptr), -1);
    EXPECT_STREQ(tm_profile_layout(nullptr), "");
    EXPECT_EQ(tm_profile_node_count(nullptr), 0u);
    EXPECT_EQ(p, nullptr);
}

TEST_F(BadInput, ADirectoryIsNotAProfile) {
    const char *tmp = std::getenv("TEST_TMPDIR");
    tm_profile_t *p = nullptr;
    EXPECT_EQ(tm_profile_load(tmp ? tmp : "/tmp", &p), TM_E_IO);
    EXPECT_TRUE(mentions(last_error(), "Is a directory")) << last_error();
    EXPECT_STREQ(tm_strerror(TM_E_IO), "could not read or write a file");
}

TEST_F(BadInput, ComponentObjectMisuse) {
    tm_component_t c;
    EXPECT_EQ(tm_component_init(nullptr, TM_WALL_CLOCK, "x"), TM_E_INVALID);
    EXPECT_EQ(tm_component_init(&c, TM_COMPONENT_COUNT, "x"), TM_E_UNKNOWN_COMPONENT);
    EXPECT_EQ(last_error(), "component id " + std::to_string(TM_COMPONENT_COUNT) + " is out of range (0.." +
                                std::to_string(TM_COMPONENT_COUNT - 1) + ")");
    EXPECT_EQ(tm_component_init(&c, TM_WALL_CLOCK, ""), TM_E_INVALID);
    EXPECT_EQ(last_error(), "region name is empty; give a non-empty string");
    // An object never initialised (garbage) is refused by every call, not used.
    std::memset(&c, 0xab, sizeof c);
    for (int rc : {tm_component_start(&c), tm_component_stop(&c), tm_component_push(&c), tm_component_pop(&c),
                   tm_component_reset(&c), tm_component_measure(&c), tm_component_store(&c, 1.0)}) {
        EXPECT_EQ(rc, TM_E_INVALID);
        EXPECT_EQ(last_error(), "component object was not initialised with tm_component_init()");
    }
    EXPECT_EQ(tm_component_get(&c), 0.0);
    EXPECT_EQ(tm_component_get_raw(nullptr), 0.0);
    EXPECT_EQ(tm_component_start(nullptr), TM_E_INVALID);
}

TEST_F(BadInput, ComponentObjectWrongOrderIsRepairedOrRefused) {
    record_kept();
    tm_component_t c;
    ASSERT_EQ(tm_component_init(&c, TM_WALL_CLOCK, "obj"), TM_OK);
    EXPECT_EQ(tm_component_stop(&c), TM_E_UNBALANCED);
    EXPECT_EQ(last_error(), "stop() of wall_clock 'obj' without start()");
    ASSERT_EQ(tm_component_push(&c), TM_OK);
    EXPECT_EQ(tm_component_push(&c), TM_E_UNBALANCED);
    EXPECT_EQ(last_error(), "wall_clock 'obj' is already pushed");
    // start() twice: the lap restarts at the second start (one lap counted).
    ASSERT_EQ(tm_component_start(&c), TM_OK);
    tmtest::advance_sec(5);
    ASSERT_EQ(tm_component_start(&c), TM_OK);
    tmtest::advance_sec(2);
    ASSERT_EQ(tm_component_stop(&c), TM_OK);
    EXPECT_DOUBLE_EQ(tm_component_get(&c), 2.0);
    ASSERT_EQ(tm_component_pop(&c), TM_OK);
    EXPECT_EQ(tm_component_pop(&c), TM_E_UNBALANCED);
    Flat flat;
    const tm_flat_entry_t *obj = flat.one("obj");
    ASSERT_NE(obj, nullptr);
    EXPECT_EQ(obj->inclusive.stats.count, 1u) << "one push/pop = one sample; the misuse added none";
    EXPECT_DOUBLE_EQ(obj->inclusive.data, 2.0);
    expect_kept();
}

TEST_F(BadInput, StoreValuesThatDoNotFitTheTrackerAreRefusedAndNothingChanges) {
    tm_component_t i, u, f;
    ASSERT_EQ(tm_component_init(&i, TM_DATA_TRACKER_INTEGER, "i"), TM_OK);
    ASSERT_EQ(tm_component_init(&u, TM_DATA_TRACKER_UNSIGNED, "u"), TM_OK);
    ASSERT_EQ(tm_component_init(&f, TM_DATA_TRACKER_FLOATING, "f"), TM_OK);
    ASSERT_EQ(tm_push_region("store"), TM_OK);
    ASSERT_EQ(tm_component_store(&i, 7), TM_OK);
    for (double bad : {(double)NAN, (double)INFINITY, -(double)INFINITY, 0.5, 1e19, -1e19}) {
        EXPECT_EQ(tm_component_store(&i, bad), TM_E_INVALID) << bad;
        EXPECT_TRUE(mentions(last_error(), "data_tracker_integer stores whole integers; ")) << last_error();
    }
    EXPECT_EQ(tm_component_store(&u, -1), TM_E_INVALID);
    EXPECT_EQ(last_error(), "data_tracker_unsigned stores non-negative integers; -1 is not one");
    EXPECT_EQ(tm_component_store(&i, -3), TM_OK) << "negative integers fit the signed tracker";
    // A real-valued tracker takes any double, NaN and infinities included:
    // they are the user's values and are kept (and written) as they are.
    EXPECT_EQ(tm_component_store(&f, -2.5), TM_OK);
    EXPECT_EQ(tm_component_store(&f, INFINITY), TM_OK);
    ASSERT_EQ(tm_pop_region("store"), TM_OK);
    Flat ints(TM_DATA_TRACKER_INTEGER);
    const tm_flat_entry_t *e = ints.one("store");
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->inclusive.stats.count, 2u) << "only the two accepted values";
    EXPECT_DOUBLE_EQ(e->inclusive.data, 4.0);
    Flat reals(TM_DATA_TRACKER_FLOATING);
    ASSERT_NE(reals.one("store"), nullptr);
    EXPECT_EQ(reals.one("store")->inclusive.stats.count, 2u);
    EXPECT_TRUE(std::isinf(reals.one("store")->inclusive.data));
}

TEST_F(BadInput, StoreOutsideAnyRegionCountsOnTheObjectOnly) {
    tm_component_t i;
    ASSERT_EQ(tm_component_init(&i, TM_DATA_TRACKER_INTEGER, "alone"), TM_OK);
    EXPECT_EQ(tm_component_store(&i, 5), TM_OK);
    EXPECT_DOUBLE_EQ(tm_component_get(&i), 5.0);
    Flat flat(TM_DATA_TRACKER_INTEGER);
    EXPECT_EQ(flat.size(), 0u) << "no open region: nothing enters the call graph";
}

TEST_F(BadInput, InitTwiceOnlyRenamesTheRun) {
    record_kept();
    EXPECT_EQ(tm_init("renamed"), TM_OK);
    EXPECT_EQ(tm_init(nullptr), TM_OK);
    tm_profile_t *p = nullptr;
    ASSERT_EQ(tm_profile_capture(TM_WALL_CLOCK, &p), TM_OK);
    EXPECT_STREQ(tm_profile_info(p)->name, "renamed") << "NULL keeps the name";
    tm_profile_free(p);
    expect_kept();
    EXPECT_EQ(tm_init("tests"), TM_OK);
}

TEST_F(BadInput, EmptyComponentSetRecordsNothingButStaysBalanced) {
    record_kept();
    tm_region_t r = tm_region("nothing");
    ASSERT_EQ(tm_region_begin_set(r, 0), TM_OK);
    ASSERT_EQ(tm_region_end(r), TM_OK);
    Flat flat;
    EXPECT_EQ(flat.labels(), std::vector<std::string>{"kept"});
}

// A file written by a build with another component table: it loads (views
// work, values in the file's unit), but nothing needing the table accepts it.
TEST_F(BadInput, ProfileOfAComponentThisBuildDoesNotHave) {
    record_kept();
    tm_profile_t *live = nullptr;
    ASSERT_EQ(tm_profile_capture(TM_WALL_CLOCK, &live), TM_OK);
    char *buf = nullptr;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    ASSERT_NE(mem, nullptr);
    ASSERT_EQ(tm_profile_write_json(live, mem), TM_OK);
    std::fclose(mem);
    std::string text(buf, len);
    std::free(buf);
    const std::string key = "\"component\": \"wall_clock\"";
    const size_t at = text.find(key);
    ASSERT_NE(at, std::string::npos);
    text.replace(at, key.size(), "\"component\": \"bogus_clock\"");
    tm_profile_t *p = nullptr;
    ASSERT_EQ(tm_profile_parse(text.data(), text.size(), "other.json", &p), TM_OK) << last_error();
    EXPECT_EQ(tm_profile_component(p), -1);
    EXPECT_STREQ(tm_profile_info(p)->component, "bogus_clock");
    tm_tree_t *tree = nullptr;
    ASSERT_EQ(tm_profile_tree(p, &tree), TM_OK);
    tm_tree_free(tree);
    EXPECT_EQ(tm_profile_merge(live, p), TM_E_INVALID);
    EXPECT_TRUE(mentions(last_error(), "bogus_clock")) << last_error();
    tm_profile_free(p);
    tm_profile_free(live);
}

// Every row of core/settings.def, by its type: an invalid value is refused
// with a message naming the setting, the value and the valid choices, and
// the current value is kept.
TEST_F(BadInput, EverySettingRefusesAnInvalidValueOfItsType) {
    ASSERT_GT(tm_settings_count(), 0u);
    for (size_t i = 0; i < tm_settings_count(); ++i) {
        const tm_setting_desc_t *d = tm_settings_desc(i);
        ASSERT_NE(d, nullptr);
        const std::string before = tm_settings_get(d->name);
        const char *bad = nullptr, *valid = nullptr;
        switch (d->type) {
        case TM_SETTING_BOOL: bad = "maybe", valid = "(valid: 1, 0, true, false, on, off, yes, no)"; break;
        case TM_SETTING_INT: bad = "-5", valid = "(valid: an integer from 0 to 1000000)"; break;
        case TM_SETTING_CHOICE: bad = "bogus", valid = d->choices; break;
        case TM_SETTING_COMPONENTS: bad = "bogus_clock", valid = "(valid: wall_clock,"; break;
        case TM_SETTING_STRING: bad = "", valid = "(valid: a non-empty path)"; break;
        }
        ASSERT_NE(bad, nullptr) << d->name << ": a setting type this test does not know";
        EXPECT_EQ(tm_settings_set(d->name, bad), TM_E_BAD_SETTING) << d->name;
        const std::string err = last_error();
        EXPECT_EQ(err.rfind(std::string(d->name) + "=\"" + bad + "\"", 0), 0u) << d->name << ": " << err;
        EXPECT_TRUE(mentions(err, valid)) << d->name << ": " << err;
        EXPECT_EQ(tm_settings_get(d->name), before) << d->name;
    }
}

}  // namespace
