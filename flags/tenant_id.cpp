#include "flags/tenant_id.hpp"

#include <array>

namespace switchyard::flags {
namespace {

// [A-Za-z0-9._:@-], as a table: this runs for every request with a key.
constexpr std::array<bool, 256> kAllowed = [] {
    std::array<bool, 256> allowed{};
    for (char c = 'a'; c <= 'z'; ++c) allowed[static_cast<unsigned char>(c)] = true;
    for (char c = 'A'; c <= 'Z'; ++c) allowed[static_cast<unsigned char>(c)] = true;
    for (char c = '0'; c <= '9'; ++c) allowed[static_cast<unsigned char>(c)] = true;
    for (char c : std::string_view{"._:@-"}) allowed[static_cast<unsigned char>(c)] = true;
    return allowed;
}();

}  // namespace

std::string_view tenant_id_problem(std::string_view id) noexcept {
    if (id.empty()) return "is empty";
    if (id.size() > kMaxTenantIdBytes) return "is longer than 128 bytes";
    for (const char c : id) {
        if (!kAllowed[static_cast<unsigned char>(c)]) {
            return "has a character outside [A-Za-z0-9._:@-]";
        }
    }
    return {};
}

}  // namespace switchyard::flags
