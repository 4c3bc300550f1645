#pragma once
// Applies read-your-writes to a decision in the `reads` stage (see recent_writes.hpp): an
// unsafe request is remembered, and a safe one within the window goes to legacy.
#include <chrono>
#include <cstdint>

#include "routing/decision.hpp"
#include "routing/recent_writes.hpp"

namespace switchyard::routing {

inline void apply_read_your_writes(Decision& decision, RecentWrites& writes, std::int64_t now_ms,
                                   std::int64_t window_ms) noexcept {
    if (decision.policy != Policy::tenant || decision.stage != Stage::reads ||
        decision.tenant.empty() || window_ms <= 0) {
        return;
    }
    if (decision.unsafe_method) {
        writes.record_write(decision.tenant, now_ms);
    } else if (writes.wrote_within(decision.tenant, now_ms, window_ms)) {
        decision.side = Side::legacy;
        decision.why = Why::read_your_writes;
    }
}

}  // namespace switchyard::routing
