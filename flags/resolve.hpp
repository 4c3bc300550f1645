#pragma once
// A tenant's effective stage and why (ARCHITECTURE.md, "Tenants and the migration ladder"):
// its own entry, else the cohort, else the default.
#include <string_view>

#include "common/stage.hpp"
#include "common/why.hpp"
#include "flags/flag_snapshot.hpp"

namespace switchyard::flags {

struct Resolution {
    Stage stage = Stage::legacy;
    Why why = Why::default_stage;  // only pinned, cohort or default_stage
};

Resolution resolve(const FlagSnapshot& flags, std::string_view tenant) noexcept;

}  // namespace switchyard::flags
