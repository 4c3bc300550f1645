#pragma once
// Everything decide() reads, as one immutable value (ARCHITECTURE.md invariant 1): a request
// holds the shared_ptr it got when it started until it ends, so a reload never changes the
// rules under a request in flight.
#include <cstdint>
#include <memory>

#include "flags/door_set.hpp"
#include "flags/flag_snapshot.hpp"
#include "routing/routing_config.hpp"

namespace switchyard::routing {

struct Snapshot {
    std::shared_ptr<const flags::FlagSnapshot> flags;  // null until the first document loads
    std::shared_ptr<const RoutingConfig> routing;      // null until the config loads
    std::uint64_t generation = 0;                      // bumped by every publication
    std::shared_ptr<const flags::DoorSet> doors;       // closed one-way doors; null: none

    // Both halves loaded: what readiness (/readyz) waits for.
    bool complete() const noexcept { return flags && routing; }
};

}  // namespace switchyard::routing
