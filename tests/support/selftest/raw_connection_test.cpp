// Raw bytes against a TestOrigin: what a malformed-message test relies on.
#include "raw_connection.hpp"

#include <gtest/gtest.h>

#include "test_origin.hpp"

namespace switchyard::test {
namespace {

using namespace std::chrono_literals;

TEST(RawConnection, ExchangeReturnsTheWholeAnswerUntilClose) {
    TestOrigin origin("raw");
    const std::string answer =
        raw_exchange(origin.port(), "GET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", 5s);
    EXPECT_EQ(status_of(answer), 200);
    EXPECT_NE(answer.find("\r\n\r\nraw"), std::string::npos) << answer;
    EXPECT_EQ(origin.last_request().target, "/x");
}

TEST(RawConnection, ReadUntilStopsAtTheMarker) {
    TestOrigin origin("raw");
    RawConnection connection(origin.port());
    ASSERT_TRUE(connection.connected()) << connection.error();
    ASSERT_TRUE(connection.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
    EXPECT_TRUE(connection.read_until("raw", 5s)) << connection.received();
    EXPECT_FALSE(connection.peer_closed());
}

TEST(RawConnection, RefusedConnectIsReported) {
    std::uint16_t port = 0;
    {
        TestOrigin gone;
        port = gone.port();
    }
    RawConnection connection(port);
    EXPECT_FALSE(connection.connected());
    EXPECT_NE(connection.error().find("connect"), std::string::npos);
}

TEST(RawConnection, StatusOfReadsTheStatusLine) {
    EXPECT_EQ(status_of("HTTP/1.1 431 Request Header Fields Too Large\r\n"), 431);
    EXPECT_EQ(status_of("HTTP/1.0 200 OK\r\n"), 200);
    EXPECT_EQ(status_of("garbage"), 0);
    EXPECT_EQ(status_of(""), 0);
}

}  // namespace
}  // namespace switchyard::test
