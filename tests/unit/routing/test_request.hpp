#pragma once
// Requests as plain values for routing tests and benchmarks: a header list behind HeaderLookup,
// and bearer JWTs. No test framework here, so bench/ can use it too.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "routing/ascii.hpp"
#include "routing/request_view.hpp"

namespace switchyard::routing::testing {

struct TestRequest {
    std::string method = "GET";
    std::string target = "/";
    std::string host = "switchyard.internal";  // matches no host pattern
    std::vector<std::pair<std::string, std::string>> headers{};

    // Case-insensitive, as the proxy's lookup over Beast fields is.
    static std::string_view find(const void* context, std::string_view name) noexcept {
        for (const auto& [field, value] : static_cast<const TestRequest*>(context)->headers) {
            if (ascii_iequals(field, name)) return value;
        }
        return {};
    }
    RequestView view() const { return {method, target, host, HeaderLookup{this, &find}}; }
};

inline std::string base64url(std::string_view bytes) {
    constexpr std::string_view kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned n = static_cast<unsigned char>(bytes[i]) << 16 |
                           static_cast<unsigned char>(bytes[i + 1]) << 8 |
                           static_cast<unsigned char>(bytes[i + 2]);
        for (int shift = 18; shift >= 0; shift -= 6) out += kAlphabet[(n >> shift) & 63];
    }
    if (bytes.size() - i == 1) {
        const unsigned n = static_cast<unsigned char>(bytes[i]) << 16;
        out += kAlphabet[(n >> 18) & 63];
        out += kAlphabet[(n >> 12) & 63];
    } else if (bytes.size() - i == 2) {
        const unsigned n = static_cast<unsigned char>(bytes[i]) << 16 |
                           static_cast<unsigned char>(bytes[i + 1]) << 8;
        out += kAlphabet[(n >> 18) & 63];
        out += kAlphabet[(n >> 12) & 63];
        out += kAlphabet[(n >> 6) & 63];
    }
    return out;
}

// "Bearer h.p.s" with the given JSON payload; the signature is junk: nobody verifies it here.
inline std::string bearer_jwt(std::string_view payload) {
    return "Bearer " + base64url(R"({"alg":"HS256","typ":"JWT"})") + "." + base64url(payload) +
           ".c2lnbmF0dXJl";
}

}  // namespace switchyard::routing::testing
