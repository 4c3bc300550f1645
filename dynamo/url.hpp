#pragma once
// The few URLs the client speaks to: a DynamoDB endpoint, a credentials endpoint.
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace switchyard::dynamo {

struct Url {
    std::string scheme{};  // "http" or "https"
    std::string host{};    // without brackets for IPv6
    std::uint16_t port = 0;
    std::string target = "/";  // path and query

    bool tls() const noexcept { return scheme == "https"; }
    // "host" on the scheme's default port, "host:port" otherwise, as the Host header wants.
    std::string host_header() const;
};

// "http://127.0.0.1:8000", "https://dynamodb.eu-west-1.amazonaws.com", "http://[::1]:80/x".
Result<Url> parse_url(std::string_view text);

}  // namespace switchyard::dynamo
