#include "routing/base64url.hpp"

#include <array>
#include <cstdint>

namespace switchyard::routing {
namespace {

constexpr std::int8_t kInvalid = -1;

constexpr std::array<std::int8_t, 256> kValues = [] {
    std::array<std::int8_t, 256> values{};
    values.fill(kInvalid);
    constexpr std::string_view kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
        values[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::int8_t>(i);
    }
    return values;
}();

}  // namespace

std::optional<std::size_t> base64url_decode(std::string_view encoded, char* out) noexcept {
    while (!encoded.empty() && encoded.back() == '=') encoded.remove_suffix(1);
    if (encoded.size() % 4 == 1) return std::nullopt;  // 6 bits cannot end a byte
    std::size_t written = 0;
    std::uint32_t bits = 0;
    int bit_count = 0;
    for (const char c : encoded) {
        const std::int8_t value = kValues[static_cast<unsigned char>(c)];
        if (value == kInvalid) return std::nullopt;
        bits = (bits << 6) | static_cast<std::uint32_t>(value);
        bit_count += 6;
        if (bit_count >= 8) {
            bit_count -= 8;
            out[written++] = static_cast<char>((bits >> bit_count) & 0xFF);
        }
    }
    return written;
}

}  // namespace switchyard::routing
