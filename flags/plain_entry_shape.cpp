#include "flags/plain_entry_shape.hpp"

#include <algorithm>

namespace switchyard::flags {

bool PlainEntryShape::take(const char* from, const char* to, Piece& piece) noexcept {
    const auto size = static_cast<std::size_t>(to - from);
    if (size > kMaxPieceBytes) return false;
    std::copy(from, to, piece.bytes.begin());
    piece.size = size;
    return true;
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

}  // namespace switchyard::flags
