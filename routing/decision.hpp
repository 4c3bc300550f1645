#pragma once
// The answer of decide(): where a request goes and why, for forwarding, logs and metrics.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/stage.hpp"

namespace switchyard::routing {

enum class Policy : std::uint8_t { tenant, weighted, pinned };

// Why a tenant route picked its stage (ARCHITECTURE.md: pinned, cohort, default).
enum class Why : std::uint8_t { pinned, cohort, default_stage, no_tenant, weighted, pinned_route };

struct Decision {
    Side side = Side::legacy;
    Policy policy = Policy::tenant;
    Stage stage = Stage::legacy;  // meaningful for tenant routes
    Why why = Why::default_stage;
    std::size_t route_index = 0;   // index into the route table, for logs and metrics
    std::string tenant;            // empty when no key was found; short ids stay in SSO
    std::string_view upstream_target;  // target to forward: the request's, or a suffix of it
                                       // when a path-prefix key is stripped
    bool unsafe_method = false;  // not in the configured safe methods (the door cares)
    bool reject = false;         // tenant route without a key, configured to answer 400
};

std::string_view to_string(Policy policy) noexcept;
std::string_view to_string(Why why) noexcept;

}  // namespace switchyard::routing
