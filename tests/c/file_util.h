// Files in the tests: a path in the test's temporary directory, a whole file
// as a string (bytes as they are), a string written as a file, existence.
#ifndef TIMEMORY_TESTS_C_FILE_UTIL_H
#define TIMEMORY_TESTS_C_FILE_UTIL_H

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace tmtest {

inline std::string tmp_path(const std::string &name) {
    const char *tmp = std::getenv("TEST_TMPDIR");
    return std::string(tmp ? tmp : "/tmp") + "/" + name;
}

inline std::string slurp(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline void spit(const std::string &path, const std::string &text) {
    std::ofstream(path, std::ios::binary) << text;
}

inline bool exists(const std::string &path) {
    struct stat st;
    return stat(path.c_str(), &st) == 0;
}

}  // namespace tmtest

#endif
