// parse_routing_config(): the routing half of the proxy config, validated whole; the first
// problem found becomes the error, named by its path (routes[1].policy: …).
#include <algorithm>
#include <initializer_list>
#include <nlohmann/json.hpp>

#include "common/quote_for_error.hpp"
#include "flags/percent.hpp"
#include "routing/ascii.hpp"
#include "routing/routing_config.hpp"

namespace switchyard::routing {
namespace {

using nlohmann::json;

// RFC 9110 section 5.6.2: the characters of a token (header and method names).
bool is_token(std::string_view text) noexcept {
    constexpr std::string_view kSymbols = "!#$%&'*+-.^_`|~";
    return !text.empty() && std::all_of(text.begin(), text.end(), [&](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               kSymbols.find(c) != std::string_view::npos;
    });
}

std::string indexed(std::string_view path, std::size_t index) {
    return std::string{path} + "[" + std::to_string(index) + "]";
}

std::string member(std::string_view path, std::string_view key) {
    const bool plain = std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
    return std::string{path} + "." +
           (plain && !key.empty() ? std::string{key} : quote_for_error(key));
}

class RoutingConfigParser {
  public:
    Result<std::shared_ptr<const RoutingConfig>> parse(const json& config);

  private:
    bool fail(std::string_view path, std::string_view problem) {
        error_ = std::string{path} + ": " + std::string{problem};
        return false;
    }
    bool known_fields(const json& object, std::string_view path,
                      std::initializer_list<std::string_view> fields);
    bool read_string(const json& value, std::string_view path, std::string& out);
    bool read_array(const json& config, std::string_view key, const json*& array);
    // One of a few words: "unknown <what> \"x\"" otherwise.
    template <typename Choice>
    bool read_choice(const json& value, std::string_view path, std::string_view what,
                     std::initializer_list<std::pair<std::string_view, Choice>> choices,
                     Choice& out);

    bool read_tenant_key(const json& array);
    bool read_key_source(const json& entry, std::string_view path);
    bool read_routes(const json& array);
    bool read_route(const json& entry, std::string_view path, Route& route);
    bool read_route_policy(const json& entry, std::string_view path, Route& route);
    bool read_new_percent(const json& percent, std::string_view path, Route& route);
    bool read_safe_methods(const json& array);
    bool check_reachable();

    std::string error_;
    RoutingConfig config_;
};

bool RoutingConfigParser::known_fields(const json& object, std::string_view path,
                                       std::initializer_list<std::string_view> fields) {
    if (!object.is_object()) return fail(path, "must be an object");
    for (const auto& [key, value] : object.items()) {
        if (std::find(fields.begin(), fields.end(), key) == fields.end()) {
            return fail(member(path, key), "unknown field");
        }
    }
    return true;
}

bool RoutingConfigParser::read_string(const json& value, std::string_view path, std::string& out) {
    if (!value.is_string()) return fail(path, "must be a string");
    out = value.get<std::string>();
    return true;
}

template <typename Choice>
bool RoutingConfigParser::read_choice(
    const json& value, std::string_view path, std::string_view what,
    std::initializer_list<std::pair<std::string_view, Choice>> choices, Choice& out) {
    std::string text;
    if (!read_string(value, path, text)) return false;
    for (const auto& [name, choice] : choices) {
        if (name == text) {
            out = choice;
            return true;
        }
    }
    return fail(path, "unknown " + std::string{what} + " " + quote_for_error(text));
}

// Null when the key is absent: the caller uses its default.
bool RoutingConfigParser::read_array(const json& config, std::string_view key, const json*& array) {
    const auto found = config.find(key);
    array = found == config.end() ? nullptr : &*found;
    return !array || array->is_array() || fail(key, "must be an array");
}

Result<std::shared_ptr<const RoutingConfig>> RoutingConfigParser::parse(const json& config) {
    if (!config.is_object()) return Error{"config: must be a JSON object"};
    const json* tenant_key = nullptr;
    const json* routes = nullptr;
    const json* safe_methods = nullptr;
    if (!read_array(config, "tenant_key", tenant_key) || !read_array(config, "routes", routes) ||
        !read_array(config, "safe_methods", safe_methods)) {
        return Error{std::move(error_)};
    }
    // The documented defaults, read by the same code as what an operator writes.
    const json default_tenant_key = json::parse(R"([{"header": "X-Tenant-Id"}])");
    const json default_routes = json::parse(R"([{"prefix": "/", "policy": "tenant"}])");
    const json default_safe_methods = json::parse(R"(["GET", "HEAD", "OPTIONS"])");
    const bool ok = read_tenant_key(tenant_key ? *tenant_key : default_tenant_key) &&
                    read_routes(routes ? *routes : default_routes) &&
                    read_safe_methods(safe_methods ? *safe_methods : default_safe_methods) &&
                    check_reachable();
    if (!ok) return Error{std::move(error_)};
    return std::make_shared<const RoutingConfig>(std::move(config_));
}

bool RoutingConfigParser::read_tenant_key(const json& array) {
    for (std::size_t i = 0; i < array.size(); ++i) {
        if (!read_key_source(array[i], indexed("tenant_key", i))) return false;
    }
    return true;
}

bool RoutingConfigParser::read_key_source(const json& entry, std::string_view path) {
    if (!known_fields(entry, path, {"header", "host", "path_prefix", "strip", "jwt_claim"})) {
        return false;
    }
    const auto kinds = entry.count("header") + entry.count("host") + entry.count("path_prefix") +
                       entry.count("jwt_claim");
    if (kinds != 1)
        return fail(path, "must name exactly one of header, host, path_prefix, jwt_claim");
    if (entry.contains("strip") && !entry.contains("path_prefix")) {
        return fail(member(path, "strip"), "only for path_prefix");
    }
    std::string text;
    if (entry.contains("header")) {
        if (!read_string(entry.at("header"), member(path, "header"), text)) return false;
        if (!is_token(text))
            return fail(member(path, "header"), "not a header name: " + quote_for_error(text));
        config_.tenant_key.emplace_back(HeaderKey{ascii_lowered(text)});
    } else if (entry.contains("host")) {
        if (!read_string(entry.at("host"), member(path, "host"), text)) return false;
        auto pattern = HostPattern::parse(text);
        if (!pattern) return fail(member(path, "host"), pattern.error().message);
        config_.tenant_key.emplace_back(HostKey{std::move(*pattern)});
    } else if (entry.contains("path_prefix")) {
        if (!read_string(entry.at("path_prefix"), member(path, "path_prefix"), text)) return false;
        auto pattern = PathPattern::parse(text);
        if (!pattern) return fail(member(path, "path_prefix"), pattern.error().message);
        const json strip = entry.value("strip", json(false));
        if (!strip.is_boolean()) return fail(member(path, "strip"), "must be true or false");
        config_.tenant_key.emplace_back(PathKey{std::move(*pattern), strip.get<bool>()});
    } else {
        if (!read_string(entry.at("jwt_claim"), member(path, "jwt_claim"), text)) return false;
        if (text.empty()) return fail(member(path, "jwt_claim"), "must not be empty");
        config_.tenant_key.emplace_back(JwtClaimKey{std::move(text)});
    }
    return true;
}

bool RoutingConfigParser::read_routes(const json& array) {
    if (array.empty()) return fail("routes", "must hold at least one route");
    for (std::size_t i = 0; i < array.size(); ++i) {
        Route route;
        if (!read_route(array[i], indexed("routes", i), route)) return false;
        config_.routes.push_back(std::move(route));
    }
    return true;
}

bool RoutingConfigParser::read_route(const json& entry, std::string_view path, Route& route) {
    if (!known_fields(entry, path,
                      {"prefix", "host", "policy", "side", "new_percent", "no_tenant"})) {
        return false;
    }
    if (entry.contains("prefix")) {
        const std::string prefix_path = member(path, "prefix");
        if (!read_string(entry.at("prefix"), prefix_path, route.prefix)) return false;
        if (!route.prefix.starts_with('/')) return fail(prefix_path, "must start with '/'");
        if (route.prefix.find_first_of("?#") != std::string::npos) {
            return fail(prefix_path, "must be a path, without '?' or '#'");
        }
    }
    if (entry.contains("host")) {
        const std::string host_path = member(path, "host");
        if (!read_string(entry.at("host"), host_path, route.host)) return false;
        if (route.host.empty() || !is_host_name(route.host)) {
            return fail(host_path,
                        "not a host name (no port, no pattern): " + quote_for_error(route.host));
        }
        route.host = ascii_lowered(route.host);
    }
    return read_route_policy(entry, path, route);
}

bool RoutingConfigParser::read_route_policy(const json& entry, std::string_view path,
                                            Route& route) {
    if (!entry.contains("policy")) return fail(path, "missing required field \"policy\"");
    if (!read_choice(entry.at("policy"), member(path, "policy"), "policy",
                     {{"tenant", Policy::tenant},
                      {"weighted", Policy::weighted},
                      {"pinned", Policy::pinned}},
                     route.policy)) {
        return false;
    }
    // Each policy's own field: required where it is needed, refused where it means nothing.
    const auto owns = [&](std::string_view field, Policy owner, bool required) {
        if (entry.contains(field) == (route.policy == owner)) return true;
        if (route.policy != owner) {
            return fail(member(path, field),
                        "only for policy \"" + std::string{to_string(owner)} + "\"");
        }
        return !required || fail(path, "missing required field \"" + std::string{field} + "\"");
    };
    if (!owns("side", Policy::pinned, true) || !owns("new_percent", Policy::weighted, true) ||
        !owns("no_tenant", Policy::tenant, false)) {
        return false;
    }
    switch (route.policy) {
        case Policy::pinned:
            return read_choice(entry.at("side"), member(path, "side"), "side",
                               {{"legacy", Side::legacy}, {"new", Side::new_}}, route.side);
        case Policy::weighted:
            return read_new_percent(entry.at("new_percent"), member(path, "new_percent"), route);
        case Policy::tenant:
            return !entry.contains("no_tenant") ||
                   read_choice(entry.at("no_tenant"), member(path, "no_tenant"), "no_tenant value",
                               {{"legacy", NoTenant::legacy},
                                {"new", NoTenant::new_},
                                {"reject", NoTenant::reject}},
                               route.no_tenant);
    }
    return true;
}

bool RoutingConfigParser::read_new_percent(const json& percent, std::string_view path,
                                           Route& route) {
    if (!percent.is_number()) return fail(path, "must be a number");
    const auto hundredths = flags::percent_to_hundredths(percent.get<double>());
    if (!hundredths) return fail(path, percent.dump() + " " + hundredths.error().message);
    route.new_percent_hundredths = *hundredths;
    return true;
}

bool RoutingConfigParser::read_safe_methods(const json& array) {
    for (std::size_t i = 0; i < array.size(); ++i) {
        std::string method;
        const std::string path = indexed("safe_methods", i);
        if (!read_string(array[i], path, method)) return false;
        if (!is_token(method)) return fail(path, "not a method name: " + quote_for_error(method));
        if (config_.is_safe_method(method))
            return fail(path, "duplicate method " + quote_for_error(method));
        config_.safe_methods.push_back(std::move(method));
    }
    return true;
}

// A route that an earlier one always wins over is a mistake in the order, never an intent.
bool RoutingConfigParser::check_reachable() {
    const auto& routes = config_.routes;
    for (std::size_t later = 0; later < routes.size(); ++later) {
        for (std::size_t earlier = 0; earlier < later; ++earlier) {
            const bool covers_path = routes[later].prefix.starts_with(routes[earlier].prefix);
            const bool covers_host =
                routes[earlier].host.empty() || routes[earlier].host == routes[later].host;
            if (covers_path && covers_host) {
                return fail(indexed("routes", later), "unreachable: " + indexed("routes", earlier) +
                                                          " matches every request it would");
            }
        }
    }
    return true;
}

}  // namespace

Result<std::shared_ptr<const RoutingConfig>> parse_routing_config(const nlohmann::json& config) {
    return RoutingConfigParser{}.parse(config);
}

}  // namespace switchyard::routing
