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

#include "flags/plain_tenant_entry.hpp"

namespace switchyard::flags {

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

}  // namespace switchyard::flags
