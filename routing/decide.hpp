#pragma once
// The routing decision (STYLE.md, "Functional core"): a pure function of the snapshot, the
// request and a random value the caller draws, so tests pin the random value. No I/O, clock,
// RNG or globals; nothing here throws.
#include <cstdint>

#include "flags/resolve.hpp"
#include "routing/decision.hpp"
#include "routing/request_view.hpp"
#include "routing/snapshot.hpp"

namespace switchyard::routing {

// The first matching route's policy decides:
//   pinned   → the route's side;
//   weighted → new iff random % 10000 < new_percent in hundredths;
//   tenant   → the tenant's stage (flags::resolve), then by method: legacy and shadow → legacy,
//              reads → safe methods to new and the rest to legacy, new and final → new; without
//              a tenant, the route's no_tenant (legacy, new, or reject: the proxy answers 400).
// No matching route: legacy, Why::no_route, route_index == the number of routes.
// The request's views must outlive the Decision: upstream_target may point into the target.
Decision decide(const Snapshot& snapshot, const RequestView& request,
                std::uint64_t random) noexcept;

// A tenant's effective stage: its flags (flags::resolve), then held on new while its door is
// closed (Why::held_by_door). What decide() routes by and what the admin API shows.
flags::Resolution resolve_tenant(const Snapshot& snapshot, std::string_view tenant) noexcept;

// The side a tenant at `stage` is served from (ARCHITECTURE.md, the ladder's table).
Side side_for(Stage stage, bool unsafe_method) noexcept;

}  // namespace switchyard::routing
