// Each tenant key source on its own, then in order.
#include "routing/tenant_key.hpp"

#include <gtest/gtest.h>

#include "request_fixture.hpp"
#include "routing/base64url.hpp"
#include "routing/jwt_claim.hpp"

namespace switchyard::routing {
namespace {

using testing::base64url;
using testing::bearer_jwt;
using testing::TestRequest;

std::optional<std::string> host_tenant(std::string_view pattern, std::string_view host) {
    auto parsed = HostPattern::parse(pattern);
    EXPECT_TRUE(parsed.ok()) << pattern;
    std::string_view label;
    if (!parsed.ok() || !parsed->match(host, label)) return std::nullopt;
    return std::string{label};
}

TEST(HostPattern, MatchesTheTenantLabel) {
    EXPECT_EQ(host_tenant("{tenant}.example.com", "acme.example.com"), "acme");
    EXPECT_EQ(host_tenant("{tenant}.example.com", "acme.example.com:8443"), "acme");
    EXPECT_EQ(host_tenant("{tenant}.example.com", "ACME.EXAMPLE.com"), "ACME");  // as written
    EXPECT_EQ(host_tenant("{tenant}.Example.COM", "acme.example.com"), "acme");
    EXPECT_EQ(host_tenant("api-{tenant}.example.com", "api-acme.example.com"), "acme");
    EXPECT_EQ(host_tenant("example.com.{tenant}", "example.com.acme"), "acme");
}

TEST(HostPattern, RefusesHostsThatDoNotFit) {
    EXPECT_EQ(host_tenant("{tenant}.example.com", "example.com"), std::nullopt);
    EXPECT_EQ(host_tenant("{tenant}.example.com", ".example.com"), std::nullopt);
    EXPECT_EQ(host_tenant("{tenant}.example.com", "acme.example.org"), std::nullopt);
    EXPECT_EQ(host_tenant("{tenant}.example.com", "acme.example.com.evil.net"), std::nullopt);
    EXPECT_EQ(host_tenant("{tenant}.example.com", "a.b.example.com"), std::nullopt);  // one label
    EXPECT_EQ(host_tenant("api-{tenant}.example.com", "web-acme.example.com"), std::nullopt);
    EXPECT_EQ(host_tenant("{tenant}.example.com", ""), std::nullopt);
    EXPECT_EQ(host_tenant("{tenant}.example.com", "[::1]:8080"), std::nullopt);
}

TEST(HostPattern, StripsPorts) {
    EXPECT_EQ(host_without_port("acme.example.com:8443"), "acme.example.com");
    EXPECT_EQ(host_without_port("acme.example.com"), "acme.example.com");
    EXPECT_EQ(host_without_port("[::1]:8080"), "[::1]");
    EXPECT_EQ(host_without_port("[::1]"), "[::1]");
    EXPECT_EQ(host_without_port(""), "");
}

TEST(HostPattern, RefusesBadPatterns) {
    EXPECT_EQ(HostPattern::parse("example.com").error().message, "must contain \"{tenant}\"");
    EXPECT_EQ(HostPattern::parse("{tenant}.{tenant}.com").error().message,
              "must contain \"{tenant}\" exactly once");
    EXPECT_EQ(HostPattern::parse("{tenant}.example.com:8080").error().message,
              "may hold only letters, digits, '-', '.' and \"{tenant}\"");
    EXPECT_EQ(HostPattern::parse("{tenant}.*.com").error().message,
              "may hold only letters, digits, '-', '.' and \"{tenant}\"");
}

struct PathCase {
    std::string pattern;
    std::string target;
    std::optional<std::string> tenant;
    std::string rest;
};

TEST(PathPattern, MatchesAWholeSegment) {
    const std::vector<PathCase> cases{
        {"/t/{tenant}/", "/t/acme/orders?x=1", "acme", "/orders?x=1"},
        {"/t/{tenant}/", "/t/acme/", "acme", "/"},
        {"/t/{tenant}/", "/t/acme", "acme", ""},
        {"/t/{tenant}/", "/t/acme?x", "acme", "?x"},
        {"/t/{tenant}", "/t/acme/orders", "acme", "/orders"},
        {"/t/{tenant}/api/", "/t/acme/api/orders", "acme", "/orders"},
        {"/t/{tenant}/api/", "/t/acme/api", "acme", ""},
        {"/t/{tenant}/api/", "/t/acme/apiary", std::nullopt, ""},
        {"/t/{tenant}/api/", "/t/acme/other", std::nullopt, ""},
        {"/t/{tenant}/", "/t/", std::nullopt, ""},
        {"/t/{tenant}/", "/t//orders", std::nullopt, ""},
        {"/t/{tenant}/", "/T/acme/orders", std::nullopt, ""},  // paths are case-sensitive
        {"/t/{tenant}/", "/u/acme/orders", std::nullopt, ""},
        {"/{tenant}/", "/acme/x", "acme", "/x"},
    };
    for (const auto& c : cases) {
        auto pattern = PathPattern::parse(c.pattern);
        ASSERT_TRUE(pattern.ok()) << c.pattern;
        PathPattern::Match match;
        const bool matched = pattern->match(c.target, match);
        EXPECT_EQ(matched, c.tenant.has_value()) << c.pattern << " " << c.target;
        if (matched && c.tenant) {
            EXPECT_EQ(match.tenant, *c.tenant) << c.target;
            EXPECT_EQ(match.rest, c.rest) << c.target;
        }
    }
}

TEST(PathPattern, RefusesBadPatterns) {
    EXPECT_EQ(PathPattern::parse("t/{tenant}/").error().message, "must start with '/'");
    EXPECT_EQ(PathPattern::parse("/t/").error().message, "must contain \"{tenant}\"");
    EXPECT_EQ(PathPattern::parse("/t/x{tenant}/").error().message,
              "\"{tenant}\" must be a whole path segment");
    EXPECT_EQ(PathPattern::parse("/t/{tenant}x/").error().message,
              "\"{tenant}\" must be a whole path segment");
    EXPECT_EQ(PathPattern::parse("/{tenant}/{tenant}/").error().message,
              "must contain \"{tenant}\" exactly once");
    EXPECT_EQ(PathPattern::parse("/t?/{tenant}/").error().message,
              "may not hold '?', '#', or braces other than \"{tenant}\"");
    EXPECT_EQ(PathPattern::parse("/t/{tenant}/{id}").error().message,
              "may not hold '?', '#', or braces other than \"{tenant}\"");
}

TEST(Base64url, DecodesWithAndWithoutPadding) {
    const auto decode = [](std::string_view encoded) -> std::optional<std::string> {
        std::string out(base64url_decoded_size(encoded.size()), '\0');
        const auto size = base64url_decode(encoded, out.data());
        if (!size) return std::nullopt;
        out.resize(*size);
        return out;
    };
    EXPECT_EQ(decode(""), "");
    EXPECT_EQ(decode("YQ"), "a");
    EXPECT_EQ(decode("YQ=="), "a");
    EXPECT_EQ(decode("YWI"), "ab");
    EXPECT_EQ(decode("YWJj"), "abc");
    EXPECT_EQ(decode("-_8"), "\xFB\xFF");  // the two characters base64url changes
    EXPECT_EQ(decode(base64url("{\"iss\":\"acme\"}")), "{\"iss\":\"acme\"}");
    EXPECT_EQ(decode("Y"), std::nullopt);     // 6 bits cannot end a byte
    EXPECT_EQ(decode("YW+i"), std::nullopt);  // '+' is base64, not base64url
    EXPECT_EQ(decode("YW/i"), std::nullopt);
    EXPECT_EQ(decode("YW i"), std::nullopt);
}

std::optional<std::string> claim(std::string_view authorization, std::string_view name = "iss") {
    std::string value;
    if (!jwt_claim(authorization, name, value)) return std::nullopt;
    return value;
}

TEST(JwtClaim, ReadsStringAndIntegerClaims) {
    EXPECT_EQ(claim(bearer_jwt(R"({"iss":"acme","sub":"u1"})")), "acme");
    EXPECT_EQ(claim(bearer_jwt(R"({"sub":"u1","iss":"acme"})")), "acme");
    EXPECT_EQ(claim(bearer_jwt(R"({"tenant":1234})"), "tenant"), "1234");
    EXPECT_EQ(claim(bearer_jwt(R"({"tenant":-7})"), "tenant"), "-7");
    EXPECT_EQ(claim(bearer_jwt(R"({"iss":"\u0061cme"})")), "acme");
    EXPECT_EQ(claim(bearer_jwt(R"({"nested":{"iss":"x"},"iss":"acme"})")), "acme");
    EXPECT_EQ(claim("bearer " + bearer_jwt(R"({"iss":"acme"})").substr(7)), "acme");
    EXPECT_EQ(claim("BEARER   " + bearer_jwt(R"({"iss":"acme"})").substr(7) + "  "), "acme");
    // Larger than the stack buffer: decoded on the heap, same answer.
    const std::string padding(5000, 'p');
    EXPECT_EQ(claim(bearer_jwt(R"({"pad":")" + padding + R"(","iss":"acme"})")), "acme");
}

TEST(JwtClaim, RefusesWhatIsNotAUsableClaim) {
    EXPECT_EQ(claim(""), std::nullopt);
    EXPECT_EQ(claim("Basic YWxhZGRpbjpvcGVuc2VzYW1l"), std::nullopt);
    EXPECT_EQ(claim("Bearer"), std::nullopt);
    EXPECT_EQ(claim("Bearer "), std::nullopt);
    EXPECT_EQ(claim("Bearertoken.abc.def"), std::nullopt);
    EXPECT_EQ(claim("Bearer abc"), std::nullopt);                                  // no dots
    EXPECT_EQ(claim("Bearer a." + base64url(R"({"iss":"acme"})")), std::nullopt);  // two parts
    EXPECT_EQ(claim("Bearer a." + base64url(R"({"iss":"acme"})") + ".s.t.u"), std::nullopt);
    EXPECT_EQ(claim("Bearer a..s"), std::nullopt);     // empty payload
    EXPECT_EQ(claim("Bearer a.!!!.s"), std::nullopt);  // malformed base64url
    EXPECT_EQ(claim("Bearer a." + base64url("not json") + ".s"), std::nullopt);
    EXPECT_EQ(claim(bearer_jwt(R"(["iss","acme"])")), std::nullopt);  // not an object
    EXPECT_EQ(claim(bearer_jwt(R"({"iss":"acme"} trailing)")), std::nullopt);
    EXPECT_EQ(claim(bearer_jwt(R"({"sub":"acme"})")), std::nullopt);  // missing
    EXPECT_EQ(claim(bearer_jwt(R"({"iss":null})")), std::nullopt);
    EXPECT_EQ(claim(bearer_jwt(R"({"iss":true})")), std::nullopt);
    EXPECT_EQ(claim(bearer_jwt(R"({"iss":["acme"]})")), std::nullopt);
    EXPECT_EQ(claim(bearer_jwt(R"({"iss":1.5})")), std::nullopt);
    EXPECT_EQ(claim(bearer_jwt(R"({"iss":1e3})")), std::nullopt);
    EXPECT_EQ(claim(bearer_jwt(R"({"iss":"acme","iss":"globex"})")), std::nullopt);  // twice
    EXPECT_EQ(claim(bearer_jwt(R"({"ISS":"acme"})")), std::nullopt);  // claim names are exact
}

// Sources in order: header, host, path, JWT. The first valid id wins.
class ExtractTenant : public ::testing::Test {
  protected:
    std::optional<std::string> extract(const TestRequest& request) {
        std::string tenant = "leftover";
        if (!extract_tenant(config_->tenant_key, request.view(), tenant)) {
            EXPECT_EQ(tenant, "");  // never a half-read value
            return std::nullopt;
        }
        return tenant;
    }
    std::shared_ptr<const RoutingConfig> config_ = testing::routing_from(R"({"tenant_key": [
        {"header": "X-Tenant-Id"}, {"host": "{tenant}.example.com"},
        {"path_prefix": "/t/{tenant}/"}, {"jwt_claim": "tid"}]})");
};

TEST_F(ExtractTenant, FirstSourceWins) {
    const std::string jwt = bearer_jwt(R"({"tid":"from-jwt"})");
    EXPECT_EQ(extract({.target = "/t/from-path/x",
                       .host = "from-host.example.com",
                       .headers = {{"X-Tenant-Id", "from-header"}, {"Authorization", jwt}}}),
              "from-header");
    EXPECT_EQ(extract({.target = "/t/from-path/x",
                       .host = "from-host.example.com",
                       .headers = {{"Authorization", jwt}}}),
              "from-host");
    EXPECT_EQ(extract({.target = "/t/from-path/x", .headers = {{"Authorization", jwt}}}),
              "from-path");
    EXPECT_EQ(extract({.target = "/x", .headers = {{"Authorization", jwt}}}), "from-jwt");
    EXPECT_EQ(extract({.target = "/x"}), std::nullopt);
}

TEST_F(ExtractTenant, InvalidIdsFallThroughToTheNextSource) {
    const std::string jwt = bearer_jwt(R"({"tid":"from-jwt"})");
    EXPECT_EQ(extract({.target = "/t/from-path/x", .headers = {{"X-Tenant-Id", ""}}}), "from-path");
    EXPECT_EQ(extract({.target = "/t/from-path/x", .headers = {{"X-Tenant-Id", "a b"}}}),
              "from-path");
    EXPECT_EQ(
        extract({.target = "/t/from-path/x", .headers = {{"X-Tenant-Id", std::string(129, 'x')}}}),
        "from-path");
    EXPECT_EQ(extract({.target = "/t/%41cme/x", .headers = {{"Authorization", jwt}}}), "from-jwt");
    EXPECT_EQ(extract({.target = "/x", .host = "a_b.example.com"}), "a_b");  // '_' is allowed
    EXPECT_EQ(
        extract({.target = "/x", .headers = {{"Authorization", bearer_jwt(R"({"tid":"a/b"})")}}}),
        std::nullopt);
    EXPECT_EQ(extract({.target = "/x", .headers = {{"X-Tenant-Id", std::string(128, 'x')}}}),
              std::string(128, 'x'));
}

TEST_F(ExtractTenant, HostTenantsAreLowercased) {
    EXPECT_EQ(extract({.target = "/x", .host = "AcMe.example.com"}), "acme");
}

TEST_F(ExtractTenant, HeaderNamesAreCaseInsensitive) {
    EXPECT_EQ(extract({.target = "/x", .headers = {{"x-tenant-id", "acme"}}}), "acme");
    EXPECT_EQ(extract({.target = "/x", .headers = {{"X-TENANT-ID", "acme"}}}), "acme");
}

TEST(StrippedTarget, OnlyStrippingSourcesStrip) {
    const auto config = testing::routing_from(R"({"tenant_key": [
        {"path_prefix": "/keep/{tenant}/"}, {"path_prefix": "/t/{tenant}/", "strip": true}]})");
    std::string_view suffix;
    std::string owned;
    EXPECT_FALSE(stripped_target(config->tenant_key, "/keep/acme/x", suffix, owned));
    EXPECT_TRUE(stripped_target(config->tenant_key, "/t/acme/x", suffix, owned));
    EXPECT_EQ(suffix, "/x");
    EXPECT_TRUE(owned.empty());
}

}  // namespace
}  // namespace switchyard::routing
