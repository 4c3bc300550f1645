#include "flags/plain_entry_shape.hpp"

#include "flags/hash.hpp"
#include "flags/json_bytes.hpp"
#include "flags/tenant_id.hpp"

namespace switchyard::flags {
namespace {

// A maximal run of `allowed` bytes from `at`.
const char* run_of(const std::array<bool, 256>& allowed, const char* at, const char* end) noexcept {
    while (at != end && allowed[static_cast<unsigned char>(*at)]) ++at;
    return at;
}

// `size` bytes alike, a word at a time (the last word overlapping the one before): no call, and
// never a byte past either side.
bool same_bytes(const char* a, const char* b, std::size_t size) noexcept {
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

}  // namespace

bool PlainEntryShape::take(const char* from, const char* to, Piece& piece) noexcept {
    const auto size = static_cast<std::size_t>(to - from);
    if (size > kMaxPieceBytes) return false;
    std::copy(from, to, piece.bytes.begin());
    piece.size = size;
    return true;
}

bool PlainEntryShape::starts(const char* at, const char* end, const Piece& piece) noexcept {
    return static_cast<std::size_t>(end - at) >= piece.size &&
           same_bytes(at, piece.bytes.data(), piece.size);
}

void PlainEntryShape::learn(std::string_view text, std::size_t position, std::size_t line,
                            const PlainTenantEntry& entry) noexcept {
    if (!entry.note.empty()) return;  // its bytes would have to be the next entry's too
    const char* const id = entry.id.data();
    const char* const stage = entry.stage_text.data();
    PlainEntryShape learned;
    if (!take(text.data() + position, id, learned.before_id_) ||
        !take(id + entry.id.size(), stage, learned.after_id_) ||
        !take(stage + entry.stage_text.size(), text.data() + entry.end, learned.after_stage_)) {
        return;
    }
    learned.lines_to_id_ = entry.id_line - line;
    learned.lines_to_end_ = entry.end_line - line;
    learned.learned_ = true;
    *this = learned;
}

bool PlainEntryShape::match(std::string_view text, std::size_t position, std::size_t line,
                            PlainTenantEntry& entry) const noexcept {
    if (!learned_) return false;
    const char* at = text.data() + position;
    const char* const end = text.data() + text.size();
    if (!starts(at, end, before_id_)) return false;
    const char* const id = at + before_id_.size;
    at = run_of(kTenantIdBytes, id, end);
    const auto id_size = static_cast<std::size_t>(at - id);
    // after_id_ begins with the quote that ends the id, as the scanner wants it.
    if (id_size == 0 || id_size > kMaxTenantIdBytes || !starts(at, end, after_id_)) return false;
    const char* const stage = at + after_id_.size;
    at = run_of(kPlainInString, stage, end);
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
