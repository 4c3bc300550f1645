#include "http_client.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <thread>

#include "body_digest.hpp"
#include "pacer.hpp"

namespace switchyard::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using boost::system::error_code;

namespace {
constexpr std::size_t kBlockBytes = 64 * 1024;
using ResponseParser = http::response_parser<http::buffer_body>;

bool has_body(const ClientRequest& request) {
    return !request.body.empty() || request.generated_body_bytes > 0 || request.chunked;
}

bool method_expects_body(const std::string& method) {
    return method == "POST" || method == "PUT" || method == "PATCH";
}
}  // namespace

struct HttpClient::Impl {
    std::string host;
    std::uint16_t port;
    asio::io_context io{1};
    std::optional<beast::tcp_stream> stream;
    beast::flat_buffer buffer;

    // Runs one asynchronous step to completion; the stream's expiry bounds it.
    template <typename Initiate>
    error_code run(Initiate&& initiate) {
        error_code result = asio::error::would_block;
        initiate([&result](error_code ec, auto&&...) { result = ec; });
        io.restart();
        io.run();
        return result;
    }

    std::string authority() const {
        const bool ipv6 = host.find(':') != std::string::npos;
        return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
    }

    error_code connect() {
        if (stream) return {};
        buffer.clear();
        stream.emplace(io);
        const asio::ip::tcp::endpoint endpoint{asio::ip::make_address(host), port};
        return run([&](auto handler) { stream->async_connect(endpoint, handler); });
    }

    void close() noexcept {
        if (!stream) return;
        error_code ignored;
        stream->socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
        stream->close();
        stream.reset();
    }

    error_code write_body(const ClientRequest& request, http::request<http::buffer_body>& req,
                          http::request_serializer<http::buffer_body>& serializer) {
        std::array<char, kBlockBytes> block{};
        const std::uint64_t total =
            request.generated_body_bytes > 0 ? request.generated_body_bytes : request.body.size();
        for (std::uint64_t offset = 0; offset < total;) {
            const auto size =
                static_cast<std::size_t>(std::min<std::uint64_t>(block.size(), total - offset));
            if (request.generated_body_bytes > 0) {
                fill_pattern(block.data(), size, offset);
                req.body().data = block.data();
            } else {
                req.body().data = const_cast<char*>(request.body.data() + offset);
            }
            req.body().size = size;
            req.body().more = true;
            const auto ec = run([&](auto h) { http::async_write(*stream, serializer, h); });
            if (ec && ec != http::error::need_buffer) return ec;
            offset += size;
        }
        req.body().data = nullptr;
        req.body().more = false;
        return run([&](auto h) { http::async_write(*stream, serializer, h); });
    }

    // Reads one response header, skipping nothing: a 1xx comes back as it is.
    error_code read_header(ResponseParser& parser, bool head) {
        parser.body_limit(boost::none);
        parser.skip(head);
        return run([&](auto h) { http::async_read_header(*stream, buffer, parser, h); });
    }

    error_code read_body(ResponseParser& parser, const ClientRequest& request,
                         ClientResponse& response) {
        std::array<char, kBlockBytes> block{};
        BodyDigest digest;
        Pacer pacer(request.read_bytes_per_second);
        while (!parser.is_done()) {
            parser.get().body().data = block.data();
            parser.get().body().size = block.size();
            const auto ec = run([&](auto h) { http::async_read(*stream, buffer, parser, h); });
            if (ec && ec != http::error::need_buffer) return ec;
            const std::size_t got = block.size() - parser.get().body().size;
            digest.update({block.data(), got});
            if (request.keep_body) response.body.append(block.data(), got);
            std::this_thread::sleep_for(pacer.pause_after(got));
        }
        response.body_bytes = digest.bytes();
        response.body_digest = digest.value();
        return {};
    }

    ClientResponse exchange(const ClientRequest& request);
};

ClientResponse HttpClient::Impl::exchange(const ClientRequest& request) {
    ClientResponse response;
    auto fail = [&](const char* step, error_code ec) {
        response.status = 0;
        response.error = std::string(step) + ": " + ec.message();
        close();
        return response;
    };
    const auto deadline = std::chrono::steady_clock::now() + request.timeout;
    if (auto ec = connect()) return fail("connect", ec);
    stream->expires_at(deadline);

    http::request<http::buffer_body> req;
    req.method_string(request.method);
    req.target(request.target);
    req.version(11);
    for (const auto& [name, value] : request.headers.fields()) req.insert(name, value);
    if (!request.headers.has("Host")) req.set(http::field::host, authority());
    if (request.chunked) {
        req.chunked(true);
    } else if (has_body(request) || method_expects_body(request.method)) {
        req.content_length(request.generated_body_bytes > 0 ? request.generated_body_bytes
                                                            : request.body.size());
    }
    if (request.expect_continue) req.set(http::field::expect, "100-continue");
    req.body().data = nullptr;
    req.body().more = has_body(request);
    http::request_serializer<http::buffer_body> serializer{req};
    if (auto ec = run([&](auto h) { http::async_write_header(*stream, serializer, h); })) {
        return fail("write header", ec);
    }

    const bool head = request.method == "HEAD";
    std::optional<ResponseParser> parser(std::in_place);
    bool body_sent = !has_body(request);
    if (!body_sent && request.expect_continue) {
        if (auto ec = read_header(*parser, head)) return fail("read interim", ec);
        if (parser->get().result_int() == 100) {
            response.interim_statuses.push_back(100);
            parser.emplace();
        } else {
            body_sent = true;  // answered before the body: it is never sent (RFC 9110 10.1.1)
            req.keep_alive(false);
        }
    }
    if (!body_sent) {
        if (auto ec = write_body(request, req, serializer)) return fail("write body", ec);
    }
    if (!parser->is_header_done()) {
        for (;;) {
            if (auto ec = read_header(*parser, head)) return fail("read header", ec);
            const int status = parser->get().result_int();
            if (status >= 200 || status == 101) break;
            response.interim_statuses.push_back(status);
            parser.emplace();
        }
    }
    if (auto ec = read_body(*parser, request, response)) return fail("read body", ec);

    const auto& res = parser->get();
    response.status = res.result_int();
    for (const auto& field : res) {
        response.headers.add(std::string(field.name_string()), std::string(field.value()));
    }
    response.keep_alive = res.keep_alive() && req.keep_alive();
    if (!response.keep_alive) close();
    return response;
}

std::string ClientResponse::describe() const {
    if (!ok()) return "transport error: " + error;
    std::string text = "HTTP " + std::to_string(status) + "\n" + headers.describe();
    text += "\n" + body.substr(0, 512);
    return text;
}

HttpClient::HttpClient(std::uint16_t port, std::string host) : impl_(std::make_unique<Impl>()) {
    impl_->host = std::move(host);
    impl_->port = port;
}

HttpClient::~HttpClient() { close(); }

ClientResponse HttpClient::request(const ClientRequest& request) {
    return impl_->exchange(request);
}

ClientResponse HttpClient::get(std::string target, HeaderList headers) {
    return impl_->exchange(ClientRequest::make("GET", std::move(target), std::move(headers)));
}

bool HttpClient::connected() const noexcept { return impl_->stream.has_value(); }
void HttpClient::close() noexcept { impl_->close(); }

ClientResponse http_request(std::uint16_t port, std::string method, std::string target,
                            HeaderList headers, std::string body) {
    HttpClient client(port);
    return client.request(ClientRequest::make(std::move(method), std::move(target),
                                              std::move(headers), std::move(body)));
}

}  // namespace switchyard::test
