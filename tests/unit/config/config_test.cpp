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

constexpr const char* kWithFlags =
    R"({"listen": [{"address": "127.0.0.1:1"}], "backends": {"legacy": {"urls": ["http://a:1"]}, "new": {"urls": ["http://a:1"]}}, "flags": )";

std::string with_flags(const std::string& flags) { return kWithFlags + flags + "}"; }

TEST(DynamoFlags, ATableInsteadOfAFile) {
    auto config = parse_config(with_flags(R"({"dynamodb": {"table": "switchyard-flags",
        "region": "eu-west-1", "endpoint": "http://127.0.0.1:8000", "call_timeout_ms": 1500,
        "resync_interval_ms": 60000}, "poll_interval_ms": 500})"),
                               "/etc");
    ASSERT_TRUE(config) << config.error().message;
    ASSERT_TRUE(config->flags.dynamodb);
    EXPECT_TRUE(config->flags.file.empty());
    EXPECT_EQ(config->flags.dynamodb->table, "switchyard-flags");
    EXPECT_EQ(config->flags.dynamodb->region, "eu-west-1");
    EXPECT_EQ(config->flags.dynamodb->endpoint, "http://127.0.0.1:8000");
    EXPECT_EQ(config->flags.dynamodb->call_timeout, std::chrono::milliseconds(1500));
    EXPECT_EQ(config->flags.dynamodb->resync_interval, std::chrono::milliseconds(60000));
    EXPECT_EQ(config->flags.poll_interval, std::chrono::milliseconds(500));
}

TEST(DynamoFlags, DefaultsAreOneSecondPollsAndHourlyReloads) {
    auto config =
        parse_config(with_flags(R"({"dynamodb": {"table": "t-1", "region": "us-east-1"}})"), "/");
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ(config->flags.dynamodb->endpoint, "");
    EXPECT_EQ(config->flags.dynamodb->call_timeout, std::chrono::milliseconds(2000));
    EXPECT_EQ(config->flags.dynamodb->resync_interval, std::chrono::hours(1));
    EXPECT_EQ(config->flags.poll_interval, std::chrono::milliseconds(1000));
}

class RejectsBadFlagStore : public testing::TestWithParam<BadConfig> {};

TEST_P(RejectsBadFlagStore, NamesThePlace) {
    const auto error = error_of(with_flags(GetParam().text));
    EXPECT_NE(error.find(GetParam().expected), std::string::npos) << "got: " << error;
}

INSTANTIATE_TEST_SUITE_P(
    Config, RejectsBadFlagStore,
    testing::Values(
        BadConfig{R"({"file": "f", "dynamodb": {"table": "tab", "region": "r"}})",
                  "flags: give \"file\" or \"dynamodb\", not both"},
        BadConfig{R"({"poll_interval_ms": 5})", "flags: needs one store"},
        BadConfig{R"({"dynamodb": {"region": "r"}})", "flags.dynamodb.table: required"},
        BadConfig{R"({"dynamodb": {"table": "a b c", "region": "r"}})",
                  "flags.dynamodb.table: must be 3 to 255"},
        BadConfig{R"({"dynamodb": {"table": "tab"}})", "flags.dynamodb.region: required"},
        BadConfig{R"({"dynamodb": {"table": "tab", "region": "r", "endpoint": "127.0.0.1:8000"}})",
                  "flags.dynamodb.endpoint: must be an http:// or https:// URL"},
        BadConfig{R"({"dynamodb": {"table": "tab", "region": "r", "call_timeout_ms": 0}})",
                  "flags.dynamodb.call_timeout_ms: must be positive"},
        BadConfig{R"({"dynamodb": {"table": "tab", "region": "r", "resync_interval_ms": 5}})",
                  "flags.dynamodb.resync_interval_ms: must be at least 10000"},
        BadConfig{R"({"dynamodb": {"table": "tab", "region": "r", "tabel": "x"}})",
                  "flags.dynamodb.tabel: unknown field"},
        BadConfig{R"({"dynamodb": "tab"})", "flags.dynamodb: must be an object"}));

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
