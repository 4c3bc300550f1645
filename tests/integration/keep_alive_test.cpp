// A client connection between requests: switchyard waits for the next request holding no
// buffer and no coroutine (proxy/client_session.cpp), so these check what a client sees of
// that wait: requests that arrive pipelined, in pieces or after a pause are served on the same
// connection, and a connection that stays silent is closed when its timeout or a drain says so.
#include <thread>

#include "proxy_fixture.hpp"
#include "raw_connection.hpp"

namespace switchyard::test {
namespace {

class KeepAlive : public ProxyTest {
  protected:
    void launch_with_timeouts(int header_ms, int idle_ms) {
        auto config = base_config();
        config["timeouts"]["client_header_ms"] = header_ms;
        config["timeouts"]["client_idle_ms"] = idle_ms;
        launch(config);
    }

    static std::string request(std::string_view target, std::string_view id) {
        return "GET " + std::string(target) + " HTTP/1.1\r\nHost: a\r\nX-Tenant-Id: globex\r\n" +
               "X-Request-Id: " + std::string(id) + "\r\n\r\n";
    }

    static std::size_t count_of(const std::string& text, std::string_view what) {
        std::size_t count = 0;
        for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
            ++count;
        }
        return count;
    }
};

TEST_F(KeepAlive, PipelinedRequestsAreAnsweredInOrder) {
    ASSERT_NO_FATAL_FAILURE(launch());
    RawConnection client(port());
    ASSERT_TRUE(client.connected()) << client.error();
    ASSERT_TRUE(client.send(request("/first", "first") + request("/second", "second") +
                            request("/third", "third")));
    ASSERT_TRUE(client.read_until("X-Request-Id: third", 5s)) << client.received();
    const auto& text = client.received();
    EXPECT_EQ(count_of(text, "HTTP/1.1 200"), 3u) << text;
    EXPECT_LT(text.find("X-Request-Id: first"), text.find("X-Request-Id: second"));
    EXPECT_LT(text.find("X-Request-Id: second"), text.find("X-Request-Id: third"));
    EXPECT_EQ(legacy_.request_count(), 3u);
    EXPECT_EQ(legacy_.last_request().target, "/third");
}

// The second request is in the socket, not the buffer, when the first is answered: the session
// reads it then and serves it in the same coroutine, without waiting for readiness.
TEST_F(KeepAlive, ARequestSentWhileTheLastIsForwardedIsServedNext) {
    ASSERT_NO_FATAL_FAILURE(launch());
    legacy_.set_reply(OriginReply::delayed(300ms));
    RawConnection client(port());
    ASSERT_TRUE(client.connected()) << client.error();
    ASSERT_TRUE(client.send(request("/first", "first")));
    ASSERT_TRUE(wait_until([&] { return legacy_.request_count() == 1; }, 5s));
    ASSERT_TRUE(client.send(request("/second", "second")));
    ASSERT_TRUE(client.read_until("X-Request-Id: second", 5s)) << client.received();
    const auto& text = client.received();
    EXPECT_EQ(count_of(text, "HTTP/1.1 200"), 2u) << text;
    EXPECT_LT(text.find("X-Request-Id: first"), text.find("X-Request-Id: second"));
    EXPECT_EQ(legacy_.request_count(), 2u);
    EXPECT_EQ(legacy_.last_request().target, "/second");
    EXPECT_FALSE(client.peer_closed());
}

TEST_F(KeepAlive, ARequestArrivingInPiecesIsServed) {
    ASSERT_NO_FATAL_FAILURE(launch());
    RawConnection client(port());
    ASSERT_TRUE(client.connected()) << client.error();
    const auto whole = request("/pieces", "pieces");
    ASSERT_TRUE(client.send(whole.substr(0, 10)));  // "GET /piece": not even the request line
    std::this_thread::sleep_for(150ms);
    ASSERT_TRUE(client.send(whole.substr(10, 20)));
    std::this_thread::sleep_for(150ms);
    ASSERT_TRUE(client.send(whole.substr(30)));
    ASSERT_TRUE(client.read_until("X-Request-Id: pieces", 5s)) << client.received();
    EXPECT_EQ(status_of(client.received()), 200) << client.received();
    EXPECT_EQ(legacy_.last_request().target, "/pieces");
}

TEST_F(KeepAlive, ARequestAfterAPauseIsServedOnTheSameConnection) {
    ASSERT_NO_FATAL_FAILURE(launch());
    RawConnection client(port());
    ASSERT_TRUE(client.connected()) << client.error();
    ASSERT_TRUE(client.send(request("/before", "before")));
    ASSERT_TRUE(client.read_until("X-Request-Id: before", 5s)) << client.received();
    std::this_thread::sleep_for(300ms);  // idle: waiting for readiness, nothing allocated
    ASSERT_TRUE(client.send(request("/after", "after")));
    ASSERT_TRUE(client.read_until("X-Request-Id: after", 5s)) << client.received();
    EXPECT_EQ(count_of(client.received(), "HTTP/1.1 200"), 2u) << client.received();
    EXPECT_FALSE(client.peer_closed());
}

TEST_F(KeepAlive, AClientThatSendsNothingIsClosedAfterTheHeaderTimeout) {
    ASSERT_NO_FATAL_FAILURE(launch_with_timeouts(300, 60000));
    RawConnection client(port());
    ASSERT_TRUE(client.connected()) << client.error();
    ASSERT_TRUE(client.read_until_close(5s)) << "still open 5 s after a 300 ms header timeout";
    EXPECT_EQ(client.received(), "");  // nothing was asked: nothing is answered
}

TEST_F(KeepAlive, AHeaderThatNeverEndsGets408) {
    ASSERT_NO_FATAL_FAILURE(launch_with_timeouts(300, 60000));
    RawConnection client(port());
    ASSERT_TRUE(client.connected()) << client.error();
    ASSERT_TRUE(client.send("GET / HTTP/1.1\r\nHost: a\r\n"));
    ASSERT_TRUE(client.read_until_close(5s)) << client.received();
    EXPECT_EQ(status_of(client.received()), 408) << client.received();
    EXPECT_EQ(legacy_.request_count() + new_.request_count(), 0u);
}

TEST_F(KeepAlive, AnIdleConnectionIsClosedAfterTheIdleTimeout) {
    ASSERT_NO_FATAL_FAILURE(launch_with_timeouts(10000, 300));
    RawConnection client(port());
    ASSERT_TRUE(client.connected()) << client.error();
    ASSERT_TRUE(client.send(request("/once", "once")));
    ASSERT_TRUE(client.read_until_close(5s)) << "still open 5 s after a 300 ms idle timeout";
    EXPECT_EQ(count_of(client.received(), "HTTP/1.1 200"), 1u) << client.received();
}

TEST_F(KeepAlive, DrainClosesAnIdleConnectionAndExits) {
    ASSERT_NO_FATAL_FAILURE(launch());
    RawConnection client(port());
    ASSERT_TRUE(client.connected()) << client.error();
    ASSERT_TRUE(client.send(request("/once", "once")));
    ASSERT_TRUE(client.read_until("X-Request-Id: once", 5s)) << client.received();
    proxy().terminate();
    EXPECT_TRUE(client.read_until_close(5s)) << "an idle keep-alive connection outlived the drain";
    EXPECT_EQ(proxy().wait_exit(10s), 0) << proxy().describe();
}

}  // namespace
}  // namespace switchyard::test
