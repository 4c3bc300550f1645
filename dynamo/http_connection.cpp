#include "dynamo/http_connection.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <strings.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <optional>

namespace switchyard::dynamo {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

std::chrono::milliseconds remaining(Clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return std::max(left, std::chrono::milliseconds(1));
}

bool is_ip_literal(const std::string& host) {
    beast::error_code ec;
    asio::ip::make_address(host, ec);
    return !ec;
}

// The chain or the host name did not verify: trying again will not change that.
bool is_certificate_refused(const beast::error_code& ec) {
    return ec.category() == asio::error::get_ssl_category() &&
           ERR_GET_REASON(static_cast<unsigned long>(ec.value())) ==
               SSL_R_CERTIFICATE_VERIFY_FAILED;
}

// What a server that closed an idle kept-alive connection looks like from our side.
bool is_stale_connection(const beast::error_code& ec) {
    return ec == http::error::end_of_stream || ec == asio::error::eof ||
           ec == asio::error::connection_reset || ec == asio::error::broken_pipe;
}

}  // namespace

struct HttpConnection::Impl {
    Url origin;
    ConnectionOptions options;
    asio::io_context context{1};
    std::unique_ptr<asio::ssl::context> tls;
    std::unique_ptr<beast::tcp_stream> plain;
    std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> secure;
    beast::flat_buffer buffer;

    std::string where() const { return origin.host + ":" + std::to_string(origin.port); }
    bool open() const { return plain || secure; }
    beast::tcp_stream& lowest() { return secure ? beast::get_lowest_layer(*secure) : *plain; }

    void close() {
        plain.reset();
        secure.reset();
        buffer.clear();
    }

    // Runs the started operations to completion; each bounds itself with the stream's expiry.
    void run() {
        context.restart();
        context.run();
    }

    std::optional<TransportError> make_tls_context() {
        if (tls) return std::nullopt;
        beast::error_code ec;
        auto made = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
        if (options.ca_file.empty()) {
            made->set_default_verify_paths(ec);
        } else {
            made->load_verify_file(options.ca_file, ec);
        }
        if (ec) {
            return TransportError{TransportError::Kind::tls,
                                  "loading trusted certificates: " + ec.message(), false};
        }
        made->set_verify_mode(asio::ssl::verify_peer);
        tls = std::move(made);
        return std::nullopt;
    }

    std::optional<TransportError> resolve(std::chrono::milliseconds budget,
                                          tcp::resolver::results_type& endpoints) {
        tcp::resolver resolver(context);
        beast::error_code ec;
        bool done = false;
        resolver.async_resolve(origin.host, std::to_string(origin.port),
                               [&](const beast::error_code& error, tcp::resolver::results_type r) {
                                   ec = error;
                                   endpoints = std::move(r);
                                   done = true;
                               });
        context.restart();
        context.run_for(budget);
        if (!done) {
            resolver.cancel();
            run();
            return TransportError{TransportError::Kind::timeout,
                                  "resolving " + origin.host + ": timed out", false};
        }
        if (ec) {
            return TransportError{TransportError::Kind::connect,
                                  "resolving " + origin.host + ": " + ec.message(), false};
        }
        return std::nullopt;
    }

    std::optional<TransportError> connect(Clock::time_point deadline) {
        close();
        const auto budget = std::min(options.connect_timeout, remaining(deadline));
        const auto connect_deadline = Clock::now() + budget;
        if (origin.tls()) {
            if (auto failure = make_tls_context()) return failure;
        }
        tcp::resolver::results_type endpoints;
        if (auto failure = resolve(budget, endpoints)) return failure;

        if (origin.tls()) {
            secure = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(context, *tls);
        } else {
            plain = std::make_unique<beast::tcp_stream>(context);
        }
        beast::error_code ec;
        lowest().expires_after(remaining(connect_deadline));
        lowest().async_connect(
            endpoints, [&](const beast::error_code& error, const tcp::endpoint&) { ec = error; });
        run();
        if (ec) {
            close();
            const bool timed_out = ec == beast::error::timeout;
            return TransportError{
                timed_out ? TransportError::Kind::timeout : TransportError::Kind::connect,
                "connect to " + where() + ": " + (timed_out ? "timed out" : ec.message()), false};
        }
        if (secure) return handshake(connect_deadline);
        return std::nullopt;
    }

    std::optional<TransportError> handshake(Clock::time_point deadline) {
        // SNI carries a name, never an address (RFC 6066 section 3).
        if (!is_ip_literal(origin.host)) {
            SSL_set_tlsext_host_name(secure->native_handle(), origin.host.c_str());
        }
        secure->set_verify_callback(asio::ssl::host_name_verification(origin.host));
        beast::error_code ec;
        lowest().expires_after(remaining(deadline));
        secure->async_handshake(asio::ssl::stream_base::client,
                                [&](const beast::error_code& error) { ec = error; });
        run();
        if (!ec) return std::nullopt;
        const long verify_result = SSL_get_verify_result(secure->native_handle());
        close();
        if (is_certificate_refused(ec)) {
            // The host name check (asio's callback) fails without a chain error of its own.
            const bool name_mismatch =
                verify_result == X509_V_OK || verify_result == X509_V_ERR_UNSPECIFIED;
            const std::string why = name_mismatch ? "it does not name " + origin.host
                                                  : X509_verify_cert_error_string(verify_result);
            return TransportError{TransportError::Kind::certificate,
                                  "the certificate of " + where() + " was refused: " + why, false};
        }
        return TransportError{
            ec == beast::error::timeout ? TransportError::Kind::timeout : TransportError::Kind::tls,
            "TLS handshake with " + where() + ": " + ec.message(), false};
    }

    http::request<http::string_body> message_for(const HttpRequest& request) const {
        http::request<http::string_body> message;
        message.method_string(request.method);
        message.target(request.target);
        message.version(11);
        bool has_host = false;
        for (const auto& header : request.headers) {
            has_host = has_host || strcasecmp(header.name.c_str(), "host") == 0;
            message.insert(header.name, header.value);
        }
        if (!has_host) message.set(http::field::host, origin.host_header());
        message.body() = request.body;
        message.keep_alive(true);
        message.prepare_payload();
        return message;
    }

    struct Attempt {
        beast::error_code error;
        bool sent = false;             // the whole request was written
        bool nothing_received = true;  // not one byte of an answer came
    };

    template <typename Stream>
    Attempt write_then_read(Stream& stream, http::request<http::string_body>& message,
                            http::response_parser<http::string_body>& parser,
                            Clock::time_point deadline) {
        Attempt attempt;
        lowest().expires_after(remaining(deadline));
        http::async_write(stream, message, [&](const beast::error_code& error, std::size_t) {
            attempt.error = error;
        });
        run();
        if (attempt.error) return attempt;
        attempt.sent = true;
        lowest().expires_after(remaining(deadline));
        http::async_read(stream, buffer, parser,
                         [&](const beast::error_code& error, std::size_t bytes) {
                             attempt.error = error;
                             attempt.nothing_received = bytes == 0;
                         });
        run();
        return attempt;
    }

    HttpResult send(const HttpRequest& request, Clock::time_point deadline, bool& stale) {
        auto message = message_for(request);
        http::response_parser<http::string_body> parser;
        parser.header_limit(64 * 1024);
        parser.body_limit(options.max_response_bytes);
        const auto attempt = secure ? write_then_read(*secure, message, parser, deadline)
                                    : write_then_read(*plain, message, parser, deadline);
        if (attempt.error) {
            stale = attempt.nothing_received && is_stale_connection(attempt.error);
            close();
            const bool timed_out = attempt.error == beast::error::timeout;
            return TransportError{
                timed_out ? TransportError::Kind::timeout : TransportError::Kind::io,
                std::string(attempt.sent ? "reading the answer from " : "sending to ") + where() +
                    ": " + (timed_out ? "timed out" : attempt.error.message()),
                attempt.sent};
        }
        auto response = parser.release();
        HttpResponse out;
        out.status = static_cast<int>(response.result_int());
        for (const auto& field : response) {
            out.headers.push_back({std::string(field.name_string()), std::string(field.value())});
        }
        out.body = std::move(response.body());
        if (!response.keep_alive()) close();
        return out;
    }
};

HttpConnection::HttpConnection(Url origin, ConnectionOptions options)
    : impl_(std::make_unique<Impl>()) {
    impl_->origin = std::move(origin);
    impl_->options = std::move(options);
}

HttpConnection::~HttpConnection() = default;

bool HttpConnection::is_open() const noexcept { return impl_->open(); }

void HttpConnection::close() noexcept { impl_->close(); }

HttpResult HttpConnection::exchange(const HttpRequest& request, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    bool reused = impl_->open();
    // Bounded: a stale kept-alive connection is reopened once, a fresh one never.
    for (int round = 0; round < 2; ++round) {
        if (!impl_->open()) {
            if (auto failure = impl_->connect(deadline)) return *failure;
            reused = false;
        }
        bool stale = false;
        auto result = impl_->send(request, deadline, stale);
        if (result || !(reused && stale)) return result;
        reused = false;
    }
    return TransportError{TransportError::Kind::io, "connection to " + impl_->where() + " lost",
                          false};
}

}  // namespace switchyard::dynamo
