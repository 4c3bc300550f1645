#pragma once
// base64url without padding (RFC 4648 section 5), as JWTs use it (RFC 7515 section 2).
#include <cstddef>
#include <optional>
#include <string_view>

namespace switchyard::routing {

// Bytes `encoded` decodes to: an upper bound when it is valid.
constexpr std::size_t base64url_decoded_size(std::size_t encoded_size) noexcept {
    return encoded_size / 4 * 3 + 2;
}

// Decodes into `out` (base64url_decoded_size() bytes); nullopt when `encoded` is not base64url.
// Trailing '=' padding is tolerated: some token issuers add it.
std::optional<std::size_t> base64url_decode(std::string_view encoded, char* out) noexcept;

}  // namespace switchyard::routing
