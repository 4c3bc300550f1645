#pragma once
// A big document's tenants are written by a program, so its entries repeat one shape byte for
// byte but for the id and the stage: `,\n  "` id `": {\n   "stage": "` stage `"\n  }`. Learned
// from an entry scan_plain_tenant_entry() accepted, the shape reads the next ones with three
// compares of known bytes and two short scans instead of a dozen tokens with whitespace between
// them (a third of a million-tenant reload's CPU). It accepts only what the scanner would, read
// the same way: the same bytes around an id and a stage that are each a maximal run of the bytes
// the scanner allows, ended by the quote it wants. Anything else fails a compare, and the
// scanner reads it.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "flags/hash.hpp"
#include "flags/json_bytes.hpp"
#include "flags/plain_tenant_entry.hpp"
#include "flags/tenant_id.hpp"

namespace switchyard::flags {

namespace shape_detail {

// A maximal run of `allowed` bytes from `at`.
inline const char* run_of(const std::array<bool, 256>& allowed, const char* at,
                          const char* end) noexcept {
    while (at != end && allowed[static_cast<unsigned char>(*at)]) ++at;
    return at;
}

// `size` bytes alike, a word at a time (the last word overlapping the one before): no call, and
// never a byte past either side.
inline bool same_bytes(const char* a, const char* b, std::size_t size) noexcept {
    if (size >= 8) {
        for (std::size_t at = 0; at + 8 < size; at += 8) {
            if (load64(a + at) != load64(b + at)) return false;
        }
        return load64(a + size - 8) == load64(b + size - 8);
    }
    if (size >= 4) return load32(a) == load32(b) && load32(a + size - 4) == load32(b + size - 4);
    for (std::size_t at = 0; at < size; ++at) {
        if (a[at] != b[at]) return false;
    }
    return true;
}

}  // namespace shape_detail

class PlainEntryShape {
  public:
    // From an entry the scanner read at `position` on `line` as a later member (its comma
    // included). Learns nothing from an entry with a note, or with more than kMaxPieceBytes
    // around its id or stage; keeps what it knew then.
    void learn(std::string_view text, std::size_t position, std::size_t line,
               const PlainTenantEntry& entry) noexcept;
    // The later member at `position` on `line`, when it has the shape last learned.
    bool match(std::string_view text, std::size_t position, std::size_t line,
               PlainTenantEntry& entry) const noexcept;

    static constexpr std::size_t kMaxPieceBytes = 48;

  private:
    struct Piece {
        std::array<char, kMaxPieceBytes> bytes{};
        std::size_t size = 0;
    };
    static bool take(const char* from, const char* to, Piece& piece) noexcept;
    static bool starts(const char* at, const char* end, const Piece& piece) noexcept;

    Piece before_id_;              // the comma, whitespace and the id's opening quote
    Piece after_id_;               // from the id's closing quote to the stage's opening quote
    Piece after_stage_;            // from the stage's closing quote to the entry's closing brace
    std::size_t lines_to_id_ = 0;  // the id's line (its colon's, as the scanner says) after `line`
    std::size_t lines_to_end_ = 0;
    bool learned_ = false;
};

inline bool PlainEntryShape::starts(const char* at, const char* end, const Piece& piece) noexcept {
    return static_cast<std::size_t>(end - at) >= piece.size &&
           shape_detail::same_bytes(at, piece.bytes.data(), piece.size);
}

// Inline: a million calls a reload, and the caller reads the entry it fills, which a call
// would hand over through memory written a word at a time and read back in wider loads.
inline bool PlainEntryShape::match(std::string_view text, std::size_t position, std::size_t line,
                                   PlainTenantEntry& entry) const noexcept {
    if (!learned_) return false;
    const char* at = text.data() + position;
    const char* const end = text.data() + text.size();
    if (!starts(at, end, before_id_)) return false;
    const char* const id = at + before_id_.size;
    at = shape_detail::run_of(kTenantIdBytes, id, end);
    const auto id_size = static_cast<std::size_t>(at - id);
    // after_id_ begins with the quote that ends the id, as the scanner wants it.
    if (id_size == 0 || id_size > kMaxTenantIdBytes || !starts(at, end, after_id_)) return false;
    const char* const stage = at + after_id_.size;
    at = shape_detail::run_of(kPlainInString, stage, end);
    if (!starts(at, end, after_stage_)) return false;
    const std::string_view stage_text{stage, static_cast<std::size_t>(at - stage)};
    const auto parsed = parse_stage(stage_text);
    if (!parsed) return false;
    entry.id = {id, id_size};
    entry.stage = *parsed;
    entry.stage_text = stage_text;
    entry.note = {};
    // Neither an id nor a stage holds a newline: the lines are all in the pieces.
    entry.id_line = line + lines_to_id_;
    entry.end = static_cast<std::size_t>(at - text.data()) + after_stage_.size;
    entry.end_line = line + lines_to_end_;
    return true;
}

}  // namespace switchyard::flags
