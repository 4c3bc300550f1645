#pragma once
// The running proxy: config, snapshot store, flag store (a file, or a DynamoDB table), access
// log and engine, wired together, started, reloaded on SIGHUP and drained on SIGTERM.
#include <filesystem>
#include <memory>
#include <string>

#include "config/config.hpp"

namespace switchyard::flags {
class FlagSnapshot;
struct FileIdentity;
}  // namespace switchyard::flags

namespace switchyard::app {

struct RuntimeOptions {
    std::filesystem::path config_file;
    std::filesystem::path ready_file;  // empty: none
};

class Runtime {
  public:
    explicit Runtime(RuntimeOptions options);
    ~Runtime();

    // Loads everything and starts listening; throws std::runtime_error with the reason.
    void start();
    // SIGHUP: re-reads the config; a bad one is refused and the running one kept.
    void reload_config();
    // SIGTERM: returns true when every in-flight request finished before the drain deadline.
    bool drain();

  private:
    void load_file_flags(const std::string& instance);
    std::shared_ptr<const flags::FlagSnapshot> apply_flag_file(
        std::shared_ptr<const flags::FlagSnapshot> flags, const flags::FileIdentity& read_from);
    void start_admin();
    std::string metrics_text() const;
    struct Parts;
    RuntimeOptions options_;
    std::unique_ptr<Parts> parts_;
};

}  // namespace switchyard::app
