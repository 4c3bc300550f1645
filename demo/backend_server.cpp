#include "backend_server.hpp"

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <exception>
#include <thread>
#include <vector>

#include "reply_body.hpp"

namespace switchyard::demo {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
using RequestParser = http::request_parser<http::buffer_body>;

std::optional<std::string_view> header(const http::request<http::buffer_body>& req,
                                       std::string_view name) {
    const auto it = req.find(name);
    if (it == req.end()) return std::nullopt;
    return it->value();
}

// Reads and drops the body; a 100 Continue first when the client waits for one (RFC 9110
// 10.1.1), which curl does for bodies over 1 MiB.
asio::awaitable<bool> discard_body(tcp::socket& socket, boost::beast::flat_buffer& buffer,
                                   RequestParser& parser) {
    if (!parser.is_done() && !parser.get()[http::field::expect].empty()) {
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        auto [ec, n] = co_await asio::async_write(socket, asio::buffer(kContinue), use_tuple);
        if (ec) co_return false;
    }
    std::array<char, 16 * 1024> block;
    while (!parser.is_done()) {
        parser.get().body().data = block.data();
        parser.get().body().size = block.size();
        auto [ec, n] = co_await http::async_read(socket, buffer, parser, use_tuple);
        if (ec && ec != http::error::need_buffer) co_return false;
    }
    co_return true;
}

asio::awaitable<void> serve(tcp::socket socket, const BackendOptions& options) {
    boost::beast::flat_buffer buffer;
    for (;;) {
        RequestParser parser;
        parser.body_limit(boost::none);
        auto [ec, n] = co_await http::async_read_header(socket, buffer, parser, use_tuple);
        if (ec) co_return;  // closed by the client, or not HTTP: nothing to answer
        if (!co_await discard_body(socket, buffer, parser)) co_return;
        const auto& req = parser.get();
        if (options.latency_ms > 0) {
            asio::steady_timer timer{socket.get_executor(),
                                     std::chrono::milliseconds(options.latency_ms)};
            auto [timer_ec] = co_await timer.async_wait(use_tuple);
            if (timer_ec) co_return;
        }
        const AskedFor asked{req.method_string(), req.target(), header(req, "X-Tenant-Id"),
                             header(req, "X-Request-Id")};
        http::response<http::string_body> res{http::status::ok, req.version()};
        res.set(http::field::server, "switchyard-demo-backend");
        res.set(http::field::content_type, "application/json");
        res.set("X-Backend", options.name);
        res.body() = reply_body(options.name, asked, options.body_bytes);
        res.keep_alive(req.keep_alive());
        res.prepare_payload();
        if (req.method() == http::verb::head) res.body().clear();  // Content-Length stays
        std::tie(ec, n) = co_await http::async_write(socket, res, use_tuple);
        if (ec || !res.keep_alive()) {
            boost::system::error_code ignored;
            socket.shutdown(tcp::socket::shutdown_send, ignored);
            co_return;
        }
    }
}

void report_escaped(const std::exception_ptr& error) {
    if (!error) return;
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "connection failed: %s\n", e.what());
    }
}

asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, const BackendOptions& options) {
    for (;;) {
        auto [ec, socket] =
            co_await acceptor.async_accept(asio::make_strand(acceptor.get_executor()), use_tuple);
        if (!acceptor.is_open()) co_return;
        if (ec) continue;  // e.g. out of file descriptors for a moment: keep serving
        socket.set_option(tcp::no_delay(true), ec);
        asio::co_spawn(socket.get_executor(), serve(std::move(socket), options), report_escaped);
    }
}

std::string describe(const tcp::endpoint& endpoint) {
    const auto address = endpoint.address().to_string();
    const auto port = std::to_string(endpoint.port());
    return endpoint.address().is_v6() ? "[" + address + "]:" + port : address + ":" + port;
}

}  // namespace

int run_backend(const BackendOptions& options) {
    const unsigned threads = std::max(1u, options.threads);
    asio::io_context io{static_cast<int>(threads)};
    tcp::acceptor acceptor{io};
    const tcp::endpoint endpoint{asio::ip::make_address(options.host), options.port};
    boost::system::error_code ec;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        std::fprintf(stderr, "%s: cannot listen on %s: %s\n", options.name.c_str(),
                     describe(endpoint).c_str(), ec.message().c_str());
        return 1;
    }
    std::printf("listening on %s\n", describe(acceptor.local_endpoint()).c_str());
    std::fflush(stdout);

    asio::signal_set signals{io, SIGINT, SIGTERM};
    signals.async_wait([&](const boost::system::error_code&, int) { io.stop(); });
    asio::co_spawn(io, accept_loop(acceptor, options), report_escaped);

    std::vector<std::thread> workers;
    for (unsigned i = 1; i < threads; ++i) workers.emplace_back([&io] { io.run(); });
    io.run();
    for (auto& worker : workers) worker.join();
    return 0;
}

}  // namespace switchyard::demo
