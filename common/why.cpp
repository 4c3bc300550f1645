#include "common/why.hpp"

#include <array>
#include <cstddef>

namespace switchyard {

std::string_view to_string(Why why) noexcept {
    // "default", not "default_stage": the word the admin API shows (ARCHITECTURE.md).
    static constexpr std::array<std::string_view, 9> kNames{
        "pinned",       "cohort",   "default",      "no_tenant",       "weighted",
        "pinned_route", "no_route", "held_by_door", "read_your_writes"};
    return kNames[static_cast<std::size_t>(why)];
}

}  // namespace switchyard
