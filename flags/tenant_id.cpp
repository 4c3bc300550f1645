#include "flags/tenant_id.hpp"

namespace switchyard::flags {

std::string_view tenant_id_problem(std::string_view id) noexcept {
    if (id.empty()) return "is empty";
    if (id.size() > kMaxTenantIdBytes) return "is longer than 128 bytes";
    for (const char c : id) {
        if (!kTenantIdBytes[static_cast<unsigned char>(c)]) {
            return "has a character outside [A-Za-z0-9._:@-]";
        }
    }
    return {};
}

}  // namespace switchyard::flags
