#pragma once
// Streams a message from one stream to another through a caller-owned scratch buffer, never
// holding more than that buffer (Beast's relay() example, as a coroutine, without its
// serializer): the head (forwarding_headers.hpp) goes out with the first body bytes in one gather
// write, so a small message costs one send; a chunked body is re-framed here, each piece one
// chunk, the last one followed by the last-chunk in the same write.
#include <array>
#include <boost/asio/write.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <span>
#include <string_view>

#include "proxy/asio_types.hpp"
#include "proxy/deadline_stream.hpp"

namespace switchyard::proxy {

struct RelayResult {
    beast::error_code read_error;   // on the side the body came from
    beast::error_code write_error;  // on the side it went to
    std::uint64_t bytes = 0;        // body bytes, without framing
    bool ok() const noexcept { return !read_error && !write_error; }
};

// Grows a read buffer for the length of a relay and shrinks it back, so an idle connection keeps
// none of it.
template <typename DynamicBuffer>
class ReadBufferGrowth {
  public:
    explicit ReadBufferGrowth(DynamicBuffer& buffer) noexcept : buffer_(buffer) {}
    ~ReadBufferGrowth() {
        if (grown_) buffer_.shrink_to_fit();
    }
    ReadBufferGrowth(const ReadBufferGrowth&) = delete;
    ReadBufferGrowth& operator=(const ReadBufferGrowth&) = delete;

    void grow_to(std::size_t bytes) const {
        if (buffer_.capacity() >= bytes) return;
        buffer_.reserve(bytes);
        grown_ = true;
    }

  private:
    DynamicBuffer& buffer_;
    mutable bool grown_ = false;
};

// `chunked`: frame the body as chunks (the head says Transfer-Encoding: chunked); otherwise it
// goes out as read (no body, Content-Length, or close-delimited).
template <bool isRequest, typename DynamicBuffer, typename Allocator>
Awaitable<RelayResult> relay_with_head(
    DeadlineStream& from, DynamicBuffer& from_buffer,
    beast::http::parser<isRequest, beast::http::buffer_body, Allocator>& parser, DeadlineStream& to,
    std::string_view head, bool chunked, std::span<char> scratch,
    std::chrono::milliseconds read_timeout, std::chrono::milliseconds write_timeout) {
    namespace http = beast::http;
    static constexpr std::string_view kCrlf = "\r\n";
    static constexpr std::string_view kLastChunk = "0\r\n\r\n";
    RelayResult result;
    auto& body = parser.get().body();
    // Beast reads at most the read buffer's spare capacity (512 bytes at least): a body that did
    // not come whole with its head would cross in pieces of a few hundred bytes, a syscall pair
    // each. From the second piece on the buffer holds as much as the scratch, given back after.
    const ReadBufferGrowth<DynamicBuffer> growth(from_buffer);
    for (bool head_sent = false;;) {
        std::size_t read = 0;
        if (!parser.is_done()) {
            if (head_sent) growth.grow_to(scratch.size());
            body.data = scratch.data();
            body.size = scratch.size();
            from.expires_after(read_timeout);
            // read_some, not read: a slow stream (SSE, long poll) is relayed as it arrives; a
            // full scratch ends the read with need_buffer, which is no error.
            auto [read_error, ignored] =
                co_await http::async_read_some(from, from_buffer, parser, use_tuple);
            if (read_error && read_error != http::error::need_buffer) {
                result.read_error = read_error;
                co_return result;
            }
            read = scratch.size() - body.size;
        }
        const bool last = parser.is_done();
        // A zero-size chunk would end a chunked body early: a piece of nothing is not sent.
        const bool chunk = chunked && read > 0;
        std::array<char, 18> size_line{};  // hex size + CRLF
        std::size_t size_line_bytes = 0;
        if (chunk) {
            size_line_bytes = std::to_chars(size_line.data(), size_line.data() + 16, read, 16).ptr -
                              size_line.data();
            size_line[size_line_bytes++] = '\r';
            size_line[size_line_bytes++] = '\n';
        }
        const std::array<asio::const_buffer, 5> pieces{
            asio::buffer(head.data(), head_sent ? 0 : head.size()),
            asio::buffer(size_line.data(), size_line_bytes), asio::buffer(scratch.data(), read),
            asio::buffer(kCrlf.data(), chunk ? kCrlf.size() : 0),
            asio::buffer(kLastChunk.data(), chunked && last ? kLastChunk.size() : 0)};
        if (asio::buffer_size(pieces) > 0) {
            to.expires_after(write_timeout);
            auto [write_error, written] = co_await asio::async_write(to, pieces, use_tuple);
            if (write_error) {
                result.write_error = write_error;
                co_return result;
            }
        }
        head_sent = true;
        result.bytes += read;
        if (last) co_return result;
    }
}

}  // namespace switchyard::proxy
