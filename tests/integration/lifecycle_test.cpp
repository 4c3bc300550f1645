// The process around the requests: the load balancer's health check, graceful drain on
// SIGTERM, and an IPv6 listener.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <future>

#include "proxy_fixture.hpp"
#include "raw_connection.hpp"

namespace switchyard::test {
namespace {

using Lifecycle = ProxyTest;

bool ipv6_loopback_available() {
    const int fd = ::socket(AF_INET6, SOCK_STREAM, 0);
    if (fd < 0) return false;
    sockaddr_in6 address{};
    address.sin6_family = AF_INET6;
    address.sin6_addr = in6addr_loopback;
    const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return bound;
}

TEST_F(Lifecycle, HealthCheckIsAnsweredByTheProxyItself) {
    ASSERT_NO_FATAL_FAILURE(launch());
    const auto response = get("/__switchyard/health");
    EXPECT_EQ(response.status, 200) << response.describe();
    EXPECT_EQ(legacy_.request_count(), 0u);
    EXPECT_EQ(new_.request_count(), 0u);
    EXPECT_EQ(legacy_.connections_accepted() + new_.connections_accepted(), 0u);
}

TEST_F(Lifecycle, DrainFinishesTheInFlightRequestRefusesNewOnesAndExitsZero) {
    auto config = base_config();
    config["timeouts"]["drain_ms"] = 5000;
    ASSERT_NO_FATAL_FAILURE(launch(config));
    OriginReply slow = OriginReply::with_status(200, "slow answer");
    slow.delay = std::chrono::milliseconds(1500);
    legacy_.set_reply(slow);

    auto in_flight = std::async(std::launch::async, [port = port()] {
        return http_request(port, "GET", "/slow", {{"X-Tenant-Id", "globex"}});
    });
    ASSERT_TRUE(wait_until([&] { return legacy_.request_count() == 1; }, 5s));
    const auto signalled = std::chrono::steady_clock::now();
    proxy().terminate();

    EXPECT_TRUE(wait_until([&] { return !RawConnection(port()).connected(); }, 1s))
        << "still accepting connections a second after SIGTERM";
    const auto response = in_flight.get();
    EXPECT_EQ(response.status, 200) << response.describe();
    EXPECT_EQ(response.body, "slow answer") << response.describe();
    EXPECT_EQ(proxy().wait_exit(6s), 0) << proxy().describe();
    EXPECT_LT(std::chrono::steady_clock::now() - signalled, std::chrono::milliseconds(5000 + 1000));
    EXPECT_EQ(legacy_.last_request().target, "/slow");
}

TEST_F(Lifecycle, IdleProcessExitsPromptlyOnSigterm) {
    ASSERT_NO_FATAL_FAILURE(launch());
    ASSERT_EQ(get_as("globex").status, 200);
    const auto signalled = std::chrono::steady_clock::now();
    proxy().terminate();
    EXPECT_EQ(proxy().wait_exit(10s), 0) << proxy().describe();
    EXPECT_LT(std::chrono::steady_clock::now() - signalled, std::chrono::seconds(2));
}

TEST_F(Lifecycle, Ipv6ListenerServesRequests) {
    if (!ipv6_loopback_available()) GTEST_SKIP() << "::1 cannot be bound on this machine";
    auto config = base_config();
    config["listen"] = {{{"address", "[::1]:0"}}};
    ASSERT_NO_FATAL_FAILURE(launch(config));
    ASSERT_EQ(proxy().listening().size(), 1u);
    EXPECT_EQ(proxy().listening()[0].host, "::1");

    HttpClient client(port(), "::1");
    const auto response = client.get("/v6", {{"X-Tenant-Id", "globex"}});
    ASSERT_EQ(response.status, 200) << response.describe();
    EXPECT_EQ(response.body, "legacy");
    EXPECT_EQ(legacy_.last_request().target, "/v6");
    EXPECT_EQ(legacy_.last_request().headers.value_or_empty("X-Forwarded-For"), "::1");
}

}  // namespace
}  // namespace switchyard::test
