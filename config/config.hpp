#pragma once
// The proxy config file (ARCHITECTURE.md, "Files and interfaces"): parsed and validated whole.
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "proxy/settings.hpp"

namespace switchyard::config {

struct AccessLogSettings {
    bool enabled = true;
    std::string path = "-";  // "-": standard output
};

// The flag store in a DynamoDB table (flag_table/README.md), shared by every instance.
struct DynamoFlagSettings {
    std::string table;
    std::string region;
    std::string endpoint;                          // empty: AWS's own for the region (https)
    std::chrono::milliseconds call_timeout{2000};  // one table operation, retries included
    std::chrono::milliseconds resync_interval{std::chrono::hours(1)};  // full reload
};

// Where the flag document comes from: a file, or a DynamoDB table (exactly one of them).
struct FlagFileSettings {
    std::filesystem::path file;  // empty when the flags are in a table
    std::optional<DynamoFlagSettings> dynamodb;
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
