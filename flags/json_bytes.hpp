#pragma once
// What a JSON byte is, as tables (RFC 8259), shared by the general reader and the fast path
// through a document's tenants: a run of alike bytes is then one tight loop.
#include <array>
#include <cstdint>

namespace switchyard::flags {

// Bytes a string holds as written: all but the quote, the backslash, control characters and
// UTF-8 lead bytes, which each need a closer look.
inline constexpr std::array<bool, 256> kPlainInString = [] {
    std::array<bool, 256> plain{};
    for (unsigned c = 0x20; c < 0x80; ++c) plain[c] = c != '"' && c != '\\';
    return plain;
}();

// Whitespace between tokens (RFC 8259 section 2): 1 for ' ', '\t', '\r'; 2 for '\n', so that
// `kind >> 1` counts lines without a branch.
inline constexpr std::array<std::uint8_t, 256> kWhitespace = [] {
    std::array<std::uint8_t, 256> kind{};
    kind[' '] = kind['\t'] = kind['\r'] = 1;
    kind['\n'] = 2;
    return kind;
}();

}  // namespace switchyard::flags
