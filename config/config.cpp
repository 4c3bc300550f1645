#include "config/config.hpp"

#include <fstream>
#include <sstream>
#include <thread>

#include "config/addresses.hpp"
#include "config/json_fields.hpp"

namespace switchyard::config {
namespace {

using nlohmann::json;
constexpr std::uint64_t kMaxMillis = 24ull * 3600 * 1000;

std::filesystem::path relative_to(const std::filesystem::path& base, const std::string& path) {
    std::filesystem::path p(path);
    return p.is_absolute() ? p : base / p;
}

void read_listen(const json& doc, proxy::ProxySettings& proxy) {
    auto it = doc.find("listen");
    if (it == doc.end()) fail("listen", "required: where clients connect, e.g. [{\"address\": \"0.0.0.0:8080\"}]");
    if (!it->is_array() || it->empty()) fail("listen", "must be a non-empty array");
    for (std::size_t i = 0; i < it->size(); ++i) {
        const auto path = "listen[" + std::to_string(i) + "]";
        const auto& entry = require_object((*it)[i], path);
        reject_unknown_keys(entry, path, {"address"});
        const auto text = optional_string(entry, "address", path);
        if (!text) fail(path + ".address", "required");
        std::string why;
        auto address = parse_listen_address(*text, why);
        if (!address) fail(path + ".address", why + " (got \"" + *text + "\")");
        proxy.listen.push_back(*address);
    }
}

std::vector<proxy::UpstreamUrl> read_backend(const json& backends, const char* side) {
    const std::string path = std::string("backends.") + side;
    auto it = backends.find(side);
    if (it == backends.end()) fail(path, "required: {\"urls\": [\"http://host:port\"]}");
    const auto& backend = require_object(*it, path);
    reject_unknown_keys(backend, path, {"urls"});
    auto urls = backend.find("urls");
    if (urls == backend.end() || !urls->is_array() || urls->empty())
        fail(path + ".urls", "must be a non-empty array of URLs");
    std::vector<proxy::UpstreamUrl> result;
    for (std::size_t i = 0; i < urls->size(); ++i) {
        const auto item_path = path + ".urls[" + std::to_string(i) + "]";
        if (!(*urls)[i].is_string()) fail(item_path, "must be a string");
        std::string why;
        auto url = parse_upstream_url((*urls)[i].get<std::string>(), why);
        if (!url) fail(item_path, why);
        result.push_back(*url);
    }
    return result;
}

void read_backends(const json& doc, proxy::ProxySettings& proxy) {
    auto it = doc.find("backends");
    if (it == doc.end()) fail("backends", "required: the legacy and new sides");
    const auto& backends = require_object(*it, "backends");
    reject_unknown_keys(backends, "backends", {"legacy", "new"});
    proxy.legacy = read_backend(backends, "legacy");
    proxy.new_side = read_backend(backends, "new");
}

void read_millis(const json& object, std::string_view key, const std::string& path,
                 std::chrono::milliseconds& target, bool allow_zero = false) {
    if (auto value = optional_unsigned(object, key, path, kMaxMillis)) {
        if (*value == 0 && !allow_zero) fail(path + "." + std::string(key), "must be positive");
        target = std::chrono::milliseconds(*value);
    }
}

void read_timeouts(const json& doc, proxy::Timeouts& timeouts) {
    auto it = doc.find("timeouts");
    if (it == doc.end()) return;
    const auto& object = require_object(*it, "timeouts");
    reject_unknown_keys(object, "timeouts",
                        {"client_header_ms", "client_idle_ms", "upstream_connect_ms",
                         "upstream_response_ms", "upstream_idle_ms", "drain_ms",
                         "door_journal_ms"});
    read_millis(object, "client_header_ms", "timeouts", timeouts.client_header);
    read_millis(object, "client_idle_ms", "timeouts", timeouts.client_idle);
    read_millis(object, "upstream_connect_ms", "timeouts", timeouts.upstream_connect);
    read_millis(object, "upstream_response_ms", "timeouts", timeouts.upstream_response);
    read_millis(object, "upstream_idle_ms", "timeouts", timeouts.upstream_idle);
    read_millis(object, "drain_ms", "timeouts", timeouts.drain, true);
    read_millis(object, "door_journal_ms", "timeouts", timeouts.door_journal);
}

void read_limits(const json& doc, proxy::Limits& limits) {
    auto it = doc.find("limits");
    if (it == doc.end()) return;
    const auto& object = require_object(*it, "limits");
    reject_unknown_keys(object, "limits",
                        {"max_header_bytes", "max_url_bytes", "max_body_bytes", "body_buffer_bytes",
                         "max_idle_upstream_per_backend"});
    if (auto v = optional_unsigned(object, "max_header_bytes", "limits", 1u << 20)) {
        if (*v < 1024) fail("limits.max_header_bytes", "must be at least 1024");
        limits.max_header_bytes = static_cast<std::uint32_t>(*v);
    }
    if (auto v = optional_unsigned(object, "max_url_bytes", "limits", 1u << 20)) {
        if (*v < 64) fail("limits.max_url_bytes", "must be at least 64");
        limits.max_url_bytes = static_cast<std::uint32_t>(*v);
    }
    if (auto v = optional_unsigned(object, "max_body_bytes", "limits", UINT64_MAX))
        limits.max_body_bytes = *v;
    if (auto v = optional_unsigned(object, "body_buffer_bytes", "limits", 16u << 20)) {
        if (*v < 1024) fail("limits.body_buffer_bytes", "must be at least 1024");
        limits.body_buffer_bytes = *v;
    }
    if (auto v = optional_unsigned(object, "max_idle_upstream_per_backend", "limits", 100000))
        limits.max_idle_upstream_per_backend = *v;
}

// DynamoDB's own rule for table names.
bool valid_table_name(const std::string& name) {
    if (name.size() < 3 || name.size() > 255) return false;
    for (const char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
        if (!ok) return false;
    }
    return true;
}

DynamoFlagSettings read_dynamodb(const json& flags) {
    const std::string path = "flags.dynamodb";
    const auto& object = require_object(flags.at("dynamodb"), path);
    reject_unknown_keys(object, path,
                        {"table", "region", "endpoint", "call_timeout_ms", "resync_interval_ms"});
    DynamoFlagSettings settings;
    auto table = optional_string(object, "table", path);
    if (!table || table->empty()) fail(path + ".table", "required: the table's name");
    if (!valid_table_name(*table)) {
        fail(path + ".table",
             "must be 3 to 255 letters, digits, '_', '-' or '.' (got \"" + *table + "\")");
    }
    settings.table = *table;
    auto region = optional_string(object, "region", path);
    if (!region || region->empty()) fail(path + ".region", "required, e.g. \"eu-west-1\"");
    settings.region = *region;
    if (auto endpoint = optional_string(object, "endpoint", path)) {
        if (!endpoint->starts_with("http://") && !endpoint->starts_with("https://")) {
            fail(path + ".endpoint",
                 "must be an http:// or https:// URL (got \"" + *endpoint + "\")");
        }
        settings.endpoint = *endpoint;
    }
    read_millis(object, "call_timeout_ms", path, settings.call_timeout);
    read_millis(object, "resync_interval_ms", path, settings.resync_interval);
    if (settings.resync_interval < std::chrono::seconds(10)) {
        fail(path + ".resync_interval_ms",
             "must be at least 10000 (a full reload reads every item)");
    }
    return settings;
}

void read_flags(const json& doc, const std::filesystem::path& base, FlagFileSettings& flags) {
    constexpr const char* kShape =
        "{\"file\": \"flags.json\"} or {\"dynamodb\": {\"table\": …, \"region\": …}}";
    auto it = doc.find("flags");
    if (it == doc.end()) fail("flags", std::string("required: ") + kShape);
    const auto& object = require_object(*it, "flags");
    reject_unknown_keys(object, "flags", {"file", "dynamodb", "poll_interval_ms"});
    const bool file = object.contains("file");
    const bool table = object.contains("dynamodb");
    if (file && table) {
        fail("flags", "give \"file\" or \"dynamodb\", not both: one store is the truth");
    }
    if (!file && !table) fail("flags", std::string("needs one store: ") + kShape);
    if (file) {
        auto path = optional_string(object, "file", "flags");
        if (!path || path->empty()) fail("flags.file", "required: the flag document's path");
        flags.file = relative_to(base, *path);
    } else {
        flags.dynamodb = read_dynamodb(object);
    }
    read_millis(object, "poll_interval_ms", "flags", flags.poll_interval);
}

void read_access_log(const json& doc, const std::filesystem::path& base, AccessLogSettings& log) {
    auto it = doc.find("access_log");
    if (it == doc.end()) return;
    const auto& object = require_object(*it, "access_log");
    reject_unknown_keys(object, "access_log", {"enabled", "path"});
    if (auto enabled = optional_bool(object, "enabled", "access_log")) log.enabled = *enabled;
    if (auto path = optional_string(object, "path", "access_log")) {
        log.path = *path == "-" ? *path : relative_to(base, *path).string();
    }
}

void read_admin(const json& doc, const std::filesystem::path& base, AdminSettings& admin) {
    auto it = doc.find("admin");
    if (it == doc.end()) return;
    const auto& object = require_object(*it, "admin");
    reject_unknown_keys(object, "admin", {"address", "tokens_file", "max_body_bytes"});
    admin.enabled = true;
    if (auto text = optional_string(object, "address", "admin")) {
        std::string why;
        auto address = parse_listen_address(*text, why);
        if (!address) fail("admin.address", why + " (got \"" + *text + "\")");
        admin.address = *address;
    }
    if (auto file = optional_string(object, "tokens_file", "admin")) {
        admin.tokens_file = relative_to(base, *file);
    }
    if (auto bytes = optional_unsigned(object, "max_body_bytes", "admin", 64u << 20)) {
        if (*bytes < 1024) fail("admin.max_body_bytes", "must be at least 1024");
        admin.max_body_bytes = *bytes;
    }
}

Config parse_document(json doc, const std::filesystem::path& base) {
    require_object(doc, "(config)");
    reject_unknown_keys(doc, "",
                        {"listen", "admin", "threads", "backends", "tenant_key", "routes",
                         "safe_methods", "flags", "state_dir", "timeouts", "limits", "access_log",
                         "log_level", "instance", "read_your_writes_ms"});
    Config config;
    config.base_dir = base;
    read_listen(doc, config.proxy);
    read_backends(doc, config.proxy);
    if (auto threads = optional_unsigned(doc, "threads", "", 256)) config.proxy.threads = *threads;
    if (config.proxy.threads == 0) config.proxy.threads = std::max(1u, std::thread::hardware_concurrency());
    read_timeouts(doc, config.proxy.timeouts);
    read_limits(doc, config.proxy.limits);
    read_flags(doc, base, config.flags);
    config.state_dir = relative_to(base, optional_string(doc, "state_dir", "").value_or("state"));
    read_access_log(doc, base, config.access_log);
    read_admin(doc, base, config.admin);
    if (auto instance = optional_string(doc, "instance", "")) {
        if (instance->empty()) fail("instance", "must not be empty");
        config.instance = *instance;
    }
    if (auto window = optional_unsigned(doc, "read_your_writes_ms", "", kMaxMillis)) {
        config.proxy.read_your_writes = std::chrono::milliseconds(*window);
    }
    if (auto level = optional_string(doc, "log_level", "")) {
        static constexpr std::string_view kLevels[] = {"trace", "debug", "info", "warn", "error", "off"};
        bool known = false;
        for (auto l : kLevels) known = known || l == *level;
        if (!known) fail("log_level", "must be one of trace, debug, info, warn, error, off");
        config.log_level = *level;
    }
    config.document = std::move(doc);
    return config;
}

}  // namespace

Result<Config> parse_config(std::string_view text, const std::filesystem::path& base_dir) {
    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::parse_error& e) {
        return Error{std::string("syntax error: ") + e.what()};
    }
    try {
        return parse_document(std::move(doc), base_dir);
    } catch (const FieldError& e) {
        return Error{e.what()};
    }
}

Result<Config> load_config(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return Error{file.string() + ": cannot read the config file"};
    std::ostringstream text;
    text << in.rdbuf();
    auto result = parse_config(text.str(), std::filesystem::absolute(file).parent_path());
    if (!result) return Error{file.string() + ": " + result.error().message};
    return result;
}

}  // namespace switchyard::config
