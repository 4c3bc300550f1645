// The harness's client: errors as values, bounded waits, reconnection.
#include "http_client.hpp"

#include <gtest/gtest.h>

#include "test_origin.hpp"

namespace switchyard::test {
namespace {

using namespace std::chrono_literals;

TEST(HttpClient, RefusedConnectionIsAnErrorNotAStatus) {
    std::uint16_t port = 0;
    {
        TestOrigin gone;
        port = gone.port();
    }
    const auto response = http_request(port, "GET", "/");
    EXPECT_EQ(response.status, 0);
    EXPECT_NE(response.error.find("connect"), std::string::npos) << response.error;
}

TEST(HttpClient, TimeoutBoundsASlowExchange) {
    TestOrigin origin;
    origin.set_reply(OriginReply::delayed(3s));
    HttpClient client(origin.port());
    ClientRequest request;
    request.timeout = 200ms;
    const auto start = std::chrono::steady_clock::now();
    const auto response = client.request(request);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
    EXPECT_FALSE(response.ok());
    EXPECT_FALSE(client.connected());
}

TEST(HttpClient, ReconnectsWhenTheServerClosesAfterAnswering) {
    TestOrigin origin;
    OriginReply reply = OriginReply::with_status(200, "bye");
    reply.keep_alive = false;
    origin.set_reply(reply);
    HttpClient client(origin.port());
    const auto first = client.get("/");
    EXPECT_EQ(first.status, 200);
    EXPECT_FALSE(first.keep_alive);
    EXPECT_EQ(client.get("/").status, 200);
    EXPECT_EQ(origin.connections_accepted(), 2u);
}

TEST(HttpClient, SendsHostWhenTheTestDoesNot) {
    TestOrigin origin;
    ASSERT_EQ(http_request(origin.port(), "GET", "/").status, 200);
    EXPECT_EQ(origin.last_request().headers.value_or_empty("Host"),
              "127.0.0.1:" + std::to_string(origin.port()));
}

}  // namespace
}  // namespace switchyard::test
