#pragma once
// What a tenant id may be, the same rule for the flag document and for ids taken from requests:
// short, printable, and safe to put in a log line, a metric label or a path segment.
#include <cstddef>
#include <string_view>

namespace switchyard::flags {

inline constexpr std::size_t kMaxTenantIdBytes = 128;

// Empty when `id` is valid, else why not ("is empty", "is longer than 128 bytes", …).
std::string_view tenant_id_problem(std::string_view id) noexcept;

inline bool is_valid_tenant_id(std::string_view id) noexcept {
    return tenant_id_problem(id).empty();
}

}  // namespace switchyard::flags
