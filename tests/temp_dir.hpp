// A fresh folder under the system temp dir for a test's files, removed with everything in it
// when the test ends (also when it throws). Tests only.
#pragma once
#include <unistd.h>

#include <filesystem>
#include <string>

struct TempDir {
    std::filesystem::path path;
    explicit TempDir(const std::string& tag)
        : path(std::filesystem::temp_directory_path() /
               ("bpl_test_" + tag + "_" + std::to_string(getpid()))) {
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    std::string operator/(const std::string& name) const { return (path / name).string(); }
};
