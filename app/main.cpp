// switchyard: the in-path HTTP router for zero-downtime migrations.
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "app/runtime.hpp"
#include "app/signals.hpp"
#include "config/config.hpp"

namespace {

constexpr const char* kDescription =
    "switchyard routes each request of a multi-tenant product to its legacy or new backend,\n"
    "tenant by tenant, from a hot-reloaded flag file. Signals: SIGHUP reloads the config,\n"
    "SIGTERM/SIGINT drain (stop accepting, finish in-flight requests) and exit 0.";

int check_config(const std::filesystem::path& path) {
    auto config = switchyard::config::load_config(path);
    if (!config) {
        std::fprintf(stderr, "switchyard: %s\n", config.error().message.c_str());
        return 1;
    }
    std::printf("%s: ok\n", path.c_str());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{kDescription, "switchyard"};
    switchyard::app::RuntimeOptions options;
    bool check_only = false;
    cli.add_option("-c,--config", options.config_file, "proxy config file (JSON), e.g. switchyard.json")
        ->required()
        ->check(CLI::ExistingFile);
    cli.add_option("--ready-file", options.ready_file,
                   "write {\"listen\": [...], \"pid\": N} here once listening (atomic rename)");
    cli.add_flag("--check", check_only, "validate the config file and exit (0 = valid)");
    cli.set_version_flag("--version", std::string("switchyard ") + SWITCHYARD_VERSION);
    CLI11_PARSE(cli, argc, argv);

    if (check_only) return check_config(options.config_file);

    switchyard::app::block_control_signals();
    try {
        switchyard::app::Runtime runtime(options);
        runtime.start();
        for (;;) {
            const auto action = switchyard::app::wait_for_control_signal();
            if (action == switchyard::app::SignalAction::reload) {
                runtime.reload_config();
                continue;
            }
            spdlog::info("draining: no new connections, finishing in-flight requests");
            const bool clean = runtime.drain();
            spdlog::info(clean ? "drained, exiting" : "drain deadline passed, exiting");
            return 0;
        }
    } catch (const std::exception& e) {
        spdlog::critical("{}", e.what());
        std::fprintf(stderr, "switchyard: %s\n", e.what());
        return 1;
    }
}
