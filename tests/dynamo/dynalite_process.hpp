#pragma once
// dynalite (a DynamoDB-compatible server in node, installed by scripts/install-dynalite.sh)
// as a child process on 127.0.0.1, run by dynalite_server.js, which adds TransactWriteItems, its
// data in a LevelDB folder of its own so that it survives a kill: start it, wait until it answers,
// SIGKILL it to simulate an outage, restart it on the same port. Every wait is bounded.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace switchyard::test {

class DynaliteProcess {
  public:
    static constexpr const char* kNodeMissing =
        "node is not installed: the DynamoDB integration tests run dynalite on it "
        "(scripts/install-deps.sh installs both)";
    static constexpr const char* kDynaliteMissing =
        "dynalite is not installed in node_modules/: run scripts/install-dynalite.sh";

    // Whether `node` is on PATH: without it the DynamoDB tests skip. Without dynalite they fail.
    static bool node_available();
    static std::string script_path();  // node_modules/dynalite/cli.js of the source tree
    static bool script_installed();

    struct Options {
        // Both set: HTTPS with this certificate and key (PEM files), instead of HTTP.
        std::string certificate_file{};
        std::string key_file{};
    };

    DynaliteProcess();
    explicit DynaliteProcess(Options options);
    ~DynaliteProcess();  // kills it and removes its data
    DynaliteProcess(const DynaliteProcess&) = delete;
    DynaliteProcess& operator=(const DynaliteProcess&) = delete;

    // On a free port from the OS; another port when that one was taken meanwhile. Throws
    // std::runtime_error with the log's end when it never answers.
    void start();
    void kill_hard();  // SIGKILL, then reaps it: connections are refused until restart()
    void restart();    // on the same port, with the same data
    bool running() const noexcept { return pid_ > 0; }

    std::uint16_t port() const noexcept { return port_; }
    std::string endpoint() const;  // "http://127.0.0.1:PORT" (https:// with a certificate)
    std::string log() const;       // what it printed, for failure messages

  private:
    bool launch_and_wait(std::chrono::milliseconds timeout);

    bool tls() const noexcept { return !options_.certificate_file.empty(); }
    bool ready() const;

    Options options_;
    pid_t pid_ = -1;
    std::uint16_t port_ = 0;
    std::string directory_;  // its LevelDB data and its log
};

}  // namespace switchyard::test
