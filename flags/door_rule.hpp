#pragma once
// The one-way door's rule for a change of the flag document (ARCHITECTURE.md invariant 5):
//  - an explicit change that would send a closed-door tenant back below `new` (its entry set
//    to reads/shadow/legacy, or removed so that it falls back below new) is refused, unless
//    forced with a reason; a forced one reopens the door and is journaled;
//  - implicit changes (rollout, salt, default stage) never refuse: closed-door tenants are
//    held on new (decide() does the holding) and reported;
//  - nothing moves a `final` tenant back, forced or not: not its entry, not a final rollout's
//    cohort (percent down, salt or stage changed), not a final default stage, not a new entry
//    for a tenant final by cohort or default, not a cohort growing over a final default.
// Pure: no I/O, the caller journals and publishes.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "flags/door_set.hpp"
#include "flags/flag_snapshot.hpp"

namespace switchyard::flags {

struct TransitionReport {
    std::vector<std::string> refused;  // one message per violation; any → refuse whole
    std::vector<ForcedMove> forced;    // accepted only by force: journal, reopen the door
    std::vector<std::string> held;     // closed-door tenants an implicit change left on new
    bool accepted() const noexcept { return refused.empty(); }
};

// The reason an operator gave to force a tenant's move, or empty.
using ForceReasons = std::function<std::string_view(std::string_view tenant)>;

// The stage below new that an explicit change of `tenant`'s entry lands it on (its entry set
// below new, or removed so that it falls back below new): what a closed door refuses. Nothing
// when the change is not explicit or stays on new. `before` null: every entry counts as changed.
std::optional<Stage> explicit_move_below_new(const FlagSnapshot* before, const FlagSnapshot& after,
                                             std::string_view tenant);

// `before` null: the document is loaded at start, so every entry counts as changed.
TransitionReport check_transition(const FlagSnapshot* before, const FlagSnapshot& after,
                                  const DoorSet& doors, const ForceReasons& force_reason);

// A human sentence about a closed door, for refusals and the log:
// "door closed 2026-11-23T10:15:02Z by request 5f3a… (POST /orders on proxy-1)".
std::string describe_door(const DoorClosing& door);

}  // namespace switchyard::flags
