// DeadlineStream over real loopback sockets: the watchdog's tick ends what is past its deadline
// with beast::error::timeout, as beast::tcp_stream would.
#include "proxy/deadline_stream.hpp"

#include <gtest/gtest.h>

#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

namespace switchyard::proxy {
namespace {

using namespace std::chrono_literals;

// A connected pair on 127.0.0.1: `stream` (watched) and a plain `peer`.
struct Pair {
    asio::io_context context;
    Watchdog watchdog;
    std::optional<DeadlineStream> stream;
    Socket peer{context};

    Pair() {
        watchdog.attach(context);
        Acceptor acceptor(context, {asio::ip::make_address("127.0.0.1"), 0});
        Socket client(context);
        client.connect(acceptor.local_endpoint());
        acceptor.accept(peer);
        stream.emplace(std::move(client), watchdog);
    }
    ~Pair() {
        stream.reset();
        watchdog.stop();
    }
    // Runs the loop until `done`, at most 5 s (bounded even if the code under test is broken).
    void run_until(const bool& done) {
        const auto deadline = std::chrono::steady_clock::now() + 5s;
        while (!done && std::chrono::steady_clock::now() < deadline) context.run_one_for(50ms);
    }
};

TEST(DeadlineStream, ReadPastItsDeadlineEndsWithTimeout) {
    Pair pair;
    char byte;
    beast::error_code result;
    bool done = false;
    pair.stream->expires_after(10ms);
    pair.stream->async_read_some(asio::buffer(&byte, 1), [&](beast::error_code ec, std::size_t) {
        result = ec;
        done = true;
    });
    pair.run_until(done);
    ASSERT_TRUE(done);
    EXPECT_EQ(result, beast::error::timeout) << result.message();
    EXPECT_TRUE(pair.stream->timed_out());
}

TEST(DeadlineStream, OperationsWithinTheDeadlineAreUntouched) {
    Pair pair;
    char byte = 0;
    beast::error_code result = asio::error::would_block;
    bool done = false;
    pair.stream->expires_after(10s);
    pair.stream->async_read_some(asio::buffer(&byte, 1), [&](beast::error_code ec, std::size_t) {
        result = ec;
        done = true;
    });
    asio::write(pair.peer, asio::buffer("x", 1));
    pair.run_until(done);
    EXPECT_FALSE(result) << result.message();
    EXPECT_EQ(byte, 'x');
    EXPECT_FALSE(pair.stream->timed_out());
}

TEST(DeadlineStream, DeadlinePassedWhileIdleFailsTheNextOperationAtOnce) {
    Pair pair;
    pair.stream->expires_after(1ms);
    // Let at least one tick see the stream idle past its deadline.
    asio::steady_timer wait(pair.context, Watchdog::kTick * 3);
    bool waited = false;
    wait.async_wait([&](beast::error_code) { waited = true; });
    pair.run_until(waited);
    beast::error_code result;
    bool done = false;
    asio::async_write(*pair.stream, asio::buffer("x", 1), [&](beast::error_code ec, std::size_t) {
        result = ec;
        done = true;
    });
    pair.run_until(done);
    EXPECT_EQ(result, beast::error::timeout) << result.message();
}

TEST(DeadlineStream, ExpiresNeverKeepsAnIdleStreamOpen) {
    Pair pair;
    pair.stream->expires_after(1ms);
    pair.stream->expires_never();
    asio::steady_timer wait(pair.context, Watchdog::kTick * 3);
    bool waited = false;
    wait.async_wait([&](beast::error_code) { waited = true; });
    pair.run_until(waited);
    EXPECT_TRUE(pair.stream->socket().is_open());
    EXPECT_FALSE(pair.stream->timed_out());
}

}  // namespace
}  // namespace switchyard::proxy
