#pragma once
// The proxy config file (ARCHITECTURE.md, "Files and interfaces"): parsed and validated whole.
#include <chrono>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "proxy/settings.hpp"

namespace switchyard::config {

struct AccessLogSettings {
    bool enabled = true;
    std::string path = "-";  // "-": standard output
};

struct FlagFileSettings {
    std::filesystem::path file;
    std::chrono::milliseconds poll_interval{1000};
};

struct AdminSettings {
    bool enabled = false;  // only with an "admin" section
    proxy::ListenAddress address{"127.0.0.1", 9901};
    std::filesystem::path tokens_file;  // empty: every /v1 call is refused (401)
    std::size_t max_body_bytes = 1 << 20;
};

struct Config {
    std::filesystem::path base_dir;  // relative paths in the file are relative to this
    proxy::ProxySettings proxy;
    FlagFileSettings flags;
    std::filesystem::path state_dir;
    AccessLogSettings access_log;
    AdminSettings admin;
    std::string log_level = "info";
    std::string instance;  // names this proxy in door closings; empty: the host name
    nlohmann::json document;  // the whole file: routing reads tenant_key, routes, safe_methods
};

Result<Config> parse_config(std::string_view text, const std::filesystem::path& base_dir);
Result<Config> load_config(const std::filesystem::path& file);

}  // namespace switchyard::config
