#include "body_digest.hpp"

#include <algorithm>
#include <array>

namespace switchyard::test {

namespace {
// 61 is prime, so the pattern does not line up with power-of-two buffer sizes and a dropped or
// repeated block changes the digest.
constexpr std::string_view kAlphabet =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ012345678";
}  // namespace

void fill_pattern(char* out, std::size_t size, std::uint64_t offset) noexcept {
    std::size_t position = offset % kAlphabet.size();
    for (std::size_t i = 0; i < size; ++i) {
        out[i] = kAlphabet[position];
        if (++position == kAlphabet.size()) position = 0;
    }
}

void BodyDigest::update(std::string_view bytes) noexcept {
    for (const char c : bytes) {
        hash_ ^= static_cast<unsigned char>(c);
        hash_ *= 1099511628211ULL;
    }
    bytes_ += bytes.size();
}

std::uint64_t pattern_digest(std::uint64_t size) {
    std::array<char, 64 * 1024> block{};
    BodyDigest digest;
    for (std::uint64_t offset = 0; offset < size;) {
        const auto n =
            static_cast<std::size_t>(std::min<std::uint64_t>(block.size(), size - offset));
        fill_pattern(block.data(), n, offset);
        digest.update({block.data(), n});
        offset += n;
    }
    return digest.value();
}

}  // namespace switchyard::test
