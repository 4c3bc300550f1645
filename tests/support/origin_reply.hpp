#pragma once
// What a TestOrigin answers: one scripted behaviour per test, in plain types.
#include <chrono>
#include <cstdint>
#include <string>

#include "header_list.hpp"

namespace switchyard::test {

struct OriginReply {
    enum class Kind {
        fixed,           // status, headers and body below
        streamed,        // status and headers, then `streamed_body_bytes` generated on the fly
        close_silently,  // read the request, then close the connection without a byte
        garbage,         // write `garbage_bytes` (not HTTP), then close
    };

    Kind kind = Kind::fixed;
    int status = 200;
    HeaderList headers;
    std::string body;
    std::chrono::milliseconds delay{0};  // before the first byte of the answer
    std::uint64_t streamed_body_bytes = 0;
    bool chunked = false;  // streamed: chunked transfer coding instead of Content-Length
    std::string garbage_bytes = "SSH-2.0-OpenSSH_9.2\r\n\x01\x02\x03 not http\r\n\r\n";
    bool keep_alive = true;  // false: answer with Connection: close and close after

    static OriginReply with_status(int status, std::string body = {}) {
        OriginReply reply;
        reply.status = status;
        reply.body = std::move(body);
        return reply;
    }
    static OriginReply streamed(std::uint64_t bytes, bool chunked = false) {
        OriginReply reply;
        reply.kind = Kind::streamed;
        reply.streamed_body_bytes = bytes;
        reply.chunked = chunked;
        return reply;
    }
    static OriginReply delayed(std::chrono::milliseconds delay) {
        OriginReply reply;
        reply.delay = delay;
        return reply;
    }
    static OriginReply closing_silently() {
        OriginReply reply;
        reply.kind = Kind::close_silently;
        return reply;
    }
    static OriginReply answering_garbage() {
        OriginReply reply;
        reply.kind = Kind::garbage;
        return reply;
    }
};

}  // namespace switchyard::test
