#include "proxy_fixture.hpp"

#include <iostream>

namespace switchyard::test {

std::string FlagDocument::json() const {
    nlohmann::json document{
        {"default_stage", default_stage},
        {"rollout", {{"stage", rollout_stage}, {"percent", rollout_percent}, {"salt", salt}}},
        {"tenants", nlohmann::json::object()}};
    for (const auto& [id, stage] : tenants) document["tenants"][id] = {{"stage", stage}};
    return document.dump(2);
}

nlohmann::json ProxyTest::base_config() const {
    return {
        {"listen", {{{"address", "127.0.0.1:0"}}}},
        {"threads", 1},
        {"backends", {{"legacy", {{"urls", {legacy_.url()}}}}, {"new", {{"urls", {new_.url()}}}}}},
        {"tenant_key", {{{"header", "X-Tenant-Id"}}}},
        {"routes", {{{"prefix", "/"}, {"policy", "tenant"}, {"no_tenant", "legacy"}}}},
        {"flags", {{"file", ProxyProcess::kFlagsFile}, {"poll_interval_ms", 100}}},
        {"state_dir", "state"},
        {"timeouts",
         {{"client_header_ms", 10000},
          {"client_idle_ms", 60000},
          {"upstream_connect_ms", 2000},
          {"upstream_response_ms", 30000},
          {"drain_ms", 10000}}},
        {"limits", {{"max_header_bytes", 16384}, {"max_url_bytes", 8192}, {"max_body_bytes", 0}}},
        {"access_log", {{"enabled", true}, {"path", "access.log"}}},
        {"log_level", "info"},
    };
}

void ProxyTest::launch(const nlohmann::json& config, const std::string& flags) {
    proxy_ = std::make_unique<ProxyProcess>(ProxyLaunch{SWITCHYARD_BINARY, config, flags, {}});
    ASSERT_TRUE(proxy_->wait_ready()) << "switchyard did not become ready\n" << proxy_->describe();
}

ClientResponse ProxyTest::get(const std::string& target, HeaderList headers) const {
    return http_request(proxy_->port(), "GET", target, std::move(headers));
}

ClientResponse ProxyTest::get_as(const std::string& tenant, const std::string& target) const {
    return get(target, {{"X-Tenant-Id", tenant}});
}

std::string ProxyTest::side_of(const ClientResponse& response) {
    return response.headers.value_or_empty("X-Origin");
}

void ProxyTest::TearDown() {
    if (HasFailure() && proxy_) std::cerr << proxy_->describe() << "\n";
}

std::uint16_t unused_port() {
    TestOrigin placeholder;
    const auto port = placeholder.port();
    placeholder.stop();
    return port;
}

}  // namespace switchyard::test
