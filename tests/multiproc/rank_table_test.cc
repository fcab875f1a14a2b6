// The MPI rank table of a profile: captured from the rank hook, written as
// metadata "ranks" and per-node "ranks" sets, read back, united by merges;
// a bad "ranks" or "file_suffix" is a clear error naming the field.
#include <cjson/cJSON.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include <timemory/serialize.h>
#include <timemory/timemory.h>

#include "core/src/multiproc.h"

namespace {

int64_t fake_rank = -1;
int64_t rank_of_process() { return fake_rank; }

std::string to_json(const tm_profile_t *p) {
    char *buf = nullptr;
    size_t len = 0;
    EXPECT_EQ(tm_profile_to_json(p, &buf, &len), TM_OK);
    std::string s(buf ? buf : "", len);
    free(buf);
    return s;
}

tm_profile_t *parse(const std::string &text, int expect = TM_OK) {
    tm_profile_t *p = nullptr;
    EXPECT_EQ(tm_profile_parse(text.data(), text.size(), "test", &p), expect) << tm_last_error();
    return p;
}

// The same profile as if recorded by `pid` on rank `rank`: every pid field
// rewritten with cJSON (an independent reader of the text).
std::string as_other_rank(const std::string &text, int64_t rank, int64_t pid) {
    cJSON *root = cJSON_Parse(text.c_str());
    cJSON *meta = cJSON_GetObjectItem(root, "metadata");
    cJSON_ReplaceItemInObject(meta, "pid", cJSON_CreateNumber((double)pid));
    cJSON *ranks = cJSON_CreateArray();
    cJSON *e = cJSON_CreateObject();
    cJSON_AddNumberToObject(e, "rank", (double)rank);
    cJSON_AddNumberToObject(e, "pid", (double)pid);
    cJSON_AddItemToArray(ranks, e);
    cJSON_ReplaceItemInObject(meta, "ranks", ranks);
    cJSON *node;
    cJSON_ArrayForEach(node, cJSON_GetObjectItem(root, "nodes")) {
        cJSON *pids = cJSON_CreateArray();
        cJSON_AddItemToArray(pids, cJSON_CreateNumber((double)pid));
        cJSON_ReplaceItemInObject(node, "pids", pids);
        cJSON_DeleteItemFromObject(node, "ranks");
    }
    char *out = cJSON_PrintUnformatted(root);
    std::string s(out);
    free(out);
    cJSON_Delete(root);
    return s;
}

class RankTableTest : public ::testing::Test {
  protected:
    void SetUp() override {
        tm_init("rank_table_test");
        tm_settings_set("auto_output", "0");
        tm_settings_set("components", "wall_clock");
        tm_storage_reset();
        fake_rank = 3;
        tm_rank_hook = rank_of_process;
        tm_push_region("a");
        tm_pop_region("a");
    }
    void TearDown() override {
        tm_rank_hook = nullptr;
        tm_storage_reset();
    }
};

TEST_F(RankTableTest, CapturedWrittenAndReadBack) {
    tm_profile_t *p = nullptr;
    ASSERT_EQ(tm_profile_capture(TM_WALL_CLOCK, &p), TM_OK);
    const tm_run_info_t *m = tm_profile_info(p);
    ASSERT_EQ(m->n_ranks, 1u);
    EXPECT_EQ(m->rank_pids[0], 3);
    EXPECT_EQ(m->rank_pids[1], getpid());
    std::string text = to_json(p);
    EXPECT_NE(text.find("\"ranks\": [{\"rank\": 3, \"pid\": " + std::to_string(getpid()) + "}]"), std::string::npos);
    EXPECT_NE(text.find("\"label\": \"a\""), std::string::npos);
    EXPECT_NE(text.find("\"pids\": [" + std::to_string(getpid()) + "], \"ranks\": [3]"), std::string::npos) << text;
    tm_profile_t *back = parse(text);
    ASSERT_TRUE(back);
    EXPECT_EQ(to_json(back), text);
    tm_profile_free(back);
    tm_profile_free(p);
}

TEST_F(RankTableTest, MergeUnitesRanksPerNode) {
    tm_profile_t *p = nullptr;
    ASSERT_EQ(tm_profile_capture(TM_WALL_CLOCK, &p), TM_OK);
    tm_profile_t *other = parse(as_other_rank(to_json(p), 5, 4242424));
    ASSERT_TRUE(other);
    ASSERT_EQ(tm_profile_merge(p, other), TM_OK);
    const tm_run_info_t *m = tm_profile_info(p);
    ASSERT_EQ(m->n_ranks, 2u);
    EXPECT_EQ(m->rank_pids[2], 5);
    EXPECT_EQ(m->rank_pids[3], 4242424);
    std::string text = to_json(p);
    EXPECT_NE(text.find("\"ranks\": [3, 5]"), std::string::npos) << text;
    tm_profile_free(other);
    tm_profile_free(p);
}

TEST_F(RankTableTest, NoRanksWithoutMpi) {
    tm_rank_hook = nullptr;
    tm_profile_t *p = nullptr;
    ASSERT_EQ(tm_profile_capture(TM_WALL_CLOCK, &p), TM_OK);
    EXPECT_EQ(tm_profile_info(p)->n_ranks, 0u);
    std::string text = to_json(p);
    EXPECT_EQ(text.find("\"ranks\""), std::string::npos);
    EXPECT_NE(text.find("\"file_suffix\": \"\""), std::string::npos);
    tm_profile_free(p);
}

TEST_F(RankTableTest, BadRanksAreNamed) {
    tm_profile_t *p = nullptr;
    ASSERT_EQ(tm_profile_capture(TM_WALL_CLOCK, &p), TM_OK);
    std::string text = to_json(p);
    tm_profile_free(p);
    std::string key = "\"ranks\": [{\"rank\": 3";
    size_t at = text.find(key);
    ASSERT_NE(at, std::string::npos);
    for (const char *bad : {"\"ranks\": 5, \"x\": [{\"rank\": 3", "\"ranks\": [{\"rank\": -1"}) {
        std::string t = text;
        t.replace(at, key.size(), bad);
        EXPECT_EQ(parse(t, TM_E_INVALID), nullptr);
        EXPECT_NE(std::string(tm_last_error()).find("ranks: expected"), std::string::npos) << tm_last_error();
    }
    std::string t = text;
    size_t s = t.find("\"file_suffix\": \"\"");
    t.replace(s, strlen("\"file_suffix\": \"\""), "\"file_suffix\": 7");
    EXPECT_EQ(parse(t, TM_E_INVALID), nullptr);
    EXPECT_NE(std::string(tm_last_error()).find("file_suffix: expected a string"), std::string::npos);
}

}  // namespace
