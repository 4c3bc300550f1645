#pragma once
// What reached a TestOrigin: the request as the proxy forwarded it, in plain types.
#include <cstddef>
#include <cstdint>
#include <string>

#include "header_list.hpp"

namespace switchyard::test {

struct RecordedRequest {
    std::string method;
    std::string target;
    unsigned version = 11;  // 11 for HTTP/1.1, 10 for HTTP/1.0
    HeaderList headers;
    std::uint64_t body_bytes = 0;      // counted while streaming, whatever the size
    std::uint64_t body_digest = 0;     // BodyDigest of every body byte
    std::string body;                  // the body itself while it is small (kKeptBodyBytes)
    bool body_truncated = false;       // true when `body` holds only the first kKeptBodyBytes
    std::size_t connection_index = 0;  // which accepted TCP connection carried it, from 1

    static constexpr std::size_t kKeptBodyBytes = 64 * 1024;
};

}  // namespace switchyard::test
