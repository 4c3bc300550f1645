#pragma once
// A fresh directory for a test's flag file, removed with all it holds when the test ends.
#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>

namespace switchyard::flags {

class FlagFileDir {
  public:
    explicit FlagFileDir(const std::string& name) {
        std::string pattern =
            (std::filesystem::temp_directory_path() / (name + "-XXXXXX")).string();
        if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        dir_ = pattern;
    }
    ~FlagFileDir() { std::filesystem::remove_all(dir_); }
    FlagFileDir(const FlagFileDir&) = delete;
    FlagFileDir& operator=(const FlagFileDir&) = delete;

    const std::filesystem::path& dir() const noexcept { return dir_; }
    std::filesystem::path flag_file() const { return dir_ / "flags.json"; }

  private:
    std::filesystem::path dir_;
};

}  // namespace switchyard::flags
