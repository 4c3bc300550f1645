#include "admin/admin_server.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <random>
#include <stdexcept>
#include <thread>

#include "common/thread_name.hpp"
#include "proxy/asio_types.hpp"
#include "proxy/lingering_close.hpp"
#include "proxy/request_id.hpp"

namespace switchyard::admin {

namespace asio = proxy::asio;
namespace beast = proxy::beast;
namespace http = beast::http;
using proxy::tcp;
constexpr auto use_tuple = proxy::use_tuple_any_executor;

namespace {
constexpr std::chrono::seconds kIdleTimeout{60};

http::response<http::string_body> to_http(const ApiResponse& answer, std::string_view request_id,
                                          bool keep_alive, bool head) {
    http::response<http::string_body> response{static_cast<http::status>(answer.status), 11};
    response.set(http::field::content_type, answer.content_type);
    response.set(http::field::cache_control, "no-store");
    response.set("X-Request-Id", request_id);
    if (!answer.etag.empty()) response.set(http::field::etag, answer.etag);
    response.body() = answer.body;
    response.keep_alive(keep_alive);
    response.prepare_payload();
    // RFC 9110 9.3.2: a HEAD answer has the GET answer's header fields but no content.
    if (head) response.body().clear();
    return response;
}

ApiResponse plain_error(unsigned status, std::string_view code, std::string_view message) {
    return {status,
            nlohmann::json{{"error", code}, {"message", message}}.dump() + "\n",
            "application/json",
            {}};
}

}  // namespace

struct AdminServer::Impl {
    Impl(proxy::ListenAddress address_, AdminServices services_, std::size_t max_body_bytes_)
        : address(std::move(address_)),
          services(std::move(services_)),
          max_body_bytes(max_body_bytes_) {}

    proxy::ListenAddress address;
    AdminServices services;
    std::size_t max_body_bytes;
    asio::io_context context{1};
    tcp::acceptor acceptor{context};
    proxy::RequestIdGenerator ids{std::random_device{}()};
    std::thread thread;

    asio::awaitable<void> accept_loop() {
        for (;;) {
            auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
            if (ec) {
                if (!acceptor.is_open()) co_return;
                continue;
            }
            asio::co_spawn(
                context, serve(beast::tcp_stream(std::move(socket))), [](std::exception_ptr error) {
                    if (!error) return;
                    try {
                        std::rethrow_exception(error);
                    } catch (const std::exception& e) {
                        spdlog::error("admin: connection ended by an exception: {}", e.what());
                    }
                });
        }
    }

    asio::awaitable<void> serve(beast::tcp_stream stream) {
        beast::flat_buffer buffer;
        for (;;) {
            http::request_parser<http::string_body> parser;
            parser.header_limit(16 * 1024);
            parser.body_limit(max_body_bytes);
            stream.expires_after(kIdleTimeout);
            auto [ec, n] = co_await http::async_read(stream, buffer, parser, use_tuple);
            if (ec == http::error::end_of_stream || ec == asio::error::eof ||
                ec == beast::error::timeout || ec == asio::error::connection_reset) {
                break;
            }
            std::string request_id(ids.next());
            ApiResponse answer;
            bool keep_alive = false;
            bool head = false;
            if (ec == http::error::body_limit) {
                answer = plain_error(
                    413, "payload_too_large",
                    "the request body exceeds " + std::to_string(max_body_bytes) + " bytes");
            } else if (ec) {
                answer = plain_error(400, "bad_request", "malformed request: " + ec.message());
            } else {
                const auto& request = parser.get();
                if (auto it = request.find("X-Request-Id");
                    it != request.end() && !it->value().empty() && it->value().size() <= 128) {
                    request_id = std::string(it->value());
                }
                keep_alive = request.keep_alive();
                head = request.method() == http::verb::head;
                answer = handle_admin_request(
                    services,
                    {request.method_string(), request.target(), request[http::field::authorization],
                     request[http::field::if_match], request.body(), request_id});
                spdlog::debug("admin: {} {} -> {}", std::string_view(request.method_string()),
                              std::string_view(request.target()), answer.status);
            }
            auto response = to_http(answer, request_id, keep_alive, head);
            stream.expires_after(kIdleTimeout);
            auto [write_error, written] = co_await http::async_write(stream, response, use_tuple);
            if (!write_error && !parser.is_done()) {
                // The body was not read (too large, malformed): let the client see the answer.
                co_await proxy::close_lingering(stream);
                co_return;
            }
            if (write_error || !keep_alive) break;
        }
        beast::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    }
};

AdminServer::AdminServer(proxy::ListenAddress address, AdminServices services,
                         std::size_t max_body_bytes)
    : impl_(std::make_unique<Impl>(std::move(address), std::move(services), max_body_bytes)) {}

AdminServer::~AdminServer() { stop(); }

void AdminServer::start() {
    auto& s = *impl_;
    beast::error_code ec;
    const auto ip = asio::ip::make_address(s.address.host, ec);
    if (ec)
        throw std::runtime_error("admin.address: \"" + s.address.host + "\" is not an IP address");
    const tcp::endpoint endpoint(ip, s.address.port);
    s.acceptor.open(endpoint.protocol(), ec);
    if (!ec) s.acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) s.acceptor.bind(endpoint, ec);
    if (!ec) s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        throw std::runtime_error("admin listener " + s.address.host + ":" +
                                 std::to_string(s.address.port) + ": " + ec.message());
    asio::co_spawn(s.context, s.accept_loop(), asio::detached);
    s.thread = std::thread([&s] {
        name_this_thread("sy-admin");
        s.context.run();
    });
}

std::string AdminServer::bound_address() const {
    beast::error_code ec;
    const auto endpoint = impl_->acceptor.local_endpoint(ec);
    return ec ? std::string{} : proxy::format_endpoint(endpoint);
}

void AdminServer::stop() {
    impl_->context.stop();
    if (impl_->thread.joinable()) impl_->thread.join();
}

}  // namespace switchyard::admin
