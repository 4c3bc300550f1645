// A pooled backend connection that the backend closed while it sat idle: a request without a
// body is retried once on a fresh connection, and a request with a body is never sent on it
// (README, "What it does with HTTP"). The backend here answers each request with keep-alive
// framing and then closes the connection at once, as a backend restarting between requests does.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "proxy_fixture.hpp"

namespace switchyard::test {
namespace {

// Answers one request per connection ("200 ok", keep-alive by HTTP/1.1's default), then closes.
class ClosingOrigin {
  public:
    ClosingOrigin() {
        listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
        ::listen(listener_, 16);
        socklen_t length = sizeof address;
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
        port_ = ntohs(address.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~ClosingOrigin() {
        stop_ = true;
        thread_.join();
        ::close(listener_);
    }

    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    int connections() const { return connections_; }
    int closed() const { return closed_; }
    std::vector<std::string> requests() const {
        std::lock_guard lock(mutex_);
        return requests_;
    }

  private:
    void serve() {
        while (!stop_) {
            pollfd ready{listener_, POLLIN, 0};
            if (::poll(&ready, 1, 50) <= 0) continue;  // bounded: stop_ is seen within 50 ms
            const int connection = ::accept(listener_, nullptr, nullptr);
            if (connection < 0) continue;
            ++connections_;
            const auto request = read_request(connection);
            {
                std::lock_guard lock(mutex_);
                requests_.push_back(request);
            }
            constexpr std::string_view kAnswer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
            (void)::send(connection, kAnswer.data(), kAnswer.size(), MSG_NOSIGNAL);
            ::close(connection);
            ++closed_;
        }
    }

    // The header and a Content-Length body, at most 2 s (bounded).
    static std::string read_request(int connection) {
        std::string received;
        char chunk[4096];
        for (int waits = 0; waits < 40; ++waits) {
            const auto end = received.find("\r\n\r\n");
            if (end != std::string::npos) {
                const auto at = received.find("Content-Length: ");
                const std::size_t body =
                    at == std::string::npos || at > end ? 0 : std::stoul(received.substr(at + 16));
                if (received.size() >= end + 4 + body) break;
            }
            pollfd ready{connection, POLLIN, 0};
            if (::poll(&ready, 1, 50) <= 0) continue;
            const auto n = ::recv(connection, chunk, sizeof chunk, 0);
            if (n <= 0) break;
            received.append(chunk, static_cast<std::size_t>(n));
        }
        return received;
    }

    int listener_ = -1;
    std::uint16_t port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<int> connections_{0};
    std::atomic<int> closed_{0};
    mutable std::mutex mutex_;
    std::vector<std::string> requests_;
    std::thread thread_;
};

class StaleConnection : public ProxyTest {
  protected:
    void SetUp() override {
        auto config = base_config();
        config["backends"]["legacy"]["urls"] = {origin_.url()};
        ASSERT_NO_FATAL_FAILURE(launch(config));
        // The first answer leaves a pooled connection behind, which the origin has then closed.
        const auto first = get_as("globex", "/first");
        ASSERT_EQ(first.status, 200) << first.describe();
        ASSERT_TRUE(wait_until([&] { return origin_.closed() == 1; }, 5s));
    }

    ClosingOrigin origin_;
};

TEST_F(StaleConnection, ABodylessRequestIsRetriedOnAFreshConnection) {
    const auto second = get_as("globex", "/second");
    ASSERT_EQ(second.status, 200) << second.describe();
    EXPECT_EQ(second.body, "ok");
    EXPECT_EQ(origin_.connections(), 2);
    const auto requests = origin_.requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[1].rfind("GET /second ", 0), 0u) << requests[1];
}

TEST_F(StaleConnection, ARequestWithABodyIsNeverSentOnIt) {
    const auto post = http_request(port(), "POST", "/orders", {{"X-Tenant-Id", "globex"}}, "hello");
    ASSERT_EQ(post.status, 200) << post.describe();
    EXPECT_EQ(origin_.connections(), 2);
    const auto requests = origin_.requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[1].rfind("POST /orders ", 0), 0u) << requests[1];
    EXPECT_EQ(requests[1].substr(requests[1].size() - 5), "hello");
}

}  // namespace
}  // namespace switchyard::test
