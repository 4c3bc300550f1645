#include "flags/resolve.hpp"

namespace switchyard::flags {

Resolution resolve(const FlagSnapshot& flags, std::string_view tenant) noexcept {
    if (const auto entry = flags.find(tenant)) return {entry->stage, Why::pinned};
    if (flags.rollout().contains(tenant)) return {flags.rollout().stage(), Why::cohort};
    return {flags.default_stage(), Why::default_stage};
}

}  // namespace switchyard::flags
