#include "routing/jwt_claim.hpp"

#include <array>

#include "flags/json_reader.hpp"
#include "routing/ascii.hpp"
#include "routing/base64url.hpp"

namespace switchyard::routing {
namespace {

std::string_view trim_spaces(std::string_view text) noexcept {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    return text;
}

// The payload of "Bearer header.payload.signature", still encoded; empty when malformed.
std::string_view encoded_payload(std::string_view authorization) noexcept {
    // The auth scheme is case-insensitive (RFC 9110 section 11.1), then 1*SP (RFC 6750 2.1).
    constexpr std::string_view kScheme = "bearer ";
    if (authorization.size() <= kScheme.size() ||
        !ascii_iequals(authorization.substr(0, kScheme.size()), kScheme)) {
        return {};
    }
    const std::string_view token = trim_spaces(authorization.substr(kScheme.size()));
    const auto first_dot = token.find('.');
    if (first_dot == std::string_view::npos) return {};
    const auto second_dot = token.find('.', first_dot + 1);
    if (second_dot == std::string_view::npos || token.find('.', second_dot + 1) != token.npos) {
        return {};  // a JWE has five parts, and anything else is not a JWS either
    }
    return token.substr(first_dot + 1, second_dot - first_dot - 1);
}

bool is_integer(std::string_view number) noexcept {
    return number.find_first_of(".eE") == std::string_view::npos;
}

// The claim, if the payload is one JSON object holding it once as a string or an integer.
bool claim_from_payload(std::string_view payload, std::string_view claim, std::string& value) {
    flags::JsonReader reader(payload);
    if (!reader.begin_object()) return false;
    int seen = 0;
    bool usable = false;
    std::string_view key;
    while (reader.next_member(key)) {
        if (key != claim) {
            if (!reader.skip_value()) return false;
            continue;
        }
        ++seen;
        std::string_view text;
        double number = 0;
        if (reader.peek() == flags::JsonType::string) {
            usable = reader.read_string(text);
        } else if (reader.peek() == flags::JsonType::number) {
            usable = reader.read_number(number, &text) && is_integer(text);
        } else {
            usable = false;
            reader.skip_value();
        }
        if (usable) value.assign(text);
    }
    return !reader.failed() && reader.finish() && seen == 1 && usable;
}

}  // namespace

bool jwt_claim(std::string_view authorization, std::string_view claim, std::string& value) {
    const std::string_view encoded = encoded_payload(authorization);
    if (encoded.empty()) return false;
    // Typical payloads fit on the stack; the request path allocates only for huge tokens.
    std::array<char, 2048> stack_buffer;
    std::string heap_buffer;
    char* buffer = stack_buffer.data();
    if (base64url_decoded_size(encoded.size()) > stack_buffer.size()) {
        heap_buffer.resize(base64url_decoded_size(encoded.size()));
        buffer = heap_buffer.data();
    }
    const auto size = base64url_decode(encoded, buffer);
    if (!size) return false;
    return claim_from_payload(std::string_view{buffer, *size}, claim, value);
}

}  // namespace switchyard::routing
