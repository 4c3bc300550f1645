#pragma once
// The routing half of the proxy config (ARCHITECTURE.md, "Routes" and "Tenant key"): validated
// whole at load, immutable after, shared by request threads.
//
//   "tenant_key": [{"header": "X-Tenant-Id"}, {"host": "{tenant}.example.com"},
//                  {"path_prefix": "/t/{tenant}/", "strip": true}, {"jwt_claim": "iss"}]
//   "routes": [{"prefix": "/static/", "host": "cdn.example.com", "policy": "pinned", "side":
//   "new"},
//              {"prefix": "/api/", "policy": "weighted", "new_percent": 25},
//              {"prefix": "/", "policy": "tenant", "no_tenant": "legacy" | "new" | "reject"}]
//   "safe_methods": ["GET", "HEAD", "OPTIONS"]
//
// Absent keys: tenant_key [{"header": "X-Tenant-Id"}], routes [{"prefix": "/", "policy":
// "tenant"}], safe_methods as above. A route's prefix defaults to "/" and its host to any.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "common/stage.hpp"
#include "routing/decision.hpp"
#include "routing/tenant_key.hpp"

namespace switchyard::routing {

// What a tenant route does with a request that names no valid tenant.
enum class NoTenant : std::uint8_t { legacy, new_, reject };

struct Route {
    std::string prefix = "/";  // of the path, case-sensitive
    std::string host;          // lowercased; empty matches any host
    Policy policy = Policy::tenant;
    Side side = Side::legacy;                  // pinned
    std::uint32_t new_percent_hundredths = 0;  // weighted: 0..10000
    NoTenant no_tenant = NoTenant::legacy;     // tenant

    // `host` without its port (host_without_port()).
    bool matches(std::string_view path, std::string_view host) const noexcept;
};

struct RoutingConfig {
    std::vector<TenantKeySource> tenant_key;
    std::vector<Route> routes;  // first match wins
    std::vector<std::string> safe_methods;

    // Case-sensitive: method names are (RFC 9110 section 9.1).
    bool is_safe_method(std::string_view method) const noexcept;
    // Index of the first matching route, or routes.size() when none matches.
    std::size_t find_route(std::string_view path, std::string_view host) const noexcept;
};

// Reads tenant_key, routes and safe_methods from the whole proxy config and ignores the rest.
// Errors name the place: routes[1].policy: unknown policy "wieghted".
Result<std::shared_ptr<const RoutingConfig>> parse_routing_config(const nlohmann::json& config);

}  // namespace switchyard::routing
