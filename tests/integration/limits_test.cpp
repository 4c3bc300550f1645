// Request limits, answered by the proxy before anything reaches an origin: 431 for a header
// section too large, 414 for a URL too long (RFC 9110 15.5), 413 for a body over the limit.
// Raw bytes, because these are messages a polite client would not send.
#include "proxy_fixture.hpp"
#include "raw_connection.hpp"

namespace switchyard::test {
namespace {

class Limits : public ProxyTest {
  protected:
    void launch_with_limits(nlohmann::json limits) {
        auto config = base_config();
        config["limits"] = std::move(limits);
        launch(config);
    }
};

TEST_F(Limits, OversizedHeaderSectionGets431) {
    ASSERT_NO_FATAL_FAILURE(launch_with_limits({{"max_header_bytes", 4096}}));
    const std::string request =
        "GET / HTTP/1.1\r\nHost: a\r\nX-Tenant-Id: globex\r\nX-Big: " + std::string(8000, 'b') +
        "\r\n\r\n";
    const std::string answer = raw_exchange(port(), request, 5s);
    EXPECT_EQ(status_of(answer), 431) << answer.substr(0, 300);
    EXPECT_EQ(legacy_.request_count() + new_.request_count(), 0u);
}

TEST_F(Limits, HeaderSectionUnderTheLimitPasses) {
    ASSERT_NO_FATAL_FAILURE(launch_with_limits({{"max_header_bytes", 4096}}));
    const auto response = get("/", {{"X-Tenant-Id", "globex"}, {"X-Big", std::string(2000, 'b')}});
    EXPECT_EQ(response.status, 200) << response.describe();
    EXPECT_EQ(legacy_.last_request().headers.value_or_empty("X-Big").size(), 2000u);
}

TEST_F(Limits, OversizedUrlGets414) {
    ASSERT_NO_FATAL_FAILURE(launch_with_limits({{"max_url_bytes", 1024}}));
    const std::string request =
        "GET /" + std::string(2000, 'u') + " HTTP/1.1\r\nHost: a\r\nX-Tenant-Id: globex\r\n\r\n";
    const std::string answer = raw_exchange(port(), request, 5s);
    EXPECT_EQ(status_of(answer), 414) << answer.substr(0, 300);
    EXPECT_EQ(legacy_.request_count() + new_.request_count(), 0u);
}

TEST_F(Limits, OversizedBodyGets413WithoutReachingTheOrigin) {
    ASSERT_NO_FATAL_FAILURE(launch_with_limits({{"max_body_bytes", 1000}}));
    const auto response = http_request(port(), "POST", "/upload", {{"X-Tenant-Id", "globex"}},
                                       std::string(5000, 'p'));
    EXPECT_EQ(response.status, 413) << response.describe();
    EXPECT_EQ(legacy_.request_count() + new_.request_count(), 0u);
}

TEST_F(Limits, BodyUnderTheLimitPasses) {
    ASSERT_NO_FATAL_FAILURE(launch_with_limits({{"max_body_bytes", 1000}}));
    const auto response =
        http_request(port(), "POST", "/upload", {{"X-Tenant-Id", "globex"}}, std::string(900, 'p'));
    EXPECT_EQ(response.status, 200) << response.describe();
    EXPECT_EQ(legacy_.last_request().body_bytes, 900u);
}

}  // namespace
}  // namespace switchyard::test
