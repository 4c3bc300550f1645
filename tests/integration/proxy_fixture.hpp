#pragma once
// Every integration scenario: two real loopback origins ("legacy" and "new"), the real
// switchyard binary between them and the test, and helpers to configure and ask it.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "http_client.hpp"
#include "proxy_process.hpp"
#include "test_origin.hpp"
#include "wait.hpp"

namespace switchyard::test {

// A flag document (ARCHITECTURE.md), built in code and written as JSON.
struct FlagDocument {
    std::string default_stage = "legacy";
    std::string rollout_stage = "new";
    int rollout_percent = 0;
    std::string salt = "wave-1";
    std::map<std::string, std::string> tenants;  // tenant -> stage

    FlagDocument& tenant(std::string id, std::string stage) {
        tenants[std::move(id)] = std::move(stage);
        return *this;
    }
    FlagDocument& rollout(int percent) {
        rollout_percent = percent;
        return *this;
    }
    std::string json() const;
};

class ProxyTest : public ::testing::Test {
  protected:
    // How long a flag edit may take to route requests (the issue: "within a second").
    static constexpr std::chrono::milliseconds kReloadBound{1000};

    // One listener on 127.0.0.1:0, both origins, the header tenant key, one tenant route whose
    // tenant-less requests go to legacy, flags polled every 100 ms, access log in the temp dir.
    nlohmann::json base_config() const;

    // Starts switchyard and waits for its ready file; a fatal failure (with its logs) otherwise.
    // Call as ASSERT_NO_FATAL_FAILURE(launch(...)).
    void launch(const nlohmann::json& config, const std::string& flags = FlagDocument{}.json());
    void launch(const std::string& flags = FlagDocument{}.json()) { launch(base_config(), flags); }

    std::uint16_t port() const { return proxy_->port(); }
    ProxyProcess& proxy() { return *proxy_; }
    ClientResponse get(const std::string& target, HeaderList headers = {}) const;
    ClientResponse get_as(const std::string& tenant, const std::string& target = "/") const;
    // Which origin answered, as the client sees it: the origin's name, or "" for neither.
    static std::string side_of(const ClientResponse& response);
    // stdout and stderr of the proxy: where it logs.
    std::string proxy_log() const { return proxy_->stdout_text() + proxy_->stderr_text(); }

    void TearDown() override;

    TestOrigin legacy_{"legacy"};
    TestOrigin new_{"new"};
    std::unique_ptr<ProxyProcess> proxy_;
};

// A port with nothing listening on it, from the OS: bound once, then closed.
std::uint16_t unused_port();

}  // namespace switchyard::test
