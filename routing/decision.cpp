#include "routing/decision.hpp"

#include <array>

namespace switchyard::routing {

std::string_view to_string(Policy policy) noexcept {
    static constexpr std::array<std::string_view, 3> kNames{"tenant", "weighted", "pinned"};
    return kNames[static_cast<std::size_t>(policy)];
}

}  // namespace switchyard::routing
