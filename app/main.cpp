// switchyard: the in-path HTTP router for zero-downtime migrations.
#include <cstdio>
#include <exception>
#include <string_view>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "admin/tokens.hpp"
#include "app/runtime.hpp"
#include "app/signals.hpp"
#include "config/config.hpp"
#include "ctl/ctl.hpp"

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

int add_token(std::filesystem::path tokens_file, const std::filesystem::path& config_file,
              const std::string& name, const std::string& role_text) {
    const auto role = switchyard::admin::parse_role(role_text);
    if (!role) {
        std::fprintf(stderr, "switchyard: --role must be viewer or operator\n");
        return 2;
    }
    if (tokens_file.empty()) {
        auto config = switchyard::config::load_config(config_file);
        if (!config) {
            std::fprintf(stderr, "switchyard: %s\n", config.error().message.c_str());
            return 1;
        }
        tokens_file = config->admin.tokens_file;
        if (tokens_file.empty()) {
            std::fprintf(stderr, "switchyard: the config has no admin.tokens_file\n");
            return 1;
        }
    }
    auto token = switchyard::admin::add_token(tokens_file, name, *role);
    if (!token) {
        std::fprintf(stderr, "switchyard: %s\n", token.error().message.c_str());
        return 1;
    }
    std::fprintf(stderr, "token \"%s\" (%s) added to %s; it is shown only now:\n", name.c_str(),
                 role_text.c_str(), tokens_file.c_str());
    std::printf("%s\n", token->c_str());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    // The on-call CLI has its own command line: "ctl" becomes its program name.
    if (argc > 1 && std::string_view(argv[1]) == "ctl")
        return switchyard::run_ctl(argc - 1, argv + 1);
    CLI::App cli{kDescription, "switchyard"};
    cli.set_version_flag("--version", std::string("switchyard ") + SWITCHYARD_VERSION);
    switchyard::app::RuntimeOptions options;
    bool check_only = false;
    auto* config_option =
        cli.add_option("-c,--config", options.config_file,
                       "proxy config file (JSON), e.g. switchyard.json")
            ->check(CLI::ExistingFile);
    cli.add_option("--ready-file", options.ready_file,
                   "write {\"listen\": [...], \"admin\": ..., \"pid\": N} here once listening");
    cli.add_flag("--check", check_only, "validate the config file and exit (0 = valid)");

    auto* token = cli.add_subcommand("token", "manage admin API tokens");
    token->require_subcommand(1);
    token->fallthrough();  // --config may follow the subcommand
    auto* token_add = token->add_subcommand(
        "add", "create a token: prints it once, stores only its SHA-256 in the tokens file");
    std::string token_name, token_role = "viewer";
    std::filesystem::path tokens_file;
    token_add->fallthrough();
    token_add->add_option("name", token_name, "who holds it (shown in the audit log)")->required();
    token_add->add_option("--role", token_role, "viewer (read) or operator (change)")
        ->check(CLI::IsMember({"viewer", "operator"}));
    token_add->add_option("--tokens-file", tokens_file,
                          "the tokens file (default: admin.tokens_file of --config)");

    CLI11_PARSE(cli, argc, argv);

    if (token_add->parsed()) {
        if (tokens_file.empty() && options.config_file.empty()) {
            std::fprintf(stderr, "switchyard: give --tokens-file or --config\n");
            return 2;
        }
        return add_token(tokens_file, options.config_file, token_name, token_role);
    }
    if (config_option->count() == 0) {
        std::fprintf(stderr, "switchyard: --config is required\n%s", cli.help().c_str());
        return 2;
    }
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
