// Tenant routing through each key source, the cohort, and the pinned and weighted routes:
// what the client got and which origin received what.
#include "proxy_fixture.hpp"

namespace switchyard::test {
namespace {

class Routing : public ProxyTest {
  protected:
    nlohmann::json config_with_key(nlohmann::json key_source) const {
        auto config = base_config();
        config["tenant_key"] = nlohmann::json::array({std::move(key_source)});
        return config;
    }
};

// base64url without padding (RFC 7515 2), enough to build an unsigned JWT.
std::string base64url(const std::string& bytes) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (const unsigned char c : bytes) {
        buffer = (buffer << 8) | c;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += kAlphabet[(buffer >> bits) & 0x3F];
        }
    }
    if (bits > 0) out += kAlphabet[(buffer << (6 - bits)) & 0x3F];
    return out;
}

std::string bearer_with_issuer(const std::string& issuer) {
    const std::string header = base64url(R"({"alg":"HS256","typ":"JWT"})");
    const std::string payload = base64url(nlohmann::json{{"iss", issuer}, {"sub", "u1"}}.dump());
    return "Bearer " + header + "." + payload + ".c2lnbmF0dXJl";
}

TEST_F(Routing, TenantFlaggedNewByHeaderGoesToNew) {
    ASSERT_NO_FATAL_FAILURE(launch(FlagDocument{}.tenant("acme", "new").json()));
    const auto response = get_as("acme", "/orders/7");
    ASSERT_EQ(response.status, 200) << response.describe();
    EXPECT_EQ(response.body, "new");
    ASSERT_EQ(new_.request_count(), 1u);
    EXPECT_EQ(new_.last_request().target, "/orders/7");
    EXPECT_EQ(new_.last_request().headers.value_or_empty("X-Tenant-Id"), "acme");
    EXPECT_EQ(legacy_.request_count(), 0u);
}

TEST_F(Routing, TenantNotInFlagsStaysOnLegacy) {
    ASSERT_NO_FATAL_FAILURE(launch(FlagDocument{}.tenant("acme", "new").json()));
    const auto response = get_as("globex", "/orders/7");
    ASSERT_EQ(response.status, 200) << response.describe();
    EXPECT_EQ(response.body, "legacy");
    ASSERT_EQ(legacy_.request_count(), 1u);
    EXPECT_EQ(legacy_.last_request().headers.value_or_empty("X-Tenant-Id"), "globex");
    EXPECT_EQ(new_.request_count(), 0u);
}

TEST_F(Routing, RequestWithoutTenantGoesToTheRoutesNoTenantSide) {
    auto config = base_config();
    config["routes"][0]["no_tenant"] = "new";
    ASSERT_NO_FATAL_FAILURE(launch(config, FlagDocument{}.json()));
    const auto response = get("/about");
    ASSERT_EQ(response.status, 200) << response.describe();
    EXPECT_EQ(response.body, "new");
    EXPECT_EQ(new_.request_count(), 1u);
    EXPECT_EQ(legacy_.request_count(), 0u);
}

TEST_F(Routing, HostPatternNamesTheTenant) {
    ASSERT_NO_FATAL_FAILURE(launch(config_with_key({{"host", "{tenant}.example.com"}}),
                                   FlagDocument{}.tenant("acme", "new").json()));
    const auto flagged = get("/dashboard", {{"Host", "acme.example.com"}});
    const auto other = get("/dashboard", {{"Host", "globex.example.com"}});
    EXPECT_EQ(flagged.body, "new") << flagged.describe();
    EXPECT_EQ(other.body, "legacy") << other.describe();
    ASSERT_EQ(new_.request_count(), 1u);
    EXPECT_EQ(new_.last_request().target, "/dashboard");
    EXPECT_EQ(legacy_.request_count(), 1u);
}

TEST_F(Routing, PathPrefixNamesTheTenantAndIsStripped) {
    ASSERT_NO_FATAL_FAILURE(
        launch(config_with_key({{"path_prefix", "/t/{tenant}/"}, {"strip", true}}),
               FlagDocument{}.tenant("acme", "new").json()));
    const auto response = get("/t/acme/orders/7?expand=lines");
    ASSERT_EQ(response.status, 200) << response.describe();
    EXPECT_EQ(response.body, "new");
    ASSERT_EQ(new_.request_count(), 1u);
    EXPECT_EQ(new_.last_request().target, "/orders/7?expand=lines");
    EXPECT_EQ(legacy_.request_count(), 0u);
}

TEST_F(Routing, PathPrefixWithoutStripKeepsTheTarget) {
    ASSERT_NO_FATAL_FAILURE(
        launch(config_with_key({{"path_prefix", "/t/{tenant}/"}, {"strip", false}}),
               FlagDocument{}.tenant("acme", "new").json()));
    const auto response = get("/t/acme/orders/7");
    EXPECT_EQ(response.body, "new") << response.describe();
    EXPECT_EQ(new_.last_request().target, "/t/acme/orders/7");
}

TEST_F(Routing, JwtClaimNamesTheTenant) {
    ASSERT_NO_FATAL_FAILURE(launch(config_with_key({{"jwt_claim", "iss"}}),
                                   FlagDocument{}.tenant("acme", "new").json()));
    const std::string token = bearer_with_issuer("acme");
    const auto flagged = get("/me", {{"Authorization", token}});
    const auto other = get("/me", {{"Authorization", bearer_with_issuer("globex")}});
    EXPECT_EQ(flagged.body, "new") << flagged.describe();
    EXPECT_EQ(other.body, "legacy") << other.describe();
    ASSERT_EQ(new_.request_count(), 1u);
    EXPECT_EQ(new_.last_request().headers.value_or_empty("Authorization"), token);
    EXPECT_EQ(legacy_.request_count(), 1u);
}

TEST_F(Routing, LaterKeySourceAppliesWhenTheFirstIsAbsent) {
    auto config = base_config();
    config["tenant_key"] = {{{"header", "X-Tenant-Id"}}, {{"host", "{tenant}.example.com"}}};
    ASSERT_NO_FATAL_FAILURE(launch(config, FlagDocument{}.tenant("acme", "new").json()));
    const auto by_host = get("/", {{"Host", "acme.example.com"}});
    const auto header_wins = get("/", {{"Host", "acme.example.com"}, {"X-Tenant-Id", "globex"}});
    EXPECT_EQ(by_host.body, "new") << by_host.describe();
    EXPECT_EQ(header_wins.body, "legacy") << header_wins.describe();
    EXPECT_EQ(new_.request_count(), 1u);
    EXPECT_EQ(legacy_.request_count(), 1u);
}

TEST_F(Routing, FullRolloutSendsUnlistedTenantsToNew) {
    ASSERT_NO_FATAL_FAILURE(launch(FlagDocument{}.rollout(100).json()));
    for (const char* tenant : {"t1", "zeta", "initech"}) {
        EXPECT_EQ(get_as(tenant).body, "new") << tenant;
    }
    EXPECT_EQ(new_.request_count(), 3u);
    EXPECT_EQ(legacy_.request_count(), 0u);
}

TEST_F(Routing, ZeroRolloutKeepsUnlistedTenantsOnDefaultStage) {
    ASSERT_NO_FATAL_FAILURE(launch(FlagDocument{}.rollout(0).json()));
    for (const char* tenant : {"t1", "zeta", "initech"}) {
        EXPECT_EQ(get_as(tenant).body, "legacy") << tenant;
    }
    EXPECT_EQ(legacy_.request_count(), 3u);
    EXPECT_EQ(new_.request_count(), 0u);
}

TEST_F(Routing, ReadsStageSendsReadsToNewAndWritesToLegacy) {
    ASSERT_NO_FATAL_FAILURE(launch(FlagDocument{}.tenant("globex", "reads").json()));
    const auto read = get_as("globex", "/cart");
    const auto write = http_request(port(), "POST", "/cart", {{"X-Tenant-Id", "globex"}}, "{}");
    EXPECT_EQ(read.body, "new") << read.describe();
    EXPECT_EQ(write.body, "legacy") << write.describe();
    ASSERT_EQ(new_.request_count(), 1u);
    EXPECT_EQ(new_.last_request().method, "GET");
    ASSERT_EQ(legacy_.request_count(), 1u);
    EXPECT_EQ(legacy_.last_request().method, "POST");
    EXPECT_EQ(legacy_.last_request().body, "{}");
}

class Routes : public ProxyTest {
  protected:
    void launch_with_routes(nlohmann::json routes) {
        auto config = base_config();
        config["routes"] = std::move(routes);
        launch(config, FlagDocument{}.json());
    }
    // Sends `count` requests of a tenant that the flags keep on legacy.
    void send(const std::string& target, int count) {
        HttpClient client(port());
        for (int i = 0; i < count; ++i) {
            const auto response = client.get(target, {{"X-Tenant-Id", "globex"}});
            ASSERT_EQ(response.status, 200) << response.describe();
        }
    }
};

nlohmann::json weighted(int new_percent) {
    return {{{"prefix", "/w/"}, {"policy", "weighted"}, {"new_percent", new_percent}},
            {{"prefix", "/"}, {"policy", "tenant"}, {"no_tenant", "legacy"}}};
}

TEST_F(Routes, PinnedRouteGoesToItsSideWhateverTheTenant) {
    ASSERT_NO_FATAL_FAILURE(
        launch_with_routes({{{"prefix", "/static/"}, {"policy", "pinned"}, {"side", "new"}},
                            {{"prefix", "/"}, {"policy", "tenant"}, {"no_tenant", "legacy"}}}));
    const auto pinned = get_as("globex", "/static/app.js");
    const auto other = get_as("globex", "/app");
    EXPECT_EQ(pinned.body, "new") << pinned.describe();
    EXPECT_EQ(other.body, "legacy") << other.describe();
    ASSERT_EQ(new_.request_count(), 1u);
    EXPECT_EQ(new_.last_request().target, "/static/app.js");
    ASSERT_EQ(legacy_.request_count(), 1u);
    EXPECT_EQ(legacy_.last_request().target, "/app");
}

TEST_F(Routes, WeightedRouteAtZeroPercentStaysOnLegacy) {
    ASSERT_NO_FATAL_FAILURE(launch_with_routes(weighted(0)));
    ASSERT_NO_FATAL_FAILURE(send("/w/items", 50));
    EXPECT_EQ(legacy_.request_count(), 50u);
    EXPECT_EQ(new_.request_count(), 0u);
}

TEST_F(Routes, WeightedRouteAtHundredPercentGoesToNew) {
    ASSERT_NO_FATAL_FAILURE(launch_with_routes(weighted(100)));
    ASSERT_NO_FATAL_FAILURE(send("/w/items", 50));
    EXPECT_EQ(new_.request_count(), 50u);
    EXPECT_EQ(legacy_.request_count(), 0u);
}

TEST_F(Routes, WeightedRouteAtFiftyPercentSplitsBothWays) {
    ASSERT_NO_FATAL_FAILURE(launch_with_routes(weighted(50)));
    ASSERT_NO_FATAL_FAILURE(send("/w/items", 200));
    // Binomial(200, 0.5): outside 50..150 once in ~10^12 runs.
    EXPECT_EQ(new_.request_count() + legacy_.request_count(), 200u);
    EXPECT_GE(new_.request_count(), 50u);
    EXPECT_GE(legacy_.request_count(), 50u);
}

}  // namespace
}  // namespace switchyard::test
