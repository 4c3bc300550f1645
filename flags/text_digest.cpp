#include "flags/text_digest.hpp"

#include <functional>

#include "flags/hash.hpp"
#include "flags/reload_pacer.hpp"

namespace switchyard::flags {
namespace {

// `byte`s in `text`, summed 64 at a time into a byte-wide counter: a loop the compiler turns
// into vector compares (std::count takes a byte a step).
std::size_t count_of(std::string_view text, char byte) noexcept {
    constexpr std::size_t kLane = 64;
    std::size_t count = 0;
    std::size_t i = 0;
    for (; i + kLane <= text.size(); i += kLane) {
        unsigned char in_lane = 0;
        for (std::size_t j = 0; j < kLane; ++j) in_lane += text[i + j] == byte;
        count += in_lane;
    }
    for (; i < text.size(); ++i) count += text[i] == byte;
    return count;
}

}  // namespace

void TextDigester::add(std::string_view block) noexcept {
    bytes_ += block.size();
    digest_.hash = fmix64(digest_.hash ^ std::hash<std::string_view>{}(block));
    digest_.open_braces += count_of(block, '{');
}

TextDigest TextDigester::digest() const noexcept {
    return {fmix64(digest_.hash ^ bytes_), digest_.open_braces};
}

TextDigest digest_of(std::string_view text, ReloadPacer* pacer) {
    TextDigester digester;
    for (std::size_t at = 0; at < text.size(); at += TextDigester::kBlockBytes) {
        digester.add(text.substr(at, TextDigester::kBlockBytes));
        if (pacer) pacer->pause_point();
    }
    return digester.digest();
}

}  // namespace switchyard::flags
