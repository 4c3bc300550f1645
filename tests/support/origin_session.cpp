#include "origin_session.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "body_digest.hpp"
#include "pacer.hpp"

namespace switchyard::test::detail {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kBlockBytes = 64 * 1024;
using Block = std::array<char, kBlockBytes>;
using RequestParser = http::request_parser<http::buffer_body>;

RecordedRequest record_header(const http::request<http::buffer_body>& req, std::size_t index) {
    RecordedRequest record;
    record.method = std::string(req.method_string());
    record.target = std::string(req.target());
    record.version = req.version();
    for (const auto& field : req) {
        record.headers.add(std::string(field.name_string()), std::string(field.value()));
    }
    record.connection_index = index;
    return record;
}

// Reads the body block by block: counts and digests it all, keeps only a small prefix.
asio::awaitable<bool> read_body(tcp::socket& socket, boost::beast::flat_buffer& buffer,
                                RequestParser& parser, RecordedRequest& record,
                                std::uint64_t bytes_per_second) {
    Block block;
    BodyDigest digest;
    Pacer pacer(bytes_per_second);
    asio::steady_timer pause{socket.get_executor()};
    while (!parser.is_done()) {
        parser.get().body().data = block.data();
        parser.get().body().size = block.size();
        auto [ec, n] = co_await http::async_read(socket, buffer, parser, use_tuple);
        if (ec && ec != http::error::need_buffer) co_return false;
        const std::size_t got = block.size() - parser.get().body().size;
        digest.update({block.data(), got});
        const std::size_t room = RecordedRequest::kKeptBodyBytes - record.body.size();
        record.body.append(block.data(), std::min(room, got));
        record.body_truncated = record.body_truncated || got > room;
        if (const auto wait = pacer.pause_after(got); wait.count() > 0) {
            pause.expires_after(wait);
            auto [pause_ec] = co_await pause.async_wait(use_tuple);
            if (pause_ec) co_return false;
        }
    }
    record.body_bytes = digest.bytes();
    record.body_digest = digest.value();
    co_return true;
}

template <typename Response>
void apply_reply_header(Response& res, const OriginReply& reply, bool keep_alive) {
    res.result(static_cast<unsigned>(reply.status));
    for (const auto& [name, value] : reply.headers.fields()) res.insert(name, value);
    res.keep_alive(keep_alive);
}

asio::awaitable<bool> write_fixed(tcp::socket& socket, const OriginReply& reply, bool head,
                                  bool keep_alive) {
    boost::system::error_code ec;
    if (head) {  // RFC 9110 9.3.2: the same header as GET, no content
        http::response<http::empty_body> res;
        apply_reply_header(res, reply, keep_alive);
        res.content_length(reply.body.size());
        std::tie(ec, std::ignore) = co_await http::async_write(socket, res, use_tuple);
    } else {
        http::response<http::string_body> res;
        apply_reply_header(res, reply, keep_alive);
        res.body() = reply.body;
        res.prepare_payload();
        std::tie(ec, std::ignore) = co_await http::async_write(socket, res, use_tuple);
    }
    co_return !ec;
}

asio::awaitable<bool> write_streamed(tcp::socket& socket, const OriginReply& reply, bool head,
                                     bool keep_alive) {
    http::response<http::buffer_body> res;
    apply_reply_header(res, reply, keep_alive);
    if (reply.chunked) {
        res.chunked(true);
    } else {
        res.content_length(reply.streamed_body_bytes);
    }
    res.body().data = nullptr;
    res.body().more = !head;
    http::response_serializer<http::buffer_body> serializer{res};
    auto [ec, n] = co_await http::async_write_header(socket, serializer, use_tuple);
    if (ec || head) co_return !ec;
    Block block;
    for (std::uint64_t offset = 0; offset < reply.streamed_body_bytes;) {
        const auto size = static_cast<std::size_t>(
            std::min<std::uint64_t>(block.size(), reply.streamed_body_bytes - offset));
        fill_pattern(block.data(), size, offset);
        res.body().data = block.data();
        res.body().size = size;
        std::tie(ec, n) = co_await http::async_write(socket, serializer, use_tuple);
        if (ec && ec != http::error::need_buffer) co_return false;
        offset += size;
    }
    res.body().data = nullptr;
    res.body().more = false;
    std::tie(ec, n) = co_await http::async_write(socket, serializer, use_tuple);
    co_return !ec;
}

// RFC 9110 10.1.1: a server that will read the body says so before the client sends it.
asio::awaitable<bool> send_continue_if_expected(tcp::socket& socket, const RequestParser& parser) {
    const auto expect = parser.get()[http::field::expect];
    if (parser.is_done() || expect.empty()) co_return true;
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    auto [ec, n] = co_await asio::async_write(socket, asio::buffer(kContinue), use_tuple);
    co_return !ec;
}

}  // namespace

asio::awaitable<void> serve_connection(tcp::socket& socket, std::size_t connection_index,
                                       OriginCallbacks callbacks) {
    boost::beast::flat_buffer buffer;
    for (;;) {
        RequestParser parser;
        parser.header_limit(1024 * 1024);  // the origin records; the proxy is what enforces limits
        parser.body_limit(boost::none);
        auto [ec, n] = co_await http::async_read_header(socket, buffer, parser, use_tuple);
        if (ec) co_return;
        RecordedRequest record = record_header(parser.get(), connection_index);
        callbacks.arrived(record);
        if (!co_await send_continue_if_expected(socket, parser)) co_return;
        const std::uint64_t rate = callbacks.body_read_rate();
        if (!co_await read_body(socket, buffer, parser, record, rate)) co_return;
        const bool head = parser.get().method() == http::verb::head;
        const bool request_keep_alive = parser.get().keep_alive();
        const OriginReply reply = callbacks.received(std::move(record));

        if (reply.delay.count() > 0) {
            asio::steady_timer timer{socket.get_executor(), reply.delay};
            auto [timer_ec] = co_await timer.async_wait(use_tuple);
            if (timer_ec) co_return;
        }
        const bool keep_alive = request_keep_alive && reply.keep_alive;
        bool written = false;
        switch (reply.kind) {
            case OriginReply::Kind::fixed:
                written = co_await write_fixed(socket, reply, head, keep_alive);
                break;
            case OriginReply::Kind::streamed:
                written = co_await write_streamed(socket, reply, head, keep_alive);
                break;
            case OriginReply::Kind::garbage:
                co_await asio::async_write(socket, asio::buffer(reply.garbage_bytes), use_tuple);
                break;
            case OriginReply::Kind::close_silently:
                break;
        }
        if (!written || !keep_alive) {
            boost::system::error_code ignored;
            socket.shutdown(tcp::socket::shutdown_both, ignored);
            co_return;
        }
    }
}

}  // namespace switchyard::test::detail
