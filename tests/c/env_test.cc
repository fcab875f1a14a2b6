// TIMEMORY_* environment variables, read once by tm_init(). The environment
// is read once per process, so every case runs the env_probe helper in a
// new process (posix_spawn) with its own environment and checks what it
// printed: the settings in effect and the warnings on stderr.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <timemory/timemory.h>

extern char **environ;

namespace {

struct ProbeResult {
    int exit_code = -1;
    std::map<std::string, std::string> settings;  // also default_components, warnings
    std::string err;                               // stderr
    std::vector<std::string> err_lines_with(const std::string &needle) const {
        std::vector<std::string> out;
        std::istringstream in(err);
        for (std::string line; std::getline(in, line);)
            if (line.find(needle) != std::string::npos) out.push_back(line);
        return out;
    }
};

std::string probe_path() {
    // Bazel runs tests from the runfiles tree of this workspace.
    std::string local = "tests/c/env_probe";
    if (access(local.c_str(), X_OK) == 0) return local;
    const char *srcdir = std::getenv("TEST_SRCDIR");
    const char *ws = std::getenv("TEST_WORKSPACE");
    if (srcdir && ws) return std::string(srcdir) + "/" + ws + "/tests/c/env_probe";
    return local;
}

std::string tmp_dir() {
    const char *t = std::getenv("TEST_TMPDIR");
    return t ? t : "/tmp";
}

std::string slurp(const std::string &path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Runs env_probe with this process's environment minus every TIMEMORY_*
// variable, plus `vars`.
// `args` are NAME=VALUE settings the probe sets before tm_init().
ProbeResult run_probe(const std::vector<std::string> &vars, const std::vector<std::string> &args = {}) {
    static int serial = 0;
    const std::string base = tmp_dir() + "/env_probe_" + std::to_string(getpid()) + "_" +
                             std::to_string(serial++);
    const std::string out_path = base + ".out", err_path = base + ".err";

    std::vector<std::string> env_strings;
    for (char **e = environ; *e; ++e)
        if (std::string(*e).rfind("TIMEMORY_", 0) != 0) env_strings.push_back(*e);
    bool sets_auto_output = false, sets_output_path = false;
    for (const auto &v : vars) sets_auto_output |= v.rfind("TIMEMORY_AUTO_OUTPUT=", 0) == 0;
    for (const auto &v : vars) sets_output_path |= v.rfind("TIMEMORY_OUTPUT_PATH=", 0) == 0;
    if (!sets_output_path) env_strings.push_back("TIMEMORY_OUTPUT_PATH=" + base + ".output");
    if (!sets_auto_output) env_strings.push_back("TIMEMORY_AUTO_OUTPUT=0");
    env_strings.insert(env_strings.end(), vars.begin(), vars.end());
    std::vector<char *> envp;
    for (auto &s : env_strings) envp.push_back(const_cast<char *>(s.c_str()));
    envp.push_back(nullptr);

    const std::string path = probe_path();
    std::vector<char *> argv{const_cast<char *>(path.c_str())};
    for (auto &a : args) argv.push_back(const_cast<char *>(a.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);

    ProbeResult r;
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, path.c_str(), &fa, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&fa);
    EXPECT_EQ(rc, 0) << "cannot start " << path;
    if (rc != 0) return r;
    int status = 0;
    EXPECT_EQ(waitpid(pid, &status, 0), pid);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;

    std::istringstream out(slurp(out_path));
    for (std::string line; std::getline(out, line);) {
        auto eq = line.find('=');
        if (eq != std::string::npos) r.settings[line.substr(0, eq)] = line.substr(eq + 1);
    }
    r.err = slurp(err_path);
    return r;
}

TEST(Environment, NoVariablesMeansDefaultsAndNoWarning) {
    ProbeResult r = run_probe({});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.settings["precision"], "3");
    EXPECT_EQ(r.settings["timing_units"], "sec");
    EXPECT_EQ(r.settings["components"], "wall_clock");
    EXPECT_EQ(r.settings["enabled"], "1");
    EXPECT_EQ(r.settings["warnings"], "0") << r.err;
}

TEST(Environment, ValidValuesAreApplied) {
    ProbeResult r = run_probe({"TIMEMORY_PRECISION=6", "TIMEMORY_ENABLED=off",
                               "TIMEMORY_TIMING_UNITS=msec",
                               "TIMEMORY_COMPONENTS=cpu_clock, wall_clock"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.settings["precision"], "6");
    EXPECT_EQ(r.settings["enabled"], "0");
    EXPECT_EQ(r.settings["timing_units"], "msec");
    EXPECT_EQ(r.settings["default_components"],
              std::to_string(TM_WALL_CLOCK_BIT | TM_CPU_CLOCK_BIT));
    EXPECT_EQ(r.settings["warnings"], "0") << r.err;
}

TEST(Environment, NonNumberWarnsOnceNamingVariableAndValueAndKeepsDefault) {
    ProbeResult r = run_probe({"TIMEMORY_PRECISION=abc"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.settings["precision"], "3");
    EXPECT_EQ(r.settings["warnings"], "1") << "tm_init twice must not warn twice\n" << r.err;
    auto lines = r.err_lines_with("TIMEMORY_PRECISION");
    ASSERT_EQ(lines.size(), 1u) << r.err;
    EXPECT_NE(lines[0].find("abc"), std::string::npos) << lines[0];
}

TEST(Environment, BadChoiceWarnsListingTheChoices) {
    ProbeResult r = run_probe({"TIMEMORY_TIMING_UNITS=hours"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.settings["timing_units"], "sec");
    EXPECT_EQ(r.settings["warnings"], "1") << r.err;
    auto lines = r.err_lines_with("TIMEMORY_TIMING_UNITS");
    ASSERT_EQ(lines.size(), 1u) << r.err;
    for (const char *s : {"hours", "msec", "usec", "nsec"})
        EXPECT_NE(lines[0].find(s), std::string::npos) << s << " missing from: " << lines[0];
}

TEST(Environment, UnknownComponentWarnsListingValidNamesAndKeepsDefault) {
    ProbeResult r = run_probe({"TIMEMORY_COMPONENTS=wall_clock,bogus_clock"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.settings["components"], "wall_clock");
    EXPECT_EQ(r.settings["default_components"], std::to_string(TM_WALL_CLOCK_BIT));
    EXPECT_EQ(r.settings["warnings"], "1") << r.err;
    auto lines = r.err_lines_with("TIMEMORY_COMPONENTS");
    ASSERT_EQ(lines.size(), 1u) << r.err;
    EXPECT_NE(lines[0].find("bogus_clock"), std::string::npos) << lines[0];
    // Every valid name of the table is listed (walks the table).
    std::string missing;
    for (int id = 0; id < tm_component_count(); ++id) {
        const char *name = tm_component_desc(id)->name;
        if (lines[0].find(name) == std::string::npos) missing += std::string(" ") + name;
    }
    EXPECT_EQ(missing, "") << "warning (" << lines[0].size() << " chars): " << lines[0];
}

TEST(Environment, BadBooleanWarnsAndKeepsDefault) {
    ProbeResult r = run_probe({"TIMEMORY_ENABLED=maybe"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.settings["enabled"], "1");
    auto lines = r.err_lines_with("TIMEMORY_ENABLED");
    ASSERT_EQ(lines.size(), 1u) << r.err;
    EXPECT_NE(lines[0].find("maybe"), std::string::npos) << lines[0];
}

TEST(Environment, TwoBadVariablesGiveOneWarningEachAndGoodOnesApply) {
    ProbeResult r = run_probe(
        {"TIMEMORY_PRECISION=-2", "TIMEMORY_WIDTH=wide", "TIMEMORY_MEMORY_UNITS=KB"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.settings["precision"], "3");
    EXPECT_EQ(r.settings["width"], "8");
    EXPECT_EQ(r.settings["memory_units"], "KB");
    EXPECT_EQ(r.settings["warnings"], "2") << r.err;
    EXPECT_EQ(r.err_lines_with("TIMEMORY_PRECISION").size(), 1u) << r.err;
    EXPECT_EQ(r.err_lines_with("TIMEMORY_WIDTH").size(), 1u) << r.err;
    EXPECT_TRUE(r.err_lines_with("TIMEMORY_MEMORY_UNITS").empty()) << r.err;
}

TEST(Environment, VerboseSaysWhichSettingsTheEnvironmentChanged) {
    ProbeResult r = run_probe({"TIMEMORY_VERBOSE=1", "TIMEMORY_PRECISION=5"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err_lines_with("TIMEMORY_PRECISION=5 (from the environment)").size(), 1u) << r.err;
    EXPECT_TRUE(r.err_lines_with("TIMEMORY_WIDTH").empty()) << r.err;
    ProbeResult quiet = run_probe({"TIMEMORY_PRECISION=5"});
    EXPECT_TRUE(quiet.err_lines_with("TIMEMORY_PRECISION").empty()) << quiet.err;
}

// The environment is the default layer: a setting made by the program, even
// before tm_init() and the first region, wins over TIMEMORY_<NAME>.
TEST(Environment, ExplicitSetBeforeInitWinsOverTheEnvironment) {
    ProbeResult r = run_probe({"TIMEMORY_PRECISION=5", "TIMEMORY_AUTO_OUTPUT=1", "TIMEMORY_WIDTH=12"},
                              {"precision=2", "auto_output=0"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.settings["precision"], "2");
    EXPECT_EQ(r.settings["auto_output"], "0");
    EXPECT_EQ(r.settings["width"], "12") << "variables not set explicitly still apply";
    EXPECT_EQ(r.settings["warnings"], "0") << r.err;
}

// Bad values of the other kinds of variable (docs/bad-input.md).

TEST(Environment, EmptyOrOutOfRangeNumbersWarnAndKeepTheDefault) {
    ProbeResult r = run_probe({"TIMEMORY_WIDTH=", "TIMEMORY_VERBOSE=1000001"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.settings["width"], "8");
    EXPECT_EQ(r.settings["verbose"], "0");
    auto width = r.err_lines_with("TIMEMORY_WIDTH=\"\" is not a number");
    ASSERT_EQ(width.size(), 1u) << r.err;
    EXPECT_NE(width[0].find("using the default \"8\""), std::string::npos) << width[0];
    EXPECT_EQ(r.err_lines_with("TIMEMORY_VERBOSE=\"1000001\" is not a number (valid: an integer from 0 to 1000000)")
                  .size(),
              1u)
        << r.err;
}

TEST(Environment, EmptyOutputPathWarnsAndKeepsTheDefault) {
    ProbeResult r = run_probe({"TIMEMORY_OUTPUT_PATH="});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.settings["output_path"], "timemory-output");
    EXPECT_EQ(r.err_lines_with("TIMEMORY_OUTPUT_PATH=\"\" is empty (valid: a non-empty path)").size(), 1u) << r.err;
}

TEST(Environment, BadTimingSourceWarnsListingTheChoices) {
    ProbeResult r = run_probe({"TIMEMORY_TIMING_SOURCE=rdtsc"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.settings["timing_source"], "auto");
    auto lines = r.err_lines_with("TIMEMORY_TIMING_SOURCE");
    ASSERT_EQ(lines.size(), 1u) << r.err;
    EXPECT_NE(lines[0].find("\"rdtsc\" is not a valid choice (valid: auto|tsc|clock_gettime)"), std::string::npos)
        << lines[0];
}

TEST(Environment, MisspeltVariableWarnsNamingTheSettingMeant) {
    ProbeResult r = run_probe({"TIMEMORY_PRECISON=6", "TIMEMORY_ENABLE=0", "TIMEMORY_FLAT_PROFILE=ON"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.settings["precision"], "3") << "a misspelt variable sets nothing";
    EXPECT_EQ(r.settings["enabled"], "1");
    EXPECT_EQ(r.err_lines_with("TIMEMORY_PRECISON is not a timemory-c setting; ignored (did you mean "
                               "TIMEMORY_PRECISION?)")
                  .size(),
              1u)
        << r.err;
    EXPECT_EQ(r.err_lines_with("TIMEMORY_ENABLE is not a timemory-c setting; ignored (did you mean TIMEMORY_ENABLED?)")
                  .size(),
              1u)
        << r.err;
    // Far from every setting (a script's own variable, a reference-toolkit
    // setting this build does not have): not a typo, left alone.
    EXPECT_TRUE(r.err_lines_with("TIMEMORY_FLAT_PROFILE").empty()) << r.err;
    EXPECT_EQ(r.settings["warnings"], "2") << r.err;
}

TEST(Environment, ComponentsOnlyUnavailableHereWarnAndKeepTheDefault) {
    const char *why = tm_component_unavailable(TM_HW_CPU_CYCLES);
    ProbeResult r = run_probe({"TIMEMORY_COMPONENTS=hw_cpu_cycles"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    if (!why) {  // a machine with a PMU: the variable applies
        EXPECT_EQ(r.settings["components"], "hw_cpu_cycles");
        return;
    }
    EXPECT_EQ(r.settings["components"], "wall_clock");
    EXPECT_EQ(r.settings["default_components"], std::to_string(TM_WALL_CLOCK_BIT));
    auto lines = r.err_lines_with("TIMEMORY_COMPONENTS=\"hw_cpu_cycles\": none of the components named is available");
    ASSERT_EQ(lines.size(), 1u) << r.err;
    EXPECT_NE(lines[0].find(why), std::string::npos) << lines[0];
}

// Every TIMEMORY_* variable at once, each with a value invalid for its type:
// one warning each, naming the variable and the value; every default kept.
TEST(Environment, EveryVariableWithAnInvalidValueWarnsAndKeepsItsDefault) {
    std::vector<std::string> vars;
    std::map<std::string, std::string> bad_of;
    for (size_t i = 0; i < tm_settings_count(); ++i) {
        const tm_setting_desc_t *d = tm_settings_desc(i);
        std::string bad;
        switch (d->type) {
        case TM_SETTING_BOOL: bad = "maybe"; break;
        case TM_SETTING_INT: bad = "12abc"; break;
        case TM_SETTING_CHOICE: bad = "bogus"; break;
        case TM_SETTING_COMPONENTS: bad = "bogus_clock"; break;
        case TM_SETTING_STRING: bad = ""; break;
        }
        vars.push_back(std::string(d->env) + "=" + bad);
        bad_of[d->env] = bad;
    }
    ProbeResult r = run_probe(vars);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.settings["warnings"], std::to_string(tm_settings_count())) << r.err;
    for (size_t i = 0; i < tm_settings_count(); ++i) {
        const tm_setting_desc_t *d = tm_settings_desc(i);
        EXPECT_EQ(r.settings[d->name], d->default_value) << d->name;
        auto lines = r.err_lines_with(std::string(d->env) + "=\"" + bad_of[d->env] + "\"");
        ASSERT_EQ(lines.size(), 1u) << d->env << "\n" << r.err;
        EXPECT_NE(lines[0].find(std::string("using the default \"") + d->default_value + "\""), std::string::npos)
            << lines[0];
    }
}

}  // namespace
