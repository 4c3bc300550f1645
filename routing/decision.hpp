#pragma once
// The answer of decide(): where a request goes and why, for forwarding, logs and metrics.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/stage.hpp"
#include "common/why.hpp"

namespace switchyard::routing {

enum class Policy : std::uint8_t { tenant, weighted, pinned };

// Why a tenant route picked its stage (ARCHITECTURE.md: pinned, cohort, default), or why another
// route picked its side. Shared with flags/, which resolves the first three.
using switchyard::to_string;
using switchyard::Why;

struct Decision {
    Side side = Side::legacy;
    Policy policy = Policy::tenant;
    Stage stage = Stage::legacy;  // meaningful for tenant routes
    Why why = Why::default_stage;
    std::size_t route_index = 0;       // index into the route table, for logs and metrics
    std::string tenant;                // empty when no key was found; short ids stay in SSO
    std::string_view upstream_target;  // target to forward: the request's, or a suffix of it
                                       // when a path-prefix key is stripped
    bool unsafe_method = false;        // not in the configured safe methods (the door cares)
    bool reject = false;               // tenant route without a key, configured to answer 400

    // Set only when a stripped target is not a suffix of the request's ("/t/acme?x" → "/?x");
    // then upstream_target is empty. The proxy forwards forward_target(), which covers both.
    std::string rewritten_target;

    std::string_view forward_target() const noexcept {
        return rewritten_target.empty() ? upstream_target : std::string_view{rewritten_target};
    }
};

std::string_view to_string(Policy policy) noexcept;

}  // namespace switchyard::routing
