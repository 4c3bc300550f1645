#pragma once
// ASCII case folding for the parts of HTTP that are case-insensitive (header names, host names,
// auth schemes): no locale, no allocation.
#include <cstddef>
#include <string>
#include <string_view>

namespace switchyard::routing {

constexpr char ascii_lower(char c) noexcept {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

constexpr bool ascii_iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    }
    return true;
}

inline std::string ascii_lowered(std::string_view text) {
    std::string lowered(text);
    for (char& c : lowered) c = ascii_lower(c);
    return lowered;
}

}  // namespace switchyard::routing
