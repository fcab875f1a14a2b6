// Bad input never crashes and always names the file and the position:
// missing files, every truncation of a valid file, corrupt bytes, foreign
// JSON, wrong field types; and an unwritable path names the OS reason.
#include <cstring>
#include <string>

#include "tests/c/profile_test_util.h"

namespace {

using namespace tmtest;

class ProfileBadInput : public EngineTest {
  protected:
    void SetUp() override {
        EngineTest::SetUp();
        ASSERT_EQ(tm_push_region("outer"), TM_OK);
        timed_region("inner", 1);
        ASSERT_EQ(tm_pop_region("outer"), TM_OK);
        Profile live;
        ASSERT_EQ(tm_profile_capture(TM_WALL_CLOCK, &live.p), TM_OK);
        ASSERT_EQ(tm_profile_save(live.p, tmp_path("good.json").c_str()), TM_OK);
        good_ = slurp(tmp_path("good.json"));
    }
    // Loads `text` saved as `name`; returns the error code and message.
    int load_text(const std::string &name, const std::string &text, std::string *message) {
        spit(tmp_path(name), text);
        Profile p;
        int rc = tm_profile_load(tmp_path(name).c_str(), &p.p);
        *message = last_error();
        if (rc != TM_OK) {
            EXPECT_EQ(p.p, nullptr);
        }
        return rc;
    }
    std::string good_;
};

TEST_F(ProfileBadInput, MissingFileNamesPathAndReason) {
    Profile p;
    EXPECT_EQ(tm_profile_load(tmp_path("no_such.json").c_str(), &p.p), TM_E_IO);
    EXPECT_NE(last_error().find("no_such.json"), std::string::npos) << last_error();
    EXPECT_NE(last_error().find("No such file or directory"), std::string::npos) << last_error();
}

TEST_F(ProfileBadInput, EveryTruncationIsAnErrorNamingTheFile) {
    for (size_t len = 0; len + 1 < good_.size(); ++len) {
        // cutting only the final newline leaves a complete document
        if (good_.substr(len).find_first_not_of("\n ") == std::string::npos) continue;
        tm_profile_t *p = nullptr;
        ASSERT_EQ(tm_profile_parse(good_.data(), len, "cut.json", &p), TM_E_INVALID) << "cut at " << len;
        ASSERT_EQ(p, nullptr);
        ASSERT_NE(last_error().find("cut.json"), std::string::npos) << last_error();
    }
    std::string message;
    load_text("cut.json", good_.substr(0, good_.size() / 2), &message);
    EXPECT_NE(message.find("unexpected end of the file"), std::string::npos) << message;
}

// Any single corrupted byte: loads (a harmless change such as a digit) or is
// refused with the file named; never a crash (the suite also runs under ASan).
TEST_F(ProfileBadInput, EveryCorruptedByteIsHandled) {
    for (size_t at = 0; at < good_.size(); ++at)
        for (char c : {'"', '}', '9', '\\', '\0'}) {
            std::string text = good_;
            text[at] = c;
            tm_profile_t *p = nullptr;
            int rc = tm_profile_parse(text.data(), text.size(), "byte.json", &p);
            ASSERT_TRUE(rc == TM_OK || rc == TM_E_INVALID) << rc;
            if (rc == TM_OK) {
                ASSERT_NE(p, nullptr);
                tm_profile_free(p);
            } else {
                ASSERT_NE(last_error().find("byte.json"), std::string::npos) << last_error();
            }
        }
}

TEST_F(ProfileBadInput, CorruptByteGivesLineAndColumn) {
    std::string text = good_;
    const size_t at = text.find("\"nodes\"");
    ASSERT_NE(at, std::string::npos);
    text[at + 9] = '#';  // "nodes": #...
    std::string message;
    EXPECT_EQ(load_text("corrupt.json", text, &message), TM_E_INVALID);
    size_t line = 1;
    for (size_t i = 0; i < at; ++i) line += text[i] == '\n';
    EXPECT_NE(message.find("corrupt.json:" + std::to_string(line) + ":"), std::string::npos) << message;
}

TEST_F(ProfileBadInput, ForeignJsonIsRecognised) {
    std::string message;
    EXPECT_EQ(load_text("foreign.json", "{\"traceEvents\": []}", &message), TM_E_INVALID);
    EXPECT_NE(message.find("not a timemory-c profile"), std::string::npos) << message;
    EXPECT_EQ(load_text("array.json", "[1, 2, 3]", &message), TM_E_INVALID);
    EXPECT_NE(message.find("array.json"), std::string::npos) << message;
    EXPECT_EQ(load_text("empty.json", "", &message), TM_E_INVALID);
    EXPECT_NE(message.find("empty.json"), std::string::npos) << message;
    EXPECT_EQ(load_text("binary.json", std::string("\x00\xff\x13", 3), &message), TM_E_INVALID);
}

TEST_F(ProfileBadInput, NewerFormatVersionIsRefused) {
    std::string text = good_;
    const std::string key = "\"format_version\": 1";
    text.replace(text.find(key), key.size(), "\"format_version\": 7");
    std::string message;
    EXPECT_EQ(load_text("newer.json", text, &message), TM_E_INVALID);
    EXPECT_NE(message.find("format_version 7"), std::string::npos) << message;
}

// Each edit breaks one field of one node; the message names the node and field.
TEST_F(ProfileBadInput, WrongFieldsNameTheNodeAndField) {
    struct Case {
        std::string from, to, expect;
        bool first;  // edit the first node that has `from`, else the last
    } cases[] = {
        {"\"count\": 1,", "\"count\": \"one\",", "nodes[2].exclusive.count", false},
        {"\"count\": 1,", "\"count\": -1,", "nodes[2].exclusive.count", false},
        {"\"kind\": \"region\"", "\"kind\": \"loop\"", "nodes[1].kind", true},
        {"\"parent\": 1,", "\"parent\": 5,", "nodes[2].parent", false},
        {"\"hash\": \"", "\"hash\": \"x", "nodes[0].hash", true},
        {"\"depth\": 1,", "\"depth\": 1.5,", "nodes[2].depth", false},
        {"\"label\": \"inner\"", "\"label\": 42", "nodes[2].label", false},
        {"\"label\": \"inner\"", "\"label\": \"other\"", "nodes[2].hash", false},
        {"\"rolling_hash\": \"", "\"rolling_hash\": \"1", "nodes[2].rolling_hash", false},
        {"\"component\": \"wall_clock\"", "\"component\": 3", "metadata.component", true},
        {"\"kind\": \"DELTA\"", "\"kind\": \"SUM\"", "metadata.kind", true},
    };
    for (const auto &c : cases) {
        std::string text = good_;
        size_t at = c.first ? text.find(c.from) : text.rfind(c.from);
        ASSERT_NE(at, std::string::npos) << c.from;
        text.replace(at, c.from.size(), c.to);
        std::string message;
        EXPECT_EQ(load_text("field.json", text, &message), TM_E_INVALID) << c.to;
        EXPECT_NE(message.find("field.json: " + c.expect), std::string::npos) << c.to << " -> " << message;
    }
}

// A node's one tid and pid out of range are refused, not cast (casting
// 5e247 to an integer is undefined; tests/fuzz/regressions/profile/).
TEST_F(ProfileBadInput, OutOfRangeThreadOrProcessIdIsRefused) {
    for (const char *key : {"\"tids\": [", "\"pids\": ["}) {
        for (const char *bad : {"5e247", "-5e247", "1.5", "1e300"}) {
            std::string text = good_;
            size_t at = text.rfind(key);
            ASSERT_NE(at, std::string::npos) << key;
            size_t from = at + strlen(key), end = text.find(']', from);
            text.replace(from, end - from, bad);
            std::string message;
            EXPECT_EQ(load_text("ids.json", text, &message), TM_E_INVALID) << key << bad;
            std::string field = std::string(key).substr(1, 4);
            EXPECT_NE(message.find("ids.json: nodes[2]." + field), std::string::npos) << key << bad << " -> " << message;
        }
    }
}

TEST_F(ProfileBadInput, UnwritablePathNamesPathAndReason) {
    Profile p;
    ASSERT_EQ(tm_profile_capture(TM_WALL_CLOCK, &p.p), TM_OK);
    const std::string path = tmp_path("no/such/dir/wall_clock.json");
    EXPECT_EQ(tm_profile_save(p.p, path.c_str()), TM_E_IO);
    EXPECT_NE(last_error().find(path), std::string::npos) << last_error();
    EXPECT_NE(last_error().find("No such file or directory"), std::string::npos) << last_error();
    // the data is still there and can be written elsewhere
    EXPECT_EQ(tm_profile_save(p.p, tmp_path("elsewhere.json").c_str()), TM_OK);
    Flat flat;
    EXPECT_EQ(flat.labels(), (std::vector<std::string>{"outer", "inner"}));
}

TEST_F(ProfileBadInput, FullDiskIsAnError) {
    Profile p;
    ASSERT_EQ(tm_profile_capture(TM_WALL_CLOCK, &p.p), TM_OK);
    EXPECT_EQ(tm_profile_save(p.p, "/dev/full"), TM_E_IO);
    EXPECT_NE(last_error().find("/dev/full"), std::string::npos) << last_error();
    EXPECT_NE(last_error().find("No space left on device"), std::string::npos) << last_error();
}

}  // namespace
