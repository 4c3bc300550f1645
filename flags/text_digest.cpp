#include "flags/text_digest.hpp"

#include <cstring>

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

// A block's hash, 32 bytes a step in four lanes whose multiplies overlap (std::hash takes 8
// bytes a step in one chain: 5 GB/s, ~7 ms of a million-tenant reload). Each word goes in by a
// multiply, which only carries upwards, then an xor-shift that brings the high half down: a
// multiply and a rotation alone let a change to a word's top bit come out as one bit, which
// the same change to the next word cancelled (the test found it). Both steps are bijections,
// so two texts that differ in one word never meet in its lane. The lanes and the length are
// folded together by fmix64 at the end.
std::uint64_t block_hash(std::string_view block) noexcept {
    constexpr std::uint64_t kOdd = 0x9e3779b97f4a7c15ULL;  // 2^64 / golden ratio, made odd
    constexpr auto stir = [](std::uint64_t lane, std::uint64_t word) noexcept {
        const std::uint64_t mixed = (lane ^ word) * kOdd;
        return mixed ^ (mixed >> 32);
    };
    std::uint64_t lanes[4] = {kFnvOffsetBasis, kFnvPrime, kOdd, block.size()};
    const char* at = block.data();
    std::size_t left = block.size();
    for (; left >= 32; left -= 32, at += 32) {
        for (int lane = 0; lane < 4; ++lane) lanes[lane] = stir(lanes[lane], load64(at + 8 * lane));
    }
    for (int lane = 0; left >= 8; left -= 8, at += 8, ++lane) {
        lanes[lane] = stir(lanes[lane], load64(at));
    }
    char last[8] = {};
    if (left > 0) std::memcpy(last, at, left);
    lanes[0] = stir(lanes[0], load64(last) ^ left);
    return fmix64(lanes[0] ^ fmix64(lanes[1] ^ fmix64(lanes[2] ^ fmix64(lanes[3]))));
}

}  // namespace

void TextDigester::add(std::string_view block) noexcept {
    bytes_ += block.size();
    digest_.hash = fmix64(digest_.hash ^ block_hash(block));
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
