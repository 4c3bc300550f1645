#pragma once
// Large bodies are generated and checked on the fly, never held whole: a deterministic byte
// pattern to send, and a running digest both ends compute so a test compares bytes exactly.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace switchyard::test {

// Fills `out` with the pattern bytes that stand at [offset, offset + size) of a generated body.
void fill_pattern(char* out, std::size_t size, std::uint64_t offset) noexcept;

// FNV-1a over every byte seen, plus the count.
class BodyDigest {
  public:
    void update(std::string_view bytes) noexcept;
    std::uint64_t bytes() const noexcept { return bytes_; }
    std::uint64_t value() const noexcept { return hash_; }

  private:
    std::uint64_t bytes_ = 0;
    std::uint64_t hash_ = 14695981039346656037ULL;
};

// The digest of a generated body of `size` bytes, for comparing with what an end received.
std::uint64_t pattern_digest(std::uint64_t size);

}  // namespace switchyard::test
