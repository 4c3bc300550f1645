#pragma once
// What a reload learns of a flag document's bytes in one pass, a block at a time, while each
// block is still in cache from the read (a 40 MB document read again from memory, twice, cost
// ~12 ms and the request threads' cache):
// - its hash, the identity of the bytes: equal hashes mean "the same document", so a reload of
//   bytes already parsed (or already serving) is skipped. In-process only, never stored, so it
//   need not be stable across builds: a hash of each block (32 bytes a step), folded together.
// - how many '{' it holds: each tenant entry is an object, so the parser reserves that many.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace switchyard::flags {

class ReloadPacer;

struct TextDigest {
    std::uint64_t hash = 0;
    std::size_t open_braces = 0;
};

class TextDigester {
  public:
    static constexpr std::size_t kBlockBytes = 64 * 1024;

    // The text's blocks in order: whole blocks of kBlockBytes, then the last, shorter one.
    void add(std::string_view block) noexcept;
    TextDigest digest() const noexcept;

  private:
    std::size_t bytes_ = 0;
    TextDigest digest_;
};

// The text's digest, with a pause point after every block.
TextDigest digest_of(std::string_view text, ReloadPacer* pacer = nullptr);
inline std::uint64_t content_hash(std::string_view text) { return digest_of(text).hash; }

}  // namespace switchyard::flags
