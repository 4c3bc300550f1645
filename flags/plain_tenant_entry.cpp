#include "flags/plain_tenant_entry.hpp"

#include <cstring>

#include "flags/json_bytes.hpp"
#include "flags/tenant_id.hpp"

namespace switchyard::flags {
namespace {

// A position in the text and its line; every step returns false rather than read past the end.
class Cursor {
  public:
    Cursor(std::string_view text, std::size_t position, std::size_t line) noexcept
        : begin_(text.data()), at_(begin_ + position), end_(begin_ + text.size()), line_(line) {}

    void skip_whitespace() noexcept {
        for (; at_ != end_; ++at_) {
            const std::uint8_t kind = kWhitespace[static_cast<unsigned char>(*at_)];
            if (kind == 0) return;
            line_ += kind >> 1;
        }
    }
    // After whitespace: the byte `c`, consumed.
    bool token(char c) noexcept {
        skip_whitespace();
        if (at_ == end_ || *at_ != c) return false;
        ++at_;
        return true;
    }
    // The rest of a string whose opening quote was consumed, made of `allowed` bytes only.
    bool string_of(const std::array<bool, 256>& allowed, std::string_view& value) noexcept {
        const char* const start = at_;
        while (at_ != end_ && allowed[static_cast<unsigned char>(*at_)]) ++at_;
        if (at_ == end_ || *at_ != '"') return false;
        value = {start, static_cast<std::size_t>(at_ - start)};
        ++at_;
        return true;
    }
    // `word` and its closing quote, consumed. A literal, so the compare is a few loads.
    template <std::size_t size>
    bool word(const char (&word)[size]) noexcept {  // `size` counts the terminating NUL
        if (static_cast<std::size_t>(end_ - at_) < size || std::memcmp(at_, word, size - 1) != 0 ||
            at_[size - 1] != '"') {
            return false;
        }
        at_ += size;
        return true;
    }

    std::size_t position() const noexcept { return static_cast<std::size_t>(at_ - begin_); }
    std::size_t line() const noexcept { return line_; }

  private:
    const char* begin_;
    const char* at_;
    const char* end_;
    std::size_t line_;
};

}  // namespace

bool scan_plain_tenant_entry(std::string_view text, std::size_t position, std::size_t line,
                             bool first_member, PlainTenantEntry& entry) noexcept {
    Cursor at{text, position, line};
    if (!first_member && !at.token(',')) return false;
    if (!at.token('"') || !at.string_of(kTenantIdBytes, entry.id)) return false;
    if (entry.id.empty() || entry.id.size() > kMaxTenantIdBytes) return false;
    at.skip_whitespace();
    entry.id_line = at.line();
    if (!at.token(':') || !at.token('{')) return false;
    bool has_stage = false;
    bool has_note = false;
    entry.note = {};
    do {
        if (!at.token('"')) return false;  // also `{}` and a trailing comma: not plain
        const bool stage = at.word("stage");
        if (!stage && !at.word("note")) return false;
        bool& seen = stage ? has_stage : has_note;
        if (seen) return false;
        seen = true;
        std::string_view value;
        if (!at.token(':') || !at.token('"') || !at.string_of(kPlainInString, value)) {
            return false;
        }
        if (stage) {
            const auto parsed = parse_stage(value);
            if (!parsed) return false;
            entry.stage = *parsed;
            entry.stage_text = value;
        } else {
            entry.note = value;
        }
    } while (at.token(','));
    if (!has_stage || !at.token('}')) return false;
    entry.end = at.position();
    entry.end_line = at.line();
    return true;
}

}  // namespace switchyard::flags
