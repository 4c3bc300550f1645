#pragma once
// Streams a message body from one stream to another through a caller-owned scratch buffer,
// never holding more than that buffer (Beast's relay() example, as a coroutine). The parser's
// own message is what the serializer writes, so rewritten headers go out without a copy.
#include <array>
#include <boost/asio/write.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <cstdint>
#include <span>
#include <string_view>

#include "proxy/asio_types.hpp"

namespace switchyard::proxy {

struct RelayResult {
    beast::error_code read_error;   // on the side the body came from
    beast::error_code write_error;  // on the side it went to
    std::uint64_t bytes = 0;
    bool ok() const noexcept { return !read_error && !write_error; }
};

// Starts reading the next piece of the body into `scratch` (a full scratch ends the read with
// need_buffer, which is no error); the bytes read are scratch.size() - body.size afterwards.
// read_some, not read: a slow stream (SSE, long poll) is relayed as it arrives.
template <bool isRequest>
auto read_body_piece(beast::tcp_stream& from, beast::flat_buffer& from_buffer,
                     beast::http::parser<isRequest, beast::http::buffer_body>& parser,
                     std::span<char> scratch, std::chrono::milliseconds read_timeout) {
    auto& body = parser.get().body();
    body.data = scratch.data();
    body.size = scratch.size();
    from.expires_after(read_timeout);
    return beast::http::async_read_some(from, from_buffer, parser, use_tuple);
}

template <bool isRequest>
asio::awaitable<RelayResult> relay_body(
    beast::tcp_stream& from, beast::flat_buffer& from_buffer,
    beast::http::parser<isRequest, beast::http::buffer_body>& parser, beast::tcp_stream& to,
    beast::http::serializer<isRequest, beast::http::buffer_body>& serializer,
    std::span<char> scratch, std::chrono::milliseconds read_timeout,
    std::chrono::milliseconds write_timeout) {
    namespace http = beast::http;
    RelayResult result;
    auto& body = parser.get().body();
    bool final_write = false;  // bounds the loop even if the serializer never reports done
    while (!serializer.is_done() && !final_write) {
        if (!parser.is_done()) {
            auto [read_error, ignored] =
                co_await read_body_piece(from, from_buffer, parser, scratch, read_timeout);
            if (read_error && read_error != http::error::need_buffer) {
                result.read_error = read_error;
                co_return result;
            }
            body.size = scratch.size() - body.size;
            // An empty buffer with data set would be serialized as a zero-size chunk, which in
            // chunked framing is the end of the body: hand over nothing instead.
            body.data = body.size > 0 ? scratch.data() : nullptr;
            body.more = !parser.is_done();
        } else {
            body.data = nullptr;
            body.size = 0;
            body.more = false;
            final_write = true;
        }
        result.bytes += body.size;
        to.expires_after(write_timeout);
        auto [write_error, written] = co_await http::async_write(to, serializer, use_tuple);
        if (write_error == http::error::need_buffer) write_error = {};
        if (write_error) {
            result.write_error = write_error;
            co_return result;
        }
    }
    co_return result;
}

// The same relay for a message whose body needs no framing of ours (none, Content-Length, or
// close-delimited): `head` (see message_head.hpp) goes out with the first piece of the body in one
// gather write, so a small message costs one send instead of a header write and a body write.
template <bool isRequest>
asio::awaitable<RelayResult> relay_with_head(
    beast::tcp_stream& from, beast::flat_buffer& from_buffer,
    beast::http::parser<isRequest, beast::http::buffer_body>& parser, beast::tcp_stream& to,
    std::string_view head, std::span<char> scratch, std::chrono::milliseconds read_timeout,
    std::chrono::milliseconds write_timeout) {
    namespace http = beast::http;
    RelayResult result;
    auto& body = parser.get().body();
    for (bool head_sent = false;;) {
        std::size_t read = 0;
        if (!parser.is_done()) {
            auto [read_error, ignored] =
                co_await read_body_piece(from, from_buffer, parser, scratch, read_timeout);
            if (read_error && read_error != http::error::need_buffer) {
                result.read_error = read_error;
                co_return result;
            }
            read = scratch.size() - body.size;
        }
        if (!head_sent || read > 0) {
            const std::array<asio::const_buffer, 2> pieces{
                asio::buffer(head.data(), head_sent ? 0 : head.size()),
                asio::buffer(scratch.data(), read)};
            to.expires_after(write_timeout);
            auto [write_error, written] = co_await asio::async_write(to, pieces, use_tuple);
            if (write_error) {
                result.write_error = write_error;
                co_return result;
            }
            head_sent = true;
            result.bytes += read;
        }
        if (parser.is_done()) co_return result;
    }
}

}  // namespace switchyard::proxy
