#include "config/config.hpp"

#include <gtest/gtest.h>

#include "config/addresses.hpp"

namespace switchyard::config {
namespace {

constexpr const char* kMinimal = R"({
  "listen": [{"address": "127.0.0.1:8080"}],
  "backends": {"legacy": {"urls": ["http://127.0.0.1:9001"]},
               "new": {"urls": ["http://127.0.0.1:9002/"]}},
  "flags": {"file": "flags.json"}
})";

std::string error_of(std::string_view text) {
    auto result = parse_config(text, "/etc/switchyard");
    return result ? std::string("(accepted)") : result.error().message;
}

TEST(Config, MinimalConfigGetsDefaults) {
    auto config = parse_config(kMinimal, "/etc/switchyard");
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ(config->proxy.listen.at(0).host, "127.0.0.1");
    EXPECT_EQ(config->proxy.listen.at(0).port, 8080);
    EXPECT_EQ(config->proxy.legacy.at(0).port, 9001);
    EXPECT_EQ(config->proxy.new_side.at(0).host, "127.0.0.1");
    EXPECT_EQ(config->flags.file, std::filesystem::path("/etc/switchyard/flags.json"));
    EXPECT_EQ(config->state_dir, std::filesystem::path("/etc/switchyard/state"));
    EXPECT_GE(config->proxy.threads, 1u);
    EXPECT_EQ(config->proxy.limits.max_body_bytes, 0u);
    EXPECT_EQ(config->proxy.timeouts.upstream_connect, std::chrono::milliseconds(2000));
    EXPECT_TRUE(config->access_log.enabled);
}

TEST(Config, TimeoutsLimitsAndLogAreRead) {
    auto config = parse_config(R"({
      "listen": [{"address": "[::1]:0"}], "threads": 3,
      "backends": {"legacy": {"urls": ["http://localhost:1"]}, "new": {"urls": ["http://[::1]:2"]}},
      "flags": {"file": "/abs/flags.json", "poll_interval_ms": 250},
      "timeouts": {"client_header_ms": 1, "client_idle_ms": 2, "upstream_connect_ms": 3,
                   "upstream_response_ms": 4, "upstream_idle_ms": 5, "drain_ms": 0},
      "limits": {"max_header_bytes": 2048, "max_url_bytes": 100, "max_body_bytes": 10},
      "access_log": {"enabled": false, "path": "access.log"}, "log_level": "warn"
    })",
                               "/srv");
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ(config->proxy.listen[0].host, "::1");
    EXPECT_EQ(config->proxy.threads, 3u);
    EXPECT_EQ(config->proxy.new_side[0].host, "::1");
    EXPECT_EQ(config->flags.file, std::filesystem::path("/abs/flags.json"));
    EXPECT_EQ(config->flags.poll_interval, std::chrono::milliseconds(250));
    EXPECT_EQ(config->proxy.timeouts.upstream_response, std::chrono::milliseconds(4));
    EXPECT_EQ(config->proxy.timeouts.drain, std::chrono::milliseconds(0));
    EXPECT_EQ(config->proxy.limits.max_url_bytes, 100u);
    EXPECT_EQ(config->proxy.limits.max_body_bytes, 10u);
    EXPECT_FALSE(config->access_log.enabled);
    EXPECT_EQ(config->access_log.path, "/srv/access.log");
    EXPECT_EQ(config->log_level, "warn");
}

struct BadConfig {
    const char* text;
    const char* expected;
};

class RejectsBadConfig : public testing::TestWithParam<BadConfig> {};

TEST_P(RejectsBadConfig, NamesThePlace) {
    EXPECT_NE(error_of(GetParam().text).find(GetParam().expected), std::string::npos)
        << "got: " << error_of(GetParam().text);
}

INSTANTIATE_TEST_SUITE_P(
    Config, RejectsBadConfig,
    testing::Values(
        BadConfig{"{", "syntax error"},
        BadConfig{"[]", "must be an object"},
        BadConfig{R"({"backends": {}, "flags": {"file": "f"}})", "listen: required"},
        BadConfig{R"({"listen": [{"address": "8080"}]})", "listen[0].address"},
        BadConfig{R"({"listen": [{"address": "1.2.3.4:99999"}]})", "port must be"},
        BadConfig{R"({"listen": [{"adress": "1.2.3.4:80"}]})", "listen[0].adress: unknown field"},
        BadConfig{R"({"listen": [{"address": "127.0.0.1:1"}], "backends": {"legacy": {"urls": ["http://a:1"]}}, "flags": {"file": "f"}})",
                  "backends.new: required"},
        BadConfig{R"({"listen": [{"address": "127.0.0.1:1"}], "backends": {"legacy": {"urls": ["https://a:1"]}, "new": {"urls": ["http://a:1"]}}, "flags": {"file": "f"}})",
                  "backends.legacy.urls[0]: https upstreams are not supported yet"},
        BadConfig{R"({"listen": [{"address": "127.0.0.1:1"}], "backends": {"legacy": {"urls": ["http://a:1/api"]}, "new": {"urls": ["http://a:1"]}}, "flags": {"file": "f"}})",
                  "path prefix"},
        BadConfig{R"({"listen": [{"address": "127.0.0.1:1"}], "backends": {"legacy": {"urls": []}, "new": {"urls": ["http://a:1"]}}, "flags": {"file": "f"}})",
                  "backends.legacy.urls: must be a non-empty array"},
        BadConfig{R"({"listen": [{"address": "127.0.0.1:1"}], "backends": {"legacy": {"urls": ["http://a:1"]}, "new": {"urls": ["http://a:1"]}}})",
                  "flags: required"},
        BadConfig{R"({"listen": [{"address": "127.0.0.1:1"}], "backends": {"legacy": {"urls": ["http://a:1"]}, "new": {"urls": ["http://a:1"]}}, "flags": {"file": "f"}, "timeouts": {"upstream_connect_ms": -1}})",
                  "timeouts.upstream_connect_ms: must be a non-negative integer"},
        BadConfig{R"({"listen": [{"address": "127.0.0.1:1"}], "backends": {"legacy": {"urls": ["http://a:1"]}, "new": {"urls": ["http://a:1"]}}, "flags": {"file": "f"}, "timeouts": {"upstream_connect_ms": 0}})",
                  "timeouts.upstream_connect_ms: must be positive"},
        BadConfig{R"({"listen": [{"address": "127.0.0.1:1"}], "backends": {"legacy": {"urls": ["http://a:1"]}, "new": {"urls": ["http://a:1"]}}, "flags": {"file": "f"}, "limits": {"max_header_bytes": 10}})",
                  "limits.max_header_bytes: must be at least 1024"},
        BadConfig{R"({"listen": [{"address": "127.0.0.1:1"}], "backends": {"legacy": {"urls": ["http://a:1"]}, "new": {"urls": ["http://a:1"]}}, "flags": {"file": "f"}, "log_level": "loud"})",
                  "log_level: must be one of"},
        BadConfig{R"({"listen": [{"address": "127.0.0.1:1"}], "backends": {"legacy": {"urls": ["http://a:1"]}, "new": {"urls": ["http://a:1"]}}, "flags": {"file": "f"}, "thread": 2})",
                  "thread: unknown field"}));

TEST(Addresses, UpstreamUrlWithoutPortDefaultsTo80) {
    std::string why;
    auto url = parse_upstream_url("http://backend.internal", why);
    ASSERT_TRUE(url) << why;
    EXPECT_EQ(url->host, "backend.internal");
    EXPECT_EQ(url->port, 80);
}

TEST(Addresses, ListenAddressIPv6NeedsBrackets) {
    std::string why;
    EXPECT_FALSE(parse_listen_address("::1:80", why));
    auto address = parse_listen_address("[::]:8080", why);
    ASSERT_TRUE(address) << why;
    EXPECT_EQ(address->host, "::");
    EXPECT_EQ(address->port, 8080);
}

}  // namespace
}  // namespace switchyard::config
