#include "ctl/admin_client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <charconv>

namespace switchyard::ctl {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// A tenant list of 100,000 entries is a few MiB; anything far larger is not the admin API.
constexpr std::uint64_t kMaxAnswerBytes = 64u << 20;

std::string describe(std::string_view step, const beast::error_code& ec,
                     std::chrono::milliseconds limit) {
    if (ec == beast::error::timeout) {
        return std::string(step) + ": no answer within " + std::to_string(limit.count()) + " ms";
    }
    return std::string(step) + ": " + ec.message();
}

// Runs the one pending operation to its end; the stream's expiry bounds it.
void run(asio::io_context& io) {
    io.restart();
    io.run();
}

}  // namespace

std::string AdminUrl::text() const {
    const bool v6 = host.find(':') != std::string::npos;
    return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port) + base_path;
}

Result<AdminUrl> parse_admin_url(std::string_view text) {
    const std::string original(text);
    auto invalid = [&](std::string why) {
        return Error{"admin URL \"" + original + "\": " + why + " (expected http://HOST:PORT)"};
    };
    if (text.rfind("https://", 0) == 0) {
        return invalid(
            "https is not supported: the admin API speaks plain http on loopback; "
            "reach a remote one through an SSH tunnel");
    }
    if (text.rfind("http://", 0) == 0) {
        text.remove_prefix(7);
    } else if (text.find("://") != std::string_view::npos) {
        return invalid("only http:// is supported");
    }
    AdminUrl url;
    const auto slash = text.find('/');
    auto authority = text.substr(0, slash);
    if (slash != std::string_view::npos) {
        url.base_path = std::string(text.substr(slash));
        while (!url.base_path.empty() && url.base_path.back() == '/') url.base_path.pop_back();
    }
    std::string_view port_text;
    if (!authority.empty() && authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) return invalid("unclosed [");
        url.host = std::string(authority.substr(1, close - 1));
        const auto rest = authority.substr(close + 1);
        if (!rest.empty() && rest.front() != ':') return invalid("unexpected text after ]");
        if (!rest.empty()) port_text = rest.substr(1);
    } else {
        const auto colon = authority.rfind(':');
        url.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
    }
    if (url.host.empty()) return invalid("no host");
    if (!port_text.empty() || authority.find(':') != std::string_view::npos) {
        unsigned port = 0;
        const auto [end, ec] =
            std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
        if (ec != std::errc{} || end != port_text.data() + port_text.size() || port == 0 ||
            port > 65535) {
            return invalid("bad port \"" + std::string(port_text) + "\"");
        }
        url.port = static_cast<std::uint16_t>(port);
    }
    return url;
}

std::string percent_encode(std::string_view text) {
    constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        const bool unreserved = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                                (byte >= '0' && byte <= '9') || c == '-' || c == '.' || c == '_' ||
                                c == '~';
        if (unreserved) {
            out += c;
        } else {
            out += '%';
            out += kHex[byte >> 4];
            out += kHex[byte & 0xF];
        }
    }
    return out;
}

AdminClient::AdminClient(AdminUrl url, std::string token, ClientTimeouts timeouts)
    : url_(std::move(url)), token_(std::move(token)), timeouts_(timeouts) {}

Result<AdminAnswer> AdminClient::call(const AdminCall& call) const {
    asio::io_context io;
    beast::error_code ec;
    tcp::resolver resolver(io);
    const auto endpoints = resolver.resolve(url_.host, std::to_string(url_.port), ec);
    if (ec) return Error{"resolve " + url_.host + ": " + ec.message()};

    beast::tcp_stream stream(io);
    stream.expires_after(timeouts_.connect);
    stream.async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
    run(io);
    if (ec) return Error{describe("connect", ec, timeouts_.connect)};

    http::request<http::string_body> request{http::string_to_verb(call.method),
                                             url_.base_path + call.target, 11};
    request.set(http::field::host, url_.host + ":" + std::to_string(url_.port));
    request.set(http::field::user_agent, "switchyard-ctl");
    request.set(http::field::accept, "application/json");
    if (!token_.empty()) request.set(http::field::authorization, "Bearer " + token_);
    if (!call.if_match.empty()) request.set(http::field::if_match, call.if_match);
    if (!call.body.empty()) {
        request.set(http::field::content_type, "application/json");
        request.body() = call.body;
    }
    request.keep_alive(false);
    request.prepare_payload();

    // One deadline for the whole exchange: the stream's expiry stays armed until it passes.
    stream.expires_after(timeouts_.exchange);
    http::async_write(stream, request, [&](beast::error_code e, std::size_t) { ec = e; });
    run(io);
    if (ec) return Error{describe("send", ec, timeouts_.exchange)};

    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxAnswerBytes);
    http::async_read(stream, buffer, parser, [&](beast::error_code e, std::size_t) { ec = e; });
    run(io);
    if (ec) return Error{describe("read the answer", ec, timeouts_.exchange)};

    const auto& response = parser.get();
    AdminAnswer answer;
    answer.status = response.result_int();
    answer.body = response.body();
    answer.etag = std::string(response[http::field::etag]);
    answer.request_id = std::string(response["X-Request-Id"]);
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    return answer;
}

}  // namespace switchyard::ctl
