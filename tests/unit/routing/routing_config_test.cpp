#include "routing/routing_config.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "request_fixture.hpp"

namespace switchyard::routing {
namespace {

TEST(RoutingConfig, DefaultsWhenAbsent) {
    const auto config = testing::routing_from(R"({"listen": [], "threads": 2})");
    ASSERT_TRUE(config);
    ASSERT_EQ(config->tenant_key.size(), 1U);
    ASSERT_TRUE(std::holds_alternative<HeaderKey>(config->tenant_key[0]));
    EXPECT_EQ(std::get<HeaderKey>(config->tenant_key[0]).name, "x-tenant-id");
    ASSERT_EQ(config->routes.size(), 1U);
    EXPECT_EQ(config->routes[0].prefix, "/");
    EXPECT_EQ(config->routes[0].host, "");
    EXPECT_EQ(config->routes[0].policy, Policy::tenant);
    EXPECT_EQ(config->routes[0].no_tenant, NoTenant::legacy);
    EXPECT_EQ(config->safe_methods, (std::vector<std::string>{"GET", "HEAD", "OPTIONS"}));
}

TEST(RoutingConfig, ReadsTheDocumentedExample) {
    const auto config = testing::routing_from(R"({
      "tenant_key": [{"header": "X-Tenant-Id"}, {"host": "{tenant}.example.com"},
                     {"path_prefix": "/t/{tenant}/", "strip": true}, {"jwt_claim": "iss"}],
      "routes": [{"prefix": "/static/", "host": "CDN.example.com", "policy": "pinned", "side": "new"},
                 {"prefix": "/api/", "policy": "weighted", "new_percent": 12.5},
                 {"policy": "tenant", "no_tenant": "reject"}],
      "safe_methods": ["GET", "HEAD", "OPTIONS", "PROPFIND"]})");
    ASSERT_TRUE(config);
    ASSERT_EQ(config->tenant_key.size(), 4U);
    EXPECT_EQ(std::get<HostKey>(config->tenant_key[1]).pattern.pattern(), "{tenant}.example.com");
    EXPECT_TRUE(std::get<PathKey>(config->tenant_key[2]).strip);
    EXPECT_EQ(std::get<JwtClaimKey>(config->tenant_key[3]).claim, "iss");
    ASSERT_EQ(config->routes.size(), 3U);
    EXPECT_EQ(config->routes[0].host, "cdn.example.com");
    EXPECT_EQ(config->routes[0].side, Side::new_);
    EXPECT_EQ(config->routes[1].new_percent_hundredths, 1250U);
    EXPECT_EQ(config->routes[2].prefix, "/");
    EXPECT_EQ(config->routes[2].no_tenant, NoTenant::reject);
    EXPECT_TRUE(config->is_safe_method("PROPFIND"));
    EXPECT_FALSE(config->is_safe_method("get"));
}

TEST(RoutingConfig, FindsTheFirstMatchingRoute) {
    const auto config = testing::routing_from(R"({"routes": [
        {"prefix": "/a/b/", "policy": "pinned", "side": "new"},
        {"prefix": "/a/", "host": "x.example.com", "policy": "pinned", "side": "new"},
        {"prefix": "/a/", "policy": "pinned", "side": "legacy"}]})");
    ASSERT_TRUE(config);
    EXPECT_EQ(config->find_route("/a/b/c", "x.example.com"), 0U);
    EXPECT_EQ(config->find_route("/a/c", "X.Example.Com"), 1U);
    EXPECT_EQ(config->find_route("/a/c", "y.example.com"), 2U);
    EXPECT_EQ(config->find_route("/b", "x.example.com"), 3U);  // none
}

struct BadConfig {
    std::string json;
    std::string error;
};

void PrintTo(const BadConfig& bad, std::ostream* out) { *out << bad.json; }

class RoutingConfigErrors : public ::testing::TestWithParam<BadConfig> {};

TEST_P(RoutingConfigErrors, SayWhere) {
    const auto parsed = parse_routing_config(nlohmann::json::parse(GetParam().json));
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().message, GetParam().error);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, RoutingConfigErrors,
    ::testing::Values(
        BadConfig{"[]", "config: must be a JSON object"},
        // tenant_key
        BadConfig{R"({"tenant_key": {"header": "X"}})", "tenant_key: must be an array"},
        BadConfig{R"({"tenant_key": ["X-Tenant-Id"]})", "tenant_key[0]: must be an object"},
        BadConfig{R"({"tenant_key": [{}]})",
                  "tenant_key[0]: must name exactly one of header, host, path_prefix, jwt_claim"},
        BadConfig{R"({"tenant_key": [{"header": "X", "jwt_claim": "iss"}]})",
                  "tenant_key[0]: must name exactly one of header, host, path_prefix, jwt_claim"},
        BadConfig{R"({"tenant_key": [{"header": "X-Tenant-Id"}, {"cookie": "tenant"}]})",
                  "tenant_key[1].cookie: unknown field"},
        BadConfig{R"({"tenant_key": [{"header": 7}]})", "tenant_key[0].header: must be a string"},
        BadConfig{R"({"tenant_key": [{"header": "X Tenant"}]})",
                  R"(tenant_key[0].header: not a header name: "X Tenant")"},
        BadConfig{R"({"tenant_key": [{"header": ""}]})",
                  R"(tenant_key[0].header: not a header name: "")"},
        BadConfig{R"({"tenant_key": [{"header": "X", "strip": true}]})",
                  "tenant_key[0].strip: only for path_prefix"},
        BadConfig{R"({"tenant_key": [{"host": "example.com"}]})",
                  R"(tenant_key[0].host: must contain "{tenant}")"},
        BadConfig{R"({"tenant_key": [{"host": "{tenant}.{tenant}.com"}]})",
                  R"(tenant_key[0].host: must contain "{tenant}" exactly once)"},
        BadConfig{R"({"tenant_key": [{"host": "{tenant}.example.com:443"}]})",
                  R"(tenant_key[0].host: may hold only letters, digits, '-', '.' and "{tenant}")"},
        BadConfig{R"({"tenant_key": [{"path_prefix": "/t/x{tenant}/"}]})",
                  R"(tenant_key[0].path_prefix: "{tenant}" must be a whole path segment)"},
        BadConfig{R"({"tenant_key": [{"path_prefix": "t/{tenant}/"}]})",
                  "tenant_key[0].path_prefix: must start with '/'"},
        BadConfig{R"({"tenant_key": [{"path_prefix": "/t/{tenant}/", "strip": "yes"}]})",
                  "tenant_key[0].strip: must be true or false"},
        BadConfig{R"({"tenant_key": [{"jwt_claim": ""}]})",
                  "tenant_key[0].jwt_claim: must not be empty"},
        BadConfig{R"({"tenant_key": [{"jwt_claim": ["iss"]}]})",
                  "tenant_key[0].jwt_claim: must be a string"},
        // routes
        BadConfig{R"({"routes": {}})", "routes: must be an array"},
        BadConfig{R"({"routes": []})", "routes: must hold at least one route"},
        BadConfig{R"({"routes": ["/"]})", "routes[0]: must be an object"},
        BadConfig{R"({"routes": [{"prefix": "/"}]})",
                  R"(routes[0]: missing required field "policy")"},
        BadConfig{R"({"routes": [{"prefix": "/a/", "policy": "tenant"},
                                 {"prefix": "/", "policy": "wieghted"}]})",
                  R"(routes[1].policy: unknown policy "wieghted")"},
        BadConfig{R"({"routes": [{"prefix": "/", "policy": 1}]})",
                  "routes[0].policy: must be a string"},
        BadConfig{R"({"routes": [{"prefix": "/", "policy": "tenant", "weight": 3}]})",
                  "routes[0].weight: unknown field"},
        BadConfig{R"({"routes": [{"prefix": "api/", "policy": "tenant"}]})",
                  "routes[0].prefix: must start with '/'"},
        BadConfig{R"({"routes": [{"prefix": "/api?x", "policy": "tenant"}]})",
                  "routes[0].prefix: must be a path, without '?' or '#'"},
        BadConfig{R"({"routes": [{"prefix": 5, "policy": "tenant"}]})",
                  "routes[0].prefix: must be a string"},
        BadConfig{R"({"routes": [{"host": "a.example.com:8080", "policy": "tenant"}]})",
                  R"(routes[0].host: not a host name (no port, no pattern): "a.example.com:8080")"},
        BadConfig{R"({"routes": [{"host": "", "policy": "tenant"}]})",
                  R"(routes[0].host: not a host name (no port, no pattern): "")"},
        BadConfig{
            R"({"routes": [{"host": "{tenant}.example.com", "policy": "tenant"}]})",
            R"(routes[0].host: not a host name (no port, no pattern): "{tenant}.example.com")"},
        BadConfig{R"({"routes": [{"policy": "pinned"}]})",
                  R"(routes[0]: missing required field "side")"},
        BadConfig{R"({"routes": [{"policy": "pinned", "side": "old"}]})",
                  R"(routes[0].side: unknown side "old")"},
        BadConfig{R"({"routes": [{"policy": "pinned", "side": "new", "new_percent": 5}]})",
                  R"(routes[0].new_percent: only for policy "weighted")"},
        BadConfig{R"({"routes": [{"policy": "pinned", "side": "new", "no_tenant": "new"}]})",
                  R"(routes[0].no_tenant: only for policy "tenant")"},
        BadConfig{R"({"routes": [{"policy": "tenant", "side": "new"}]})",
                  R"(routes[0].side: only for policy "pinned")"},
        BadConfig{R"({"routes": [{"policy": "weighted"}]})",
                  R"(routes[0]: missing required field "new_percent")"},
        BadConfig{R"({"routes": [{"policy": "weighted", "new_percent": "25"}]})",
                  "routes[0].new_percent: must be a number"},
        BadConfig{R"({"routes": [{"policy": "weighted", "new_percent": true}]})",
                  "routes[0].new_percent: must be a number"},
        BadConfig{R"({"routes": [{"policy": "weighted", "new_percent": 101}]})",
                  "routes[0].new_percent: 101 must be between 0 and 100"},
        BadConfig{R"({"routes": [{"policy": "weighted", "new_percent": -5}]})",
                  "routes[0].new_percent: -5 must be between 0 and 100"},
        BadConfig{R"({"routes": [{"policy": "weighted", "new_percent": 25.001}]})",
                  "routes[0].new_percent: 25.001 is finer than 0.01"},
        BadConfig{R"({"routes": [{"policy": "tenant", "no_tenant": "drop"}]})",
                  R"(routes[0].no_tenant: unknown no_tenant value "drop")"},
        BadConfig{R"({"routes": [{"policy": "tenant", "no_tenant": 400}]})",
                  "routes[0].no_tenant: must be a string"},
        // Order: a route after one that always wins can never match.
        BadConfig{R"({"routes": [{"prefix": "/", "policy": "tenant"},
                                 {"prefix": "/static/", "policy": "pinned", "side": "new"}]})",
                  "routes[1]: unreachable: routes[0] matches every request it would"},
        BadConfig{R"({"routes": [{"prefix": "/api/", "policy": "tenant"},
                                 {"prefix": "/api/v2/", "host": "x.example.com", "policy": "tenant"}]})",
                  "routes[1]: unreachable: routes[0] matches every request it would"},
        BadConfig{R"({"routes": [{"prefix": "/a/", "host": "x.example.com", "policy": "tenant"},
                                 {"prefix": "/a/", "host": "X.example.com", "policy": "tenant"}]})",
                  "routes[1]: unreachable: routes[0] matches every request it would"},
        // safe_methods
        BadConfig{R"({"safe_methods": "GET"})", "safe_methods: must be an array"},
        BadConfig{R"({"safe_methods": ["GET", 1]})", "safe_methods[1]: must be a string"},
        BadConfig{R"({"safe_methods": ["GET", "GET"]})",
                  R"(safe_methods[1]: duplicate method "GET")"},
        BadConfig{R"({"safe_methods": ["GET", "BAD METHOD"]})",
                  R"(safe_methods[1]: not a method name: "BAD METHOD")"},
        BadConfig{R"({"safe_methods": [""]})", R"(safe_methods[0]: not a method name: "")"}),
    [](const ::testing::TestParamInfo<BadConfig>& info) { return std::to_string(info.index); });

TEST(RoutingConfig, AllowsDisjointRoutesInAnyOrder) {
    EXPECT_TRUE(testing::routing_from(R"({"routes": [
        {"prefix": "/a/", "host": "x.example.com", "policy": "tenant"},
        {"prefix": "/a/", "policy": "tenant"},
        {"prefix": "/b/", "policy": "tenant"},
        {"prefix": "/", "policy": "tenant"}]})"));
}

TEST(RoutingConfig, EmptyKeyListAndEmptySafeMethodsAreAllowed) {
    const auto config = testing::routing_from(R"({"tenant_key": [], "safe_methods": []})");
    ASSERT_TRUE(config);
    EXPECT_TRUE(config->tenant_key.empty());
    EXPECT_FALSE(config->is_safe_method("GET"));  // every method then counts as unsafe
}

}  // namespace
}  // namespace switchyard::routing
