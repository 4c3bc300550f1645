#pragma once
// The stable hash behind cohort buckets: FNV-1a 64 over the bytes, then
// MurmurHash3's fmix64 finalizer to spread FNV's weak low bits. Pure integer arithmetic on
// bytes, so every platform and build gives the same value (tests pin some).
#include <cstdint>
#include <cstring>
#include <string_view>

namespace switchyard::flags {

inline constexpr std::uint64_t kFnvOffsetBasis = 14695981039346656037ULL;
inline constexpr std::uint64_t kFnvPrime = 1099511628211ULL;

// Continues a running FNV-1a state, so "salt:tenant" hashes without building the string.
constexpr std::uint64_t fnv1a64(std::string_view bytes,
                                std::uint64_t state = kFnvOffsetBasis) noexcept {
    for (const char c : bytes) {
        state ^= static_cast<unsigned char>(c);
        state *= kFnvPrime;
    }
    return state;
}

constexpr std::uint64_t fmix64(std::uint64_t k) noexcept {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

// Unaligned pieces of a text, for hashes that take it a word at a time.
inline std::uint64_t load64(const char* at) noexcept {
    std::uint64_t word = 0;
    std::memcpy(&word, at, sizeof word);
    return word;
}
inline std::uint64_t load32(const char* at) noexcept {
    std::uint32_t word = 0;
    std::memcpy(&word, at, sizeof word);
    return word;
}

}  // namespace switchyard::flags
