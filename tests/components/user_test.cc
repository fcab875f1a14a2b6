// USER components: trip_count against the test's own count of region entries;
// the data trackers against the test's own record of the values it stored
// (exact: count, sum, min, max, sum of squares) and of the values that must be
// rejected.
#include <cmath>
#include <limits>

#include "tests/components/proof.h"

namespace {

using namespace proof;

class User : public ProofTest {};

// The only flat entry of `component` labelled `label` (copied), or a failure.
bool flat_entry(int component, const std::string &label, tm_flat_entry_t *out) {
    tm_flat_t *flat = nullptr;
    if (tm_flat_get(component, &flat) != TM_OK || !flat) {
        ADD_FAILURE() << "tm_flat_get: " << tm_last_error();
        return false;
    }
    int found = 0;
    for (size_t i = 0; i < flat->size; ++i)
        if (flat->entries[i].label && label == flat->entries[i].label) {
            *out = flat->entries[i];
            ++found;
        }
    out->label = out->prefix = nullptr;  // owned by the snapshot
    out->hierarchy = nullptr;
    tm_flat_free(flat);
    EXPECT_EQ(found, 1) << "flat entries of " << tm_component_desc(component)->name << " labelled " << label;
    return found == 1;
}

// Independent record of stored values.
struct Record {
    uint64_t count = 0;
    double sum = 0, min = 0, max = 0, sqr = 0;
    void add(double v) {
        if (count == 0 || v < min) min = v;
        if (count == 0 || v > max) max = v;
        ++count;
        sum += v;
        sqr += v * v;
    }
};

void expect_holds(const tm_stats_t &s, const Record &r, const std::string &what) {
    EXPECT_EQ(s.count, r.count) << what;
    EXPECT_EQ(s.sum, r.sum) << what;
    EXPECT_EQ(s.min, r.min) << what;
    EXPECT_EQ(s.max, r.max) << what;
    EXPECT_EQ(s.sqr, r.sqr) << what;
}

// Entering a region n times: trip_count's samples and its value are n.
PROOF_TEST(User, TripCountCountsRegionEntries, "trip_count") {
    tm_region_t outer = tm_region("trips_outer"), inner = tm_region("trips_inner");
    int outer_entries = 0, inner_entries = 0;
    for (int i = 0; i < 2; ++i) {
        ASSERT_EQ(tm_region_begin_set(outer, TM_TRIP_COUNT_BIT), TM_OK);
        ++outer_entries;
        for (int j = 0; j < 3; ++j) {
            ASSERT_EQ(tm_region_begin_set(inner, TM_TRIP_COUNT_BIT), TM_OK);
            ++inner_entries;
            ASSERT_EQ(tm_region_end(inner), TM_OK);
        }
        ASSERT_EQ(tm_region_end(outer), TM_OK);
    }
    tm_flat_entry_t o, in;
    ASSERT_TRUE(flat_entry(TM_TRIP_COUNT, "trips_outer", &o));
    ASSERT_TRUE(flat_entry(TM_TRIP_COUNT, "trips_inner", &in));
    EXPECT_EQ(o.inclusive.stats.count, (uint64_t)outer_entries);
    EXPECT_EQ(in.inclusive.stats.count, (uint64_t)inner_entries);
    EXPECT_EQ(o.inclusive.stats.sum, outer_entries) << "each entry is one trip";
    EXPECT_EQ(in.inclusive.stats.sum, inner_entries) << "each entry is one trip";
    // The value reported for the region (the report's "sum" column, the JSON
    // "data") is the number of entries.
    EXPECT_EQ(o.inclusive.data, outer_entries) << "trip_count value of a region entered " << outer_entries << " times";
    EXPECT_EQ(in.inclusive.data, inner_entries) << "trip_count value of a region entered " << inner_entries << " times";
}

// The component object counts its own laps the same way.
PROOF_TEST(User, TripCountObjectCountsLaps, "trip_count") {
    Comp trips(TM_TRIP_COUNT);
    int laps = 0;
    for (int i = 0; i < 3; ++i) {
        trips.start();
        trips.stop();
        ++laps;
    }
    EXPECT_EQ(trips.raw(), laps) << "trip_count object started and stopped " << laps << " times";
}

// Each tracker holds exactly the values stored into the innermost region,
// accepts what its type allows and rejects the rest without recording it.
PROOF_TEST(User, DataTrackersHoldExactlyWhatWasStored, "data_tracker_integer", "data_tracker_unsigned",
           "data_tracker_floating") {
    struct Case {
        int id;
        std::vector<double> good, bad;
    };
    const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
    const std::vector<Case> cases = {
        {TM_DATA_TRACKER_INTEGER, {-5, 7, 1000000, 0, -9007199254740992.0}, {2.5, -0.5, nan, inf, -inf, 1e19}},
        {TM_DATA_TRACKER_UNSIGNED, {0, 3, 1099511627776.0, 42}, {-1, 0.5, nan, inf, 1e19}},
        {TM_DATA_TRACKER_FLOATING, {0.25, -1.5, 1e-3, 3.75, 1e300, -2}, {}},
    };
    for (const Case &c : cases) {
        const std::string name = tm_component_desc(c.id)->name;
        SCOPED_TRACE(name);
        const std::string label = "stored_" + name;
        Comp tracker(c.id);
        Record rec;
        ASSERT_EQ(tm_push_region(label.c_str()), TM_OK);
        for (double v : c.good) {
            EXPECT_EQ(tm_component_store(tracker.obj(), v), TM_OK) << v << ": " << tm_last_error();
            rec.add(v);
        }
        for (double v : c.bad) {
            EXPECT_EQ(tm_component_store(tracker.obj(), v), TM_E_INVALID) << v << " must be rejected";
            EXPECT_NE(std::string(tm_last_error()).find(name), std::string::npos) << tm_last_error();
        }
        ASSERT_EQ(tm_pop_region(label.c_str()), TM_OK);
        EXPECT_EQ(tracker.raw(), rec.sum) << "the object's value is the sum of what it stored";
        tm_flat_entry_t e;
        ASSERT_TRUE(flat_entry(c.id, label, &e));
        expect_holds(e.inclusive.stats, rec, "inclusive");
        expect_holds(e.exclusive.stats, rec, "exclusive");
        EXPECT_EQ(e.inclusive.data, rec.sum);
        // A measuring operation is refused: the user feeds these.
        EXPECT_EQ(tm_component_start(tracker.obj()), TM_E_WRONG_KIND);
    }
}

// Naming a tracker in a region's component set (as TIMEMORY_COMPONENTS does)
// must not add samples the user did not store.
PROOF_TEST(User, TrackerInRegionSetHoldsOnlyStoredValues, "data_tracker_integer", "data_tracker_floating") {
    tm_component_set_t set = 0;
    ASSERT_EQ(tm_component_set_parse("wall_clock,data_tracker_integer,data_tracker_floating", &set), TM_OK);
    Comp integer(TM_DATA_TRACKER_INTEGER), floating(TM_DATA_TRACKER_FLOATING);
    tm_region_t r = tm_region("tracked_set");
    Record ri, rf;
    for (int i = 0; i < 2; ++i) {
        ASSERT_EQ(tm_region_begin_set(r, set), TM_OK);
        ASSERT_EQ(tm_component_store(integer.obj(), 10 + i), TM_OK);
        ri.add(10 + i);
        ASSERT_EQ(tm_component_store(floating.obj(), 0.5 + i), TM_OK);
        rf.add(0.5 + i);
        ASSERT_EQ(tm_region_end(r), TM_OK);
    }
    tm_flat_entry_t ei, ef;
    ASSERT_TRUE(flat_entry(TM_DATA_TRACKER_INTEGER, "tracked_set", &ei));
    ASSERT_TRUE(flat_entry(TM_DATA_TRACKER_FLOATING, "tracked_set", &ef));
    expect_holds(ei.inclusive.stats, ri, "data_tracker_integer in the region set");
    expect_holds(ef.inclusive.stats, rf, "data_tracker_floating in the region set");
}

// A pushed tracker turns what was stored between push() and pop() into one
// sample: the exact sum.
PROOF_TEST(User, PushedTrackerRecordsTheSumOfItsStores, "data_tracker_unsigned") {
    Comp tracker(TM_DATA_TRACKER_UNSIGNED);
    Record rec;
    for (int rep = 0; rep < 3; ++rep) {
        ASSERT_EQ(tm_component_push(tracker.obj()), TM_OK);
        double sum = 0;
        for (double v : {1.0, 20.0, 300.0 * (rep + 1)}) {
            ASSERT_EQ(tm_component_store(tracker.obj(), v), TM_OK);
            sum += v;
        }
        ASSERT_EQ(tm_component_pop(tracker.obj()), TM_OK);
        rec.add(sum);
    }
    tm_flat_entry_t e;
    ASSERT_TRUE(flat_entry(TM_DATA_TRACKER_UNSIGNED, "proof/data_tracker_unsigned", &e));
    expect_holds(e.inclusive.stats, rec, "pushed data_tracker_unsigned");
}

}  // namespace
