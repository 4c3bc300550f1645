#pragma once
// The real `switchyard` binary, run by a test in a fresh temporary directory: the test's config
// and flag document are written there, the process is started with a ready file, and its
// stdout/stderr land in files the test can print when it fails.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace switchyard::test {

struct ListenAddress {
    std::string host;  // "127.0.0.1" or "::1" (brackets removed)
    std::uint16_t port = 0;
};

struct ProxyLaunch {
    std::string binary;          // path of the switchyard executable
    nlohmann::json config;       // written as DIR/switchyard.json
    std::string flags_document;  // written as DIR/flags.json, verbatim (may be broken on purpose)
    std::vector<std::string> extra_args;
};

class ProxyProcess {
  public:
    static constexpr const char* kConfigFile = "switchyard.json";
    static constexpr const char* kFlagsFile = "flags.json";
    static constexpr const char* kReadyFile = "ready.json";

    // Writes the files and starts the process; does not wait (see wait_ready).
    explicit ProxyProcess(ProxyLaunch launch);
    // Kills the process if it still runs; removes the directory unless SWITCHYARD_KEEP_TEST_DIRS.
    ~ProxyProcess();
    ProxyProcess(const ProxyProcess&) = delete;
    ProxyProcess& operator=(const ProxyProcess&) = delete;

    // Waits for the ready file; false when the process exits first or the timeout passes.
    bool wait_ready(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    const std::vector<ListenAddress>& listening() const noexcept { return listening_; }
    std::uint16_t port(std::size_t listener = 0) const;

    pid_t pid() const noexcept { return pid_; }
    const std::filesystem::path& dir() const noexcept { return dir_; }

    void send_signal(int signal) const;
    void terminate() const;  // SIGTERM: drain and exit
    void kill() const;       // SIGKILL
    void hangup() const;     // SIGHUP: reload the config
    bool running();
    // The exit code (128 + N when killed by signal N), or nothing if still running at timeout.
    std::optional<int> wait_exit(std::chrono::milliseconds timeout);

    void write_flags_in_place(const std::string& document) const;   // truncate and write
    void write_flags_by_rename(const std::string& document) const;  // write aside, rename over
    void write_config(const nlohmann::json& config) const;          // for SIGHUP tests

    std::uint64_t rss_bytes() const;                // VmRSS; 0 when the process is gone
    std::vector<std::string> thread_names() const;  // /proc/PID/task/*/comm, sorted
    std::string stdout_text() const;
    std::string stderr_text() const;
    std::string read_file(const std::string& relative) const;  // e.g. "access.log"; "" if absent
    // stdout and stderr, labelled: for a failing test's message.
    std::string describe() const;

  private:
    void reap(int status);

    std::filesystem::path dir_;
    pid_t pid_ = -1;
    std::optional<int> exit_code_;
    std::vector<ListenAddress> listening_;
};

// Parses "127.0.0.1:8080" or "[::1]:8080"; nothing when it is neither.
std::optional<ListenAddress> parse_listen_address(const std::string& text);

// The contents of a file, or "" when it cannot be read.
std::string slurp(const std::filesystem::path& path);

}  // namespace switchyard::test
