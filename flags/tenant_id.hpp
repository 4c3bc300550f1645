#pragma once
// What a tenant id may be, the same rule for the flag document and for ids taken from requests:
// short, printable, and safe to put in a log line, a metric label or a path segment.
#include <array>
#include <cstddef>
#include <string_view>

namespace switchyard::flags {

inline constexpr std::size_t kMaxTenantIdBytes = 128;

// The bytes an id may hold, [A-Za-z0-9._:@-], as a table: this runs for every request with a
// key, and for every byte of a million-tenant document's ids.
inline constexpr std::array<bool, 256> kTenantIdBytes = [] {
    std::array<bool, 256> allowed{};
    for (char c = 'a'; c <= 'z'; ++c) allowed[static_cast<unsigned char>(c)] = true;
    for (char c = 'A'; c <= 'Z'; ++c) allowed[static_cast<unsigned char>(c)] = true;
    for (char c = '0'; c <= '9'; ++c) allowed[static_cast<unsigned char>(c)] = true;
    for (char c : std::string_view{"._:@-"}) allowed[static_cast<unsigned char>(c)] = true;
    return allowed;
}();

// Empty when `id` is valid, else why not ("is empty", "is longer than 128 bytes", …).
std::string_view tenant_id_problem(std::string_view id) noexcept;

inline bool is_valid_tenant_id(std::string_view id) noexcept {
    return tenant_id_problem(id).empty();
}

}  // namespace switchyard::flags
